"""The compliance board: who is on time, late or silent, for a directive and period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select
from sqlmodel import Session, SQLModel, col

from dondoc.deadlines import days_between
from dondoc.models import Agency, Document, Notification, Obligation, Submission, Task

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
    status: str
    status_label: str
    submitted_on: dt.date | None
    document: str | None
    days_late: int | None
    reminders_sent: int
    reminders_waiting: int = 0  # queued or being retried: the delivery backlog


def board_rows(
    *,
    session: Session,
    directive: str | None = None,
    period: str | None = None,
    obligation: str | None = None,
) -> list[BoardRow]:
    state = col(Notification.status)
    sent = (
        select(
            col(Notification.task_id),
            func.sum(case((state == "sent", 1), else_=0)).label("n"),
            func.sum(case((state.in_(("queued", "sending")), 1), else_=0)).label("waiting"),
        )
        .group_by(col(Notification.task_id))
        .subquery()
    )
    live = select(Submission).where(col(Submission.withdrawn_at).is_(None)).subquery()
    query = (
        select(
            Task,
            Agency,
            Obligation,
            col(Document.number),
            live.c.received_on,
            live.c.document_number,
            sent.c.n,
            sent.c.waiting,
        )
        .join(Agency, col(Agency.id) == col(Task.agency_id))
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .outerjoin(live, live.c.task_id == col(Task.id))
        .outerjoin(sent, sent.c.task_id == col(Task.id))
        .order_by(col(Document.number), col(Obligation.code), col(Task.period), col(Agency.code))
    )
    if directive:
        query = query.where(col(Document.number) == directive)
    if period:
        query = query.where(col(Task.period) == period)
    if obligation:
        query = query.where(col(Obligation.code) == obligation)
    return [
        _row(task, agency, ob, number, received, doc, (n or 0, waiting or 0))
        for task, agency, ob, number, received, doc, n, waiting in session.execute(query).tuples()
    ]


def _row(
    task: Task,
    agency: Agency,
    ob: Obligation,
    directive: str,
    received: dt.date | None,
    document: str | None,
    messages: tuple[int, int],
) -> BoardRow:
    late = None
    if received is not None and task.due_day is not None:
        late = max(0, days_between(task.due_day, received))
    return BoardRow(
        agency=agency.code,
        agency_name=agency.name,
        directive=directive,
        obligation=ob.code,
        obligation_title=ob.title,
        period=task.period,
        due_date=task.due_day,
        status=task.status,
        status_label=STATUS_LABELS_VI[task.status],
        submitted_on=received,
        document=document,
        days_late=late,
        reminders_sent=messages[0],
        reminders_waiting=messages[1],
    )
