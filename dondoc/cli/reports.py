"""`dondoc status`, `digest` and `report`: the board, the coordinator's digest, the synthesis."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dondoc.cli.common import (
    AtOption,
    DirectiveOption,
    YearOption,
    directive_option,
    ready_context,
    ready_settings,
)
from dondoc.cli.progress import working
from dondoc.errors import InputError


def status(
    directive: DirectiveOption = None,
    period: Annotated[str | None, typer.Option(help="Period, e.g. 2026.")] = None,
    obligation: Annotated[str | None, typer.Option(help="Obligation code.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    agency: Annotated[
        str | None,
        typer.Option(help="Agency code: the tasks it holds, its own and those it took over."),
    ] = None,
    year: YearOption = None,
) -> None:
    """The compliance board: who is on time, late or silent."""
    from dondoc.db import engine_for, transaction
    from dondoc.reports.board import board_rows
    from dondoc.reports.board_format import render_board

    if fmt not in ("table", "json", "csv"):
        raise InputError(f"--format {fmt!r}: choose table, json or csv", field="format")
    directive = directive_option(directive, year)
    with transaction(engine_for(ready_settings())) as session:
        rows = board_rows(
            session=session,
            directive=directive,
            period=period,
            obligation=obligation,
            agency=agency,
        )
    sys.stdout.write(render_board(rows, fmt))


def digest(at: AtOption = None) -> None:
    """Send the weekly digest of overdue and due-soon tasks to DONDOC_COORDINATOR_CONTACTS."""
    from dondoc.reports.digest import coordinator_targets, send_digest

    ctx = ready_context(at)
    if not coordinator_targets(ctx):
        raise InputError("DONDOC_COORDINATOR_CONTACTS is empty", field="coordinator_contacts")
    failed = 0
    for target, result in send_digest(ctx):
        typer.echo(f"{target}: {'sent' if result.ok else 'failed: ' + str(result.error)}")
        failed += not result.ok
    if failed:
        raise typer.Exit(1)


def report(
    directive: Annotated[
        str,
        typer.Option(
            help="Directive number/symbol with its year, e.g. 24/CT-TTg/2016 (or 24/CT-TTg "
            "with --year 2016); the number alone when only one year of it is loaded."
        ),
    ],
    period: Annotated[str, typer.Option(help="Period, e.g. 2026.")],
    out: Annotated[Path, typer.Option(help="The XLSX workbook to write.")],
    obligation: Annotated[
        str | None, typer.Option(help="One obligation; default: every dated one.")
    ] = None,
    year: YearOption = None,
) -> None:
    """The annual synthesis as an XLSX workbook with Vietnamese headings."""
    from dondoc.service import write_report

    directive = directive_option(directive, year) or ""
    settings = ready_settings()
    with working(f"writing {out}"):
        s = write_report(settings, directive, period, out, obligation=obligation)
    typer.echo(
        f"wrote {out}: {s.total} rows, {s.counts.get('done_on_time', 0)} on time "
        f"({s.on_time_rate:.1%})"
    )
