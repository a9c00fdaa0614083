"""The pure deadline engine: working days, last acceptable days, reminder stages and statuses.

No I/O and no clock: every function that depends on time takes ``now``. Deadlines are computed
on local calendar days and handed out as aware UTC instants.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from dondoc.engine.periods import (
    Period,
    next_period,
    nominal_deadline,
    parse_period,
    period_containing,
    periods_between,
)

if TYPE_CHECKING:  # type-only: quick commands do not pay for the spec's pydantic models
    from dondoc.config.calendar import CalendarOverrides
    from dondoc.config.spec import DeadlineSpec, ReminderSpec

__all__ = [
    "OPEN_STATUSES", "Period", "ReminderPolicy", "Stage", "TaskStatus", "WorkCalendar",
    "closing_status", "days_between", "end_of_day_utc", "is_send_time", "last_acceptable_day",
    "local_date", "next_period", "next_stage_after", "nominal_deadline", "open_status",
    "parse_period", "period_containing", "periods_between", "reminder_window_start", "stage_due",
    "vietnam_calendar", "work_calendar",
]  # fmt: skip

TaskStatus = Literal["pending", "due_soon", "overdue", "done_on_time", "done_late", "waived"]
OPEN_STATUSES: frozenset[str] = frozenset({"pending", "due_soon", "overdue"})

_ONE_DAY = dt.timedelta(days=1)
_SATURDAY = 5


class WorkCalendar:
    """Working days: Monday-Friday minus ``days_off``, plus the weekend days in ``working_days``.

    A date in both sets is a day off: a declared holiday beats a swap. ``names`` says why a day
    is off or worked (a holiday's name, an override's reason); it never changes which days work.
    """

    __slots__ = ("days_off", "names", "working_days")

    def __init__(
        self,
        days_off: Iterable[dt.date] = (),
        working_days: Iterable[dt.date] = (),
        names: Mapping[dt.date, str] | None = None,
    ) -> None:
        self.days_off: frozenset[dt.date] = frozenset(days_off)
        self.working_days: frozenset[dt.date] = frozenset(working_days)
        self.names: Mapping[dt.date, str] = MappingProxyType(dict(names or {}))

    def __repr__(self) -> str:
        return f"WorkCalendar({len(self.days_off)} days off, {len(self.working_days)} worked)"

    def name_of(self, day: dt.date) -> str | None:
        """Why ``day`` is a day off or a worked weekend day, when the calendar knows."""
        return self.names.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.days_off:
            return False
        return day.weekday() < _SATURDAY or day in self.working_days

    def next_working_day(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """``n`` working days after ``day``, which itself is not counted (Civil Code 2015,
        Art. 147(2)); a negative ``n`` counts back."""
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        for _ in range(abs(n)):
            day += step
            while not self.is_working_day(day):
                day += step
        return day


def vietnam_calendar(
    years: Iterable[int],
    extra_days_off: Iterable[dt.date] = (),
    extra_working_days: Iterable[dt.date] = (),
    not_days_off: Iterable[dt.date] = (),
    reasons: Mapping[dt.date, str] | None = None,
) -> WorkCalendar:
    """Public holidays and swaps of the Labour Code 2019, Art. 111-112, as ``holidays.VN``
    knows them (observed/compensatory days included), corrected by the operator's overrides.
    ``reasons`` names the override days; the others take their Vietnamese holiday names."""
    return _vietnam_calendar(
        frozenset(years),
        frozenset(extra_days_off),
        frozenset(extra_working_days),
        frozenset(not_days_off),
        frozenset((reasons or {}).items()),
    )


def work_calendar(years: Iterable[int], overrides: CalendarOverrides) -> WorkCalendar:
    """The calendar of ``years`` with the operator's overrides (config/data/calendar.yaml)."""
    return vietnam_calendar(
        years,
        extra_days_off=overrides.days_off,
        extra_working_days=overrides.working_days,
        not_days_off=overrides.not_days_off,
        reasons={d: r for d, r in overrides.reasons.items() if d not in overrides.not_days_off},
    )


