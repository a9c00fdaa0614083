"""`dondoc export` and `import`: the whole database to and from one portable JSON dump."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dondoc.cli.common import load_settings, ready_settings
from dondoc.cli.progress import working


def export_(
    file: Annotated[Path, typer.Argument(help="The dump to write (.json, or .json.gz).")],
) -> None:
    """Write the whole database to one portable JSON dump (SQLite or PostgreSQL)."""
    from dondoc.backup import export_database

    settings = ready_settings()
    with working(f"exporting the database to {file}"):
        counts = export_database(settings, file)
    typer.echo(f"exported {sum(counts.values())} rows from {len(counts)} tables to {file}")


def import_(
    file: Annotated[Path, typer.Argument(help="A dump written by `dondoc export`.")],
) -> None:
    """Load a dump into an EMPTY database at the dump's schema revision (one transaction)."""
    from dondoc.backup import import_database

    settings = load_settings()
    with working(f"importing {file}"):
        counts = import_database(settings, file)
    typer.echo(f"imported {sum(counts.values())} rows into {len(counts)} tables from {file}")
