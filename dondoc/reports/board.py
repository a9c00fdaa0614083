"""The compliance board: who is on time, late or silent, for a directive and period."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import ScalarSelect, Select, case, func, select
from sqlmodel import Session, SQLModel, col

from dondoc.engine.cutoff import window_vi
from dondoc.engine.deadlines import days_between
from dondoc.engine.lineage import inherited_from, name_at, task_day
from dondoc.engine.rules import cutoff_window_of
from dondoc.models import Agency, Document, Notification, Obligation, Submission, Task

Q = TypeVar("Q", bound=Select[Any])

STATUS_LABELS_VI = {
    "pending": "Chưa đến hạn",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn, chưa hoàn thành",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "waived": "Không phải thực hiện",
}


class BoardRow(SQLModel):
    """TaskPublic: one line of the board, as `dondoc status --format json` prints it."""

    agency: str
    agency_name: str
    directive: str
    obligation: str
    obligation_title: str
    period: str
    due_date: dt.date | None
    # The data the report covers (Decree 09/2019/NĐ-CP, Art. 12), shown beside the deadline so
    # the coordinator sees a deadline that falls before the cut-off; None without a cut-off.
    cutoff_start: dt.date | None = None
    cutoff_end: dt.date | None = None
    cutoff_window: str | None = None  # "15/12/2025–14/12/2026"
    status: str
    status_label: str
    submitted_on: dt.date | None
    document: str | None
    days_late: int | None
    reminders_sent: int
    reminders_waiting: int = 0  # queued or being retried: the delivery backlog
    # Messages dondoc stopped trying (attempts exhausted, or refused for good), and the reason
    # of the latest one (masked: never a password), so the coordinator can reach that agency.
    reminders_given_up: int = 0
    given_up_reason: str | None = None
    # Lineage (docs/succession.md): `agency` holds the task; it was assigned to the origin,
    # named as it was when the task fell due; `inherited_from` reads "Hà Giang (đến
    # 30/06/2025)" for a task taken over from a dissolved or renamed agency, else None.
    origin_agency_code: str | None = None
    origin_agency: str | None = None
    inherited_from: str | None = None
    task_id: int | None = None  # the task's page, /nhiem-vu/{task_id}


def board_rows(
    *,
    session: Session,
    directive: str | None = None,
    period: str | None = None,
    obligation: str | None = None,
    agency: str | None = None,
) -> list[BoardRow]:
    """The board, filtered by directive number, period, obligation code and the code of the
    agency that holds the tasks (its own and those it took over)."""
    wanted = _filtered(select(col(Task.id)), directive, period, obligation, agency)
    state = col(Notification.status)
    # Only the messages of the tasks shown: a GROUP BY over the whole outbox would cost a page
    # of 100 rows a scan of every message ever sent.
    sent = (
        select(
            col(Notification.task_id),
            func.sum(case((state == "sent", 1), else_=0)).label("n"),
            func.sum(case((state.in_(("queued", "sending", "delivering")), 1), else_=0)).label(
                "waiting"
            ),
            func.sum(case((state == "given_up", 1), else_=0)).label("given_up"),
        )
        .where(col(Notification.task_id).in_(wanted.scalar_subquery()))
        .group_by(col(Notification.task_id))
        .subquery()
    )
    live = select(Submission).where(col(Submission.withdrawn_at).is_(None)).subquery()
    query = (
        select(
            Task,
            Agency,
            col(Task.obligation_id),
            col(Document.number),
            live.c.received_on,
            live.c.document_number,
            sent.c.n,
            sent.c.waiting,
            sent.c.given_up,
            _given_up_reason(),
        )
        .join(Agency, col(Agency.id) == col(Task.agency_id))
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .outerjoin(live, live.c.task_id == col(Task.id))
        .outerjoin(sent, sent.c.task_id == col(Task.id))
        .order_by(col(Document.number), col(Obligation.code), col(Task.period), col(Agency.code))
    )
    query = _filtered(query, directive, period, obligation, agency)
    found = list(session.execute(query).tuples())
    agencies = _origins(session, found)
    # The few obligations of the page, read once rather than joined to each of its rows.
    ids = {ob_id for _, _, ob_id, *_ in found}
    obligations = {
        o.id: o
        for o in session.execute(select(Obligation).where(col(Obligation.id).in_(ids))).scalars()
    }
    return [
        _row(
            task,
            (holder, agencies[task.origin_agency_id]),
            obligations[ob_id],
            number,
            (received, doc),
            (n or 0, waiting or 0, given_up or 0, reason),
        )
        for task, holder, ob_id, number, received, doc, n, waiting, given_up, reason in found
    ]


def _filtered(
    query: Q,
    directive: str | None,
    period: str | None,
    obligation: str | None,
    agency: str | None,
) -> Q:
    """``query`` over tasks narrowed by directive number, period, obligation code and holder."""
    if period:
        query = query.where(col(Task.period) == period)
    if directive or obligation:
        obligations = select(col(Obligation.id)).join(
            Document, col(Document.id) == col(Obligation.directive_id)
        )
        if directive:
            obligations = obligations.where(col(Document.number) == directive)
        if obligation:
            obligations = obligations.where(col(Obligation.code) == obligation)
        query = query.where(col(Task.obligation_id).in_(obligations.scalar_subquery()))
    if agency:
        holder = select(col(Agency.id)).where(col(Agency.code) == agency).scalar_subquery()
        query = query.where(col(Task.agency_id) == holder)
    return query


def _origins(session: Session, found: list[Any]) -> dict[int | None, Agency]:
    """The agencies the shown tasks were assigned to: their holders, and only those others
    (dissolved or renamed predecessors) the page names."""
    known = {holder.id: holder for _, holder, *_ in found}
    missing = {task.origin_agency_id for task, *_ in found} - set(known)
    if missing:
        query = select(Agency).where(col(Agency.id).in_(missing))
        known |= {a.id: a for a in session.execute(query).scalars()}
    return known


def _given_up_reason() -> ScalarSelect[str | None]:
    """The last error of the task's latest given-up message."""
    return (
        select(col(Notification.last_error))
        .where(col(Notification.task_id) == col(Task.id), col(Notification.status) == "given_up")
        .order_by(col(Notification.id).desc())
        .limit(1)
        .scalar_subquery()
    )


