"""Where the tasks of a dispatch's body are: numbered items ("1.", "2)"), articles ("Điều 2."),
their lettered points ("a)") and dash bullets ("- ", "+ ", "•"), the paragraphs that ask
something when nothing is numbered, and the paragraphs after the list (a deadline in its own
paragraph belongs to the tasks above it: `work` attaches it). Headings ("III. TỔ CHỨC THỰC
HIỆN", "Tổ chức thực hiện"), intro lines ("... lưu ý:", "... như sau:"), approval articles
("Điều 1. Phê duyệt ...") and articles on entry into force are not tasks. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dondoc.reading.deadline_phrases import date_hits, lowered
from dondoc.reading.text import is_upper_line, squash

_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.)/]\s+(?P<text>\S.*)$")
_ARTICLE = re.compile(r"^Điều\s+(?P<n>\d{1,2})\s*[.:]\s*(?P<text>.*)$")
_LETTER = re.compile(
    r"^(?P<n>[a-zđ])\s*[)/]\s+(?P<text>\S.*)$|^(?P<m>\d{1,2}\.\d{1,2})\.?\s+(?P<t>\S.*)$"
)
_BULLET = re.compile(r"^[-+•*▪●◦·—‐]\s*(?P<text>\S.*)$")
_SECTION = re.compile(r"^(?P<n>[IVX]{1,4})\s*[.)]\s+\S")
_HEADING = re.compile(
    r"^(?:tổ chức thực hiện|nhiệm vụ(?:,? (?:và )?giải pháp)?(?: chủ yếu)?|mục đích(?:,? yêu cầu)?"
    r"|giải pháp|kinh phí(?: thực hiện)?|chế độ báo cáo|nơi nhận|phân công nhiệm vụ"
    r"|trách nhiệm của các (?:cơ quan|bộ)[^.:]{0,40}|quan điểm|mục tiêu)\s*[:.]?$",
    re.I,
)
_NOT_AN_ARTICLE_TASK = re.compile(
    r"có hiệu lực|chịu trách nhiệm thi hành|thi hành (?:quyết định|chỉ thị|thông tư) này"
    r"|^(?:phê duyệt|ban hành kèm theo|ban hành)\b|^bãi bỏ\b",
    re.I,
)
_REQUEST = re.compile(
    r"(?<!theo )(?<!xét )\b(?:đề nghị|yêu cầu|giao)\b|xin gửi|có ý kiến|góp ý|cho ý kiến", re.I
)
_TIME_LIMIT = re.compile(
    r"^(?:thời hạn|hạn chót|hạn hoàn thành|thời gian (?:hoàn thành|thực hiện|nộp|gửi)"
    r"|hoàn thành (?:trước|trong|chậm nhất))\b",
    re.I,
)
# Words that open a paragraph rather than carry a wrapped sentence on.
_OPENER = re.compile(
    r"^(?:Báo cáo|Đề nghị|Trong quá trình|Trân trọng|Yêu cầu|Giao|Thực hiện|Để|Căn cứ"
    r"|Trường hợp|Ngoài ra|Đồng thời)\b"
)
_WRAP_LENGTH = 60  # a heading is shorter; a line wrapped by a PDF's width is longer
_AIMS = re.compile(r"^[IVX]{1,4}\s*[.)]\s+(?:mục đích|mục tiêu|quan điểm|căn cứ)", re.I)
# The fields of a plan's table row, written as bullets: parts of the task above them.
_FIELD = re.compile(
    r"^(?:(?:đơn vị|cơ quan) (?:chủ trì|phối hợp|thực hiện)|thời gian(?: thực hiện| hoàn thành)?"
    r"|thời hạn(?: hoàn thành)?|sản phẩm|kết quả (?:đầu ra|dự kiến)|kinh phí|nguồn kinh phí)\s*:",
    re.I,
)
_PAST = re.compile(
    r"^Ngày \d|\bđã (?:có|ban hành|gửi|đề nghị|yêu cầu|giao)\b|\bđến nay\b|\btuy nhiên\b", re.I
)
_ACTION = re.compile(r"báo cáo|kế hoạch|đề án|ban hành|kiểm tra|thanh tra|có ý kiến", re.I)
_REPORTING = re.compile(r"báo cáo|gửi (?:về|kết quả|văn bản)|có ý kiến|góp ý", re.I)
_REPORT_OR_CUT = re.compile(r"báo cáo|(?:chốt|khóa|khoá) số liệu", re.I)
_CONTENT_INTRO = re.compile(
    r"(?:nội dung|gồm|bao gồm|biểu mẫu|đề cương|phụ lục)[^.;]{0,40}:$", re.I
)


@dataclass(frozen=True)
class TaskText:
    label: str  # "1", "2.b", "Điều 3", "1.-2" (a dash bullet), "¶2" (a paragraph)
    text: str
    lead: str | None = None  # the numbered item's own words when the task is one of its points


@dataclass(frozen=True)
class Segments:
    tasks: tuple[TaskText, ...]
    numbered: bool  # the tasks are numbered items or bullets, not paragraphs picked out
    after: tuple[TaskText, ...]  # paragraphs after the list that state a date or a report


@dataclass
class _Item:
    label: str
    lines: list[str]
    subs: list[_Item] = field(default_factory=list)
    bullets: int = 0

    @property
    def text(self) -> str:
        """The item's words; a first line without a full stop is its heading ("Điều 1. Báo
        cáo năm" / "Ủy ban nhân dân ... báo cáo ..."), written "heading: rest"."""
        first, *rest = self.lines
        if rest and _HEADING.match(first):  # "4. Tổ chức thực hiện" / "Bộ ... theo dõi ..."
            return squash(" ".join(rest))
        if rest and len(first) <= 80 and not first.rstrip().endswith((".", ";", ":", ",")):
            return squash(f"{first}: {' '.join(rest)}")
        return squash(" ".join(self.lines))


