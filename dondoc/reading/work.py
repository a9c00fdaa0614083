"""The obligations of a dispatch: one or more per task, with codes, deadline rules, cut-offs,
who must act and the first period to track. Pure."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from dondoc.config.spec import CutoffSpec, DeadlineSpec, ObligationKind, Recurrence
from dondoc.engine.deadlines import WorkCalendar
from dondoc.engine.periods import period_containing
from dondoc.reading.agencies import AgencyIndex
from dondoc.reading.cutoffs import read_cutoff
from dondoc.reading.deadline_rules import DeadlineReading, read_deadline
from dondoc.reading.review import Review
from dondoc.reading.scope import IssuersPart, Scope, issuers_part, names_someone, task_scope
from dondoc.reading.segments import TaskText, is_heading, split_tasks
from dondoc.reading.tasks import Asked, period_code, report_addresses, what_is_asked
from dondoc.reading.work_notes import note
from dondoc.reading.work_parts import (
    Found,
    after_list,
    cutoffs_joined,
    forced_recurrences,
    sentence_of,
    stray_report_dates,
)

_REPORT_CODES: dict[str, str] = {
    "yearly": "annual-report",
    "half-yearly": "half-year-report",
    "quarterly": "quarterly-report",
    "monthly": "monthly-report",
    "once": "report",
}


@dataclass(frozen=True)
class ObligationDraft:
    code: str
    kind: ObligationKind
    title: str
    phrase: str
    recurrence: Recurrence
    deadline: DeadlineSpec | None
    first_period: str | None
    task: str  # the task's label in the text: "1", "2.a", "Điều 2", "¶1" (a paragraph)
    # Who must act: groups or agency codes when the task names them; None: every addressee.
    addressees: tuple[str, ...] | None = None
    cutoff: CutoffSpec | None = None  # a data cut-off the text states ("chốt số liệu ngày 25")
    # The text states a deadline the reader could not make a rule of: the draft must not load
    # until the coordinator writes it (draft_yaml writes it so that `dondoc load` refuses).
    deadline_unread: bool = False
    source: str = ""  # the task's words, one line: the sentence review points quote


@dataclass(frozen=True)
class Work:
    obligations: tuple[ObligationDraft, ...]
    report_to: str | None


def read_obligations(
    body: tuple[str, ...],
    issued_on: dt.date | None,
    today: dt.date,
    cal: WorkCalendar | None,
    review: Review,
    *,
    index: AgencyIndex | None = None,
    addressees: tuple[str, ...] = (),
    issuer: str | None = None,
) -> Work:
    segments = split_tasks(list(body))
    first = sentence_of(segments.tasks[0].text if segments.tasks else " ".join(body), None)
    if not segments.numbered and segments.tasks:
        review.add(
            "obligations",
            note("unnumbered"),
            sentence=first,
        )
    found = _readings(list(segments.tasks), issued_on, cal)
    found = after_list(found, list(segments.after), issued_on, cal, _reading_of)
    found = [f for i, f in enumerate(found) if not _said_again(f, found[:i])]
    found = cutoffs_joined(found)
    if not found:
        review.add(
            "obligations",
            note("no_task"),
            sentence=first or None,
        )
    strays = stray_report_dates(list(body), found)
    out: list[ObligationDraft] = []
    codes: Counter[str] = Counter()
    for f in found:
        i = len(out)
        part = issuers_part(f.task.lead or f.task.text, index, issuer, addressees)
        if part is not None and not part.asks_others and not f.reading.stated:
            review.add("obligations", part.left_out, sentence=sentence_of(f.task.text, None))
            continue
        ob = _draft(f, codes, index, addressees, review, i, part)
        if ob.kind == "report" and ob.deadline is None and strays:
            ob = replace(ob, deadline_unread=True)
            review.add(f"obligations[{i}].deadline", *strays, sentence=ob.source)
        out.append(replace(ob, first_period=_first_period(ob, issued_on, today, review, i)))
    return Work(tuple(out), _report_to(list(body), review))


def _said_again(f: Found, before: list[Found]) -> bool:
    """A paragraph under an item that repeats a report's date stated above it."""
    return (
        ".¶" in f.task.label
        and f.reading.dated
        and any(
            (b.asked.kind, b.reading.recurrence, b.reading.deadline)
            == (f.asked.kind, f.reading.recurrence, f.reading.deadline)
            for b in before
        )
    )


def _reading_of(
    asked: Asked, task: TaskText, issued_on: dt.date | None, cal: WorkCalendar | None,
    recurrence: Recurrence | None = None,
) -> DeadlineReading:  # fmt: skip
    reading = read_deadline(asked.text, issued_on, cal, recurrence=recurrence)
    if task.lead and not reading.stated and not task.lead.endswith(":") and ".¶" not in task.label:
        reading = read_deadline(f"{task.lead} {asked.text}", issued_on, cal, recurrence=recurrence)
    return reading