def _row(
    task: Task,
    agencies: tuple[Agency, Agency],
    ob: Obligation,
    directive: str,
    submitted: tuple[dt.date | None, str | None],
    messages: tuple[int, int, int, str | None],
) -> BoardRow:
    """One line; ``agencies``: the holder and the origin, ``submitted``: the received date and
    document number of the live submission, ``messages``: sent, waiting, given up and the
    reason of the last given up."""
    (holder, origin), (received, document) = agencies, submitted
    late = None
    if received is not None and task.due_day is not None:
        late = max(0, days_between(task.due_day, received))
    window = cutoff_window_of(ob, task.period)
    day = task_day(task.due_day, task.created_at.date())
    return BoardRow(
        agency=holder.code,
        agency_name=holder.name,
        directive=directive,
        obligation=ob.code,
        obligation_title=ob.title,
        period=task.period,
        due_date=task.due_day,
        cutoff_start=window[0] if window else None,
        cutoff_end=window[1] if window else None,
        cutoff_window=window_vi(window) if window else None,
        status=task.status,
        status_label=STATUS_LABELS_VI[task.status],
        submitted_on=received,
        document=document,
        days_late=late,
        reminders_sent=messages[0],
        reminders_waiting=messages[1],
        reminders_given_up=messages[2],
        given_up_reason=messages[3],
        origin_agency_code=origin.code,
        origin_agency=name_at(origin, day),
        inherited_from=inherited_from(holder, origin, day),
        task_id=task.id,
    )
