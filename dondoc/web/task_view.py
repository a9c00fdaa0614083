"""What a task's page shows: the task, the report received (on time or by how many days late),
when it was assigned and since when it has its status, the reminders sent, and its audit trail.

A task made after its due date (`dondoc init` or a sweep catching up) is born overdue: its status
is set when it is made, so no "status" event exists. The page therefore shows what is known
without one: the assignment (the task's own ``created_at``, as `dondoc history` does) and the
status since the last event that set it, or since the assignment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session, col
from starlette.exceptions import HTTPException

from dondoc.engine.deadlines import days_between
from dondoc.models import (
    Agency,
    Contact,
    Document,
    Event,
    Notification,
    Obligation,
    Submission,
    Task,
)
from dondoc.reports.board import STATUS_LABELS_VI


@dataclass(frozen=True)
class Received:
    """The report on record (not withdrawn) and how it compares with the due date."""

    submission: Submission
    days_late: int | None  # None: no due date; 0: on time

    @property
    def verdict(self) -> str:
        if self.days_late is None:
            return "Nhiệm vụ không có thời hạn"
        if self.days_late <= 0:
            return "Đúng hạn"
        return f"Quá hạn {self.days_late} ngày"


@dataclass(frozen=True)
class Reminders:
    sent: int = 0
    waiting: int = 0
    given_up: int = 0
    last_sent: dt.datetime | None = None
    messages: list[tuple[Notification, Contact]] = field(default_factory=list)


@dataclass(frozen=True)
class TaskView:
    task: Task
    obligation: Obligation
    holder: Agency
    origin: Agency
    directive: Document
    events: list[Event]
    status_label: str
    received: Received | None = None
    status_since: dt.datetime | None = None
    reminders: Reminders = field(default_factory=Reminders)

    @property
    def assigned_at(self) -> dt.datetime:
        return self.task.created_at

    def days_overdue(self, today: dt.date) -> int | None:
        if self.task.status != "overdue" or self.task.due_day is None:
            return None
        return max(0, days_between(self.task.due_day, today))


def _received(session: Session, task: Task) -> Received | None:
    live = session.execute(
        select(Submission)
        .where(col(Submission.task_id) == task.id, col(Submission.withdrawn_at).is_(None))
        .order_by(col(Submission.recorded_at).desc())
        .limit(1)
    ).scalar_one_or_none()
    if live is None:
        return None
    late = None if task.due_day is None else max(0, days_between(task.due_day, live.received_on))
    return Received(live, late)


def _reminders(session: Session, task_id: int) -> Reminders:
    rows = session.execute(
        select(Notification, Contact)
        .join(Contact, col(Contact.id) == col(Notification.contact_id))
        .where(col(Notification.task_id) == task_id)
        .order_by(col(Notification.queued_at), col(Notification.id))
    ).tuples()
    messages = [(n, c) for n, c in rows]
    sent = [n.sent_at for n, _ in messages if n.status == "sent" and n.sent_at]
    return Reminders(
        sent=sum(1 for n, _ in messages if n.status == "sent"),
        waiting=sum(1 for n, _ in messages if n.status in ("queued", "sending", "delivering")),
        given_up=sum(1 for n, _ in messages if n.status == "given_up"),
        last_sent=max(sent) if sent else None,
        messages=messages,
    )


def _trail(task: Task, origin: Agency, events: list[Event]) -> list[Event]:
    """The audit trail, opened by the assignment (the task's creation) like `dondoc history`."""
    assigned = Event(
        at=task.created_at,
        kind="assigned",
        task_id=task.id,
        agency_id=origin.id,
        new_status=next((e.old_status for e in events if e.new_status), task.status),
        actor="dondoc",
        detail=f"Kỳ {task.period}, giao cho {origin.name}",
    )
    return [assigned, *events]


def load_task(session: Session, task_id: int) -> TaskView:
    task = session.get(Task, task_id)
    if task is None:
        raise HTTPException(404, f"Không có nhiệm vụ số {task_id}.")
    obligation = session.get(Obligation, task.obligation_id)
    holder = session.get(Agency, task.agency_id)
    origin = session.get(Agency, task.origin_agency_id)
    assert obligation is not None and holder is not None and origin is not None
    directive = session.get(Document, obligation.directive_id)
    assert directive is not None
    events = list(
        session.execute(
            select(Event)
            .where(col(Event.task_id) == task_id)
            .order_by(col(Event.at), col(Event.id))
        ).scalars()
    )
    changes = [e.at for e in events if e.new_status]
    return TaskView(
        task=task,
        obligation=obligation,
        holder=holder,
        origin=origin,
        directive=directive,
        events=_trail(task, origin, events),
        status_label=STATUS_LABELS_VI[task.status],
        received=_received(session, task),
        status_since=changes[-1] if changes else task.created_at,
        reminders=_reminders(session, task_id),
    )
