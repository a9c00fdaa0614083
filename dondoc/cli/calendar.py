"""`dondoc calendar`: the working-day calendar of one year, as the deadline engine and the sweep
see it (holidays.VN plus the operator's overrides file)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from dondoc.errors import InputError

# holidays.VN computes the lunar holidays (Tết, Giỗ Tổ Hùng Vương) reliably in this range.
FIRST_YEAR, LAST_YEAR = 2000, 2099
FORMATS = ("text", "json")


def calendar_command(
    year: Annotated[
        int | None, typer.Option(help="The year, e.g. 2026; default: the current year.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    calendar_file: Annotated[
        Path | None,
        typer.Option(help="Overrides file (YAML); default: DONDOC_CALENDAR_FILE or the bundled."),
    ] = None,
) -> None:
    """The working days of a year: per month the count, a grid and every named exception."""
    from zoneinfo import ZoneInfo

    from dondoc.config.calendar import load_calendar_overrides
    from dondoc.config.settings import DATA_DIR, get_settings
    from dondoc.engine.deadlines import work_calendar
    from dondoc.reports.calendar_view import render_json, render_text, year_view

    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r}: choose text or json", field="format")
    settings = get_settings()
    if year is None:
        year = dt.datetime.now(ZoneInfo(settings.timezone)).year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            f"--year {year}: choose a year from {FIRST_YEAR} to {LAST_YEAR}", field="year"
        )
    path = calendar_file or settings.calendar_file
    try:
        overrides = load_calendar_overrides(path)
    except ValueError as exc:  # names the file, line and field
        raise InputError(str(exc), field="calendar_file") from None
    # Neighbouring years too: a swap can pay for a day off across New Year.
    view = year_view(year, work_calendar(range(year - 1, year + 2), overrides))
    source = str(path or DATA_DIR / "calendar.yaml")
    render = render_json if fmt == "json" else render_text
    sys.stdout.write(render(view, source))
