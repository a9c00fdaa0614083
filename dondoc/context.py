"""What one run of dondoc works with: the instant it acts as of, settings and the calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from dondoc.config.calendar import CalendarOverrides, load_calendar_overrides
from dondoc.config.settings import Settings
from dondoc.engine.deadlines import WorkCalendar, work_calendar

FIRST_CALENDAR_YEAR = 2015


@dataclass(frozen=True)
class RunContext:
    now: dt.datetime
    settings: Settings
    overrides: CalendarOverrides

    @cached_property
    def calendar(self) -> WorkCalendar:
        """Built on first use (Vietnam's holidays over a dozen years take ~0.15 s): `dondoc
        submit` on an existing task and `dondoc status` never need it."""
        years = range(FIRST_CALENDAR_YEAR, self.now.year + 4)
        return work_calendar(years, self.overrides)

    @property
    def tz(self) -> str:
        return self.settings.timezone


def make_context(settings: Settings, now: dt.datetime | None = None) -> RunContext:
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    overrides = load_calendar_overrides(settings.calendar_file)
    return RunContext(now=now, settings=settings, overrides=overrides)
