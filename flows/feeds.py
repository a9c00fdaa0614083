"""The calendar feeds as a sweep task: refreshed in DONDOC_FEEDS_DIR for subscribers."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from dondoc.db import engine_for
from dondoc.flows.common import context_at
from dondoc.tracking.sweep import feeds_step


@task(name="refresh calendar feeds", cache_policy=NO_CACHE)
def refresh_calendar_feeds(at: dt.datetime) -> int:
    ctx = context_at(at)
    return feeds_step(engine_for(ctx.settings), ctx)
