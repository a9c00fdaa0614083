"""Queue the reminder stage that is due for each task into the outbox (at most once)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from dondoc.context import RunContext
from dondoc.deadlines import OPEN_STATUSES, Stage, is_send_time, next_stage_after, stage_due
from dondoc.models import Contact, Notification, Obligation, Task, table_of
from dondoc.rules import reminder_policy


def insert_ignoring_duplicates(
    session: Session, table: Table, rows: Sequence[dict[str, Any]]
) -> int:
    """INSERT ... ON CONFLICT DO NOTHING: the unique key, not the caller, decides what is new."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    # RETURNING counts what was inserted on every engine; executemany rowcount is -1 on some.
    result = session.execute(stmt.on_conflict_do_nothing().returning(table.c.id), list(rows))
    return len(result.all())


def _due_tasks(session: Session, ctx: RunContext, after_id: int) -> list[tuple[Task, Obligation]]:
    query = (
        select(Task, Obligation)
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .where(
            col(Task.next_stage_at) <= ctx.now,
            col(Task.status).in_(OPEN_STATUSES),
            col(Task.id) > after_id,
        )
        .order_by(col(Task.id))
        .limit(ctx.settings.batch_size)
    )
    return [(t, o) for t, o in session.execute(query).tuples()]


def _contacts_by_agency(session: Session, agency_ids: Iterable[int]) -> dict[int, list[Contact]]:
    found: dict[int, list[Contact]] = defaultdict(list)
    query = select(Contact).where(
        col(Contact.agency_id).in_(set(agency_ids)),
        col(Contact.active),
        col(Contact.flagged_at).is_(None),
    )
    for contact in session.execute(query).scalars():
        found[contact.agency_id].append(contact)
    return found


def _recipients(contacts: list[Contact], stage: Stage) -> list[Contact]:
    return [c for c in contacts if c.role == "focal" or (stage.escalate and c.role == "leader")]


def queue_due_reminders(*, session: Session, ctx: RunContext) -> int:
    """Queue one outbox row per (task, due stage, recipient); returns rows newly queued."""
    if not is_send_time(ctx.now, ctx.calendar, ctx.tz, ctx.settings.send_hour):
        return 0  # Catch-up happens on the next working-day sweep: next_stage_at is kept.
    queued, last_id = 0, 0
    stages: dict[tuple[int, dt.date], tuple[Stage | None, Stage | None]] = {}
    while batch := _due_tasks(session, ctx, last_id):
        last_id = batch[-1][0].id or last_id
        contacts = _contacts_by_agency(session, (t.agency_id for t, _ in batch))
        rows: list[dict[str, Any]] = []
        moves: list[dict[str, Any]] = []
        for task, obligation in batch:
            assert task.due_day is not None and obligation.id is not None
            key = (obligation.id, task.due_day)
            if key not in stages:
                policy = reminder_policy(obligation, ctx.settings.send_hour)
                args = (task.due_day, policy, ctx.calendar, ctx.tz, ctx.now)
                stages[key] = (stage_due(*args), next_stage_after(*args))
            due, following = stages[key]
            moves.append({"tid": task.id, "nsa": following.send_at if following else None})
            if due is None:
                continue
            rows.extend(
                _outbox_row(task, due, contact, ctx.now)
                for contact in _recipients(contacts.get(task.agency_id, []), due)
            )
        queued += insert_ignoring_duplicates(session, table_of(Notification), rows)
        tasks = table_of(Task)
        session.execute(
            update(tasks)
            .where(tasks.c.id == bindparam("tid"))
            .values(next_stage_at=bindparam("nsa")),
            moves,
        )
    return queued


def _outbox_row(task: Task, stage: Stage, contact: Contact, now: dt.datetime) -> dict[str, Any]:
    return {
        "task_id": task.id,
        "stage": stage.key,
        "contact_id": contact.id,
        "status": "queued",
        "attempts": 0,
        "queued_at": now,
        "next_attempt_at": now,
    }