def dated(text: str) -> bool:
    return bool(date_hits(lowered(text)))


def is_heading(line: str) -> bool:
    return bool(_SECTION.match(line)) or is_upper_line(line) or bool(_HEADING.match(line))


def split_tasks(body: list[str]) -> Segments:
    items, loose, after = _read_items(_unwrapped(body))
    tasks = [t for item in items for t in _tasks_of(item)]
    intro = loose[-1] if loose and not loose[-1].label.startswith("•") else None
    # "Đề nghị ... báo cáo trước ngày D, gồm các nội dung sau: 1. ... 2. ...": contents
    contents = not any(dated(t.text) or _ACTION.search(t.text) for t in tasks)
    if intro and tasks and contents and _CONTENT_INTRO.search(intro.text) and dated(intro.text):
        listed = "; ".join(t.text for t in tasks)
        return Segments((TaskText(intro.label, f"{intro.text} {listed}"),), True, ())
    if tasks:
        # "Đề nghị ... báo cáo trước ngày D các nội dung sau:" states the list's deadline.
        stating = [intro] if intro and dated(intro.text) else []
        return Segments(tuple(tasks), True, tuple(_worth_reading(stating + after)))
    bullets = [t for t in loose if t.label.startswith("•")]
    loose = _limits_joined(loose)
    asking = [t for t in loose if not t.label.startswith("•") and _asks(t.text)]
    # "... Ủy ban nhân dân tỉnh có ý kiến như sau:" opens what follows.
    asking = [t for t in asking if not _only_intro(t.text)] or asking
    # "Ngày 15/10, Bộ đã có Công văn ... đề nghị ... trước ngày ...": what was asked before.
    asking = [t for t in asking if not _PAST.search(t.text)] or asking
    if bullets:
        return Segments(tuple(bullets + [t for t in asking if dated(t.text)]), True, ())
    return Segments(tuple(asking), False, ())


def _limits_joined(loose: list[TaskText]) -> list[TaskText]:
    """A "Thời hạn ...: trước ngày D" paragraph belongs to the request above it."""
    out: list[TaskText] = []
    for t in loose:
        if out and _TIME_LIMIT.match(t.text) and not out[-1].label.startswith("•"):
            out[-1] = TaskText(out[-1].label, f"{out[-1].text} {t.text}", out[-1].lead)
        else:
            out.append(t)
    return out


def _time_limit(line: str) -> bool:
    """ "Thời hạn hoàn thành: trước ngày ..." under an item (not "Thời hạn gửi báo cáo: ...",
    which is the reports')."""
    return bool(_TIME_LIMIT.match(line)) and "báo cáo" not in line.lower()


def _unwrapped(body: list[str]) -> list[str]:
    """Lines rejoined where a sentence wraps: a line that starts in lower case (a paragraph,
    an item or a bullet starts with a capital, a number or a dash) carries on the one above,
    and so does a line after a long one left without its full stop (a wrapped PDF line ending
    before "Bộ Xây dựng ...")."""
    out: list[str] = []
    for line in (squash(b) for b in body):
        if not line:
            continue
        if out and (_lower_start(line) or _cut_short(out[-1], line)):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _lower_start(line: str) -> bool:
    return line[:1].islower() and not _LETTER.match(line)


def _cut_short(previous: str, line: str) -> bool:
    starts = (_ITEM, _ARTICLE, _LETTER, _BULLET, _SECTION, _TIME_LIMIT)
    return (
        len(previous) >= _WRAP_LENGTH
        and not previous.endswith((".", ";", ":", "!", "?", "./."))
        and not any(p.match(line) for p in starts)
        and not is_heading(line)
        and not _OPENER.match(line)
    )


def _asks(text: str) -> bool:
    return bool(_REQUEST.search(text)) or (dated(text) and bool(_REPORTING.search(text)))


