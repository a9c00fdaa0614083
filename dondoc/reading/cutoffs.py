"""The data cut-off a task states ("số liệu tính từ ngày 16/12 năm trước đến ngày 15/3", "chốt
số liệu ngày 25"), as the spec's `CutoffSpec` when it fits the spec's model: the data of a
period run from the day after the previous period's cut-off to this one's (Decree 09/2019/NĐ-CP,
Art. 12; docs/spec-format.md). Anything else is left to the reviewer with a note. Pure."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from dondoc.config.spec import MONTHS_IN_PERIOD, CutoffSpec, Recurrence
from dondoc.reading.data_periods import DataPeriod, data_periods
from dondoc.reading.deadline_phrases import lowered
from dondoc.reading.review import Note, period_vi, vi_text

_REF_YEAR = 2026  # any year: only the shape of the window is checked


@dataclass(frozen=True)
class CutoffReading:
    cutoff: CutoffSpec | None
    phrase: str | None
    notes: tuple[str, ...] = ()


def read_cutoff(text: str, recurrence: Recurrence) -> CutoffReading:
    low = lowered(text)
    found = data_periods(low)
    data = [p for p in found if p.data]  # a period of work is read as a deadline instead
    notes: list[str] = []
    if not data:
        return CutoffReading(None, None)
    period = data[0]
    phrase = _quote(text, period)
    if len(data) > 1:
        notes.append(
            Note(
                f"several data periods in this task: '{phrase}' is used",
                f"nhiệm vụ nêu nhiều kỳ số liệu: dùng '{phrase}'",
            )
        )
    cutoff, problem = _fit(period, recurrence)
    if problem:
        notes.append(
            Note(
                f"data cut-off '{phrase}': {problem}; write the cutoff by hand if wanted",
                f"thời điểm chốt số liệu '{phrase}': {vi_text(problem)}; nhập tay nếu cần",
            )
        )
    return CutoffReading(cutoff, phrase, tuple(notes))


def _quote(text: str, period: DataPeriod) -> str:
    return " ".join(text[period.at : period.end].split())


def _fit(period: DataPeriod, recurrence: Recurrence) -> tuple[CutoffSpec | None, str | None]:
    day, month = period.last
    if recurrence == "once":
        return None, Note(
            "a one-off obligation has no cut-off in the spec",
            "nghĩa vụ thực hiện một lần không có thời điểm chốt số liệu",
        )
    span = MONTHS_IN_PERIOD.get(recurrence, 1)
    if recurrence == "monthly":
        cutoff = CutoffSpec(day=day) if 1 <= day <= 31 else None
    elif month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None, Note(
            f"no month given for a {recurrence} obligation",
            f"không nêu tháng cho nghĩa vụ {period_vi(recurrence)}",
        )
    else:
        cutoff = CutoffSpec(month=(month - 1) % span + 1, day=day)
    if cutoff is None:
        return None, Note("not a day of the month", "không phải một ngày trong tháng")
    if period.first is not None and not _window_fits(period, span):
        return None, Note(
            f"the window is not one {recurrence} period long, ending on its cut-off",
            f"khoảng số liệu không dài đúng một kỳ của nghĩa vụ {period_vi(recurrence)} và kết "
            "thúc vào ngày chốt",
        )
    return cutoff, None


def _window_fits(period: DataPeriod, span: int) -> bool:
    """Whether the window starts the day after the previous period's cut-off."""
    assert period.first is not None
    first_day, first_month, year_before = period.first
    day, month = period.last
    end_month = month or 12
    start_month = first_month or (end_month - span - 1) % 12 + 1
    try:
        _on(_REF_YEAR, end_month, day)  # a day that exists
        start_year = _REF_YEAR - (year_before or (start_month, first_day) > (end_month, day))
        start = dt.date(start_year, start_month, first_day)
    except ValueError:
        return False
    back_month = (end_month - span - 1) % 12 + 1
    back_year = _REF_YEAR - (end_month - span < 1)
    previous = _on(back_year, back_month, day)
    return start == previous + dt.timedelta(days=1)


def _on(year: int, month: int, day: int) -> dt.date:
    """Day ``day`` of the month, or its last day (a cut-off on the 31st)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
