"""The daily sweep as a Prefect flow: thin, over the same steps `dondoc sweep` runs."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from dondoc.db import engine_for
from dondoc.engine.deadlines import is_send_time
from dondoc.flows.artifacts import publish_boards, publish_summary
from dondoc.flows.common import context_at, local_time
from dondoc.flows.feeds import refresh_calendar_feeds
from dondoc.tracking.delivery import DeliveryTally
from dondoc.tracking.isolation import IsolatedObligation, alert_isolated
from dondoc.tracking.sweep import Plan, SweepSummary, deliver_step, plan_step


@task(
    name="make tasks, hand over to successors, refresh statuses, queue due reminders",
    cache_policy=NO_CACHE,
)
def plan_tasks(at: dt.datetime, queue: bool) -> Plan:
    ctx = context_at(at)
    return plan_step(engine_for(ctx.settings), ctx, queue=queue)


@task(name="alert the coordinator to skipped obligations", cache_policy=NO_CACHE)
def alert_skipped(at: dt.datetime, isolated: tuple[IsolatedObligation, ...]) -> None:
    alert_isolated(context_at(at), isolated)


# Delivery does the I/O: a crash of the whole task (not of one message, which is recorded and
# retried across sweeps) is worth retrying at once; the outbox makes a retry send nothing twice.
@task(name="deliver outbox", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[10, 60])
def deliver_outbox(at: dt.datetime) -> DeliveryTally:
    ctx = context_at(at)
    return deliver_step(engine_for(ctx.settings), ctx)


def _run_name() -> str:
    from prefect.runtime import flow_run

    at = flow_run.parameters.get("at") or dt.datetime.now(dt.UTC)
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    return f"sweep {local_time(at):%Y-%m-%d %H:%M}"


@flow(name="sweep", flow_run_name=_run_name, log_prints=True)
def sweep_flow(at: dt.datetime | None = None) -> dict[str, object]:
    """Make coming tasks, refresh statuses, queue and deliver the reminders that are due."""
    ctx = context_at(at)
    now = ctx.now
    summary = SweepSummary(
        at=now, send_window=is_send_time(now, ctx.calendar, ctx.tz, ctx.settings.send_hour)
    )
    plan = plan_tasks(now, summary.send_window)
    summary.tasks_created, summary.tasks_transferred = plan.created, plan.transferred
    summary.status_changes, summary.queued = plan.changes, plan.queued
    summary.isolated = list(plan.isolated)
    for skipped in plan.isolated:  # the run still completes: the other obligations went on
        get_run_logger().warning("obligation skipped: %s", skipped.line())
    if plan.isolated:
        alert_skipped(now, plan.isolated)
    if summary.send_window:
        summary.delivery = deliver_outbox(now)
        publish_summary(now, summary.queued, summary.delivery)
    else:
        get_run_logger().info("%s is not a working-day send time: nothing sent", now.isoformat())
    publish_boards(now)
    if ctx.settings.feeds_dir is not None:
        summary.feeds = refresh_calendar_feeds(now)
    return summary.as_dict()