def _worth_reading(paragraphs: list[TaskText]) -> list[TaskText]:
    return [p for p in paragraphs if dated(p.text) or _REPORT_OR_CUT.search(p.text)]


def _read_items(lines: list[str]) -> tuple[list[_Item], list[TaskText], list[TaskText]]:
    """Numbered items with their points; loose paragraphs and bullets (before any item, with
    the paragraph they follow as lead); paragraphs after an item's last sentence."""
    items: list[_Item] = []
    loose: list[TaskText] = []
    after: list[str] = []
    section, closed, lead, fresh, aims = "", False, None, False, False
    for line in lines:
        if m := _SECTION.match(line):
            _settle(items, after)
            section, closed, fresh = m["n"], True, True
            aims = bool(_AIMS.search(line))
            continue
        if aims:  # "I. MỤC ĐÍCH, YÊU CẦU": what the plan is for, not tasks
            continue
        if is_heading(line):
            continue
        if m := _ITEM.match(line) or _ARTICLE.match(line):
            label = f"Điều {m['n']}" if line.startswith("Điều") else m["n"]
            if fresh:  # a section's own opening words, not a task of the section above
                after.clear()
            _settle(items, after)
            fresh = False
            items.append(_Item(f"{section}.{label}" if section else label, [m["text"]]))
            closed = False
        elif (m := _LETTER.match(line)) and items and not closed:
            sub = _Item(f"{items[-1].label}.{m['n'] or m['m']}", [m["text"] or m["t"]])
            items[-1].subs.append(sub)
        elif (m := _BULLET.match(line)) and items and not closed:
            _bullet(items[-1], m["text"])
        elif m := _BULLET.match(line):
            count = sum(t.label.startswith("•") for t in loose) + 1
            loose.append(TaskText(f"•{count}", squash(m["text"]), lead))
        elif items and (not closed or _time_limit(line)) and not after:
            target = items[-1].subs[-1] if items[-1].subs else items[-1]
            ended = target.lines[-1].rstrip().endswith((".", ";")) and line[:1].isupper()
            closed = ended and not _time_limit(line)  # "Thời hạn: ..." is the item's
            (after if closed else target.lines).append(line)
        elif items:
            after.append(line)
        else:
            loose.append(TaskText(f"¶{len(loose) + 1}", line))
            lead = line if line.endswith(":") else None
    return items, loose, [TaskText(f"¶{i}", p) for i, p in enumerate(after, 1)]


def _bullet(item: _Item, text: str) -> None:
    """A dash under a lettered point is part of the point; under an item that lists the
    contents of a report ("... gồm các nội dung sau:") it is part of the item; else a task."""
    last = item.subs[-1] if item.subs else None
    if _FIELD.match(text):  # "- Đơn vị chủ trì: ...", "- Thời gian hoàn thành: Quý II/2026"
        (last or item).lines.append(f"- {text}")
        return
    if last is not None and not last.label.split(".")[-1].startswith("-"):
        last.lines.append(f"- {text}")
        return
    if not item.subs and _CONTENT_INTRO.search(item.text) and not dated(text):
        item.lines.append(f"- {text}")
        return
    item.bullets += 1
    item.subs.append(_Item(f"{item.label}.-{item.bullets}", [text]))


def _settle(items: list[_Item], after: list[str]) -> None:
    """Paragraphs between two items belong to the item above: a paragraph that asks
    something becomes one of its points, the rest is context."""
    if not items:
        after.clear()
        return
    for i, paragraph in enumerate(after, 1):
        if _asks(paragraph) or dated(paragraph):
            items[-1].subs.append(_Item(f"{items[-1].label}.¶{i}", [paragraph]))
    after.clear()


def _tasks_of(item: _Item) -> list[TaskText]:
    lead = item.text
    article = item.label.split(".")[-1].startswith("Điều")
    if article and not item.subs and (_NOT_AN_ARTICLE_TASK.search(lead) or _titled(lead)):
        return []
    subs = [s for s in item.subs if s.text and not is_heading(s.text)]
    own = [TaskText(item.label, lead)] if not lead.endswith(":") and not is_heading(lead) else []
    if subs and all(".¶" in s.label for s in subs):
        return own + [TaskText(s.label, s.text, lead) for s in subs]
    if not subs:
        return [] if not lead or _only_intro(lead) else own
    if _CONTENT_INTRO.search(lead) and dated(lead) and not any(dated(s.text) for s in subs):
        contents = "; ".join(s.text for s in subs)
        return [TaskText(item.label, f"{lead} {contents}")]
    return [TaskText(s.label, s.text, lead) for s in subs]


def _titled(text: str) -> bool:
    """ "Điều 4. Trách nhiệm thi hành": an article's title alone."""
    return len(text) <= 60 and not text.endswith((".", ";", ":")) and not dated(text)


def _only_intro(text: str) -> bool:
    """ "Trong quá trình thực hiện, đề nghị lưu ý:" with nothing under it."""
    return text.endswith(":") and not dated(text)
