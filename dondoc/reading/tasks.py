"""The numbered tasks of a dispatch's body ("1.", "2.", "a)", "Điều 1.") and what each asks:
its kind (plan, inspection, report), a title, and where reports go. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.config.spec import ObligationKind
from dondoc.reading.text import squash

_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.)]\s+(?P<text>\S.*)$")
_ARTICLE = re.compile(r"^Điều\s+(?P<n>\d{1,2})\s*[.:]\s*(?P<text>.*)$")
_SUB = re.compile(r"^(?P<n>[a-zđ])\s*\)\s+(?P<text>\S.*)$")
_SECTION = re.compile(r"^[IVX]{1,4}\s*[.)]\s+\S")
_BOILERPLATE = re.compile(
    r"có hiệu lực|chịu trách nhiệm thi hành|thi hành (?:quyết định|chỉ thị) này|^ban hành kèm theo",
    re.I,
)
_REQUEST = re.compile(r"\b(?:đề nghị|yêu cầu|giao)\b", re.I)
_KIND_WORDS: tuple[tuple[ObligationKind, re.Pattern[str]], ...] = (
    ("plan", re.compile(r"kế hoạch|chương trình hành động|đề án|ban hành")),
    ("inspection", re.compile(r"kiểm tra|thanh tra")),
    ("report", re.compile(r"báo cáo")),
)
_THEN_REPORT = re.compile(r"(?:kiểm tra|thanh tra)\s*(?:,|và)\s*báo cáo\s+")
_TITLE_END = re.compile(
    r",\s*gửi\b|\sgửi về\b|\s(?:trước|chậm nhất|hạn chót|trong thời hạn|trong (?:quý|tháng))\b"
    r"|;|\.\s|\.$"
    r"|\stheo (?:các|địa chỉ)\b|\s\(sau đây"
)
_ADDRESS = re.compile(r"theo địa chỉ\s*:?\s*(?P<a>.+?)(?:\s+để\s|;|\.\s|\.?$)")
_SEND_TO = re.compile(r"gửi về\s+(?P<a>.+?)(?=\s+(?:trước|chậm nhất|để|trong|qua)\b|[,.;]|$)")
_EMAIL = re.compile(r"(?:thư điện tử|email|e-mail)\s*:?\s*(?P<e>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
_LEAD = re.compile(r"^(?P<who>[^.;]{3,120}):$")
_MAX_TITLE = 160


@dataclass(frozen=True)
class TaskText:
    label: str  # "1", "2.b", "Điều 3", "¶2" (a paragraph when nothing is numbered)
    text: str
    lead: str | None = None  # the numbered item's own words when the task is one of its a), b)


@dataclass(frozen=True)
class Asked:
    kind: ObligationKind
    title: str
    text: str  # the words the deadline is read from
    phrase_hint: str | None = None  # for a split inspection: "Định kỳ kiểm tra"
    kind_known: bool = True


def split_tasks(body: list[str]) -> tuple[list[TaskText], bool]:
    """The tasks of the body lines, and whether they were numbered. After the last numbered
    task, a new paragraph (a capital after a full stop) closes the list: "Trong quá trình
    thực hiện, nếu có vướng mắc..." is not part of the last task."""
    items: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = []
    closed = False
    for line in body:
        line = line.strip()
        if not line or _SECTION.match(line):
            continue
        if m := _ITEM.match(line) or _ARTICLE.match(line):
            label = m["n"] if line[0].isdigit() else f"Điều {m['n']}"
            items.append((label, [m["text"]], []))
            closed = False
        elif (m := _SUB.match(line)) and items:
            items[-1][2].append((m["n"], [m["text"]]))
        elif items and not closed:
            lines = items[-1][2][-1][1] if items[-1][2] else items[-1][1]
            closed = lines[-1].rstrip().endswith(".") and line[:1].isupper()
            if not closed:
                lines.append(line)
    if not items:
        return _paragraphs(body), False
    tasks: list[TaskText] = []
    for label, lines, subs in items:
        lead = squash(" ".join(lines))
        if _BOILERPLATE.search(lead):
            continue
        if not subs:
            tasks.append(TaskText(label, lead))
        for sub, sub_lines in subs:
            tasks.append(TaskText(f"{label}.{sub}", squash(" ".join(sub_lines)), lead))
    return tasks, True


def _paragraphs(body: list[str]) -> list[TaskText]:
    paragraphs = [squash(line) for line in body if _REQUEST.search(line)]
    return [TaskText(f"¶{i}", p) for i, p in enumerate(paragraphs, 1)]


def lead_addressee(task: TaskText) -> str | None:
    """ "Các Bộ, ngành:" when a numbered item gives its a), b) to some addressees only."""
    if task.lead is None:
        return None
    m = _LEAD.match(task.lead.strip())
    return m["who"] if m else None


def what_is_asked(text: str) -> list[Asked]:
    """One obligation per task, or two for "Định kỳ kiểm tra, báo cáo ...": the inspection,
    and the report that carries the date."""
    low = text.lower()
    if both := _THEN_REPORT.search(low):
        obj = _clause(text[both.end() :])
        inspected = re.sub(r"^kết quả\s+", "", obj)
        return [
            Asked("inspection", f"Kiểm tra việc {inspected}", text[: both.start()],
                  squash(text[: low.index("tra", both.start()) + 3])),
            Asked("report", f"Báo cáo {obj}", text[both.start() :]),
        ]  # fmt: skip
    found = [(m.start(), kind) for kind, p in _KIND_WORDS if (m := p.search(low))]
    if not found:
        return [Asked("plan", _title(text), text, kind_known=False)]
    return [Asked(min(found)[1], _title(text), text)]


def _clause(text: str) -> str:
    """The words up to where the task says when or where to send (the title's length)."""
    end = _TITLE_END.search(text, min(8, len(text)))
    clause = squash(text[: end.start()] if end else text).rstrip(" ,:;.")
    if len(clause) > _MAX_TITLE:
        clause = clause[:_MAX_TITLE].rsplit(" ", 1)[0] + " …"
    return clause


def _title(text: str) -> str:
    clause = _clause(text)
    return clause[:1].upper() + clause[1:]


def report_addresses(texts: list[str]) -> list[str]:
    """Where reports go: the "theo địa chỉ: ..." addresses, else the "gửi về ..." ones, each
    distinct once; an e-mail address ("thư điện tử: ...") is added to the first."""
    found = [m["a"].strip(" ,") for t in texts for m in _ADDRESS.finditer(t)]
    found = found or [m["a"].strip(" ,") for t in texts for m in _SEND_TO.finditer(t)]
    out = list(dict.fromkeys(found))
    emails = [m["e"] for t in texts for m in _EMAIL.finditer(t)]
    if emails:
        out = [f"{out[0]}, {emails[0]}", *out[1:]] if out else [emails[0]]
    return out
