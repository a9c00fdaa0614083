"""`dondoc history`: the audit trail of an agency's tasks (its own and those it took over)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dondoc.cli.common import DirectiveOption, YearOption, directive_option
from dondoc.errors import InputError


def history_command(
    agency: Annotated[
        str,
        typer.Option(help="Agency code: the tasks it holds now or was assigned, e.g. 08 or 02."),
    ],
    obligation: Annotated[str | None, typer.Option(help="Obligation code.")] = None,
    period: Annotated[str | None, typer.Option(help="Period, e.g. 2024.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    directive: DirectiveOption = None,
    year: YearOption = None,
) -> None:
    """Each matching task's audit trail: status changes, transfers to a successor, submissions
    and messages sent (recipients masked), in local time with the agency of the time."""
    from dondoc.config.settings import get_settings
    from dondoc.db import engine_for, require_schema, transaction
    from dondoc.reports.history import render_history, task_histories

    if fmt not in ("table", "json"):
        raise InputError(f"--format {fmt!r}: choose table or json", field="format")
    named = directive_option(directive, year)
    settings = get_settings()
    require_schema(settings.database_url)
    with transaction(engine_for(settings)) as session:
        found = task_histories(
            session,
            agency=agency,
            tz=settings.timezone,
            obligation=obligation,
            period=period,
            directive=named,
        )
    sys.stdout.write(render_history(found, fmt))
