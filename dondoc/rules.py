"""Turn stored obligation rows back into the pure engine's rule objects."""

from __future__ import annotations

from dondoc.config.spec import DeadlineSpec, Recurrence
from dondoc.deadlines import ReminderPolicy
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
