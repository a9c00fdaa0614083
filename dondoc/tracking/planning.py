"""Make tasks ahead of time, and retime open ones when a deadline rule changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from pydantic import ValidationError
from sqlalchemy import ColumnElement, exists, insert, literal, select, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from dondoc.context import RunContext
from dondoc.db import rows_affected
from dondoc.engine.deadlines import (
    OPEN_STATUSES,
    Period,
    end_of_day_utc,
    last_acceptable_day,
    local_date,
    next_period,
    open_status,
    parse_period,
    period_containing,
    periods_between,
    reminder_window_start,
)
from dondoc.engine.lineage import ownership_day
from dondoc.engine.rules import deadline_rule, recurrence_of, reminder_policy
from dondoc.models import Agency, Assignment, Obligation, Task, UTCDateTime, table_of


def tracked_periods(obligation: Obligation, ctx: RunContext, *, full: bool) -> list[Period]:
    """Periods that should have tasks as of ``ctx.now``: history from the first tracked period
    when ``full``, otherwise only the previous, current and coming ones (cheap daily sweeps)."""
    recurrence = recurrence_of(obligation)
    current = period_containing(local_date(ctx.now, ctx.tz), recurrence)
    if recurrence == "once":
        return [current]
    last = current
    for _ in range(ctx.settings.periods_ahead):
        last = next_period(last)
    first = (
        parse_period(obligation.first_period, recurrence) if obligation.first_period else current
    )
    if not full:
        previous = periods_between(first, current)[-2:-1]
        first = max(first, previous[0]) if previous else first
    return periods_between(first, last) if first <= last else [first]


@dataclass(frozen=True)
class TaskTiming:
    due_day: dt.date | None
    due_at: dt.datetime | None
    remind_from_at: dt.datetime | None
    status: str


def task_timing(obligation: Obligation, period: Period, ctx: RunContext) -> TaskTiming:
    rule = deadline_rule(obligation)
    if rule is None:
        return TaskTiming(None, None, None, "pending")
    due_day = last_acceptable_day(rule, period, ctx.calendar)
    due_at = end_of_day_utc(due_day, ctx.tz)
    policy = reminder_policy(obligation, ctx.settings.send_hour)
    window = reminder_window_start(due_day, policy, ctx.calendar, ctx.tz)
    return TaskTiming(due_day, due_at, window, open_status(due_at, window, ctx.now))


def ensure_tasks(
    *,
    session: Session,
    ctx: RunContext,
    full: bool = False,
    failures: list[ObligationFailure] | None = None,
) -> int:
    """Insert the missing (obligation, agency, period) tasks, set-based; returns rows made.

    A daily sweep (not ``full``) skips the periods up to the obligation's
    ``tasks_made_through``: probing every assigned agency of every tracked period again would
    cost a sweep as much as the live tasks it holds, every day. A ``full`` run (a load, which
    may change assignments, or ``init``) checks every period and sets the mark afresh.

    With ``failures``, an obligation whose tasks cannot be made (its stored rules overflow) is
    rolled back to a savepoint, appended there and skipped; without, the error propagates."""
    created = 0
    active = select(Obligation).where(col(Obligation.active)).order_by(col(Obligation.id))
    for obligation in session.execute(active).scalars().all():
        work = partial(_ensure_one, session, obligation, ctx, full)
        created += isolated(session, obligation, failures, work)
    session.flush()
    return created


def _ensure_one(session: Session, obligation: Obligation, ctx: RunContext, full: bool) -> int:
    created = 0
    periods = tracked_periods(obligation, ctx, full=full)
    made = None if full else made_through(obligation)
    for period in periods:
        if made is None or period > made:
            created += _insert_period_tasks(session, obligation, period, ctx)
    if periods and (made is None or periods[-1] > made):
        obligation.tasks_made_through = periods[-1].label
        session.flush()  # inside the savepoint, so a failure leaves the mark as it was
    return created


@dataclass(frozen=True)
class ObligationFailure:
    obligation_id: int
    error: str


def isolated(
    session: Session,
    obligation: Obligation,
    failures: list[ObligationFailure] | None,
    work: Callable[[], int],
) -> int:
    """``work()`` for one obligation in a savepoint; on an error that is not the database's
    own (a lost connection or a lock fails the whole run), the obligation's writes are undone
    and the error appended to ``failures``. Without ``failures`` it just runs ``work``."""
    if failures is None:
        return work()
    obligation_id = obligation.id
    assert obligation_id is not None
    try:
        with session.begin_nested():
            return work()
    except OperationalError:
        raise
    except Exception as exc:
        failures.append(ObligationFailure(obligation_id, failure_text(exc)))
        return 0


def failure_text(exc: Exception) -> str:
    """One line for a summary or an alert: a stored value the rules refuse, or the error."""
    if isinstance(exc, ValidationError):
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"stored {where}: {first['msg']} (got {first['input']!r})"
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def made_through(obligation: Obligation) -> Period | None:
    """The stored mark as a period; None when unset or no longer of the obligation's kind."""
    if obligation.tasks_made_through is None:
        return None
    try:
        return parse_period(obligation.tasks_made_through, recurrence_of(obligation))
    except ValueError:
        return None


