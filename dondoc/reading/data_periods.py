"""Data periods and cut-offs in a task sentence (Decree 09/2019/NĐ-CP, Art. 12): "số liệu
tính từ ngày 16/12 năm trước đến ngày 15/3", "chốt số liệu ngày 25". Their dates are never
deadlines (`deadline_phrases.date_hits` skips them); `cutoffs` makes a cut-off of them. Works
on the lower-cased text of `deadline_phrases.lowered`. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEP = r"(?:\s*[/.\-]\s*|\s+tháng\s+)"
_DM = r"(?:ngày\s+)?(?P<{d}>\d{{1,2}})(?:{sep}(?P<{m}>\d{{1,2}})(?!\d)(?:{year})?)?"
_Y = r"(?:\s*[/.\-]\s*|\s+năm\s+)\d{4}"
_FROM = _DM.format(d="d1", m="m1", sep=_SEP, year=_Y)
_TO = _DM.format(d="d2", m="m2", sep=_SEP, year=_Y)
_QUARTER_END = r"(?P<qend>\s+(?:của\s+)?tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+)?quý)?"
# Data periods and cut-offs (Decree 09/2019/NĐ-CP, Art. 12): the window's end is not a
# deadline. "số liệu tính từ ngày 16/12 năm trước đến ngày 15/3", "chốt số liệu ngày 25".
_WINDOW = re.compile(
    r"(?:kể\s+)?từ\s+" + _FROM + r"(?P<prev>\s+(?:của\s+)?năm\s+trước(?:\s+liền kề)?)?"
    r"(?:\s+(?:của\s+)?(?:tháng|quý|kỳ)\s+(?:trước|đầu)[^,;.]{0,30}?)?"
    r"\s*,?\s*(?:đến|tới)\s+(?:hết\s+)?"
    + _TO
    + _QUARTER_END
    + r"(?:\s+(?:của\s+)?(?:năm|kỳ|quý|tháng)\s+(?:báo cáo|nay|hiện tại))?"
)
_CUTOFF = re.compile(
    r"(?:(?:chốt|khóa|khoá)\s+số\s+liệu(?:\s+báo\s+cáo)?\s*(?:là|vào|tại|tính)?\s*(?:đến|tới)?"
    r"|số\s+liệu(?:\s+báo\s+cáo)?(?:\s+được)?\s+(?:tính|lấy|chốt)\s+(?:đến|tới))"
    r"\s*(?:hết\s+)?:?\s*" + _TO + _QUARTER_END
)
_DATA_WORDS = re.compile(r"số liệu|kỳ báo cáo|thời gian (?:báo cáo|lấy|tính)|kỳ số liệu|tính")


@dataclass(frozen=True)
class DataPeriod:
    """A window of data ("từ ngày 16/12 năm trước đến ngày 15/3") or a cut-off point ("chốt
    số liệu ngày 25"): ``start`` is None for a point."""

    at: int
    end: int
    last: tuple[int, int | None]  # (day, month) of the last day of data
    first: tuple[int, int | None, bool] | None  # (day, month, in the year before)
    data: bool  # said of data ("số liệu", "kỳ báo cáo"), not of some other period


def data_periods(low: str) -> list[DataPeriod]:
    """Windows ("từ ngày A đến ngày B") and cut-off points ("chốt số liệu ngày 25"), earliest
    first. A window is a period of data when data words stand shortly before it."""
    out: list[DataPeriod] = []
    for m in _WINDOW.finditer(low):
        data = bool(_DATA_WORDS.search(low[max(0, m.start() - 60) : m.start()]))
        first = (int(m["d1"]), _month(m["m1"]), bool(m["prev"]))
        last = (int(m["d2"]), 3 if m["qend"] else _month(m["m2"]))  # month 3 of the quarter
        out.append(DataPeriod(m.start(), m.end(), last, first, data))
    for m in _CUTOFF.finditer(low):
        if not any(p.at <= m.start() < p.end for p in out):
            last = (int(m["d2"]), 3 if m["qend"] else _month(m["m2"]))
            out.append(DataPeriod(m.start(), m.end(), last, None, True))
    return sorted(out, key=lambda p: p.at)


def _month(text: str | None) -> int | None:
    return int(text) if text else None
