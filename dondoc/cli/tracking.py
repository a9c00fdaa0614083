"""`dondoc sweep`, `submit` and `withdraw`: the sweep, and the records that close or reopen
a task."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Annotated, Any

import typer

from dondoc.cli.common import (
    AtOption,
    DirectiveOption,
    YearOption,
    directive_option,
    ready_context,
    tracked,
)
from dondoc.cli.progress import Counter, counting
from dondoc.errors import InputError


def sweep(
    at: AtOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be sent; change nothing.")
    ] = False,
) -> None:
    """One reminder sweep: make coming tasks, update statuses, send what is due, summarise."""
    ctx = ready_context(at)
    if dry_run:
        from dondoc.db import engine_for
        from dondoc.tracking.sweep import preview

        planned = preview(engine_for(ctx.settings), ctx)
        for p in planned:
            typer.echo(
                f"{p.agency}\t{p.obligation} {p.period}\t{p.stage}\t{p.channel}:{p.recipient}"
            )
        typer.echo(f"would send {len(planned)} reminder(s); nothing was changed")
        return
    on_prefect = tracked(ctx.settings)  # before the progress bar: a server down says so at once
    with counting("sweeping", "sending reminders") as count:
        summary = _run_sweep(ctx, count, on_prefect)
    _print_summary(summary, ctx.settings.timezone)


def _run_sweep(ctx: Any, count: Counter | None, on_prefect: bool) -> dict[str, Any]:
    """The sweep, as a tracked flow run when ``on_prefect``; ``count`` (a terminal's progress
    bar) is told of each message delivered."""
    from dondoc.tracking.delivery import reporting_progress

    with reporting_progress(count) if count else contextlib.nullcontext():
        if on_prefect:
            from dondoc.flows.sweep import sweep_flow

            return dict(sweep_flow(at=ctx.now))
        from dondoc.db import engine_for
        from dondoc.tracking.sweep import run_sweep

        return run_sweep(engine_for(ctx.settings), ctx).as_dict()


def local_moment(iso: str, timezone: str) -> str:
    """An instant of a summary in the configured time zone: 27/11/2026 08:00 (Asia/Ho_Chi_Minh)."""
    from zoneinfo import ZoneInfo

    at = dt.datetime.fromisoformat(iso).astimezone(ZoneInfo(timezone))
    return f"{at:%d/%m/%Y %H:%M} ({timezone})"


def _print_summary(summary: dict[str, Any], timezone: str) -> None:
    delivery = summary["delivery"]
    typer.echo(f"sweep as of {local_moment(str(summary['at']), timezone)}")
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
    received_on: Annotated[
        str, typer.Option(help="Date received: dd/mm/yyyy (27/11/2026) or YYYY-MM-DD.")
    ],
    note: Annotated[str | None, typer.Option(help="Free text.")] = None,
    directive: DirectiveOption = None,
    at: AtOption = None,
    allow_future: Annotated[
        bool,
        typer.Option(
            "--allow-future",
            help="Accept a --received-on after today (or after --at): for rehearsals only.",
        ),
    ] = False,
    year: YearOption = None,
) -> None:
    """Record a submission and close the task (on time or late). A refusal is printed in
    Vietnamese, as the web board words it, then in English."""
    from dondoc.errors import DondocError

    try:
        named = directive_option(directive, year)
        status = _record(at, agency, obligation, period, document, received_on, note, named,
                         allow_future)  # fmt: skip
    except DondocError as exc:
        typer.echo(f"lỗi: {_refusal(exc, at)}", err=True)
        raise typer.Exit(exc.exit_code) from None
    typer.echo(f"recorded {document} for {agency} {obligation} {period}: {status}")


def _record(
    at: str | None,
    agency: str,
    obligation: str,
    period: str,
    document: str,
    received_on: str,
    note: str | None,
    directive: str | None,
    allow_future: bool,
) -> str:
    """The new status of the task, or a DondocError; the database is unchanged on error."""
    from pydantic import ValidationError

    from dondoc.actors import local_actor
    from dondoc.models import SubmissionCreate
    from dondoc.models.text import first_problem
    from dondoc.tracking.refusals import parse_day

    if not document.strip():
        raise InputError("--document must not be empty", field="document", value=document)
    try:
        data = SubmissionCreate(
            agency=agency,
            obligation=obligation,
            period=period,
            directive=directive,
            document_number=document.strip(),
            received_on=parse_day(received_on),
            note=note,
            recorded_by=local_actor(),
        )
    except ValidationError as exc:
        raise InputError(first_problem(exc, SUBMIT_OPTIONS), field="submission") from None
    ctx = ready_context(at)
    if tracked(ctx.settings):
        from dondoc.flows.submission import record_submission_flow

        out = record_submission_flow(**_flow_params(data), allow_future=allow_future)
        return str(out["status"])
    from dondoc.service import submit as do_submit

    return str(do_submit(ctx.settings, ctx, data, allow_future=allow_future).status)


def _refusal(exc: Any, at: str | None) -> str:
    """The Vietnamese refusal naming the value, then the English one in brackets."""
    from dondoc.cli.common import context
    from dondoc.engine.deadlines import local_date
    from dondoc.tracking.refusals import CLI_CONFIRM, message_vi

    received = exc.value if isinstance(exc.value, dt.date) else None
    today = received or dt.date.today()  # only a refused received date needs the real today
    if received is not None:
        ctx = context(at)  # --at was read already: the refusal came after it
        today = local_date(ctx.now, ctx.tz)
    said = message_vi(exc, received, today, confirm_hint=CLI_CONFIRM)
    english = str(exc)
    if said == english:
        said = "Không ghi nhận được báo cáo."
    return f"{said} ({english})"


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
        "note": data.note or "",
        "directive": data.directive or "",
    }


def withdraw(
    agency: Annotated[str, typer.Option(help="Agency code.")],
    obligation: Annotated[str, typer.Option(help="Obligation code.")],
    period: Annotated[str, typer.Option(help="Period.")],
    reason: Annotated[str, typer.Option(help="Why the record is withdrawn.")],
    directive: DirectiveOption = None,
    at: AtOption = None,
    year: YearOption = None,
) -> None:
    """Withdraw a recorded submission (a correction) and reopen the task; both stay audited."""
    from dondoc.actors import local_actor

    directive = directive_option(directive, year)
    ctx = ready_context(at)
    if tracked(ctx.settings):
        from dondoc.flows.board_actions import withdraw_tracked

        status = withdraw_tracked(
            ctx.settings,
            agency=agency,
            obligation=obligation,
            period=period,
            directive=directive,
            reason=reason,
            actor=local_actor(),
            source="cli",
            at=ctx.now,
        ).status
    else:
        from dondoc.service import withdraw as do_withdraw

        status = do_withdraw(
            ctx.settings,
            ctx,
            agency=agency,
            obligation=obligation,
            period=period,
            directive=directive,
            reason=reason,
            actor=local_actor(),
        ).status
    typer.echo(f"withdrawn: {agency} {obligation} {period} is {status} again")
