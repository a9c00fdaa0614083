"""What one task asks: its kind (plan, inspection, report), a title, the reports it splits into
("báo cáo 6 tháng ... trước ngày X; báo cáo năm ... trước ngày Y": one report each), and where
reports go. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.config.spec import ObligationKind
from dondoc.reading.deadline_phrases import date_hits, lowered
from dondoc.reading.text import squash

_KIND_WORDS: tuple[tuple[ObligationKind, re.Pattern[str]], ...] = (
    ("plan", re.compile(r"kế hoạch|chương trình hành động|đề án|ban hành")),
    ("inspection", re.compile(r"kiểm tra|thanh tra")),
    ("report", re.compile(r"báo cáo|có ý kiến|góp ý|cho ý kiến|tham gia ý kiến")),
)
# "thực hiện Đề án 06", "triển khai Kế hoạch số 45": a document named, not a plan to make.
_NAMED_PLAN = re.compile(r"(?:thực hiện|triển khai|của|theo|tại)\s+(?:các\s+)?$")
_MAKES_PLAN = re.compile(r"xây dựng|ban hành|lập|trình|phê duyệt|hoàn thiện|sửa đổi")
_THEN_REPORT = re.compile(r"(?:kiểm tra|thanh tra)\s*(?:,|và)\s*báo cáo\s+")
# "chỉ đạo kiểm tra an toàn các công trình ..., báo cáo kết quả về ... trước ngày D": the
# inspection of something, then the report of its results.
_CHECKED_THEN_REPORT = re.compile(
    r"(?:kiểm tra|thanh tra)\s*,?\s+(?P<what>[^.;:]{3,150}?)\s*(?:,|\svà)\s*(?:gửi\s+)?"
    r"(?=báo cáo\s+(?:kết quả|tình hình|về|cho|gửi|trước|chậm nhất|thủ tướng|bộ|ủy ban"
    r"|uỷ ban|văn phòng|sở)\b)"
)
_TITLE_END = re.compile(
    r",\s*gửi\b|\sgửi về\b|\s(?:trước|chậm nhất|hạn chót|trong thời hạn|trong (?:quý|tháng))\b"
    r"|;|:\s|\.\s|\.$"
    r"|\stheo (?:các|địa chỉ)\b|\s\(sau đây"
)
# "báo cáo 6 tháng", "báo cáo định kỳ năm", "báo cáo quý": the report a period names.
_PERIOD_REPORT = re.compile(
    r"báo cáo\s+(?:định kỳ\s+)?(?:kết quả\s+)?(?P<p>(?:6|sáu|06) tháng|(?:9|chín|09) tháng"
    r"|quý|tháng|(?:hàng |mỗi )?năm)(?!\w)(?!\s+\d)"
)
_PERIOD_CODES = {"6m": "half-year-report", "9m": "nine-month-report", "year": "annual-report",
                 "quarter": "quarterly-report", "month": "monthly-report"}  # fmt: skip
_LEAD = re.compile(r"^(?P<who>[^.;]{3,120}):$")
_MAX_TITLE = 160


@dataclass(frozen=True)
class Asked:
    kind: ObligationKind
    title: str
    text: str  # the words the deadline is read from
    phrase_hint: str | None = None  # for a split inspection: "Định kỳ kiểm tra"
    kind_known: bool = True
    period: str | None = None  # the report a period names: "6m", "9m", "year", "quarter"


def period_code(period: str | None) -> str | None:
    return _PERIOD_CODES.get(period or "")


def lead_who(lead: str | None) -> str | None:
    """ "Các Bộ, ngành:" when a numbered item gives its a), b) to some addressees only."""
    m = _LEAD.match((lead or "").strip())
    return m["who"] if m else None


def what_is_asked(text: str) -> list[Asked]:
    """One obligation per task; one per period report when several are dated ("báo cáo 6
    tháng ... trước ngày X; báo cáo năm ... trước ngày Y"); two for "Định kỳ kiểm tra, báo
    cáo ...": the inspection, and the report that carries the date."""
    low = lowered(text)
    if len(parts := _period_parts(text, low)) > 1:
        return parts
    if (cut := _report_after_work(low)) is not None:
        # "rà soát ..., hoàn thành trước ngày D1; báo cáo kết quả trước ngày D2": two dates
        work, report = text[:cut].rstrip(" ,;"), text[cut:].lstrip(" ,;")
        first = what_is_asked(work)[0]
        return [first, Asked("report", _title(report), report, period=_period_of(lowered(report)))]
    if both := _THEN_REPORT.search(low):
        obj = _clause(text[both.end() :])
        inspected = re.sub(r"^kết quả\s+", "", obj)
        return [
            Asked("inspection", f"Kiểm tra việc {inspected}", text[: both.start()],
                  squash(text[: low.index("tra", both.start()) + 3])),
            Asked("report", f"Báo cáo {obj}", text[both.start() :], period=_period_of(low)),
        ]  # fmt: skip
    if (checked := _CHECKED_THEN_REPORT.search(low)) and not date_hits(low[: checked.end()]):
        what = squash(text[checked.start() : checked.end("what")])
        return [
            Asked("inspection", what[:1].upper() + what[1:], text[: checked.end()].rstrip(" ,"),
                  squash(text[: low.index("tra", checked.start()) + 3])),
            Asked("report", _title(text[checked.end() :]), text[checked.end() :],
                  period=_period_of(low)),
        ]  # fmt: skip
    found = [(at, kind) for kind, p in _KIND_WORDS if (at := _kind_at(kind, p, low)) is not None]
    if not found:
        return [Asked("plan", _title(text), text, kind_known=False)]
    kind = min(found)[1]
    return [Asked(kind, _title(text), text, period=_period_of(low) if kind == "report" else None)]


def _report_after_work(low: str) -> int | None:
    """Where a report with its own date follows a dated piece of work, if it does."""
    hits = date_hits(low)
    if len(hits) < 2:
        return None
    between = low[hits[0].end : hits[1].start]
    m = re.search(r"(?:,|;|\.|\bvà)\s*(?:(?:đồng thời|sau đó)\s*,?\s*)?(?:gửi\s+)?báo cáo", between)
    return hits[0].end + m.start() if m else None


def _kind_at(kind: ObligationKind, pattern: re.Pattern[str], low: str) -> int | None:
    for m in pattern.finditer(low):
        before = low[max(0, m.start() - 40) : m.start()]
        if kind == "plan" and _NAMED_PLAN.search(before) and not _MAKES_PLAN.search(before):
            continue
        return m.start()
    return None


def _period_of(low: str) -> str | None:
    m = _PERIOD_REPORT.search(low)
    return _period_key(m["p"]) if m else None


def _period_key(words: str) -> str:
    if "tháng" in words and words.split()[0] in ("6", "06", "sáu"):
        return "6m"
    if "tháng" in words and words.split()[0] in ("9", "09", "chín"):
        return "9m"
    return {"quý": "quarter", "tháng": "month"}.get(words, "year")


def _period_parts(text: str, low: str) -> list[Asked]:
    marks = list(_PERIOD_REPORT.finditer(low))
    if len({_period_key(m["p"]) for m in marks}) < 2:
        return []
    out: list[Asked] = []
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        part = text[m.start() : nxt.start() if nxt else len(text)]
        if not date_hits(lowered(part)):
            return []
        out.append(Asked("report", _title(part), part, period=_period_key(m["p"])))
    return out


def _clause(text: str) -> str:
    """The words up to where the task says when or where to send (the title's length)."""
    end = _TITLE_END.search(text, min(8, len(text)))
    clause = squash(text[: end.start()] if end else text).rstrip(" ,:;.")
    if len(clause) > _MAX_TITLE:
        clause = clause[:_MAX_TITLE].rsplit(" ", 1)[0] + " …"
    return clause


def _title(text: str) -> str:
    clause = re.sub(r"^[-+•*]\s*", "", _clause(text))
    clause = re.sub(r"\s+gửi$", "", clause)
    return clause[:1].upper() + clause[1:]


_ADDRESS = re.compile(
    r"theo địa chỉ\s*:?\s*(?P<a>.+?)(?:\s+(?:để|trước|chậm nhất|trong)\s|;|\.\s|\.?$)"
)
_SEND_TO = re.compile(
    r"gửi(?:\s+(?:báo cáo|văn bản|ý kiến)[^,.;()]{0,50}?)?\s+về\s+"
    r"(?P<a>(?:\([^)]*\)|[^(])+?)(?=\s+(?:trước|chậm nhất|để|trong|qua|theo)\b|[,.;]|$)"
)
_EMAIL = re.compile(r"[\w+-]+(?:\.[\w+-]+)*@[\w-]+(?:\.[\w-]+)+")
_MASK = re.compile(r"\x00(\d+)\x00")


def report_addresses(texts: list[str]) -> list[str]:
    """Where reports go: the "theo địa chỉ: ..." addresses, else the "gửi về ..." ones, each
    distinct once; an e-mail address ("thư điện tử: ...") is added to the first. Lines are
    joined first (an address may wrap), and e-mail addresses are read whole: their dots and
    hyphens do not end an address."""
    text = " ".join(squash(t) for t in texts)
    emails = list(dict.fromkeys(m.group() for m in _EMAIL.finditer(text)))
    masked = _EMAIL.sub(lambda m: f"\x00{emails.index(m.group())}\x00", text)
    found = [_unmask(m["a"], emails) for m in _ADDRESS.finditer(masked)]
    found = [a for a in found if a not in emails]  # "theo địa chỉ thư điện tử: ..."
    found = found or [_unmask(m["a"], emails) for m in _SEND_TO.finditer(masked)]
    out = list(dict.fromkeys(a for a in found if a))
    named = [e for e in emails if not any(e in a for a in out)]
    if named:
        out = [f"{out[0]}, {named[0]}", *out[1:]] if out else [named[0]]
    return out


def _unmask(address: str, emails: list[str]) -> str:
    address = re.sub(r"(?:^|\s*\b)(?:(?:địa chỉ )?thư điện tử|e-?mail|hộp thư)\b\s*:?\s*$", "",
                     address.strip(" ,"))  # fmt: skip
    address = re.sub(r"^(?:địa chỉ )?(?:thư điện tử|e-?mail)\s*:?\s*", "", address)
    return _MASK.sub(lambda m: emails[int(m[1])], address).strip(" ,:")
