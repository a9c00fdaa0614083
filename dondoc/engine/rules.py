"""Turn stored obligation rows back into the pure engine's rule objects."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING

from dondoc.engine.cutoff import CutoffRule, cutoff_window
from dondoc.engine.deadlines import ReminderPolicy, parse_period

if TYPE_CHECKING:  # the rows' plain attributes only; no database at run time
    from dondoc.config.spec import DeadlineSpec, Recurrence
    from dondoc.models import Obligation

_RECURRENCES: dict[str, Recurrence] = {
    "once": "once",
    "monthly": "monthly",
    "quarterly": "quarterly",
    "half-yearly": "half-yearly",
    "yearly": "yearly",
}


def recurrence_of(obligation: Obligation) -> Recurrence:
    return _RECURRENCES[obligation.recurrence]


def deadline_rule(obligation: Obligation) -> DeadlineSpec | None:
    from dondoc.config.spec import DeadlineSpec  # at use: `status` never needs it

    if not obligation.has_deadline:
        return None
    return DeadlineSpec(
        month=obligation.deadline_month,
        day=obligation.deadline_day,
        date=obligation.deadline_date,
        inclusive=obligation.deadline_inclusive,
        year_offset=obligation.deadline_year_offset,
        shift_to_working_day=obligation.deadline_shift,
        chosen_by="coordinator" if obligation.deadline_chosen_by == "coordinator" else "document",
    )


def reminder_policy(obligation: Obligation, send_hour: int) -> ReminderPolicy:
    before = tuple(int(n) for n in obligation.before_days.split(",") if n.strip())
    return ReminderPolicy(
        before_days=before,
        overdue_first_day=obligation.overdue_first_day,
        overdue_every_days=obligation.overdue_every_days,
        escalate_after_days=obligation.escalate_after_days,
        send_hour=send_hour,
    )


def cutoff_of(obligation: Obligation) -> CutoffRule | None:
    """The stored data cut-off (``decree-09`` was resolved to its month and day on loading)."""
    if obligation.cutoff_day is None or obligation.recurrence == "once":
        return None
    return CutoffRule(obligation.cutoff_day, obligation.cutoff_month)


def cutoff_window_of(obligation: Obligation, period: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of the data a period's report covers; None without a cut-off."""
    rule = cutoff_of(obligation)
    return None if rule is None else _window(rule, recurrence_of(obligation), period)


@lru_cache(maxsize=256)  # boards and feeds ask for few (rule, period) pairs, many times
def _window(rule: CutoffRule, recurrence: Recurrence, period: str) -> tuple[dt.date, dt.date]:
    return cutoff_window(rule, parse_period(period, recurrence))