def _readings(
    tasks: list[TaskText], issued_on: dt.date | None, cal: WorkCalendar | None
) -> list[Found]:
    asked = [(t, what_is_asked(t.text)) for t in tasks]
    forced = forced_recurrences([a.period for _, group in asked for a in group])
    out: list[Found] = []
    for task, group in asked:
        found = [
            Found(task, a, _reading_of(a, task, issued_on, cal, forced.get(a.period or "")))
            for a in group
        ]
        if len(found) == 2 and found[0].asked.kind == "inspection" and not found[0].reading.stated:
            # "Định kỳ kiểm tra, báo cáo ...": the inspection recurs with the report.
            inspection, report = found
            own, dated = inspection.reading, report.reading
            recurrence = dated.recurrence if dated.recurrence != "once" else own.recurrence
            undated = note("inspection", hint=inspection.asked.phrase_hint)
            reading = DeadlineReading(recurrence, None, own.phrase, (undated,))
            found[0] = replace(inspection, reading=reading)
        out += found
    return out


def _draft(
    f: Found,
    codes: Counter[str],
    index: AgencyIndex | None,
    addressees: tuple[str, ...],
    review: Review,
    i: int,
    part: IssuersPart | None = None,
) -> ObligationDraft:
    a, reading, task = f.asked, f.reading, f.task
    source = sentence_of(f.extra or task.text, reading.phrase)
    cut = read_cutoff(a.text, reading.recurrence)
    scope = task_scope(task.lead or task.text, index, addressees) if index else Scope(None)
    scope = part.scope if part is not None else scope
    phrase = reading.phrase if reading.dated else (a.phrase_hint or reading.phrase)
    review.add(f"obligations[{i}].deadline", *reading.notes, sentence=source)
    if reading.unread:
        review.add(
            f"obligations[{i}].deadline",
            note("unread", phrase=reading.phrase),
            sentence=source,
        )
    review.add(f"obligations[{i}].cutoff", *cut.notes, sentence=sentence_of(a.text, cut.phrase))
    who = sentence_of(task.lead or task.text, None)
    review.add(f"obligations[{i}].addressees", *scope.notes, sentence=who)
    notes = [*f.notes] + ([] if a.kind_known else [note("kind")])
    review.add(f"obligations[{i}]", *notes, sentence=source)
    return ObligationDraft(
        code=_code(a, reading.recurrence, codes),
        kind=a.kind,
        title=_titled(a.title, task, scope),
        phrase=phrase or sentence_of(task.text, None),
        recurrence=reading.recurrence,
        deadline=reading.deadline,
        first_period=None,
        task=task.label,
        addressees=scope.names,
        cutoff=cut.cutoff,
        deadline_unread=reading.unread,
        source=source,
    )


def _titled(title: str, task: TaskText, scope: Scope) -> str:
    """A point's title with its item's intro ("Triển khai bệnh án điện tử tại các bệnh viện:
    bệnh viện hạng I, hạng II"), unless the intro only names who acts or the point is a report
    of its own."""
    lead = (task.lead or "").strip()
    if not lead.endswith(":") or len(lead) > 100 or scope.names or title.startswith("Báo cáo"):
        return title
    if is_heading(lead[:-1]) or names_someone(lead):
        return title
    joined = f"{lead[:-1].rstrip()}: {title[:1].lower()}{title[1:]}"
    return joined if len(joined) <= 200 else title


def _code(asked: Asked, recurrence: Recurrence, taken: Counter[str]) -> str:
    base: str = asked.kind
    if asked.kind == "report":
        named = period_code(asked.period) if recurrence != "once" else None
        base = named or _REPORT_CODES[recurrence]
    taken[base] += 1
    return base if taken[base] == 1 else f"{base}-{taken[base]}"


def _first_period(
    ob: ObligationDraft, issued_on: dt.date | None, today: dt.date, review: Review, i: int
) -> str | None:
    """The later of the period of the issue date and today's: an old dispatch would otherwise
    make a task (overdue, and reminded) for every period since it was issued."""
    if ob.recurrence == "once":
        return None
    now = period_containing(today, ob.recurrence)
    where = f"obligations[{i}].first_period"
    if issued_on is None:
        review.add(where, note("no_issue_date", now=now.label), sentence=ob.source)
        return now.label
    issued = period_containing(issued_on, ob.recurrence)
    if issued < now:
        review.add(
            where,
            note("past_periods", issued=issued.label, now=now.label, today=today),
            sentence=ob.source,
        )
    return max(issued, now).label


def _report_to(body: list[str], review: Review) -> str | None:
    found = report_addresses(body)
    if len(found) > 1:
        review.add(
            "report_to",
            note("report_places", places="; ".join(found)),
            sentence=sentence_of(" ".join(body), "gửi"),
        )
    return found[0] if found else None
