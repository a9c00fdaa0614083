"""What a recorded submission may say: a received date between the directive's issue and today,
a period inside the range the directive tracks, and text free of control characters.

The CLI, the record-submission flow and `dondoc withdraw` all go through these checks (from
dondoc.tracking.submissions), so a report for period 0001 or 9999 never makes a task the
sweep would not.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from dondoc.context import RunContext
from dondoc.engine.deadlines import Period, local_date, next_period, parse_period, period_containing
from dondoc.engine.rules import recurrence_of
from dondoc.errors import InputError
from dondoc.models import Document, Obligation
from dondoc.models.text import control_problem


def check_line(value: str, option: str) -> str:
    """A code, a period or a number typed by the user: one line, no control character."""
    problem = control_problem(value)
    if problem:
        raise InputError(f"{option} {value!r}: {problem}", field=option.lstrip("-"), value=value)
    return value


def check_note(value: str, option: str) -> str:
    """Free text (a note, a reason): line breaks and tabs allowed, no other control character."""
    problem = control_problem(value, multiline=True)
    if problem:
        raise InputError(f"{option}: {problem}", field=option.lstrip("-"), value=value)
    return value


def _directive(session: Session, obligation: Obligation) -> Document:
    document = session.get(Document, obligation.directive_id)
    assert document is not None  # a foreign key
    return document


def check_received_on(
    session: Session,
    ctx: RunContext,
    obligation: Obligation,
    received_on: dt.date,
    *,
    allow_future: bool,
) -> None:
    """Refuse a report received after today (local) or before its directive was issued."""
    today = local_date(ctx.now, ctx.tz)
    if received_on > today and not allow_future:
        raise InputError(
            f"--received-on {received_on.isoformat()} is after today ({today.isoformat()}): a "
            "report cannot be received in the future (--allow-future accepts it, for rehearsals "
            "with --at)",
            field="received_on",
            value=received_on,
        )
    directive = _directive(session, obligation)
    if received_on < directive.issued_on:
        raise InputError(
            f"--received-on {received_on.isoformat()} is before directive {directive.number} "
            f"was issued ({directive.issued_on.isoformat()})",
            field="received_on",
            value=received_on,
        )


def tracked_range(
    session: Session, ctx: RunContext, obligation: Obligation
) -> tuple[Period, Period]:
    """The first and last period the obligation has tasks for as of ``ctx.now``: from its
    ``first_period`` (or the period its directive was issued in) to the current period plus
    DONDOC_PERIODS_AHEAD, as dondoc.tracking.planning.tracked_periods makes them."""
    recurrence = recurrence_of(obligation)
    if obligation.first_period:
        first = parse_period(obligation.first_period, recurrence)
    else:
        first = period_containing(_directive(session, obligation).issued_on, recurrence)
    last = period_containing(local_date(ctx.now, ctx.tz), recurrence)
    if recurrence != "once":
        for _ in range(ctx.settings.periods_ahead):
            last = next_period(last)
    return first, max(first, last)


def check_tracked_period(
    session: Session, ctx: RunContext, obligation: Obligation, period: Period
) -> None:
    first, last = tracked_range(session, ctx, obligation)
    if not first <= period <= last:
        raise InputError(
            f"--period {period.label} is outside the periods tracked for {obligation.code} "
            f"({first.label} to {last.label})",
            field="period",
            value=period.label,
        )
