"""`dondoc export` and `import`: the whole database to and from one portable JSON dump."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dondoc.cli.common import load_settings, ready_settings


def export_(
    file: Annotated[Path, typer.Argument(help="The dump to write (.json, or .json.gz).")],
) -> None:
    """Write the whole database to one portable JSON dump (SQLite or PostgreSQL)."""
    from dondoc.backup import export_database

    counts = export_database(ready_settings(), file)
    typer.echo(f"exported {sum(counts.values())} rows from {len(counts)} tables to {file}")


def import_(
    file: Annotated[Path, typer.Argument(help="A dump written by `dondoc export`.")],
) -> None:
    """Load a dump into an EMPTY database at the dump's schema revision (one transaction)."""
    from dondoc.backup import import_database

    counts = import_database(load_settings(), file)
    typer.echo(f"imported {sum(counts.values())} rows into {len(counts)} tables from {file}")
