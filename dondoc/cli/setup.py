"""`dondoc init`, `load` and `contacts import`: the database, directive specs and contacts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dondoc.cli.common import AtOption, context, ready_context, ready_settings, safe_url, warn
from dondoc.cli.progress import working
from dondoc.errors import InputError


def init(
    at: AtOption = None,
    bundled: Annotated[
        bool, typer.Option("--bundled/--no-bundled", help="Load the bundled directives.")
    ] = True,
) -> None:
    """Create or upgrade the database and load the bundled agencies and directives. Safe to
    run again: it never overwrites a directive the coordinator has since changed."""
    from dondoc.service import init as do_init

    ctx = context(at)
    results = do_init(ctx.settings, ctx, bundled=bundled)
    for r in results:
        typer.echo(
            f"loaded {r.directive_ref}: {r.obligations} obligations, {r.tasks_created} tasks"
        )
        warn(r.warnings)
    typer.echo(f"database ready: {safe_url(ctx.settings.database_url)}")


def load(
    file: Annotated[Path, typer.Argument(help="A directive spec (docs/spec-format.md).")],
    at: AtOption = None,
    confirm_history: Annotated[
        bool,
        typer.Option(
            "--confirm-history",
            help="Accept a first_period more than ten years back (a task for every period "
            "since, nearly all overdue).",
        ),
    ] = False,
) -> None:
    """Load or update a directive spec: the document, its obligations and addressees."""
    from dondoc.service import load_spec

    ctx = ready_context(at)
    r = load_spec(ctx.settings, ctx, file, confirm_history=confirm_history)
    typer.echo(
        f"loaded {r.directive_ref}: {r.obligations} obligations, {r.tasks_created} new tasks"
    )
    warn(r.warnings)


def contacts_import(
    file: Annotated[Path, typer.Argument(help="CSV: agency,channel,target[,role,name]")],
    replace: Annotated[
        bool, typer.Option(help="Deactivate the listed agencies' contacts not in the file.")
    ] = False,
) -> None:
    """Import contacts. channel: email, zalo, zns or apprise; role: focal (default) or leader."""
    from dondoc.service import import_contacts_file

    if not file.is_file():
        raise InputError(f"{file}: no such file", field="file")
    settings = ready_settings()
    with working(f"importing contacts from {file}"):
        r = import_contacts_file(settings, file, replace=replace)
    typer.echo(f"contacts: {r.created} new, {r.updated} updated, {r.deactivated} deactivated")
