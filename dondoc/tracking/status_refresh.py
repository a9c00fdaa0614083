"""Keep stored statuses equal to what the pure status function gives now: decide which open
tasks change, then write the changes (each re-checked) with one event row per change."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import ColumnElement, and_, insert, literal, or_, select, update
from sqlmodel import Session

from dondoc.context import RunContext
from dondoc.db import rows_affected
from dondoc.models import Event, Task, UTCDateTime, table_of
from dondoc.tracking.id_sets import among, chunks, nearly_always

_TASK = table_of(Task)
# (old status, new status) -> the ids of the tasks that make that change now
StatusChanges = dict[tuple[str, str], list[int]]


def _transitions(ctx: RunContext) -> list[tuple[ColumnElement[bool], str]]:
    """``dondoc.engine.deadlines.open_status`` as SQL: which open tasks must change, and to
    what. The conditions exclude each other, and each bounds ``due_at`` so it reads a range of
    ``ix_task_status_due_at``, not every task in a status (overdue ones pile up over years)."""
    now = literal(ctx.now, UTCDateTime())
    t = _TASK.c
    status, due_at, window = t.status, t.due_at, t.remind_from_at
    before_due = due_at > now
    return [
        (and_(status.in_(("pending", "due_soon")), due_at <= now), "overdue"),
        (and_(status.in_(("pending", "overdue")), before_due, window <= now), "due_soon"),
        # Back to pending only for a sweep run "as of" an earlier instant, or after a retime.
        (
            and_(
                status.in_(("due_soon", "overdue")),
                before_due,
                or_(window.is_(None), window > now),
            ),
            "pending",
        ),
        (and_(status.in_(("due_soon", "overdue")), due_at.is_(None)), "pending"),
    ]


def decide_statuses(*, session: Session, ctx: RunContext) -> StatusChanges:
    """Which open tasks change status now, read through the (status, due_at) index; writes
    nothing."""
    changes: StatusChanges = defaultdict(list)
    for condition, new in _transitions(ctx):
        for task_id, old in session.execute(select(_TASK.c.id, _TASK.c.status).where(condition)):
            changes[(old, new)].append(task_id)
    return changes


def apply_statuses(*, session: Session, ctx: RunContext, changes: StatusChanges) -> dict[str, int]:
    """Write the decided changes, each only if the task still has the status it was decided
    from (a report recorded meanwhile wins), with one event row per change; counts by status."""
    counts: dict[str, int] = {}
    at, t = literal(ctx.now, UTCDateTime()), _TASK.c
    for (old, new), ids in sorted(changes.items()):
        for chunk in chunks(ids, ctx.settings.batch_size):
            still = and_(among(session, t.id, chunk), nearly_always(session, t.status == old))
            audit = select(
                at, literal("status"), t.id, t.agency_id, t.status, literal(new), literal("sweep")
            ).where(still)
            columns = ["at", "kind", "task_id", "agency_id", "old_status", "new_status", "actor"]
            session.execute(insert(Event).from_select(columns, audit))
            moved = update(_TASK).where(still).values(status=new, updated_at=ctx.now)
            changed = rows_affected(session.execute(moved))
            if changed:
                counts[new] = counts.get(new, 0) + changed
    return counts


def refresh_statuses(*, session: Session, ctx: RunContext) -> dict[str, int]:
    """Move open tasks to the status ``open_status`` gives now; one event row per change."""
    changes = decide_statuses(session=session, ctx=ctx)
    return apply_statuses(session=session, ctx=ctx, changes=changes)