def _insert_period_tasks(
    session: Session, obligation: Obligation, period: Period, ctx: RunContext
) -> int:
    t = task_timing(obligation, period, ctx)
    already = exists().where(
        col(Task.obligation_id) == obligation.id,
        col(Task.origin_agency_id) == col(Assignment.agency_id),
        col(Task.period) == period.label,
    )
    source = select(
        literal(obligation.id).label("obligation_id"),
        col(Assignment.agency_id),
        col(Assignment.agency_id).label("origin_agency_id"),
        literal(period.label).label("period"),
        literal(t.due_day, table_of(Task).c.due_day.type).label("due_day"),
        literal(t.due_at, UTCDateTime()).label("due_at"),
        literal(t.remind_from_at, UTCDateTime()).label("remind_from_at"),
        literal(t.remind_from_at, UTCDateTime()).label("next_stage_at"),
        literal(t.status).label("status"),
        literal(ctx.now, UTCDateTime()).label("created_at"),
        literal(ctx.now, UTCDateTime()).label("updated_at"),
    ).where(col(Assignment.obligation_id) == obligation.id, ~already, _owes(t.due_day, period, ctx))
    columns = [c.name for c in source.selected_columns]
    return rows_affected(session.execute(insert(Task).from_select(columns, source)))


def _owes(due_day: dt.date | None, period: Period, ctx: RunContext) -> ColumnElement[bool]:
    """`dondoc.engine.lineage.owes_task` for the assigned agency, as SQL: it is not dissolved,
    or was dissolved after the day `ownership_day` gives."""
    bound = ownership_day(due_day, local_date(ctx.now, ctx.tz), period.end)
    dissolved = select(col(Agency.id)).where(col(Agency.dissolved_on) <= bound)
    return col(Assignment.agency_id).not_in(dissolved)


def retime_open_tasks(*, session: Session, ctx: RunContext, obligation: Obligation) -> int:
    """After a spec changes a deadline rule, open tasks take the new due dates (closed ones
    keep theirs: they were judged against the rule of their time)."""
    is_open = col(Task.status).in_(OPEN_STATUSES)
    periods = session.execute(
        select(col(Task.period)).where(col(Task.obligation_id) == obligation.id, is_open).distinct()
    ).scalars()
    changed = 0
    for label in list(periods):
        t = task_timing(obligation, parse_period(label, recurrence_of(obligation)), ctx)
        stmt = (
            update(Task)
            .where(
                col(Task.obligation_id) == obligation.id,
                col(Task.period) == label,
                is_open,
                col(Task.due_day).is_distinct_from(t.due_day),
            )
            .values(
                due_day=t.due_day,
                due_at=t.due_at,
                remind_from_at=t.remind_from_at,
                next_stage_at=t.remind_from_at,
                updated_at=ctx.now,
            )
        )
        changed += rows_affected(session.execute(stmt))
    return changed
