"""What a deployment's parameters may read: the document's content, or a file NAMED inside one
configured folder, never an arbitrary path on the serving machine.

Anyone who can reach the Prefect API can start a flow run, and a failed run's state message is
shown to them; so a refused name is reported with the parameter and the folder only, never with
anything read from the file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dondoc.errors import InputError

MAX_DOCUMENT_BYTES = 1024 * 1024  # a spec or a dispatch text; the largest real one is ~60 kB


@dataclass(frozen=True)
class Folder:
    """A configured folder: its path and the setting that names it (for messages)."""

    path: Path
    setting: str
    label: str  # "specs", "drafts"

    def refusal(self, what: str, problem: str) -> InputError:
        """``what`` names the parameter or field ("parameter path"); nothing read is quoted."""
        return InputError(
            f"{what}: {problem}; it must name a regular file of at most "
            f"{MAX_DOCUMENT_BYTES // 1024} kB inside the {self.label} folder "
            f"{self.path.resolve()} ({self.setting})",
            field=what,
        )


def confined(folder: Folder, name: str, what: str, base: Path | None = None) -> Path:
    """``name`` resolved (symlinks followed) relative to ``base`` (default: the folder);
    refused unless inside the folder."""
    root = folder.path.resolve()
    if not name.strip() or "\x00" in name:
        raise folder.refusal(what, "empty or not a file name")
    target = ((base or root) / name).resolve()
    if target == root or not target.is_relative_to(root):
        raise folder.refusal(what, "not inside the folder")
    return target


def read_confined(
    folder: Folder, name: str, what: str, base: Path | None = None
) -> tuple[Path, bytes]:
    """The checked path and its bytes, read through one descriptor that cannot be a symlink,
    a device or a FIFO (checked on the open file, not before opening it)."""
    target = confined(folder, name, what, base)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
    except OSError:
        raise folder.refusal(what, "no such readable file in the folder") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise folder.refusal(what, "not a regular file")
        data = handle.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise folder.refusal(what, "the file is too large")
    return target, data


def content_bytes(text: str, parameter: str) -> bytes:
    """A content parameter as UTF-8, refused when empty or too large."""
    data = text.encode("utf-8")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"parameter {parameter}: {len(data)} bytes, at most {MAX_DOCUMENT_BYTES} allowed",
            field=parameter,
        )
    if not text.strip():
        raise InputError(f"parameter {parameter}: empty", field=parameter)
    return data


def one_of(values: dict[str, object], usage: str) -> str:
    """The one parameter given among ``values`` (content or name), or a refusal."""
    given = [key for key, value in values.items() if value is not None]
    if len(given) != 1:
        names = " or ".join(values)
        raise InputError(f"give exactly one of the parameters {names}: {usage}", field="param")
    return given[0]


@contextlib.contextmanager
def private_folder() -> Iterator[Path]:
    """A private temporary folder (0700), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="dondoc-param-") as folder:
        yield Path(folder)


def write_new(path: Path, data: bytes) -> Path:
    with path.open("xb") as out:
        out.write(data)
    return path
