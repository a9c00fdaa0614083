"""Every file dondoc writes for the user (workbook, draft spec, dump, calendar feeds) goes through
here: a new file with a random name in the target's folder, created exclusively and never through
a symbolic link, written and synced, then renamed onto the target. The target must be a regular
file or absent; a reader sees the old file or the new one, never half of one, and a failure leaves
no temporary file behind."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from dondoc.errors import InputError

# A draft, a workbook or a feed is for sharing (umask applies); a database dump is private.
PUBLIC = 0o644
PRIVATE = 0o600
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_TRIES = 8

_KINDS = (
    (stat.S_ISLNK, "is a symbolic link; refusing to replace it (write to the file it points to)"),
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


def _refuse(option: str, path: Path, problem: str) -> InputError:
    """'--out PATH: problem'; '' for a positional argument: 'PATH: problem'."""
    if not option:
        return InputError(f"{path}: {problem}", field="file")
    return InputError(f"{option} {path}: {problem}", field=option.lstrip("-").replace("-", "_"))


def check_output(path: Path, *, option: str, force: bool | None = None) -> None:
    """Refuse a target that is anything but a regular file or absent; with ``force`` False (the
    command has --force and it was not given), refuse an existing file too. ``force`` None: the
    command replaces an existing regular file as it always did."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _refuse(option, path, f"cannot check the target: {exc.strerror}") from None
    for test, problem in _KINDS:
        if test(mode):
            raise _refuse(option, path, problem)
    if not stat.S_ISREG(mode):
        raise _refuse(option, path, "is not a regular file")
    if force is False:
        raise _refuse(option, path, "already exists: use --force to overwrite it")


def _folder(path: Path, option: str) -> Path:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _refuse(option, path, f"cannot create its folder: {exc.strerror}") from None
    return folder


def _create(folder: Path, name: str, mode: int) -> tuple[int, Path]:
    """A new file no one else holds: O_EXCL fails on anything already there, a planted symlink
    included, and O_NOFOLLOW makes sure no link is ever followed."""
    for _ in range(_TRIES):
        tmp = folder / f".{name}.{secrets.token_hex(8)}.tmp"
        try:
            return os.open(tmp, _FLAGS, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {name}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable; not every file system lets a folder be opened and synced."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_output(
    path: Path,
    data: bytes,
    *,
    option: str,
    force: bool | None = None,
    mode: int = PUBLIC,
) -> Path:
    """Write ``data`` to ``path`` all or nothing (see the module); errors name ``option``
    (e.g. ``--out``; '' for a positional argument) and the path, as `InputError` (exit 2)."""
    path = Path(path)
    check_output(path, option=option, force=force)
    folder = _folder(path, option)
    tmp: Path | None = None
    try:
        fd, tmp = _create(folder, path.name, mode)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        check_output(path, option=option, force=force)  # it may have changed meanwhile
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise _refuse(option, path, f"cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _sync_folder(folder)
    return path


def write_output_text(
    path: Path, text: str, *, option: str, force: bool | None = None, mode: int = PUBLIC
) -> Path:
    """`write_output` of ``text`` in UTF-8."""
    return write_output(path, text.encode("utf-8"), option=option, force=force, mode=mode)
