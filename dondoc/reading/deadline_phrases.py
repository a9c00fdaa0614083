"""Find the deadline phrases of a Vietnamese task sentence (pure; no I/O, no clock).

Each `DateHit` is one phrase such as "trước ngày 10 tháng 12 hàng năm", with its position in the
original text so the draft can quote the exact words. `deadline_rules.read_deadline` turns the
hits into a recurrence and a deadline rule (docs/import-dispatch.md has the table).

Matching runs on a lower-cased copy with "hằng" spelled "hàng" (same length, so positions map
back to the original text). Dates may be written 10/12, 10-12, 10.12 or "10 tháng 12".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from dondoc.reading.data_periods import data_periods

HitKind = Literal["dmy", "dm", "monthly", "quarter_end", "quarter_next", "bare_day", "within"]

# "trước ngày D" excludes D; "chậm nhất (vào) ngày D", "đến ngày D", "trong ngày D" include it.
_MARK = (
    r"(?P<mark>trước hoặc (?:vào|trong) ngày|chậm nhất(?: là)? trước(?: ngày)?"
    r"|chậm nhất(?: là)?(?: vào| trong)?(?: ngày)?|hạn chót(?: là)?(?: ngày)?"
    r"|thời hạn(?: hoàn thành| nộp| gửi| báo cáo)?(?: là)?\s*:?(?: ngày)?|không muộn hơn(?: ngày)?"
    r"|đến(?: hết)? ngày|trong ngày|trước(?: ngày)?)"
)
_TIME = r"(?:(?P<time>\d{1,2}\s*(?:h|giờ)(?:\s*\d{1,2})?(?:\s*phút)?)\s*,?\s*)?"
_DAY = r"(?:ngày\s+)?(?P<d>\d{1,2})"
_SEP = r"(?:\s*[/.\-]\s*|\s+tháng\s+)"
_YEAR = r"(?:(?:\s*[/.\-]\s*|\s+năm\s+)(?P<y>\d{4}))?"
_LEAD = _MARK + r"\s*" + _TIME + _DAY
_EVERY_YEAR = r"(?P<every>\s+(?:của\s+)?(?:hàng|mỗi)\s+năm)?"
_PATTERNS: tuple[tuple[HitKind, re.Pattern[str]], ...] = (
    ("quarter_end", re.compile(_LEAD + r"\s+(?:của\s+)?tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+)?quý")),
    (
        "quarter_next",
        re.compile(
            _LEAD
            + r"\s+(?:của\s+)?tháng\s+(?:đầu|thứ nhất)\s+(?:của\s+)?quý\s+(?:sau|kế|tiếp theo)"
        ),
    ),
    ("monthly", re.compile(_LEAD + r"\s+(?:của\s+)?(?:hàng|mỗi|các)\s+tháng")),
    (
        "dm",
        re.compile(
            _LEAD
            + _SEP
            + r"(?P<m>\d{1,2})(?!\d)"
            + _YEAR
            + r"(?P<next>\s+(?:của\s+)?năm\s+(?:sau|tiếp theo|kế tiếp))?"
            + _EVERY_YEAR
        ),
    ),
    (
        "bare_day",
        re.compile(
            _MARK + r"\s*" + _TIME + r"ngày\s+(?P<d>\d{1,2})(?![\d/\-]|\.\d|\s+tháng)"
            r"(?P<nextm>\s+(?:của\s+)?tháng\s+(?:sau|tiếp theo|kế tiếp))?"
        ),
    ),
)
_MORE_DATES = re.compile(
    r"\s*(?:,|;|và)\s*(?:trước\s+)?(?:ngày\s+)?(?P<d>\d{1,2})" + _SEP + r"(?P<m>\d{1,2})(?!\d)"
)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_WITHIN = re.compile(
    r"(?P<all>(?:trong|(?:thời gian hoàn thành|thời hạn(?: hoàn thành)?)\s*:(?:\s*trong)?)"
    r"\s+(?:(?P<q>quý)\s+(?P<qn>iv|i{1,3}|[1-4])|tháng\s+(?P<m>\d{1,2})|năm)"
    r"\s*(?:/|-|năm)?\s*(?P<y>\d{4}))"
)
# "hoàn thành trong quý I/2026" is a deadline, but "tình hình trong quý I/2026" may name the
# period a report covers: such readings are flagged.
_CONTENT_BEFORE = re.compile(r"(?:tình hình|kết quả|số liệu|đánh giá|trong kỳ)[^,;.]{0,30}$")
_NOT_A_DEADLINE = re.compile(r"(?:từ ngày [^,;]{1,20}|tính)\s*$")

_N_DAYS = re.compile(
    r"(?:(?:trong|chậm nhất|sau|không quá)\s+)?(?:(?:thời hạn|vòng)\s+)?(?P<n>\d{1,3})\s+ngày"
    r"(?P<work>\s+làm việc)?\s*,?\s*(?:kể\s+từ|tính\s+từ|từ)\s+(?:ngày\s+|khi\s+)?"
    r"(?P<src>[^,.;()]{1,50})"
)
_RECURRENCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "half-yearly",
        re.compile(
            r"(?:định kỳ|báo cáo)\s+(?:6|sáu)\s+tháng(?!\s+(?:đầu|cuối))"
            r"|(?:6|sáu)\s+tháng\s+(?:một|1)\s+lần|hàng\s+(?:6|sáu)\s+tháng"
            r"|nửa\s+năm\s+một\s+lần|định kỳ\s+nửa\s+năm"
        ),
    ),
    ("quarterly", re.compile(r"(?:hàng|mỗi|theo)\s+quý|định kỳ\s+quý|báo cáo\s+quý\b")),
    ("monthly", re.compile(r"(?:hàng|mỗi)\s+tháng|định kỳ\s+tháng|báo cáo\s+tháng\b")),
    ("yearly", re.compile(r"(?:hàng|mỗi)\s+năm|định kỳ\s+năm|báo cáo\s+năm\b|thường\s+niên")),
    ("unknown", re.compile(r"định\s+kỳ")),
)
# Adverbs of manner ("kịp thời", "nghiêm túc", "khẩn trương") say how, not when: not here.
_NO_DATE = re.compile(r"thường xuyên|khi có yêu cầu|theo yêu cầu|đột xuất|liên tục")


@dataclass(frozen=True)
class DateHit:
    kind: HitKind
    start: int
    end: int
    mark: str  # the lower-cased marker: "trước ngày", "chậm nhất vào ngày", ...
    day: int | None = None
    month: int | None = None
    year: int | None = None
    next_year: bool = False
    next_month: bool = False  # "ngày 05 của tháng sau": a month after the period's
    every_year: bool = False
    time: str | None = None
    more: tuple[tuple[int, int], ...] = ()  # further (day, month) pairs: "15/6 và 15/12"
    after_content: bool = False  # "kết quả ... trong quý I/2026": maybe the period reported on


@dataclass(frozen=True)
class DaysHit:
    days: int
    working: bool
    source: str  # what the period counts from: "ký", "nhận được văn bản", ...
    start: int
    end: int


@dataclass(frozen=True)
class WordHit:
    value: str  # a recurrence, or "unknown" for a bare "định kỳ", or the no-date word
    start: int
    end: int


def lowered(text: str) -> str:
    """Lower case with "hằng" written "hàng"; positions stay those of ``text``."""
    low = text.lower().replace("hằng", "hàng")
    assert len(low) == len(text), "lower-casing changed the length"
    return low


def date_hits(low: str) -> list[DateHit]:
    """Dated phrases, earliest first; where two overlap the earlier (then longer) one wins."""
    found: list[DateHit] = []
    periods = [(p.at, p.end) for p in data_periods(low)]
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(low):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in periods):
                continue
            if not _NOT_A_DEADLINE.search(low[max(0, m.start() - 30) : m.start()]):
                found.append(_date_hit(kind, m, low))
    for m in _WITHIN.finditer(low):
        found.append(
            _within_hit(m, bool(_CONTENT_BEFORE.search(low[max(0, m.start() - 60) : m.start()])))
        )
    found.sort(key=lambda h: (h.start, -h.end))
    kept: list[DateHit] = []
    for hit in found:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _date_hit(kind: HitKind, m: re.Match[str], low: str) -> DateHit:
    groups = m.groupdict()
    day = int(groups["d"])
    month = int(groups["m"]) if groups.get("m") else None
    year = int(groups["y"]) if groups.get("y") else None
    end, more = m.end(), []
    if kind == "dm" and year is None:
        while extra := _MORE_DATES.match(low, end):
            more.append((int(extra["d"]), int(extra["m"])))
            end = extra.end()
        if more and (every := re.match(r"\s+(?:của\s+)?(?:hàng|mỗi)\s+năm", low[end:])):
            end += every.end()
    return DateHit(
        kind=kind,
        start=m.start(),
        end=end,
        mark=" ".join(groups["mark"].split()),
        day=day,
        month=month,
        year=year,
        next_year=bool(groups.get("next")),
        next_month=bool(groups.get("nextm")),
        every_year=bool(groups.get("every")) or end > m.end(),
        time=groups.get("time"),
        more=tuple(more),
    )


def _within_hit(m: re.Match[str], after_content: bool) -> DateHit:
    month = _QUARTERS[m["qn"]] * 3 if m["q"] else int(m["m"] or 12)
    mark = "trong quý" if m["q"] else "trong tháng"
    return DateHit("within", m.start(), m.end(), mark, month=month, year=int(m["y"]),
                   after_content=after_content)  # fmt: skip


def days_hits(low: str) -> list[DaysHit]:
    return [
        DaysHit(int(m["n"]), bool(m["work"]), m["src"].strip(), m.start(), m.end())
        for m in _N_DAYS.finditer(low)
    ]


def recurrence_hits(low: str) -> list[WordHit]:
    """Words that say how often ("hàng quý", "định kỳ 6 tháng"), earliest first."""
    found: list[WordHit] = []
    taken: set[int] = set()
    for value, pattern in _RECURRENCES:
        for m in pattern.finditer(low):
            if not taken.intersection(range(m.start(), m.end())):
                found.append(WordHit(value, m.start(), m.end()))
                taken.update(range(m.start(), m.end()))
    return sorted(found, key=lambda h: h.start)


def no_date_hits(low: str) -> list[WordHit]:
    return [WordHit(m.group(), m.start(), m.end()) for m in _NO_DATE.finditer(low)]


# A marked day the patterns above do not place ("trước ngày 05 của tháng sau"): stated, not read.
_LOOSE = re.compile(
    r"(?:trước|chậm nhất|hạn chót|không muộn hơn|đến hết|hạn cuối)(?:\s+là)?(?:\s+vào)?"
    r"\s+(?:ngày\s+)?\d{1,2}(?!\d|\s*(?:giờ|h\b|phút|ngày))"
)


def loose_dates(low: str) -> list[WordHit]:
    periods = [(p.at, p.end) for p in data_periods(low)]
    return [
        WordHit(m.group(), m.start(), m.end())
        for m in _LOOSE.finditer(low)
        if not any(a <= m.start() < b for a, b in periods)
    ]
