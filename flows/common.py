"""Helpers shared by the flows: settings and the run context, rebuilt inside each task so that
task inputs stay small and serialisable."""

from __future__ import annotations

import datetime as dt

from dondoc.config.settings import Settings, get_settings
from dondoc.context import RunContext, make_context


def context_at(at: dt.datetime | None, settings: Settings | None = None) -> RunContext:
    return make_context(settings or get_settings(), at)


def local_time(at: dt.datetime | None) -> dt.datetime:
    """``at`` (or now) in the configured time zone, for run names and dashboard text."""
    from zoneinfo import ZoneInfo

    settings = get_settings()
    return make_context(settings, at).now.astimezone(ZoneInfo(settings.timezone))


def tag_current_run(*tags: str) -> None:
    """Tag the running flow run (e.g. ``agency:01``) so the dashboard can filter by it; flow-run
    tags are otherwise fixed when the run is created, before its parameters are read."""
    from prefect.client.orchestration import get_client
    from prefect.runtime import flow_run

    run_id = flow_run.id
    if not run_id:
        return
    with get_client(sync_client=True) as client:
        current = client.read_flow_run(run_id).tags
        client.update_flow_run(run_id, tags=sorted({*current, *tags}))
