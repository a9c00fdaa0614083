"""Checks of a spec against today: a deadline that leaves the sender no working day after the
data cut-off (Decree 09/2019/NĐ-CP, Art. 12) is a warning; a ``first_period`` more than
`HISTORY_YEARS` back needs the coordinator's confirmation, and one more than that ahead is
refused.

The cut-off dates depend on the calendar, so they are checked for one period: the first one
tracked from today (the current period, or ``first_period`` when it is later)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dondoc.config.spec import DirectiveSpec, ObligationSpec
from dondoc.config.spec_loader import raise_for_spec, spec_location
from dondoc.engine.cutoff import (
    CutoffRule,
    cutoff_end,
    cutoff_rule,
    cutoff_window,
    earliest_fair_deadline,
    window_vi,
)
from dondoc.engine.deadlines import WorkCalendar, last_acceptable_day
from dondoc.engine.periods import (
    Period,
    parse_period,
    period_containing,
    period_label_vi,
    periods_between,
)

__all__ = ["HISTORY_YEARS", "check_first_periods", "cutoff_problem", "cutoff_warnings"]

HISTORY_YEARS = 10


def _period(ob: ObligationSpec, today: dt.date) -> Period:
    current = period_containing(today, ob.recurrence)
    first = parse_period(ob.first_period, ob.recurrence) if ob.first_period else current
    return max(first, current)


def cutoff_problem(
    ob: ObligationSpec, rule: CutoffRule, period: Period, cal: WorkCalendar
) -> str | None:
    """Why the period's deadline is too early for its cut-off, in formal Vietnamese; or None."""
    if ob.deadline is None:
        return None
    due = last_acceptable_day(ob.deadline, period, cal)
    fair = earliest_fair_deadline(rule, period, cal)
    if due >= fair:
        return None
    end = cutoff_end(rule, period)
    where = "trước" if due < end else ("trùng" if due == end else "chưa đủ một ngày làm việc sau")
    return (
        f"hạn nộp báo cáo {period_label_vi(period.label)} là {due:%d/%m/%Y}, {where} ngày "
        f"kết thúc kỳ số liệu {end:%d/%m/%Y} (kỳ số liệu {window_vi(cutoff_window(rule, period))}"
        "); theo Nghị định số 09/2019/NĐ-CP, Điều 12, cơ quan báo cáo cần ít nhất một ngày "
        f"làm việc sau thời điểm chốt số liệu, tức là hạn nộp không sớm hơn {fair:%d/%m/%Y}"
    )


def _field(i: int) -> str:
    return f"obligations[{i}].cutoff"


def cutoff_warnings(
    spec: DirectiveSpec, path: Path | None, cal: WorkCalendar, today: dt.date
) -> list[str]:
    """One ``file:line: obligations[i].cutoff: ...`` line per obligation whose deadline falls
    before its cut-off plus one working day."""
    out = []
    for i, ob in enumerate(spec.obligations):
        rule = cutoff_rule(ob.cutoff, ob.recurrence)
        problem = rule and cutoff_problem(ob, rule, _period(ob, today), cal)
        if not problem:
            continue
        loc = ("obligations", i, "cutoff")
        where = spec_location(path, loc) if path else f"{spec.directive.number}: {_field(i)}"
        out.append(f"{where}: {problem}")
    return out


def check_first_periods(
    spec: DirectiveSpec, path: Path | None, *, agencies: int, today: dt.date, confirmed: bool
) -> None:
    """`SpecError` at the first ``first_period`` whose year is more than `HISTORY_YEARS`
    before today's (unless ``confirmed``: it makes a task per agency for every period since,
    nearly all overdue) or after it (a typo: nothing would be tracked for years)."""
    for i, ob in enumerate(spec.obligations):
        if ob.first_period is None or ob.recurrence == "once":
            continue
        first = parse_period(ob.first_period, ob.recurrence)
        loc = ("obligations", i, "first_period")
        if first.year > today.year + HISTORY_YEARS:
            problem = f"more than {HISTORY_YEARS} years after today ({today:%Y}); a typo?"
            raise_for_spec(spec, path, loc, problem, ob.first_period)
        if first.year < today.year - HISTORY_YEARS and not confirmed:
            periods = len(periods_between(first, period_containing(today, ob.recurrence)))
            problem = (
                f"more than {HISTORY_YEARS} years before today ({today:%Y}): it would make "
                f"{periods} periods of tasks, up to {periods * agencies} tasks for {agencies} "
                "agencies, nearly all overdue; give --confirm-history to load that history"
            )
            raise_for_spec(spec, path, loc, problem, ob.first_period)
