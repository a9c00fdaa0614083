"""The daily sweep as a Prefect flow: thin, over the steps `dondoc sweep` runs
(dondoc.tracking.sweep.SWEEP_STEPS, in their order), each step one task with its retries."""

from __future__ import annotations

import datetime as dt

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from dondoc.db import engine_for
from dondoc.flows.artifacts import publish_boards, publish_summary
from dondoc.flows.common import context_at
from dondoc.flows.params import At
from dondoc.flows.run_names import sweep_run_name
from dondoc.tracking.sweep import SWEEP_STEPS, Step, SweepSummary, new_summary


def _task(step: Step) -> Task[[dt.datetime, SweepSummary], SweepSummary]:
    """The Prefect task of one sweep step: it acts as of ``at`` and returns the summary."""

    def run(at: dt.datetime, summary: SweepSummary) -> SweepSummary:
        ctx = context_at(at)
        step.run(engine_for(ctx.settings), ctx, summary)
        return summary

    run.__name__ = run.__qualname__ = f"sweep_{step.key}"
    if not step.retry_delays:
        return task(name=step.name, cache_policy=NO_CACHE)(run)
    delays = [float(d) for d in step.retry_delays]
    retries = len(delays)
    return task(name=step.name, cache_policy=NO_CACHE, retries=retries, retry_delay_seconds=delays)(
        run
    )


_TASKS = {step.key: _task(step) for step in SWEEP_STEPS}


def _shown(step: Step, summary: SweepSummary, ran: bool) -> None:
    """What the dashboard shows after a step: skipped obligations, the delivery summary and
    the boards (artifacts)."""
    if step.key == "plan":
        for skipped in summary.isolated:  # the run still completes: the others went on
            get_run_logger().warning("obligation skipped: %s", skipped.line())
    elif step.key == "deliver":
        if ran:
            publish_summary(summary.at, summary.queued, summary.delivery)
        else:
            get_run_logger().info(
                "%s is not a working-day send time: nothing sent", summary.at.isoformat()
            )
        publish_boards(summary.at)


@flow(name="sweep", flow_run_name=sweep_run_name, log_prints=True)
def sweep_flow(at: At = None) -> dict[str, object]:
    """Make coming tasks, refresh statuses, queue and deliver the reminders that are due."""
    ctx = context_at(at)
    summary = new_summary(ctx)
    for step in SWEEP_STEPS:
        ran = step.when(ctx, summary)
        if ran:
            summary = _TASKS[step.key](ctx.now, summary)
        _shown(step, summary, ran)
    return summary.as_dict()