@lru_cache(maxsize=16)
def _vietnam_calendar(
    years: frozenset[int],
    extra_off: frozenset[dt.date],
    extra_worked: frozenset[dt.date],
    not_off: frozenset[dt.date],
    reasons: frozenset[tuple[dt.date, str]],
) -> WorkCalendar:
    # holidays.VN lists 24/11 (Vietnam Culture Day) from 2026; its status as a day off is
    # unverified, so it is kept and the operator can cancel it under `not_days_off`.
    # country_holidays("VN") is holidays.VN, through the typed entry point. Imported here: quick
    # commands such as `dondoc status` never compute working days.
    import holidays

    vn = holidays.country_holidays("VN", years=sorted(years), language="vi")
    days_off = (set(vn.keys()) - not_off) | extra_off
    worked = set(vn.weekend_workdays) | extra_worked
    names = {day: str(name) for day, name in vn.items() if day not in not_off}
    names.update(_swap_names(names, worked))
    names.update(reasons)
    return WorkCalendar(days_off, worked, names)


_SUBSTITUTE = re.compile(r"\(thay cho ngày (\d{2})/(\d{2})/(\d{4})\)")


def _swap_names(names: Mapping[dt.date, str], worked: Iterable[dt.date]) -> dict[dt.date, str]:
    """A worked weekend day named after the day off it pays for: holidays.VN names that day
    "Ngày nghỉ (thay cho ngày 22/08/2026)" and keeps the worked day as a bare date."""
    paid_for: dict[dt.date, dt.date] = {}
    for day, name in names.items():
        if m := _SUBSTITUTE.search(name):
            paid_for[dt.date(int(m[3]), int(m[2]), int(m[1]))] = day
    return {day: _worked_name(paid_for.get(day)) for day in worked}


def _worked_name(day_off: dt.date | None) -> str:
    return f"Làm việc bù cho ngày nghỉ {day_off:%d/%m/%Y}" if day_off else "Ngày làm việc bù"


def last_acceptable_day(rule: DeadlineSpec, period: Period, cal: WorkCalendar) -> dt.date:
    day = nominal_deadline(rule, period)
    if not rule.inclusive:
        day -= _ONE_DAY  # "trước ngày D" is strictly before D
    if rule.shift_to_working_day:
        # Civil Code 2015, Art. 148(5): a period ending on a day off ends on the next working day.
        day = cal.next_working_day(day)
    return day


