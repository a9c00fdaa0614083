"""Record what an agency submitted: closes its task, or withdraws a record to reopen it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlmodel import Session, col

from dondoc.context import RunContext
from dondoc.engine.deadlines import (
    OPEN_STATUSES,
    closing_status,
    local_date,
    open_status,
    parse_period,
)
from dondoc.engine.lineage import owes_task
from dondoc.engine.rules import recurrence_of
from dondoc.errors import ConflictError, InputError, NotFoundError
from dondoc.models import (
    Agency,
    Assignment,
    Event,
    Notification,
    Obligation,
    Submission,
    SubmissionCreate,
    Task,
)
from dondoc.tracking.lookup import find_agency, find_obligation
from dondoc.tracking.planning import task_timing
from dondoc.tracking.submission_bounds import (
    check_line,
    check_note,
    check_received_on,
    check_tracked_period,
)


def find_task(
    session: Session, ctx: RunContext, *, agency: Agency, obligation: Obligation, period: str
) -> Task:
    """The task ``agency`` was assigned for that period (found by its origin, whoever holds it
    now: a successor reports for a dissolved agency under the old code), made on the spot when
    the agency owes it but no sweep has yet (an early report must still be recordable)."""
    try:
        parsed = parse_period(check_line(period, "--period"), recurrence_of(obligation))
    except ValueError as exc:
        raise InputError(str(exc), field="period", value=period) from exc
    task: Task | None = session.execute(
        select(Task).where(
            col(Task.obligation_id) == obligation.id,
            col(Task.origin_agency_id) == agency.id,
            col(Task.period) == parsed.label,
        )
    ).scalar_one_or_none()
    if task is not None:
        return task
    # Only a period the directive tracks gets a task on the spot (never 0001 or 9999).
    check_tracked_period(session, ctx, obligation, parsed)
    bound = session.get(Assignment, (obligation.id, agency.id))
    if bound is None:
        raise NotFoundError(
            f"agency {agency.code!r} is not bound by obligation {obligation.code!r}",
            field="agency",
            value=agency.code,
        )
    timing = task_timing(obligation, parsed, ctx)
    if not owes_task(agency.dissolved_on, timing.due_day, local_date(ctx.now, ctx.tz), parsed.end):
        raise _not_owed(session, agency, parsed.label)
    task = Task(
        obligation_id=obligation.id or 0,
        agency_id=agency.id or 0,
        origin_agency_id=agency.id or 0,
        period=parsed.label,
        due_day=timing.due_day,
        due_at=timing.due_at,
        remind_from_at=timing.remind_from_at,
        next_stage_at=timing.remind_from_at,
        status=timing.status,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    session.add(task)
    session.flush()
    return task


def _not_owed(session: Session, agency: Agency, period: str) -> NotFoundError:
    """A dissolved agency owes no period that fell due after it ceased to exist."""
    assert agency.dissolved_on is not None
    heir = session.get(Agency, agency.successor_id) if agency.successor_id else None
    hint = f": its successor {heir.code!r} owes it (--agency {heir.code})" if heir else ""
    return NotFoundError(
        f"agency {agency.code!r} ({agency.name}) ceased to exist on"
        f" {agency.dissolved_on:%d/%m/%Y} and owes no task for period {period!r}{hint}",
        field="agency",
        value=agency.code,
    )


def record_submission(
    *, session: Session, ctx: RunContext, data: SubmissionCreate, allow_future: bool = False
) -> Task:
    """``allow_future``: accept a received date after ctx.now's local day (rehearsals)."""
    agency = find_agency(session, data.agency)
    obligation = find_obligation(session, data.obligation, data.directive)
    check_received_on(session, ctx, obligation, data.received_on, allow_future=allow_future)
    task = find_task(session, ctx, agency=agency, obligation=obligation, period=data.period)
    if task.status not in OPEN_STATUSES:
        raise ConflictError(
            f"{agency.code} {obligation.code} {task.period} is already closed ({task.status});"
            " withdraw the earlier submission first to correct it",
            field="period",
            value=data.period,
        )
    fields = data.model_dump(exclude={"agency", "obligation", "period", "directive"})
    session.add(Submission(task_id=task.id or 0, recorded_at=ctx.now, **fields))
    _close(session, ctx, task, closing_status(task.due_day, data.received_on), data)
    return task


def _close(
    session: Session, ctx: RunContext, task: Task, status: str, data: SubmissionCreate
) -> None:
    session.add(
        Event(
            at=ctx.now,
            kind="submission",
            task_id=task.id,
            agency_id=task.agency_id,
            old_status=task.status,
            new_status=status,
            actor=data.recorded_by,
            detail=f"{data.document_number}, nhận ngày {data.received_on:%d/%m/%Y}",
        )
    )
    task.status, task.closed_at, task.next_stage_at, task.updated_at = (
        status,
        ctx.now,
        None,
        ctx.now,
    )
    session.add(task)
    # Reminders for a closed task must never go out: queued ones and those a sweeper claimed
    # but has not handed to the channel yet (it re-checks before each message; a row already
    # `delivering` is on its way and is recorded by its sender).
    session.execute(
        update(Notification)
        .where(
            col(Notification.task_id) == task.id,
            col(Notification.status).in_(("queued", "sending")),
        )
        .values(status="cancelled", claim_token=None, claimed_until=None)
    )
    session.flush()


def withdraw_submission(
    *,
    session: Session,
    ctx: RunContext,
    agency: str,
    obligation: str,
    period: str,
    reason: str,
    directive: str | None = None,
    actor: str = "coordinator",
) -> Task:
    """A correction: the submission stays on record as withdrawn and the task reopens."""
    check_note(reason, "--reason")
    found = find_agency(session, agency)
    ob = find_obligation(session, obligation, directive)
    task = find_task(session, ctx, agency=found, obligation=ob, period=period)
    active = (
        session.execute(
            select(Submission).where(
                col(Submission.task_id) == task.id, col(Submission.withdrawn_at).is_(None)
            )
        )
        .scalars()
        .all()
    )
    if not active:
        raise ConflictError(f"{agency} {obligation} {period} has no submission to withdraw")
    for sub in active:
        sub.withdrawn_at, sub.withdrawn_reason = ctx.now, reason
        session.add(sub)
    new = open_status(task.due_at, task.remind_from_at, ctx.now)
    session.add(
        Event(
            at=ctx.now,
            kind="withdrawal",
            task_id=task.id,
            agency_id=task.agency_id,
            old_status=task.status,
            new_status=new,
            actor=actor,
            detail=reason,
        )
    )
    task.status, task.closed_at, task.updated_at = new, None, ctx.now
    task.next_stage_at = ctx.now if task.due_at is not None else None
    session.add(task)
    session.flush()
    return task


def received_on_from(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f"received-on {value!r} is not a real date in YYYY-MM-DD form",
            field="received_on",
            value=value,
        ) from exc
