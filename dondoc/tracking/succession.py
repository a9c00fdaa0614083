"""Hand a dissolved agency's open tasks to its successor: set-based, idempotent, one transaction.

Closed tasks, submissions, sent notifications and events stay with the old agency (its history);
open tasks change holder (``task.agency_id``) and keep their origin (``task.origin_agency_id``).
Every moved task gets one ``transferred`` event; the old agency's queued messages for it are
cancelled, and it is due for a reminder at once, so the successor hears of it in this sweep.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, insert, literal, select, update
from sqlmodel import Session, col

from dondoc.context import RunContext
from dondoc.db import rows_affected
from dondoc.engine.deadlines import OPEN_STATUSES, local_date
from dondoc.engine.lineage import Link, holders
from dondoc.models import Agency, Contact, Event, Notification, Task, UTCDateTime

TRANSFER_KIND = "transferred"


def transfer_open_tasks(*, session: Session, ctx: RunContext) -> int:
    """Move the open tasks of every agency dissolved by today (local) to the agency that holds
    them now; returns how many moved (0 when there is nothing left to move)."""
    agencies = {a.id: a for a in session.execute(select(Agency)).scalars() if a.id is not None}
    links = (Link(i, a.successor_id, a.dissolved_on) for i, a in agencies.items())
    heirs = holders(links, local_date(ctx.now, ctx.tz))
    if not heirs:
        return 0
    holding = session.execute(
        select(col(Task.agency_id))
        .where(col(Task.agency_id).in_(heirs), col(Task.status).in_(OPEN_STATUSES))
        .distinct()
    ).scalars()
    moved = 0
    for old in sorted(holding):
        moved += _move(session, ctx, agencies[old], agencies[heirs[old]])
    return moved


def _move(session: Session, ctx: RunContext, old: Agency, new: Agency) -> int:
    held = and_(col(Task.agency_id) == old.id, col(Task.status).in_(OPEN_STATUSES))
    _audit(session, ctx, held, old, new)
    _cancel_queued(session, held, old)
    now = literal(ctx.now, UTCDateTime())
    due_now = case((col(Task.remind_from_at) <= now, now), else_=col(Task.next_stage_at))
    stmt = update(Task).where(held).values(agency_id=new.id, next_stage_at=due_now, updated_at=now)
    return rows_affected(session.execute(stmt))


def _audit(
    session: Session, ctx: RunContext, held: ColumnElement[bool], old: Agency, new: Agency
) -> None:
    assert old.dissolved_on is not None
    recorded = ctx.now.astimezone(ZoneInfo(ctx.tz))
    detail = (
        f"{old.code} {old.name} → {new.code} {new.name}, từ ngày {old.dissolved_on:%d/%m/%Y}"
        f" (ghi nhận ngày {recorded:%d/%m/%Y})"
    )
    rows = select(
        literal(_effective_at(old.dissolved_on, ctx), UTCDateTime()),
        literal(TRANSFER_KIND),
        col(Task.id),
        literal(old.id),
        col(Task.status),
        col(Task.status),
        literal("sweep"),
        literal(detail),
    ).where(held)
    columns = ["at", "kind", "task_id", "agency_id", "old_status", "new_status", "actor", "detail"]
    session.execute(insert(Event).from_select(columns, rows))


def _effective_at(day: dt.date, ctx: RunContext) -> dt.datetime:
    """The start of the dissolution day (local): the transfer's legal effect, whenever a sweep
    records it; never after the sweep's own instant."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(ctx.tz)).astimezone(dt.UTC)
    return min(start, ctx.now)


def _cancel_queued(session: Session, held: ColumnElement[bool], old: Agency) -> None:
    """Messages still waiting for the old agency's contacts would remind an agency that no
    longer exists; rows being sent are left to finish (their sweep holds the claim)."""
    session.execute(
        update(Notification)
        .where(
            col(Notification.status) == "queued",
            col(Notification.task_id).in_(select(col(Task.id)).where(held)),
            col(Notification.contact_id).in_(
                select(col(Contact.id)).where(col(Contact.agency_id) == old.id)
            ),
        )
        .values(status="cancelled")
    )
