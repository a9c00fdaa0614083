"""What one run of dondoc works with: the instant it acts as of, settings and the calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dondoc.config.calendar import load_calendar_overrides
from dondoc.config.settings import Settings
from dondoc.engine.deadlines import WorkCalendar, work_calendar

FIRST_CALENDAR_YEAR = 2015


@dataclass(frozen=True)
class RunContext:
    now: dt.datetime
    settings: Settings
    calendar: WorkCalendar

    @property
    def tz(self) -> str:
        return self.settings.timezone


def make_context(settings: Settings, now: dt.datetime | None = None) -> RunContext:
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    overrides = load_calendar_overrides(settings.calendar_file)
    years = range(FIRST_CALENDAR_YEAR, now.year + 4)
    return RunContext(now=now, settings=settings, calendar=work_calendar(years, overrides))
