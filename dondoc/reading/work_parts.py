"""Parts of reading the obligations: the paragraphs after the list (a deadline in its own
paragraph belongs to the reports above it), the recurrences of period reports read together
("báo cáo 6 tháng", "báo cáo 9 tháng", "báo cáo năm": three yearly reports), report dates left
over, and the sentence a review point quotes. Pure."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from dondoc.config.spec import Recurrence
from dondoc.engine.deadlines import WorkCalendar
from dondoc.reading.data_periods import data_periods
from dondoc.reading.deadline_phrases import date_hits, lowered, no_date_hits
from dondoc.reading.deadline_rules import DeadlineReading
from dondoc.reading.review import Note, vi_text
from dondoc.reading.segments import TaskText
from dondoc.reading.tasks import Asked, what_is_asked
from dondoc.reading.text import squash

_REPORTING = re.compile(r"báo cáo|gửi (?:về|kết quả|văn bản)|có ý kiến|góp ý", re.I)
_CUTOFF_ONLY = re.compile(r"^\W*(?:thời điểm\s+|thời gian\s+)?(?:chốt|khóa|khoá)\s+số\s+liệu")
_SECTIONED = re.compile(r"^[IVX]+\.")
_MAX_REPORTED_WORK = 6
_SENTENCE_END = re.compile(r"(?<=[^\d\s][.;])\s+(?=\S)")
_MAX_SENTENCE = 300
ReadingOf = Callable[
    [Asked, TaskText, dt.date | None, WorkCalendar | None, Recurrence | None], DeadlineReading
]


@dataclass(frozen=True)
class Found:
    task: TaskText
    asked: Asked
    reading: DeadlineReading
    notes: tuple[str, ...] = ()
    extra: str | None = None  # the paragraph after the list the deadline came from


def forced_recurrences(periods: list[str | None]) -> dict[str, Recurrence]:
    """The recurrence each named period report has in this document: a 9-month and an annual
    report are yearly; a 6-month report is yearly too beside them (one report a year, due
    mid-year), half-yearly otherwise (read from its dates)."""
    present = {p for p in periods if p}
    forced: dict[str, Recurrence] = {"9m": "yearly", "year": "yearly", "quarter": "quarterly",
                                     "month": "monthly"}  # fmt: skip
    if "6m" in present and present & {"9m", "year"}:
        forced["6m"] = "yearly"
    return forced


def after_list(
    found: list[Found],
    paragraphs: list[TaskText],
    issued_on: dt.date | None,
    cal: WorkCalendar | None,
    reading_of: ReadingOf,
) -> list[Found]:
    """A paragraph after the list that states a date for reports ("Báo cáo gửi về Bộ ...
    trước ngày 10/12/2025.") gives it to the reports above without one; with no such report
    it is a report of its own. Other paragraphs that ask something by a date are tasks."""
    out = list(found)
    # A list that dates none of its items: the report below dates the work it reports on.
    # A directive's long list of standing tasks, in sections, is not the contents of a report.
    undated = (
        0 < len(found) <= _MAX_REPORTED_WORK
        and not any(f.reading.stated for f in found)
        and not any(_SECTIONED.match(f.task.label) for f in found)
    )
    for para in paragraphs:
        for a in what_is_asked(para.text):
            reading = reading_of(a, para, issued_on, cal, None)
            if _only_cutoff(Found(para, a, reading)):  # "Thời điểm chốt số liệu: ngày 25 ..."
                out.append(Found(para, a, reading))
                continue
            reports = a.kind == "report" or bool(_REPORTING.search(para.text))
            targets = [j for j, f in enumerate(out) if _awaits_date(f)]
            work = [j for j in range(len(found)) if _work_awaits(out[j])]
            if reports and reading.stated and reading.recurrence == "once" and undated and work:
                for j in work:
                    out[j] = _attach(out[j], para, issued_on, cal, reading_of, 0, _WORK_NOTE)
            if reports and reading.stated and targets:
                for j in targets:
                    out[j] = _attach(out[j], para, issued_on, cal, reading_of, len(targets))
            elif reports and reading.stated and undated and work:
                out.append(Found(para, replace(a, kind="report", kind_known=True), reading))
            elif _repeats(reading, out):
                continue  # "Báo cáo gửi về Bộ trước ngày 10/12 hằng năm" said again below
            elif reading.stated or (reports and not any(f.asked.kind == "report" for f in out)):
                if reading.recurrence == "once" and not reading.stated:
                    continue  # "Trong quá trình thực hiện, ... báo cáo ..." without a date
                kind = "report" if reports else a.kind
                out.append(Found(para, replace(a, kind=kind, kind_known=True), reading))
    return out


def _repeats(reading: DeadlineReading, found: list[Found]) -> bool:
    return reading.dated and any(
        (f.reading.recurrence, f.reading.deadline) == (reading.recurrence, reading.deadline)
        for f in found
    )


def _attach(
    f: Found,
    para: TaskText,
    issued_on: dt.date | None,
    cal: WorkCalendar | None,
    reading_of: ReadingOf,
    shared: int,
    why: str = "",
) -> Found:
    # Read together, the task's own words keep their say on recurrence ("hằng năm").
    joined = replace(f.asked, text=f"{f.asked.text} {para.text}")
    reading = reading_of(joined, f.task, issued_on, cal, None)
    shared_by = f", shared by {shared} reports" if shared > 1 else ""
    shared_vi = f", dùng chung cho {shared} báo cáo" if shared > 1 else ""
    note = Note(
        f"deadline read from the paragraph after the list{shared_by}{why}: check",
        f"thời hạn đọc từ đoạn sau danh sách{shared_vi}{vi_text(why)}: cần kiểm tra",
    )
    reading = replace(reading, notes=(*reading.notes, note))
    return replace(f, reading=reading, extra=para.text)


_WORK_NOTE = Note(
    " (the report on the work listed above, whose items state no date)",
    " (báo cáo về các công việc nêu trên, các mục đó không nêu thời hạn)",
)


def _work_awaits(f: Found) -> bool:
    """Work without a date of its own that the report below it may date."""
    return (
        f.asked.kind != "report"
        and not f.reading.stated
        and f.reading.recurrence == "once"
        and not no_date_hits(lowered(f.asked.text))
    )


def _awaits_date(f: Found) -> bool:
    """A report that states no date, and is not one on demand ("đột xuất")."""
    return (
        f.asked.kind == "report"
        and not f.reading.stated
        and not no_date_hits(lowered(f.asked.text))
    )


def cutoffs_joined(found: list[Found]) -> list[Found]:
    """A task that only fixes when data are cut ("- Chốt số liệu ngày 25 hằng tháng;") is the
    cut-off of the report beside it (the next one in its list, else the one before), not an
    obligation of its own."""
    out = list(found)
    for f in found:
        if not _only_cutoff(f):
            continue
        reports = [g for g in out if g.asked.kind == "report" and not _only_cutoff(g)]
        near = [g for g in reports if _siblings(f, g)]
        if f.task.label.startswith("¶") and not near:  # after the list: its periodic reports
            near = [g for g in reports if g.reading.recurrence != "once"]
            near = near if len(near) == 1 else []
        after = [g for g in near if found.index(g) > found.index(f)]
        candidates = after or near[::-1]
        if not candidates:
            continue
        target = candidates[0]
        j = out.index(target)
        joined = replace(target.asked, text=f"{f.asked.text.rstrip(' ;,.')}; {target.asked.text}")
        beside = sentence_of(f.task.text, None)
        note = Note(
            f"data cut-off read from '{beside}' beside it: check",
            f"thời điểm chốt số liệu đọc từ '{beside}' bên cạnh: cần kiểm tra",
        )
        out[j] = replace(target, asked=joined, notes=(*target.notes, note))
        out.remove(f)
    return out


def _only_cutoff(f: Found) -> bool:
    low = lowered(f.asked.text)
    return (
        not f.reading.stated
        and bool(_CUTOFF_ONLY.match(low))
        and any(p.data and p.first is None for p in data_periods(low))
    )


def _siblings(a: Found, b: Found) -> bool:
    """Two tasks of the same list: points of one item, or loose bullets."""
    return a.task.label.rsplit(".", 1)[0] == b.task.label.rsplit(".", 1)[0] or (
        a.task.label.startswith("•") and b.task.label.startswith("•")
    )


def stray_report_dates(body: list[str], found: list[Found]) -> list[str]:
    """Dated phrases on lines about reports that no task took: a report left without a
    deadline beside them may have dropped it."""
    covered = " ".join(" ".join(filter(None, (f.task.text, f.task.lead, f.extra))) for f in found)
    out: list[str] = []
    for line in (squash(b) for b in body):
        if "báo cáo" not in line.lower():
            continue
        for hit in date_hits(lowered(line)):
            phrase = line[hit.start : hit.end]
            if phrase not in covered:
                quoted = sentence_of(line, phrase)
                out.append(
                    Note(
                        f"a date for reports outside the tasks ('{quoted}'): write the deadline",
                        f"có ngày báo cáo nằm ngoài các nhiệm vụ ('{quoted}'): cần nhập thời hạn",
                    )
                )
    return out


def sentence_of(text: str, phrase: str | None) -> str:
    """The sentence of ``text`` that holds ``phrase`` (else the first), one line, trimmed."""
    parts = [squash(p) for p in _SENTENCE_END.split(text) if p.strip()] or [squash(text)]
    chosen = next((p for p in parts if phrase and phrase in p), None)
    if chosen is None and phrase:
        chosen = next((p for p in parts if squash(phrase) in p), parts[0])
    chosen = chosen or parts[0]
    if len(chosen) > _MAX_SENTENCE:
        chosen = chosen[:_MAX_SENTENCE].rsplit(" ", 1)[0] + " …"
    return chosen
