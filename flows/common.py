"""Helpers shared by the flows: settings and the run context, rebuilt inside each task so that
task inputs stay small and serialisable."""

from __future__ import annotations

import datetime as dt

from dondoc.config.settings import Settings, get_settings
from dondoc.context import RunContext, make_context


def context_at(at: dt.datetime | None, settings: Settings | None = None) -> RunContext:
    return make_context(settings or get_settings(), at)