def _aware(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{instant.isoformat()} has no time zone; pass an aware datetime")
    return instant


def _local_instant(day: dt.date, hour: int, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


def end_of_day_utc(day: dt.date, tz: str) -> dt.datetime:
    # Civil Code 2015, Art. 148(6): the last day of a period ends at 24:00, i.e. next midnight.
    return _local_instant(day + _ONE_DAY, 0, tz)


def local_date(instant: dt.datetime, tz: str) -> dt.date:
    return _aware(instant).astimezone(ZoneInfo(tz)).date()


@dataclass(frozen=True)
class ReminderPolicy:
    before_days: tuple[int, ...] = (30, 14, 7, 3, 1)
    overdue_first_day: int = 1
    overdue_every_days: int = 7
    escalate_after_days: int = 7
    send_hour: int = 8

    def __post_init__(self) -> None:
        if any(n < 0 for n in self.before_days):
            raise ValueError(f"before_days must be >= 0, got {self.before_days}")
        if self.overdue_first_day < 1 or self.overdue_every_days < 1:
            raise ValueError("overdue_first_day and overdue_every_days must be >= 1")
        if not 0 <= self.send_hour <= 23:
            raise ValueError(f"send_hour must be 0-23, got {self.send_hour}")

    @classmethod
    def from_spec(cls, spec: ReminderSpec, send_hour: int = 8) -> ReminderPolicy:
        return cls(
            before_days=spec.before_days,
            overdue_first_day=spec.overdue_first_day,
            overdue_every_days=spec.overdue_every_days,
            escalate_after_days=spec.escalate_after_days,
            send_hour=send_hour,
        )


@dataclass(frozen=True)
class Stage:
    key: str
    kind: Literal["reminder", "overdue"]
    days: int
    send_at: dt.datetime
    escalate: bool


@dataclass(frozen=True)
class _Ctx:
    due_day: dt.date
    policy: ReminderPolicy
    cal: WorkCalendar
    tz: str

    def send_at(self, day: dt.date) -> dt.datetime:
        return _local_instant(self.cal.next_working_day(day), self.policy.send_hour, self.tz)

    def reminders(self) -> Iterator[Stage]:
        """Reminder stages in sending order: most days before first."""
        for n in sorted(set(self.policy.before_days), reverse=True):
            at = self.send_at(self.due_day - dt.timedelta(days=n))
            yield Stage(f"before-{n}", "reminder", n, at, False)

    def overdue(self, j: int) -> Stage:
        late = self.policy.overdue_first_day + j * self.policy.overdue_every_days
        at = self.send_at(self.due_day + dt.timedelta(days=late))
        return Stage(
            f"overdue-{late}", "overdue", late, at, late >= self.policy.escalate_after_days
        )

    def last_overdue_index(self, now: dt.datetime) -> int:
        """The largest overdue index whose stage is sent by ``now``; -1 if none.

        Shifting only moves a stage later, so no stage whose own day is after today can be due;
        from that bound, walk back over the few stages a run of days off may have pushed past now.
        """
        today = local_date(now, self.tz)
        first, every = self.policy.overdue_first_day, self.policy.overdue_every_days
        j = ((today - self.due_day).days - first) // every
        while j >= 0 and self.overdue(j).send_at > now:
            j -= 1
        return max(j, -1)


def stage_due(
    due_day: dt.date, policy: ReminderPolicy, cal: WorkCalendar, tz: str, now: dt.datetime
) -> Stage | None:
    """The most recent stage sent by ``now`` (catch-up sends only this one), or ``None``.

    Stages are in sending order and ``send_at`` never decreases along it, so on a tie the later
    stage wins by being the last one found.
    """
    ctx = _Ctx(due_day, policy, cal, tz)
    _aware(now)
    j = ctx.last_overdue_index(now)
    if j >= 0:
        return ctx.overdue(j)
    due = [s for s in ctx.reminders() if s.send_at <= now]
    return due[-1] if due else None


def next_stage_after(
    due_day: dt.date, policy: ReminderPolicy, cal: WorkCalendar, tz: str, now: dt.datetime
) -> Stage | None:
    """The first stage sent after ``now``; overdue stages repeat, so there always is one."""
    ctx = _Ctx(due_day, policy, cal, tz)
    _aware(now)
    for stage in ctx.reminders():
        if stage.send_at > now:
            return stage
    return ctx.overdue(ctx.last_overdue_index(now) + 1)


def reminder_window_start(
    due_day: dt.date, policy: ReminderPolicy, cal: WorkCalendar, tz: str
) -> dt.datetime:
    """When the task becomes ``due_soon``: the first reminder, or the due day's start."""
    first = next(_Ctx(due_day, policy, cal, tz).reminders(), None)
    return first.send_at if first else _local_instant(due_day, 0, tz)


def open_status(
    due_at: dt.datetime | None, window_start: dt.datetime | None, now: dt.datetime
) -> TaskStatus:
    if due_at is None:
        return "pending"
    if now >= due_at:
        return "overdue"
    if window_start is not None and window_start <= now:
        return "due_soon"
    return "pending"


def closing_status(due_day: dt.date | None, received_on: dt.date) -> TaskStatus:
    # Received any time during the last acceptable day (local) is on time: Art. 148(6), 24:00.
    if due_day is None or received_on <= due_day:
        return "done_on_time"
    return "done_late"


def is_send_time(now: dt.datetime, cal: WorkCalendar, tz: str, send_hour: int) -> bool:
    local = _aware(now).astimezone(ZoneInfo(tz))
    return cal.is_working_day(local.date()) and local.hour >= send_hour


def days_between(a: dt.date, b: dt.date) -> int:
    return (b - a).days
