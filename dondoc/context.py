"""What one run of dondoc works with: the instant it acts as of, settings and the calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from dondoc.config.settings import Settings

if TYPE_CHECKING:
    from dondoc.config.calendar import CalendarOverrides
    from dondoc.engine.deadlines import WorkCalendar

FIRST_CALENDAR_YEAR = 2015


@dataclass(frozen=True)
class RunContext:
    now: dt.datetime
    settings: Settings

    @cached_property
    def overrides(self) -> CalendarOverrides:
        """The calendar file, read on first use (reading it imports the YAML parser): a bad
        file fails the first command that counts working days, naming its line and field."""
        from dondoc.config.calendar import load_calendar_overrides

        return load_calendar_overrides(self.settings.calendar_file)

    @cached_property
    def calendar(self) -> WorkCalendar:
        """Built on first use (Vietnam's holidays over a dozen years take ~0.15 s): `dondoc
        submit` on an existing task and `dondoc status` never need it."""
        from dondoc.engine.deadlines import work_calendar

        years = range(FIRST_CALENDAR_YEAR, self.now.year + 4)
        return work_calendar(years, self.overrides)

    @property
    def tz(self) -> str:
        return self.settings.timezone


def make_context(settings: Settings, now: dt.datetime | None = None) -> RunContext:
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return RunContext(now=now, settings=settings)
