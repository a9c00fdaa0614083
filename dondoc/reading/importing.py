"""Import a dispatch's text as a draft directive spec: the I/O around the pure parser, shared by
`dondoc import-dispatch` and the ``import-dispatch`` flow."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from dondoc.config.calendar import load_calendar_overrides
from dondoc.config.config_yaml import SpecError
from dondoc.config.settings import Settings
from dondoc.config.spec_loader import load_spec_file
from dondoc.config.successions import load_directory
from dondoc.engine.deadlines import work_calendar
from dondoc.errors import InputError
from dondoc.output_files import write_output_text
from dondoc.reading.draft import DispatchDraft, parse_dispatch
from dondoc.reading.draft_yaml import render_draft
from dondoc.reading.sources import MAX_INPUT_BYTES, document_text
from dondoc.reading.text import DispatchTextError, slug

_FIRST_CALENDAR_YEAR = 2000  # working days are counted from issue dates this old or newer


@dataclass(frozen=True)
class ImportedDraft:
    draft: DispatchDraft
    yaml: str
    path: Path | None  # None when written to standard output
    load_error: str | None  # why `dondoc load` would refuse the draft as written, if it would


def read_dispatch_file(path: Path) -> str:
    """The text of ``path`` (plain text, .docx or a PDF with a text layer); `InputError` naming
    the file when it cannot be used."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_INPUT_BYTES + 1)  # a larger file is refused unread
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file: {exc.strerror}", field="file") from None
    try:
        return document_text(raw, path.name)
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
    option: str = "--output",
) -> ImportedDraft:
    """Write the draft to ``output`` (None: return it for standard output) and check whether
    `dondoc load` would accept it as written. An existing file is kept unless ``force``; only a
    regular file is ever replaced, all or nothing (dondoc.output_files; errors name ``option``)."""
    base = output.parent if output else Path.cwd()
    relative = _relative(source, base)
    text = render_draft(draft, source_name=source.name, source_file=relative)
    if output is None:
        return ImportedDraft(draft, text, None, _load_error_of_text(text, draft_name(draft, "x")))
    write_output_text(output, text, option=option, force=force)
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
