"""Queue the reminder stage that is due for each task into the outbox (at most once)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from dondoc.context import RunContext
from dondoc.db import rows_affected
from dondoc.engine.deadlines import (
    OPEN_STATUSES,
    ReminderPolicy,
    Stage,
    is_send_time,
    next_stage_after,
    stage_due,
)
from dondoc.engine.rules import reminder_policy
from dondoc.models import Contact, Notification, Obligation, Task, UTCDateTime, table_of
from dondoc.tracking.id_sets import among, chunks, nearly_always
from dondoc.tracking.planning import failure_text

_TASK, _CONTACT, _OUTBOX = table_of(Task), table_of(Contact), table_of(Notification)


@dataclass
class ReminderPlan:
    """What a sweep decided for the tasks due now, before it writes anything: which stage each
    one sends (by stage and whether it escalates) and when its next stage falls due."""

    sends: dict[tuple[str, bool], list[int]] = field(default_factory=lambda: defaultdict(list))
    moves: dict[dt.datetime | None, list[int]] = field(default_factory=lambda: defaultdict(list))
    # obligation id -> the error its stored rules raised: its tasks are left as they are
    failed: dict[int, str] = field(default_factory=dict)

    @property
    def tasks(self) -> int:
        return sum(len(ids) for ids in self.moves.values())


def _still_due(session: Session, ctx: RunContext, *, by_id: bool) -> ColumnElement[bool]:
    """The task's stage has come and it is open. Reading what is due goes by
    ``ix_task_next_stage_at``; re-checking listed ids goes by id."""
    t = _TASK.c
    come, open_ = t.next_stage_at <= ctx.now, t.status.in_(OPEN_STATUSES)
    if by_id:
        return nearly_always(session, and_(come, open_))
    return and_(come, nearly_always(session, open_))


def _queue(session: Session, ctx: RunContext, stage: str, escalate: bool, ids: list[int]) -> int:
    """One outbox row per (task, recipient), set-based: the focal contacts of each task's
    agency, and its leaders when the stage escalates; returns the rows that were new."""
    t, c = _TASK.c, _CONTACT.c
    now = literal(ctx.now, UTCDateTime())
    source = (
        select(t.id, literal(stage), c.id, literal("queued"), literal(0), now, now)
        .select_from(_TASK.join(_CONTACT, c.agency_id == t.agency_id))
        .where(
            among(session, t.id, ids),
            _still_due(session, ctx, by_id=True),
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
    # The unique key, not this code, decides what is new: a re-run queues nothing twice. A row
    # cancelled because its task closed comes back when the task is open and due again (a
    # withdrawn report): the agency is reminded at once, not only at the next stage.
    stmt = insert.from_select(columns, source)
    stmt = stmt.on_conflict_do_update(
        index_elements=["task_id", "stage", "contact_id"],
        set_={"status": "queued", "queued_at": now, "next_attempt_at": now,
              "claim_token": None, "claimed_until": None},
        where=_OUTBOX.c.status == "cancelled",
    )  # fmt: skip
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


def decide_reminders(*, session: Session, ctx: RunContext) -> ReminderPlan:
    """Read the open tasks whose ``next_stage_at`` has come (one pass over that index; ids and
    the two fields the stage depends on) and decide each one's stage; writes nothing."""
    plan = ReminderPlan()
    if not is_send_time(ctx.now, ctx.calendar, ctx.tz, ctx.settings.send_hour):
        return plan  # Catch-up happens on the next working-day sweep: next_stage_at is kept.
    t, stages = _TASK.c, _Stages(session, ctx)
    due = select(t.id, t.obligation_id, t.due_day).where(_still_due(session, ctx, by_id=False))
    rows = session.execute(due.execution_options(yield_per=10 * ctx.settings.batch_size))
    for task_id, obligation_id, due_day in rows:
        if obligation_id in plan.failed:
            continue
        try:
            stage, following = stages.of(obligation_id, due_day)
        except SQLAlchemyError:
            raise
        except Exception as exc:  # one obligation's rules (e.g. overflowing) stop only it
            plan.failed[obligation_id] = failure_text(exc)
            continue
        plan.moves[following.send_at if following else None].append(task_id)
        if stage is not None:
            plan.sends[(stage.key, stage.escalate)].append(task_id)
    if plan.failed:
        _drop_failed(session, plan)
    return plan


def _drop_failed(session: Session, plan: ReminderPlan) -> None:
    """Take out the tasks of failed obligations decided before their failure (another due
    day of the same obligation may have worked): nothing partial for them."""
    ids = select(_TASK.c.id).where(_TASK.c.obligation_id.in_(list(plan.failed)))
    dropped = set(session.execute(ids).scalars())
    for key, task_ids in plan.sends.items():
        plan.sends[key] = [i for i in task_ids if i not in dropped]
    for at, task_ids in plan.moves.items():
        plan.moves[at] = [i for i in task_ids if i not in dropped]


def apply_reminders(*, session: Session, ctx: RunContext, plan: ReminderPlan) -> int:
    """Write what ``plan`` decided, set-based, in id order (one lock order for concurrent
    sweepers); every statement re-checks that the task is still due and open, so a task
    closed or moved by someone else since the decision is left alone. Returns new rows."""
    queued, size = 0, ctx.settings.batch_size
    for (stage, escalate), ids in sorted(plan.sends.items()):
        for chunk in chunks(ids, size):
            queued += _queue(session, ctx, stage, escalate, chunk)
    for next_at, ids in sorted(plan.moves.items(), key=lambda item: (item[0] is None, item[0])):
        for chunk in chunks(ids, size):
            moved = update(_TASK).where(among(session, _TASK.c.id, chunk))
            session.execute(
                moved.where(_still_due(session, ctx, by_id=True)).values(next_stage_at=next_at)
            )
    return queued


def queue_due_reminders(*, session: Session, ctx: RunContext) -> int:
    """Queue one outbox row per (task, due stage, recipient); returns rows newly queued."""
    plan = decide_reminders(session=session, ctx=ctx)
    return apply_reminders(session=session, ctx=ctx, plan=plan)
