"""The obligations of a dispatch: one or two per numbered task, with codes, deadline rules and
the first period to track. Pure."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from dondoc.config.spec import CutoffSpec, DeadlineSpec, ObligationKind, Recurrence
from dondoc.engine.deadlines import WorkCalendar
from dondoc.engine.periods import period_containing
from dondoc.reading.deadline_rules import DeadlineReading, read_deadline
from dondoc.reading.review import Review
from dondoc.reading.tasks import Asked, TaskText, lead_addressee, report_addresses, split_tasks

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
    task: str  # the task's label in the text: "1", "2.a", "Điều 2"
    # Who must act: groups or agency codes when the task names them; None: every addressee.
    addressees: tuple[str, ...] | None = None
    cutoff: CutoffSpec | None = None  # a data cut-off the text states ("chốt số liệu ngày 25")


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
) -> Work:
    tasks, numbered = split_tasks(list(body))
    if not numbered and tasks:
        review.add("obligations", "no numbered tasks: read from paragraphs that ask something")
    if not tasks:
        review.add("obligations", "no task found in the body: write the obligations by hand")
    out: list[ObligationDraft] = []
    codes: Counter[str] = Counter()
    for task in tasks:
        readings = _readings(task, issued_on, cal)
        for asked, reading, notes in readings:
            i = len(out)
            code = _code(asked.kind, reading.recurrence, codes)
            first = _first_period(reading.recurrence, issued_on, today, review, i)
            phrase = reading.phrase if reading.dated else (asked.phrase_hint or reading.phrase)
            out.append(
                ObligationDraft(
                    code=code,
                    kind=asked.kind,
                    title=asked.title,
                    phrase=phrase or task.text,
                    recurrence=reading.recurrence,
                    deadline=reading.deadline,
                    first_period=first,
                    task=task.label,
                )
            )
            review.add(f"obligations[{i}].deadline", *reading.notes)
            review.add(f"obligations[{i}]", *notes)
    return Work(tuple(out), _report_to(list(body), review))


def _readings(
    task: TaskText, issued_on: dt.date | None, cal: WorkCalendar | None
) -> list[tuple[Asked, DeadlineReading, list[str]]]:
    from dondoc.reading.tasks import what_is_asked

    notes: list[str] = []
    if who := lead_addressee(task):
        notes.append(
            f"task {task.label} is for '{who}' only; a spec gives every obligation to all its "
            "addressees: split into separate specs if that matters"
        )
    asked = what_is_asked(task.text)
    out: list[tuple[Asked, DeadlineReading, list[str]]] = []
    for a in asked:
        reading = read_deadline(a.text, issued_on, cal)
        if task.lead and not reading.dated and not task.lead.endswith(":"):
            reading = read_deadline(f"{task.lead} {a.text}", issued_on, cal)
        extra = [] if a.kind_known else ["kind not recognised: 'plan' (an action to take)"]
        out.append((a, reading, notes + extra))
    if len(out) == 2:  # "Định kỳ kiểm tra, báo cáo ...": the inspection recurs with the report
        (inspection, own, n1), (_, dated, _) = out
        recurrence = dated.recurrence if dated.recurrence != "once" else own.recurrence
        note = (
            f"'{inspection.phrase_hint}' gives no date for the inspection; its results go into "
            "the report that follows it"
        )
        out[0] = (inspection, DeadlineReading(recurrence, None, own.phrase, (note,)), n1)
    return out


def _code(kind: ObligationKind, recurrence: Recurrence, taken: Counter[str]) -> str:
    base = _REPORT_CODES[recurrence] if kind == "report" else kind
    taken[base] += 1
    return base if taken[base] == 1 else f"{base}-{taken[base]}"


def _first_period(
    recurrence: Recurrence, issued_on: dt.date | None, today: dt.date, review: Review, i: int
) -> str | None:
    """The later of the period of the issue date and today's: an old dispatch would otherwise
    make a task (overdue, and reminded) for every period since it was issued."""
    if recurrence == "once":
        return None
    now = period_containing(today, recurrence)
    if issued_on is None:
        review.add(f"obligations[{i}].first_period", f"no issue date: starts with {now.label}")
        return now.label
    issued = period_containing(issued_on, recurrence)
    if issued < now:
        review.add(
            f"obligations[{i}].first_period",
            f"issued in period {issued.label}; tracking starts with {now.label} (as of "
            f"{today:%d/%m/%Y}) so that past periods are not all overdue: set an earlier "
            "period to track them",
        )
    return max(issued, now).label


def _report_to(body: list[str], review: Review) -> str | None:
    found = report_addresses(body)
    if len(found) > 1:
        review.add("report_to", f"several places to send reports: {'; '.join(found)}")
    return found[0] if found else None
