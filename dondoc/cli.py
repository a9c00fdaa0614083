"""The `dondoc` command (PRODUCT.md §7). Imports are local to each command so that quick
commands such as `status` start fast."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from dondoc import cli_calendar, cli_dispatch, cli_history, cli_ics
from dondoc.errors import DondocError, InputError

app = typer.Typer(
    help="dondoc: track, remind and close the obligations that government directives assign.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
contacts_app = typer.Typer(help="Manage agencies' contacts.", no_args_is_help=True)
app.add_typer(contacts_app, name="contacts")

AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="Act as of this ISO-8601 instant (e.g. 2026-11-25T08:30+07:00). Without an offset "
        "it is local time; a bare date means that day at the send hour.",
    ),
]


def _settings() -> Any:
    from dondoc.config.settings import get_settings

    return get_settings()


def parse_at(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    from zoneinfo import ZoneInfo

    settings = _settings()
    tz = ZoneInfo(settings.timezone)
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time(settings.send_hour), tzinfo=tz)
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--at {value!r} is not an ISO-8601 date or time", field="at") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _context(at: str | None = None) -> Any:
    from dondoc.context import make_context

    return make_context(_settings(), parse_at(at))


def ready_settings() -> Any:
    """The settings, once the database is known to exist: every command but `init` and
    `import` refuses an uninitialised database (and creates nothing) with "run dondoc init"."""
    from dondoc.db import require_schema

    settings = _settings()
    require_schema(settings.database_url)
    return settings


def _ready_context(at: str | None = None) -> Any:
    from dondoc.context import make_context

    return make_context(ready_settings(), parse_at(at))


def _use_prefect() -> bool:
    """Tracked flow runs only when a Prefect API is configured: never start a temporary one."""
    return bool(os.environ.get("PREFECT_API_URL"))


@app.command()
def init(
    at: AtOption = None,
    bundled: Annotated[
        bool, typer.Option("--bundled/--no-bundled", help="Load the bundled directives.")
    ] = True,
) -> None:
    """Create or upgrade the database and load the bundled agencies and directives. Safe to
    run again: it never overwrites a directive the coordinator has since changed."""
    from dondoc.service import init as do_init

    ctx = _context(at)
    results = do_init(ctx.settings, ctx, bundled=bundled)
    for r in results:
        typer.echo(f"loaded {r.directive}: {r.obligations} obligations, {r.tasks_created} tasks")
        _warn(r.warnings)
    typer.echo(f"database ready: {_safe_url(ctx.settings.database_url)}")


@app.command()
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

    ctx = _ready_context(at)
    r = load_spec(ctx.settings, ctx, file, confirm_history=confirm_history)
    typer.echo(f"loaded {r.directive}: {r.obligations} obligations, {r.tasks_created} new tasks")
    _warn(r.warnings)


def _warn(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


@contacts_app.command("import")
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
    r = import_contacts_file(ready_settings(), file, replace=replace)
    typer.echo(f"contacts: {r.created} new, {r.updated} updated, {r.deactivated} deactivated")


@app.command()
def sweep(
    at: AtOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be sent; change nothing.")
    ] = False,
) -> None:
    """One reminder sweep: make coming tasks, update statuses, send what is due, summarise."""
    ctx = _ready_context(at)
    if dry_run:
        from dondoc.service import engine_for
        from dondoc.sweep import preview

        planned = preview(engine_for(ctx.settings), ctx)
        for p in planned:
            typer.echo(
                f"{p.agency}\t{p.obligation} {p.period}\t{p.stage}\t{p.channel}:{p.recipient}"
            )
        typer.echo(f"would send {len(planned)} reminder(s); nothing was changed")
        return
    if _use_prefect():
        from dondoc.flows.sweep import sweep_flow

        summary: dict[str, Any] = sweep_flow(at=ctx.now)
    else:
        from dondoc.service import engine_for
        from dondoc.sweep import run_sweep

        summary = run_sweep(engine_for(ctx.settings), ctx).as_dict()
    _print_summary(summary)


def _print_summary(summary: dict[str, Any]) -> None:
    delivery = summary["delivery"]
    typer.echo(f"sweep as of {summary['at']}")
    typer.echo(f"  tasks created: {summary['tasks_created']}")
    if summary.get("tasks_transferred"):
        typer.echo(f"  tasks transferred to successors: {summary['tasks_transferred']}")
    changes = ", ".join(f"{k}: {v}" for k, v in summary["status_changes"].items()) or "none"
    typer.echo(f"  status changes: {changes}")
    for skipped in summary.get("isolated") or []:  # the coordinator was alerted too
        typer.echo(
            f"  obligation skipped: {skipped['directive']} {skipped['obligation']}: "
            f"{skipped['error']}"
        )
    if summary.get("feeds"):
        typer.echo(f"  calendar feeds refreshed: {summary['feeds']}")
    if not summary["send_window"]:
        typer.echo("  not a working-day send time: nothing sent")
        return
    typer.echo(f"  reminders queued: {summary['queued']}")
    typer.echo(
        f"  messages: {delivery['messages']} (rows sent {delivery['sent']}, "
        f"retrying {delivery['failed']}, given up {delivery['given_up']}, "
        f"cancelled {delivery['cancelled']})"
    )


@app.command()
def submit(
    agency: Annotated[
        str,
        typer.Option(
            help="Code of the agency the task was assigned to, e.g. 01 or BXD; for a task "
            "taken over from a dissolved province, that province's code (02 Hà Giang, now "
            "held by 08 Tuyên Quang).",
        ),
    ],
    obligation: Annotated[str, typer.Option(help="Obligation code, e.g. annual-report.")],
    period: Annotated[str, typer.Option(help="Period, e.g. 2026, 2026-Q1, 2026-05, once.")],
    document: Annotated[str, typer.Option(help='The report\'s number/symbol, "SỐ/KÝ-HIỆU".')],
    received_on: Annotated[str, typer.Option(help="Date received, YYYY-MM-DD.")],
    note: Annotated[str | None, typer.Option(help="Free text.")] = None,
    directive: Annotated[str | None, typer.Option(help="Directive number if ambiguous.")] = None,
    at: AtOption = None,
    allow_future: Annotated[
        bool,
        typer.Option(
            "--allow-future",
            help="Accept a --received-on after today (or after --at): for rehearsals only.",
        ),
    ] = False,
) -> None:
    """Record a submission and close the task (on time or late)."""
    from pydantic import ValidationError

    from dondoc.actors import local_actor
    from dondoc.models import SubmissionCreate
    from dondoc.models.text import first_problem
    from dondoc.submissions import received_on_from

    if not document.strip():
        raise InputError("--document must not be empty", field="document")
    try:
        data = SubmissionCreate(
            agency=agency,
            obligation=obligation,
            period=period,
            directive=directive,
            document_number=document.strip(),
            received_on=received_on_from(received_on),
            note=note,
            recorded_by=local_actor(),
        )
    except ValidationError as exc:
        raise InputError(first_problem(exc, SUBMIT_OPTIONS), field="submission") from None
    ctx = _ready_context(at)
    if _use_prefect():
        from dondoc.flows.submission import record_submission_flow

        out = record_submission_flow(**_flow_params(data), allow_future=allow_future)
        status = str(out["status"])
    else:
        from dondoc.service import submit as do_submit

        status = do_submit(ctx.settings, ctx, data, allow_future=allow_future).status
    typer.echo(f"recorded {document} for {agency} {obligation} {period}: {status}")


SUBMIT_OPTIONS = {
    "agency": "--agency",
    "obligation": "--obligation",
    "period": "--period",
    "directive": "--directive",
    "document_number": "--document",
    "received_on": "--received-on",
    "note": "--note",
}


def _flow_params(data: Any) -> dict[str, Any]:
    return {
        "agency": data.agency,
        "obligation": data.obligation,
        "period": data.period,
        "document": data.document_number,
        "received_on": data.received_on,
        "note": data.note,
        "directive": data.directive,
    }


@app.command()
def withdraw(
    agency: Annotated[str, typer.Option(help="Agency code.")],
    obligation: Annotated[str, typer.Option(help="Obligation code.")],
    period: Annotated[str, typer.Option(help="Period.")],
    reason: Annotated[str, typer.Option(help="Why the record is withdrawn.")],
    directive: Annotated[str | None, typer.Option(help="Directive number if ambiguous.")] = None,
    at: AtOption = None,
) -> None:
    """Withdraw a recorded submission (a correction) and reopen the task; both stay audited."""
    from dondoc.db import transaction
    from dondoc.service import engine_for
    from dondoc.submissions import withdraw_submission

    ctx = _ready_context(at)
    with transaction(engine_for(ctx.settings)) as session:
        task = withdraw_submission(
            session=session,
            ctx=ctx,
            agency=agency,
            obligation=obligation,
            period=period,
            reason=reason,
            directive=directive,
        )
    typer.echo(f"withdrawn: {agency} {obligation} {period} is {task.status} again")


@app.command()
def status(
    directive: Annotated[str | None, typer.Option(help="Directive number, e.g. 24/CT-TTg.")] = None,
    period: Annotated[str | None, typer.Option(help="Period, e.g. 2026.")] = None,
    obligation: Annotated[str | None, typer.Option(help="Obligation code.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    agency: Annotated[
        str | None,
        typer.Option(help="Agency code: the tasks it holds, its own and those it took over."),
    ] = None,
) -> None:
    """The compliance board: who is on time, late or silent."""
    from dondoc.board import board_rows
    from dondoc.board_format import render_board
    from dondoc.db import transaction
    from dondoc.service import engine_for

    if fmt not in ("table", "json", "csv"):
        raise InputError(f"--format {fmt!r}: choose table, json or csv", field="format")
    with transaction(engine_for(ready_settings())) as session:
        rows = board_rows(
            session=session,
            directive=directive,
            period=period,
            obligation=obligation,
            agency=agency,
        )
    sys.stdout.write(render_board(rows, fmt))


@app.command()
def serve() -> None:
    """Serve every deployment with its schedule against the Prefect API (PREFECT_API_URL)."""
    if not _use_prefect():
        raise InputError("PREFECT_API_URL is not set: start a Prefect server or use `dondoc up`")
    from dondoc.flows.deployments import serve_all

    serve_all()


@app.command("run")
def run_deployment(
    deployment: Annotated[str, typer.Argument(help="Deployment name, e.g. record-submission.")],
    param: Annotated[
        list[str] | None, typer.Option("-p", "--param", help="key=value, repeatable.")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the run to finish.")] = 300,
) -> None:
    """Run a served deployment on the Prefect server (PREFECT_API_URL) and wait for it."""
    if not _use_prefect():
        raise InputError("PREFECT_API_URL is not set: `dondoc run` needs the Prefect server")
    from dondoc.remote import run

    name, state = run(deployment, param or [], timeout=timeout, tags=["dondoc", "cli"])
    typer.echo(f"{name}: {state}")
    if state != "Completed":
        raise typer.Exit(1)


@app.command()
def digest(at: AtOption = None) -> None:
    """Send the weekly digest of overdue and due-soon tasks to DONDOC_COORDINATOR_CONTACTS."""
    from dondoc.digest import coordinator_targets, send_digest

    ctx = _ready_context(at)
    if not coordinator_targets(ctx):
        raise InputError("DONDOC_COORDINATOR_CONTACTS is empty", field="coordinator_contacts")
    failed = 0
    for target, result in send_digest(ctx):
        typer.echo(f"{target}: {'sent' if result.ok else 'failed: ' + str(result.error)}")
        failed += not result.ok
    if failed:
        raise typer.Exit(1)


@app.command()
def report(
    directive: Annotated[str, typer.Option(help="Directive number, e.g. 24/CT-TTg.")],
    period: Annotated[str, typer.Option(help="Period, e.g. 2026.")],
    out: Annotated[Path, typer.Option(help="The XLSX workbook to write.")],
    obligation: Annotated[
        str | None, typer.Option(help="One obligation; default: every dated one.")
    ] = None,
) -> None:
    """The annual synthesis as an XLSX workbook with Vietnamese headings."""
    from dondoc.synthesis import write_report

    s = write_report(ready_settings(), directive, period, out, obligation=obligation)
    typer.echo(
        f"wrote {out}: {s.total} rows, {s.counts.get('done_on_time', 0)} on time "
        f"({s.on_time_rate:.1%})"
    )


@app.command("export")
def export_(
    file: Annotated[Path, typer.Argument(help="The dump to write (.json, or .json.gz).")],
) -> None:
    """Write the whole database to one portable JSON dump (SQLite or PostgreSQL)."""
    from dondoc.backup import export_database

    counts = export_database(ready_settings(), file)
    typer.echo(f"exported {sum(counts.values())} rows from {len(counts)} tables to {file}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A dump written by `dondoc export`.")],
) -> None:
    """Load a dump into an EMPTY database at the dump's schema revision (one transaction)."""
    from dondoc.backup import import_database

    counts = import_database(_settings(), file)
    typer.echo(f"imported {sum(counts.values())} rows into {len(counts)} tables from {file}")


@app.command()
def up(
    host: Annotated[str, typer.Option(help="Address the dashboard listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Dashboard and API port.")] = 4200,
    insecure: Annotated[
        bool,
        typer.Option(
            "--insecure",
            help="Serve beyond loopback without PREFECT_SERVER_API_AUTH_STRING (not advised).",
        ),
    ] = False,
) -> None:
    """The main job: start a local Prefect server (dashboard) and `dondoc serve`. Beyond
    loopback it needs PREFECT_SERVER_API_AUTH_STRING=user:password (basic auth)."""
    from dondoc.platform import check_exposure, run_main_job

    warning = check_exposure(host, insecure=insecure, env=os.environ)
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    raise typer.Exit(run_main_job(host, port))


app.command("calendar")(cli_calendar.calendar_command)
app.command("ics")(cli_ics.ics_command)
app.command("history")(cli_history.history_command)
app.command("import-dispatch")(cli_dispatch.import_dispatch)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    try:
        app()
    except Exception as exc:
        from dondoc.cli_errors import user_message

        message = user_message(exc)
        if message is None:
            raise
        typer.echo(f"error: {message}", err=True)
        sys.exit(exc.exit_code if isinstance(exc, DondocError) else 2)


if __name__ == "__main__":
    main()
