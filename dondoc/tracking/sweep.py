"""One reminder sweep. `SWEEP_STEPS` is the one definition of its steps and their order:
`run_sweep` runs them as plain functions, `flows/sweep.py` runs each as a Prefect task."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from dondoc.context import RunContext
from dondoc.db import transaction
from dondoc.engine.deadlines import is_send_time
from dondoc.models import Agency, Contact, Notification, Obligation, Task
from dondoc.tracking.delivery import DeliveryTally, deliver_queued
from dondoc.tracking.flagging import display_target
from dondoc.tracking.isolation import IsolatedObligation, alert_isolated, describe
from dondoc.tracking.planning import ObligationFailure, ensure_tasks
from dondoc.tracking.reminders import apply_reminders, decide_reminders, queue_due_reminders
from dondoc.tracking.status_refresh import refresh_statuses
from dondoc.tracking.succession import transfer_open_tasks


@dataclass
class SweepSummary:
    at: dt.datetime
    send_window: bool
    tasks_created: int = 0
    tasks_transferred: int = 0  # open tasks of dissolved agencies passed to their successors
    status_changes: dict[str, int] = field(default_factory=dict)
    queued: int = 0
    delivery: DeliveryTally = field(default_factory=DeliveryTally)
    feeds: int = 0  # calendar feed files refreshed in DONDOC_FEEDS_DIR
    # obligations skipped because their stored rules fail; the coordinator is alerted
    isolated: list[IsolatedObligation] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


class Plan(NamedTuple):
    created: int
    transferred: int
    changes: dict[str, int]
    queued: int = 0
    isolated: tuple[IsolatedObligation, ...] = ()


def plan_step(engine: Engine, ctx: RunContext, *, queue: bool = False) -> Plan:
    """Make coming tasks, hand dissolved agencies' open tasks to their successors, refresh
    statuses and, with ``queue``, queue the due reminders: one transaction, so a sweep that
    fails commits nothing of it (transfer first, so a status change after a merger is recorded
    under the agency that holds the task). An obligation whose stored rules fail is skipped
    whole (a savepoint) and named in ``isolated``; the others go on."""
    failures: list[ObligationFailure] = []
    queued = 0
    with transaction(engine) as session:
        created = ensure_tasks(session=session, ctx=ctx, failures=failures)
        transferred = transfer_open_tasks(session=session, ctx=ctx)
        changes = refresh_statuses(session=session, ctx=ctx)
        if queue:
            reminders = decide_reminders(session=session, ctx=ctx)
            queued = apply_reminders(session=session, ctx=ctx, plan=reminders)
            failures += [ObligationFailure(i, e) for i, e in reminders.failed.items()]
        isolated = describe(session=session, failures=failures)
    return Plan(created, transferred, changes, queued, tuple(isolated))


def feeds_step(engine: Engine, ctx: RunContext) -> int:
    """Refresh the ICS feeds for subscribers when DONDOC_FEEDS_DIR is set; files written."""
    if ctx.settings.feeds_dir is None:
        return 0
    from dondoc.reports.feeds import refresh_feeds

    return len(refresh_feeds(engine, ctx, ctx.settings.feeds_dir))


def queue_step(engine: Engine, ctx: RunContext) -> int:
    with transaction(engine) as session:
        return queue_due_reminders(session=session, ctx=ctx)


def deliver_step(engine: Engine, ctx: RunContext) -> DeliveryTally:
    return deliver_queued(engine=engine, ctx=ctx)


def _plan(engine: Engine, ctx: RunContext, summary: SweepSummary) -> None:
    # Messages are queued and sent on working days from the send hour only.
    plan = plan_step(engine, ctx, queue=summary.send_window)
    summary.tasks_created, summary.tasks_transferred = plan.created, plan.transferred
    summary.status_changes, summary.queued = plan.changes, plan.queued
    summary.isolated = list(plan.isolated)


def _alert(engine: Engine, ctx: RunContext, summary: SweepSummary) -> None:
    alert_isolated(engine, ctx, tuple(summary.isolated))


def _deliver(engine: Engine, ctx: RunContext, summary: SweepSummary) -> None:
    summary.delivery = deliver_step(engine, ctx)


def _feeds(engine: Engine, ctx: RunContext, summary: SweepSummary) -> None:
    summary.feeds = feeds_step(engine, ctx)


class Step(NamedTuple):
    """One step of a sweep: what it does to the summary and when it runs. ``name`` is also the
    Prefect task's name; ``retry_delays`` (seconds) are the task's retries."""

    key: str
    name: str
    run: Callable[[Engine, RunContext, SweepSummary], None]
    when: Callable[[RunContext, SweepSummary], bool]
    retry_delays: tuple[int, ...] = ()


SWEEP_STEPS: tuple[Step, ...] = (
    # Plan first: one transaction that decides and writes tasks, statuses and the queue.
    Step(
        "plan",
        "make tasks, hand over to successors, refresh statuses, queue due reminders",
        _plan,
        lambda ctx, summary: True,
    ),
    # Skipped obligations go on; the coordinator is told which and why.
    Step(
        "alert",
        "alert the coordinator to skipped obligations",
        _alert,
        lambda ctx, summary: bool(summary.isolated),
    ),
    # Delivery does the I/O: a crash of the whole step (not of one message, which is recorded
    # and retried across sweeps) is worth retrying at once; the outbox sends nothing twice.
    Step(
        "deliver",
        "deliver outbox",
        _deliver,
        lambda ctx, summary: summary.send_window,
        retry_delays=(10, 60),
    ),
    # Statuses change on any day, sent or not.
    Step(
        "feeds",
        "refresh calendar feeds",
        _feeds,
        lambda ctx, summary: ctx.settings.feeds_dir is not None,
    ),
)


def new_summary(ctx: RunContext) -> SweepSummary:
    """The summary a sweep at ``ctx.now`` starts from: whether it is a send time."""
    send_window = is_send_time(ctx.now, ctx.calendar, ctx.tz, ctx.settings.send_hour)
    return SweepSummary(at=ctx.now, send_window=send_window)


def run_sweep(engine: Engine, ctx: RunContext) -> SweepSummary:
    summary = new_summary(ctx)
    for step in SWEEP_STEPS:
        if step.when(ctx, summary):
            step.run(engine, ctx, summary)
    return summary


@dataclass(frozen=True)
class PlannedMessage:
    agency: str
    agency_name: str
    obligation: str
    period: str
    stage: str
    channel: str
    recipient: str


def preview(engine: Engine, ctx: RunContext) -> list[PlannedMessage]:
    """What a sweep now would send, worked out in a transaction that is always rolled back."""
    with Session(engine) as session:
        try:
            ensure_tasks(session=session, ctx=ctx, failures=[])  # a dry run skips them too
            transfer_open_tasks(session=session, ctx=ctx)
            refresh_statuses(session=session, ctx=ctx)
            if is_send_time(ctx.now, ctx.calendar, ctx.tz, ctx.settings.send_hour):
                queue_due_reminders(session=session, ctx=ctx)
            query = (
                select(Notification, Contact, Agency, Task, Obligation)
                .join(Contact, col(Contact.id) == col(Notification.contact_id))
                .join(Task, col(Task.id) == col(Notification.task_id))
                .join(Agency, col(Agency.id) == col(Task.agency_id))
                .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
                .where(
                    col(Notification.status) == "queued",
                    col(Notification.next_attempt_at) <= ctx.now,
                )
                .order_by(col(Agency.code), col(Contact.id))
            )
            return [
                PlannedMessage(a.code, a.name, o.code, t.period, n.stage, c.channel,
                               display_target(c))
                for n, c, a, t, o in session.execute(query).tuples()
            ]  # fmt: skip
        finally:
            session.rollback()
