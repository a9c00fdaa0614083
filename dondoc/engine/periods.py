"""Reporting periods (the year, half, quarter or month one task covers) and the date a deadline
rule names in each. Pure computation. A ``once`` obligation has one period spanning all time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the spec's pydantic models cost quick commands ~10 ms to import
    from dondoc.config.spec import DeadlineSpec, Recurrence

__all__ = [
    "Period",
    "next_period",
    "nominal_deadline",
    "parse_period",
    "period_containing",
    "period_label_vi",
    "periods_between",
    "previous_period",
]

# Months per period, and how many periods a year holds; "once" has no length.
_MONTHS: dict[str, int] = {"yearly": 12, "half-yearly": 6, "quarterly": 3, "monthly": 1}
_LABELS: dict[str, re.Pattern[str]] = {
    "yearly": re.compile(r"(\d{4})"),
    "half-yearly": re.compile(r"(\d{4})-H(\d)"),
    "quarterly": re.compile(r"(\d{4})-Q(\d)"),
    "monthly": re.compile(r"(\d{4})-(\d{2})"),
}
_EXAMPLES: dict[str, str] = {
    "once": "once",
    "yearly": "2026",
    "half-yearly": "2026-H1",
    "quarterly": "2026-Q2",
    "monthly": "2026-05",
}


@dataclass(frozen=True, order=True)
class Period:
    recurrence: Recurrence
    year: int
    index: int  # once: 0; yearly: 1; half-yearly 1-2; quarterly 1-4; monthly 1-12

    def __post_init__(self) -> None:
        if self.recurrence == "once":
            if (self.year, self.index) != (0, 0):
                raise ValueError("a 'once' period is Period('once', 0, 0)")
            return
        if self.recurrence not in _MONTHS:
            raise ValueError(f"unknown recurrence {self.recurrence!r}")
        count = 12 // _MONTHS[self.recurrence]
        if not 1 <= self.year <= 9999 or not 1 <= self.index <= count:
            raise ValueError(
                f"no {self.recurrence} period {self.year}/{self.index} (index must be 1-{count})"
            )

    @property
    def label(self) -> str:
        if self.recurrence == "once":
            return "once"
        if self.recurrence == "yearly":
            return f"{self.year:04d}"
        if self.recurrence == "half-yearly":
            return f"{self.year:04d}-H{self.index}"
        if self.recurrence == "quarterly":
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}-{self.index:02d}"

    @property
    def first_month(self) -> int:
        """The calendar month the period starts in (1 for ``once``)."""
        if self.recurrence == "once":
            return 1
        return (self.index - 1) * _MONTHS[self.recurrence] + 1

    @property
    def start(self) -> dt.date:
        if self.recurrence == "once":
            return dt.date.min
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        if self.recurrence == "once":
            return dt.date.max
        last_month = self.first_month + _MONTHS[self.recurrence] - 1
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])


def parse_period(label: str, recurrence: Recurrence) -> Period:
    """The period a label such as ``2026-Q2`` names; ``ValueError`` naming the label if bad."""
    problem = (
        f"bad {recurrence} period label {label!r}: expected e.g. {_EXAMPLES.get(recurrence)!r}"
    )
    if recurrence == "once":
        if label != "once":
            raise ValueError(problem)
        return Period("once", 0, 0)
    pattern = _LABELS.get(recurrence)
    if pattern is None:
        raise ValueError(f"unknown recurrence {recurrence!r} for period label {label!r}")
    match = pattern.fullmatch(label)
    if match is None:
        raise ValueError(problem)
    year = int(match.group(1))
    index = int(match.group(2)) if recurrence != "yearly" else 1
    try:
        return Period(recurrence, year, index)
    except ValueError as exc:
        raise ValueError(f"{problem} ({exc})") from None


def period_containing(day: dt.date, recurrence: Recurrence) -> Period:
    if recurrence == "once":
        return Period("once", 0, 0)
    return Period(recurrence, day.year, (day.month - 1) // _MONTHS[recurrence] + 1)


def next_period(p: Period) -> Period:
    if p.recurrence == "once":
        raise ValueError("a 'once' obligation has a single period; there is no next one")
    if p.index < 12 // _MONTHS[p.recurrence]:
        return Period(p.recurrence, p.year, p.index + 1)
    return Period(p.recurrence, p.year + 1, 1)


def previous_period(p: Period) -> Period:
    if p.recurrence == "once":
        raise ValueError("a 'once' obligation has a single period; there is no previous one")
    if p.index > 1:
        return Period(p.recurrence, p.year, p.index - 1)
    return Period(p.recurrence, p.year - 1, 12 // _MONTHS[p.recurrence])


def periods_between(first: Period, last: Period) -> list[Period]:
    """``first`` to ``last`` inclusive, in order; empty when ``first`` is after ``last``."""
    if first.recurrence != last.recurrence:
        raise ValueError(f"cannot list periods from {first.label!r} to {last.label!r}: mixed kinds")
    if first.recurrence == "once":
        return [first]
    per_year = 12 // _MONTHS[first.recurrence]
    count = (last.year - first.year) * per_year + last.index - first.index + 1
    out: list[Period] = []
    current = first
    for _ in range(max(count, 0)):
        out.append(current)
        if current != last:
            current = next_period(current)
    return out


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def nominal_deadline(rule: DeadlineSpec, period: Period) -> dt.date:
    """The date D the rule names for a period, before "trước ngày" and Art. 148 apply.

    ``rule.month`` counts within the period (3 is a quarter's last month); days past the end of
    a month fall on its last day; ``year_offset`` ("năm sau") does not apply to monthly rules.
    """
    if period.recurrence == "once":
        once: dt.date | None = rule.date
        if once is None:
            raise ValueError("a 'once' deadline needs a date")
        return once
    if rule.day is None:
        raise ValueError(f"a {period.recurrence} deadline needs a day")
    if period.recurrence == "monthly":
        return _clamped(period.year, period.index, rule.day)
    if rule.month is None:
        raise ValueError(f"a {period.recurrence} deadline needs a month")
    span = (period.end.month - period.start.month) + 1
    if rule.month > span:
        raise ValueError(
            f"month {rule.month} is outside a {period.recurrence} period (must be 1-{span})"
        )
    return _clamped(period.year + rule.year_offset, period.start.month + rule.month - 1, rule.day)


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def period_label_vi(period: str) -> str:
    """'2026' -> 'năm 2026', '2026-H1' -> '6 tháng đầu năm 2026', '2026-Q2' -> 'quý II năm
    2026', '2026-05' -> 'tháng 5 năm 2026', 'once' -> 'một lần (không định kỳ)'."""
    if period == "once":
        return "một lần (không định kỳ)"
    if m := re.fullmatch(r"(\d{4})", period):
        return f"năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-H([12])", period):
        return f"6 tháng {'đầu' if m[2] == '1' else 'cuối'} năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        return f"quý {_ROMAN[m[2]]} năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        return f"tháng {int(m[2])} năm {m[1]}"
    return period
