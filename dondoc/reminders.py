"""Queue the reminder stage that is due for each task into the outbox (at most once)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Integer, Row, any_, bindparam, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

from dondoc.context import RunContext
from dondoc.db import rows_affected
from dondoc.deadlines import (
    OPEN_STATUSES,
    ReminderPolicy,
    Stage,
    is_send_time,
    next_stage_after,
    stage_due,
)
from dondoc.models import Contact, Notification, Obligation, Task, UTCDateTime, table_of
from dondoc.rules import reminder_policy

_TASK, _CONTACT, _OUTBOX = table_of(Task), table_of(Contact), table_of(Notification)
DueRow = Row[tuple[Any, ...]]  # id, obligation_id, due_day, status


def _due_ids(session: Session, ctx: RunContext) -> list[int]:
    """Every task with ``next_stage_at <= now``, in id order: one pass over the index (ids only,
    a few MB even for a million due tasks), so a sweep reads what is due and nothing else.

    Ordered by the index's own order: SQLite would answer ``ORDER BY id`` by scanning the whole
    table, and a cursor within the index breaks down on PostgreSQL, where most due tasks share
    one ``next_stage_at`` (the send hour) and each batch would re-read all of them."""
    t = _TASK.c
    query = select(t.id).where(t.next_stage_at <= ctx.now).order_by(t.next_stage_at, t.id)
    return sorted(session.execute(query).scalars())


def _due_tasks(session: Session, ctx: RunContext, ids: list[int]) -> list[DueRow]:
    """Those of ``ids`` that are still due and open (another sweeper may have moved some)."""
    t = _TASK.c
    query = select(t.id, t.obligation_id, t.due_day, t.status).where(
        _among(session, t.id, ids), t.next_stage_at <= ctx.now
    )
    return [row for row in session.execute(query) if row.status in OPEN_STATUSES]


def _among(session: Session, column: ColumnElement[int], ids: list[int]) -> ColumnElement[bool]:
    """``column IN ids``. On PostgreSQL one array parameter: the statement text is the same for
    every batch, so psycopg neither re-parses a thousand placeholders nor misses its cache."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    return column.in_(bindparam(None, ids, expanding=True))


def _queue(session: Session, ctx: RunContext, stage: str, escalate: bool, ids: list[int]) -> int:
    """One outbox row per (task, recipient), set-based: the focal contacts of each task's
    agency, and its leaders when the stage escalates; returns the rows that were new."""
    t, c = _TASK.c, _CONTACT.c
    now = literal(ctx.now, UTCDateTime())
    source = (
        select(t.id, literal(stage), c.id, literal("queued"), literal(0), now, now)
        .select_from(_TASK.join(_CONTACT, c.agency_id == t.agency_id))
        .where(
            _among(session, t.id, ids),
            c.active,
            c.flagged_at.is_(None),
            c.role.in_(("focal", "leader") if escalate else ("focal",)),
        )
        .order_by(t.id, c.id)  # one lock order for concurrent sweepers
    )
    columns = ["task_id", "stage", "contact_id", "status", "attempts", "queued_at"]
    columns.append("next_attempt_at")
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_OUTBOX)
    # The unique key, not this code, decides what is new: a re-run queues nothing twice.
    stmt = insert.from_select(columns, source).on_conflict_do_nothing()
    # SQLAlchemy keeps an INSERT's rowcount only when asked (psycopg's is lost otherwise).
    return rows_affected(session.execute(stmt.execution_options(preserve_rowcount=True)))


class _Stages:
    """The stage due now and the one after it, per (obligation, due day): the same for every
    agency's task, so worked out once."""

    def __init__(self, session: Session, ctx: RunContext) -> None:
        self.session, self.ctx = session, ctx
        self.policies: dict[int, ReminderPolicy] = {}
        self.known: dict[tuple[int, dt.date], tuple[Stage | None, Stage | None]] = {}

    def of(self, obligation_id: int, due_day: dt.date) -> tuple[Stage | None, Stage | None]:
        key = (obligation_id, due_day)
        if key not in self.known:
            policy = self._policy(obligation_id)
            args = (due_day, policy, self.ctx.calendar, self.ctx.tz, self.ctx.now)
            self.known[key] = (stage_due(*args), next_stage_after(*args))
        return self.known[key]

    def _policy(self, obligation_id: int) -> ReminderPolicy:
        if obligation_id not in self.policies:
            obligation = self.session.get(Obligation, obligation_id)
            assert obligation is not None
            self.policies[obligation_id] = reminder_policy(obligation, self.ctx.settings.send_hour)
        return self.policies[obligation_id]


def queue_due_reminders(*, session: Session, ctx: RunContext) -> int:
    """Queue one outbox row per (task, due stage, recipient); returns rows newly queued."""
    if not is_send_time(ctx.now, ctx.calendar, ctx.tz, ctx.settings.send_hour):
        return 0  # Catch-up happens on the next working-day sweep: next_stage_at is kept.
    queued, stages, due_ids = 0, _Stages(session, ctx), _due_ids(session, ctx)
    size = ctx.settings.batch_size
    for start in range(0, len(due_ids), size):
        sends: dict[tuple[str, bool], list[int]] = defaultdict(list)
        moves: dict[dt.datetime | None, list[int]] = defaultdict(list)
        for task in _due_tasks(session, ctx, due_ids[start : start + size]):
            assert task.due_day is not None
            due, following = stages.of(task.obligation_id, task.due_day)
            moves[following.send_at if following else None].append(task.id)
            if due is not None:
                sends[(due.key, due.escalate)].append(task.id)
        # Grouped by stage and by next send time: a few statements per batch, not one per row.
        for (stage, escalate), ids in sends.items():
            queued += _queue(session, ctx, stage, escalate, ids)
        for next_at, ids in moves.items():
            moved = update(_TASK).where(_among(session, _TASK.c.id, ids))
            session.execute(moved.values(next_stage_at=next_at))
    return queued
