"""Every deployment, served by one process (`dondoc serve`)."""

from __future__ import annotations

from typing import Any

from prefect.schedules import Cron

from dondoc.config.settings import get_settings
from dondoc.flows.submission import record_submission_flow
from dondoc.flows.sweep import sweep_flow


def build_deployments() -> list[Any]:
    tz = get_settings().timezone
    hour = get_settings().send_hour
    return [
        sweep_flow.to_deployment(
            name="daily-sweep",
            # Every day at the send hour; the flow itself skips non-working days and says so.
            schedules=[Cron(f"0 {hour} * * *", timezone=tz)],
            description="Make coming tasks, refresh statuses, send due reminders.",
            tags=["dondoc", "sweep"],
        ),
        sweep_flow.to_deployment(
            name="send-reminders-now",
            description="An ad-hoc sweep: send what is due now.",
            tags=["dondoc", "ad-hoc"],
        ),
        record_submission_flow.to_deployment(
            name="record-submission",
            description="Record an agency's report and close its task.",
            tags=["dondoc", "ad-hoc"],
        ),
    ]


def serve_all() -> None:
    from prefect import serve

    serve(*build_deployments())
