"""The working-day calendar of one year, for people (`dondoc calendar`): per month the working
days, a grid, and the named exceptions (holidays, compensatory days, overrides). Pure."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass

from dondoc.engine.deadlines import WorkCalendar

__all__ = ["DayNote", "MonthView", "YearView", "render_json", "render_text", "year_view"]

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
GRID_HEAD = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
_SATURDAY = 5
_UNNAMED_OFF = "Ngày nghỉ"
_UNNAMED_WORKED = "Ngày làm việc bù"


@dataclass(frozen=True)
class DayNote:
    """A day that is not what its weekday suggests, or a holiday that falls on a weekend."""

    day: dt.date
    working: bool
    name: str

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= _SATURDAY


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    working: tuple[bool, ...]  # one flag per day of the month, from the 1st
    notes: tuple[DayNote, ...]

    @property
    def working_days(self) -> int:
        return sum(self.working)


@dataclass(frozen=True)
class YearView:
    year: int
    months: tuple[MonthView, ...]

    @property
    def working_days(self) -> int:
        return sum(m.working_days for m in self.months)


def _note(day: dt.date, cal: WorkCalendar) -> DayNote | None:
    working, weekend = cal.is_working_day(day), day.weekday() >= _SATURDAY
    name = cal.name_of(day)
    if working and weekend:
        return DayNote(day, True, name or _UNNAMED_WORKED)
    if not working and (not weekend or name is not None):
        return DayNote(day, False, name or _UNNAMED_OFF)
    return None


def _month(year: int, month: int, cal: WorkCalendar) -> MonthView:
    days = [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    notes = (_note(day, cal) for day in days)
    return MonthView(
        year,
        month,
        tuple(cal.is_working_day(day) for day in days),
        tuple(n for n in notes if n is not None),
    )


def year_view(year: int, cal: WorkCalendar) -> YearView:
    """``cal`` must cover ``year`` (its holidays and swaps)."""
    return YearView(year, tuple(_month(year, m, cal) for m in range(1, 13)))


# --- text ------------------------------------------------------------------------------------


def _day_vi(day: dt.date) -> str:
    return f"{day:%d/%m/%Y} {WEEKDAYS_VI[day.weekday()]}"


def _cell(day: int, working: bool, weekend: bool) -> str:
    if not working:
        return f"[{day:02d}]"
    return f" {day:02d}*" if weekend else f" {day:02d} "


def _grid(m: MonthView) -> list[str]:
    lines = ["  " + " ".join(f" {h} " for h in GRID_HEAD).rstrip()]
    first = dt.date(m.year, m.month, 1).weekday()
    cells = ["    "] * first
    for i, working in enumerate(m.working, 1):
        weekend = (first + i - 1) % 7 >= _SATURDAY
        cells.append(_cell(i, working, weekend))
    for start in range(0, len(cells), 7):
        lines.append(("  " + " ".join(cells[start : start + 7])).rstrip())
    return lines


def _note_line(n: DayNote) -> str:
    extra = " (trùng ngày nghỉ cuối tuần)" if n.weekend and not n.working else ""
    return f"    {_day_vi(n.day)}: {n.name}{extra}"


def _month_text(m: MonthView) -> list[str]:
    lines = [f"Tháng {m.month} năm {m.year}: {m.working_days} ngày làm việc", *_grid(m)]
    off = [n for n in m.notes if not n.working]
    worked = [n for n in m.notes if n.working]
    if off:
        lines += ["  Ngày nghỉ:", *(_note_line(n) for n in off)]
    if worked:
        lines += ["  Ngày cuối tuần làm việc:", *(_note_line(n) for n in worked)]
    return lines


def render_text(view: YearView, source: str) -> str:
    """The year as text: ``source`` names the overrides file used."""
    lines = [
        f"LỊCH NGÀY LÀM VIỆC NĂM {view.year}",
        "Ngày nghỉ lễ, Tết theo Bộ luật Lao động 2019 (Điều 111, 112), "
        f"điều chỉnh theo tệp {source}",
        "Ký hiệu: 05 ngày làm việc; [05] ngày nghỉ; 05* ngày cuối tuần làm việc",
    ]
    for m in view.months:
        lines += ["", *_month_text(m)]
    lines += ["", f"Cả năm {view.year}: {view.working_days} ngày làm việc"]
    return "\n".join(lines) + "\n"


# --- JSON ------------------------------------------------------------------------------------


def _note_json(n: DayNote) -> dict[str, object]:
    return {
        "date": n.day.isoformat(),
        "date_vi": f"{n.day:%d/%m/%Y}",
        "weekday": WEEKDAYS_VI[n.day.weekday()],
        "name": n.name,
        "weekend": n.weekend,
    }


def render_json(view: YearView, source: str) -> str:
    months = [
        {
            "month": m.month,
            "working_days": m.working_days,
            "days_off": [_note_json(n) for n in m.notes if not n.working],
            "working_weekend_days": [_note_json(n) for n in m.notes if n.working],
        }
        for m in view.months
    ]
    data = {
        "year": view.year,
        "calendar_file": source,
        "working_days": view.working_days,
        "months": months,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
