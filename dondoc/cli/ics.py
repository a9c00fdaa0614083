"""`dondoc ics`: calendar feeds (iCalendar) of the deadlines, per agency or per directive, to
import once or to serve for subscription (docs/calendar.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dondoc.cli.common import YearOption, directive_option
from dondoc.errors import InputError


def ics_command(
    agency: Annotated[
        str | None, typer.Option(help="Agency code: the tasks it holds, e.g. 79 or BXD.")
    ] = None,
    directive: Annotated[
        str | None,
        typer.Option(
            help="Directive number/symbol with its year: every agency's tasks, e.g. "
            "24/CT-TTg/2016 (or 24/CT-TTg with --year 2016)."
        ),
    ] = None,
    all_dir: Annotated[
        Path | None,
        typer.Option("--all", help="Write every agency's and directive's feed into this folder."),
    ] = None,
    output: Annotated[
        str, typer.Option("--output", "-o", help="File to write, or - for standard output.")
    ] = "-",
    at: Annotated[
        str | None,
        typer.Option("--at", help="Export as of this ISO-8601 instant (the events' DTSTAMP)."),
    ] = None,
    year: YearOption = None,
) -> None:
    """Calendar feeds: one all-day event per task on its last acceptable day, with alarms."""
    from dondoc.cli.common import parse_at, ready_settings
    from dondoc.context import make_context
    from dondoc.db import engine_for
    from dondoc.output_files import check_output, write_output
    from dondoc.reports.feeds import agency_feed, directive_feed, refresh_feeds

    directive = directive_option(directive, year)
    chosen = [name for name, v in (("--agency", agency), ("--directive", directive),
                                   ("--all", all_dir)) if v is not None]  # fmt: skip
    if len(chosen) != 1:
        raise InputError("choose exactly one of --agency, --directive and --all", field="agency")
    if all_dir is not None and output != "-":
        raise InputError("--all writes one file per feed: drop --output", field="output")
    if output != "-":
        check_output(Path(output), option="--output")  # before any work
    ctx = make_context(ready_settings(), parse_at(at))
    engine = engine_for(ctx.settings)
    if all_dir is not None:
        written = refresh_feeds(engine, ctx, all_dir, option="--all")
        typer.echo(f"wrote {len(written)} feed(s) to {all_dir}")
        return
    if agency is not None:
        data, count = agency_feed(engine, ctx, agency.strip())
    else:
        assert directive is not None
        data, count = directive_feed(engine, ctx, directive)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_output(Path(output), data, option="--output")
    typer.echo(f"wrote {output}: {count} event(s)")
