"""The data cut-off of periodic reports (Decree 09/2019/NĐ-CP on reporting regimes, Art. 12):
the window of days whose data a period's report covers, and whether the deadline leaves the
sender time after it. Part of the pure deadline engine: no I/O, no clock."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dondoc.engine.deadlines import WorkCalendar
from dondoc.engine.periods import Period, previous_period

if TYPE_CHECKING:  # type-only: quick commands do not pay for the spec's pydantic models
    from dondoc.config.spec import CutoffSpec, Recurrence

__all__ = [
    "DECREE_09_RULES",
    "CutoffRule",
    "cutoff_end",
    "cutoff_rule",
    "cutoff_window",
    "earliest_fair_deadline",
    "window_vi",
]


@dataclass(frozen=True)
class CutoffRule:
    """The last day of data: ``day`` of the period's ``month`` (counted within the period, like
    a deadline's; ``None`` for monthly reports, whose month is the period itself)."""

    day: int
    month: int | None = None


# Decree 09/2019/NĐ-CP, Art. 12: monthly data run from the 15th of the previous month to the
# 14th; quarterly from the 15th of the month before the quarter to the 14th of its last month;
# half-yearly 15/12-14/6 and 15/6-14/12; annual 15/12 of the previous year to 14/12.
DECREE_09_RULES: dict[str, CutoffRule] = {
    "monthly": CutoffRule(14),
    "quarterly": CutoffRule(14, 3),
    "half-yearly": CutoffRule(14, 6),
    "yearly": CutoffRule(14, 12),
}


def cutoff_rule(spec: CutoffSpec | str | None, recurrence: Recurrence | str) -> CutoffRule | None:
    """The rule a spec's ``cutoff`` names: its own month and day, or Art. 12's for
    ``decree-09``; ``None`` without a cut-off or for a one-off obligation."""
    if spec is None or recurrence == "once":
        return None
    if not isinstance(spec, str):
        return CutoffRule(spec.day, spec.month)
    if spec != "decree-09":
        raise ValueError(f"unknown cut-off {spec!r}")
    return DECREE_09_RULES[recurrence]


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def cutoff_end(rule: CutoffRule, period: Period) -> dt.date:
    """The last day of data of ``period``; a day past a month's end means its last day."""
    if period.recurrence == "once":
        raise ValueError("a 'once' obligation has no data cut-off")
    if period.recurrence == "monthly":
        return _clamped(period.year, period.index, rule.day)
    return _clamped(period.year, period.first_month + (rule.month or 1) - 1, rule.day)


def cutoff_window(rule: CutoffRule, period: Period) -> tuple[dt.date, dt.date]:
    """First and last day of the period's data: from the day after the previous period's
    cut-off to this period's."""
    start = cutoff_end(rule, previous_period(period)) + dt.timedelta(days=1)
    return start, cutoff_end(rule, period)


def earliest_fair_deadline(rule: CutoffRule, period: Period, cal: WorkCalendar) -> dt.date:
    """The first last-acceptable-day that leaves the sender one working day after the cut-off
    (Decree 09/2019/NĐ-CP: at least one working day between cut-off and deadline)."""
    return cal.add_working_days(cutoff_end(rule, period), 1)


def window_vi(window: tuple[dt.date, dt.date]) -> str:
    """'15/12/2025–14/12/2026'."""
    return f"{window[0]:%d/%m/%Y}–{window[1]:%d/%m/%Y}"
