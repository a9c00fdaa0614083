"""`dondoc import-dispatch`: a dispatch (plain text, .docx or a text-layer .pdf) in, a draft
directive spec out (docs/import-dispatch.md). Registered in dondoc/cli/__init__.py; heavy
imports stay inside the command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def import_dispatch(
    file: Annotated[
        Path,
        typer.Argument(help="The dispatch: UTF-8 text, Word (.docx) or a PDF with a text layer."),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the draft; '-' for standard output. "
            "Default: <number-symbol>.draft.yaml in the working directory.",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="Today, for the first period tracked (ISO-8601; default now)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing draft.")] = False,
) -> None:
    """Read a dispatch (công văn), directive or decision and write a DRAFT directive spec with
    '# REVIEW:' comments wherever the text was not read with confidence."""
    import datetime as dt

    from dondoc.cli.common import load_settings, parse_at
    from dondoc.cli.progress import working
    from dondoc.reading.importing import (
        draft_from_text,
        draft_name,
        read_dispatch_file,
        write_draft,
    )

    settings = load_settings()
    now = parse_at(at) or dt.datetime.now(dt.UTC)
    with working(f"reading {file}"):
        draft = draft_from_text(read_dispatch_file(file), str(file), settings, now)
        target = None if output == "-" else Path(output or draft_name(draft, file.name))
        result = write_draft(draft, source=file, output=target, force=force)
    if result.path is None:
        typer.echo(result.yaml, nl=False)
    # With the draft on standard output, the report goes to standard error.
    to_err = result.path is None
    if result.path is not None:
        typer.echo(f"wrote {result.path} ({len(draft.obligations)} obligations)")
    typer.echo(f"review points: {len(draft.review)}", err=to_err)
    for i, point in enumerate(draft.review, 1):
        typer.echo(f"  {i}. {point}", err=to_err)
    if result.load_error is None:
        typer.echo("the draft loads as written; after review: dondoc load <draft>", err=to_err)
    else:
        problem = f"the draft does not load yet (fill in the REVIEW points): {result.load_error}"
        typer.echo(problem, err=to_err)
