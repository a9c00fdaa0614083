"""The synthetic data as a short list of plan rows: one per (obligation, period), each spread
over the first ``agency_limit`` agencies in SQL. Timings come from dondoc's own functions.

Live part (active monthly obligations, sized by the due count): for each agency, the previous
period (closed, one in five still overdue), the current period (open, a reminder stage due: the
rows the sweep must act on) and the next one (pending). History part (inactive obligations of
finished directives, 2019-2025, filling up to the task count): closed, one in a hundred still
overdue. Open rows that are not due carry a ``next_stage_at`` after ``NOW``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from bench.shape import NOW, PREVIOUS_SWEEP, Shape
from dondoc.context import RunContext
from dondoc.engine.deadlines import ReminderPolicy, next_stage_after, stage_due
from dondoc.engine.periods import Period, parse_period
from dondoc.engine.rules import reminder_policy
from dondoc.models import Obligation
from dondoc.tracking.planning import task_timing

# Current-period deadlines whose stage (before-1, before-3, overdue-1) fell due since the
# previous sweep; with 23, one due task in five also turns overdue today.
LIVE_DAYS = (26, 27, 26, 27, 23)
LIVE_PERIODS = ("2026-10", "2026-11", "2026-12")
HISTORY_YEARS = range(2019, 2026)
HISTORY_DAY = 20


@dataclass(frozen=True)
class PlanRow:
    seq: int
    obligation_id: int
    period: str
    due_day: dt.date | None
    due_at: dt.datetime | None
    remind_from_at: dt.datetime | None
    agency_limit: int
    open_mod: int  # agencies whose id is a multiple of this hold the task open
    open_status: str
    open_next: dt.datetime | None
    closed_status: str
    closed_at: dt.datetime | None


def live_obligation(i: int) -> Obligation:
    return _monthly(f"live-{i:03d}", LIVE_DAYS[i % len(LIVE_DAYS)], "2026-01", active=True)


def history_obligation(i: int) -> Obligation:
    year = HISTORY_YEARS[i % len(HISTORY_YEARS)]
    return _monthly(f"hist-{i:04d}", HISTORY_DAY, f"{year}-01", active=False)


def _monthly(code: str, day: int, first: str, *, active: bool) -> Obligation:
    return Obligation(
        code=code,
        kind="report",
        title=f"Báo cáo định kỳ {code}",
        phrase=f"chậm nhất ngày {day} hằng tháng",
        recurrence="monthly",
        first_period=first,
        directive_id=0,
        has_deadline=True,
        deadline_day=day,
        deadline_inclusive=True,
        active=active,
    )


def live_agency_counts(shape: Shape) -> list[int]:
    """Agencies bound by each live obligation: together exactly ``shape.due`` current tasks."""
    full, rest = divmod(shape.due, shape.agencies)
    return [shape.agencies] * full + ([rest] if rest else [])


def history_count(shape: Shape) -> int:
    return shape.tasks - 3 * shape.due


def history_obligation_count(shape: Shape) -> int:
    return math.ceil(history_count(shape) / (12 * shape.agencies))


def live_rows(obligation: Obligation, agencies: int, ctx: RunContext, seq: int) -> list[PlanRow]:
    before, current, after = (parse_period(label, "monthly") for label in LIVE_PERIODS)
    stage = _stage_due_now(obligation, current, ctx)
    return [
        _row(seq, obligation, before, agencies, 5, _next_stage(obligation, before, ctx), ctx),
        _row(seq + 1, obligation, current, agencies, 1, stage, ctx),
        _row(seq + 2, obligation, after, agencies, 1, _next_stage(obligation, after, ctx), ctx),
    ]


def history_rows(
    obligation: Obligation, left: int, agencies: int, ctx: RunContext, seq: int
) -> list[PlanRow]:
    """Up to twelve monthly rows of one history obligation, ``left`` tasks at most in all."""
    assert obligation.first_period is not None
    year = parse_period(obligation.first_period, "monthly").year
    rows: list[PlanRow] = []
    for month in range(1, 13):
        count = min(agencies, left - sum(r.agency_limit for r in rows))
        if count <= 0:
            break
        period = Period("monthly", year, month)
        status = "done_late" if month % 6 == 0 else "done_on_time"
        nxt = _next_stage(obligation, period, ctx)
        rows.append(_row(seq + month - 1, obligation, period, count, 100, nxt, ctx, status))
    return rows


def _row(
    seq: int,
    obligation: Obligation,
    period: Period,
    agencies: int,
    open_mod: int,
    open_next: dt.datetime,
    ctx: RunContext,
    closed_status: str = "done_on_time",
) -> PlanRow:
    assert obligation.id is not None
    timing = task_timing(obligation, period, _as_of(ctx, PREVIOUS_SWEEP))
    assert timing.due_at is not None
    late = closed_status == "done_late"
    closed_at = timing.due_at + dt.timedelta(days=3 if late else -2)
    return PlanRow(
        seq,
        obligation.id,
        period.label,
        timing.due_day,
        timing.due_at,
        timing.remind_from_at,
        agencies,
        open_mod,
        timing.status,
        open_next,
        closed_status,
        closed_at,
    )


def _stage_due_now(obligation: Obligation, period: Period, ctx: RunContext) -> dt.datetime:
    due_day, policy = _timing_args(obligation, period, ctx)
    stage = stage_due(due_day, policy, ctx.calendar, ctx.tz, ctx.now)
    if stage is None:
        raise AssertionError(f"{obligation.code} {period.label}: no stage due at {ctx.now}")
    return stage.send_at


def _next_stage(obligation: Obligation, period: Period, ctx: RunContext) -> dt.datetime:
    due_day, policy = _timing_args(obligation, period, ctx)
    stage = next_stage_after(due_day, policy, ctx.calendar, ctx.tz, ctx.now)
    assert stage is not None and stage.send_at > NOW
    return stage.send_at


def _timing_args(
    obligation: Obligation, period: Period, ctx: RunContext
) -> tuple[dt.date, ReminderPolicy]:
    due_day = task_timing(obligation, period, ctx).due_day
    assert due_day is not None
    return due_day, reminder_policy(obligation, ctx.settings.send_hour)


def _as_of(ctx: RunContext, at: dt.datetime) -> RunContext:
    return replace(ctx, now=at.astimezone(dt.UTC))
