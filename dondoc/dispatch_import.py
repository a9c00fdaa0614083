"""Import a dispatch's text as a draft directive spec: the I/O around the pure parser, shared by
`dondoc import-dispatch` and the ``import-dispatch`` flow."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from dondoc.config.calendar import load_calendar_overrides, work_calendar
from dondoc.config.settings import Settings
from dondoc.config.spec_loader import SpecError, load_spec_file
from dondoc.config.successions import load_directory
from dondoc.dispatch_draft import DispatchDraft, parse_dispatch
from dondoc.dispatch_text import DispatchTextError, decode_text, slug
from dondoc.dispatch_yaml import render_draft
from dondoc.errors import InputError

_FIRST_CALENDAR_YEAR = 2000  # working days are counted from issue dates this old or newer


@dataclass(frozen=True)
class ImportedDraft:
    draft: DispatchDraft
    yaml: str
    path: Path | None  # None when written to standard output
    load_error: str | None  # why `dondoc load` would refuse the draft as written, if it would


def read_dispatch_file(path: Path) -> str:
    """The text of ``path``; `InputError` naming the file when it cannot be used."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file: {exc.strerror}", field="file") from None
    try:
        return decode_text(raw)
    except DispatchTextError as exc:
        raise InputError(f"{path}: {exc}", field="file") from None


def draft_from_text(text: str, name: str, settings: Settings, at: dt.datetime) -> DispatchDraft:
    today = at.astimezone(ZoneInfo(settings.timezone)).date()
    overrides = load_calendar_overrides(settings.calendar_file)
    calendar = work_calendar(range(_FIRST_CALENDAR_YEAR, today.year + 4), overrides)
    try:
        return parse_dispatch(text, load_directory(), today=today, calendar=calendar)
    except DispatchTextError as exc:
        raise InputError(f"{name}: {exc}", field="file") from None


def draft_name(draft: DispatchDraft, source: str) -> str:
    """ "351-BXD-PTDT.draft.yaml" (from the number/symbol, else the source's name)."""
    stem = slug(draft.number) if draft.number else slug(Path(source).stem)
    return f"{stem}.draft.yaml"


def write_draft(
    draft: DispatchDraft,
    *,
    source: Path,
    output: Path | None,
    force: bool = False,
) -> ImportedDraft:
    """Write the draft to ``output`` (None: return it for standard output) and check whether
    `dondoc load` would accept it as written. An existing file is kept unless ``force``."""
    base = output.parent if output else Path.cwd()
    relative = _relative(source, base)
    text = render_draft(draft, source_name=source.name, source_file=relative)
    if output is None:
        return ImportedDraft(draft, text, None, _load_error_of_text(text, draft_name(draft, "x")))
    if output.exists() and not force:
        raise InputError(f"{output} already exists: use --force to overwrite it", field="output")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, output)  # all or nothing: no half-written draft
    return ImportedDraft(draft, text, output, _load_error(output))


def _relative(source: Path, base: Path) -> str:
    try:
        return os.path.relpath(source.resolve(), base.resolve())
    except ValueError:  # another drive (Windows)
        return str(source.resolve())


def _load_error(path: Path) -> str | None:
    try:
        load_spec_file(path)
    except SpecError as exc:
        return str(exc)
    return None


def _load_error_of_text(text: str, name: str) -> str | None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        return _load_error(path)
