"""Several delivery workers per channel, each running the one-sender loop of ``delivery``.

Apprise opens one SMTP session per message and a session spends most of its time waiting on
the server, so a sweeper sends faster by keeping several sessions open at once. Each worker is
an ordinary sender: it claims its own small batch (a conditional UPDATE: no two workers, in
this process or another, ever hold the same row), re-checks each recipient just before its
message, sends and records, each step in its own transaction on a pooled connection. So the
guarantees stay those of one sender, times the number of workers: at most one message per
worker in flight when a sweeper dies or a report lands (docs/behaviour.md#delivery).
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from dondoc.config.settings import Settings
from dondoc.db import transaction
from dondoc.models import Contact, Notification

Worker = Callable[[str, threading.Event], None]
"""One worker's loop for a channel; returns when nothing is left or the event is set."""


def workers_for(channel: str, settings: Settings) -> int:
    """How many messages of ``channel`` a sweeper sends at once (DONDOC_DELIVERY_WORKERS_*)."""
    counts = {
        "email": settings.delivery_workers_email,
        "zalo": settings.delivery_workers_zalo,
        "zns": settings.delivery_workers_zns,
        "apprise": settings.delivery_workers_apprise,
    }
    return counts.get(channel, 1)


def due_channels(engine: Engine) -> list[str]:
    """The channels with messages queued or held by a claim (due or not, live lease or not:
    a dead sweeper's rows are released by a worker's claim step): the pools worth starting."""
    pending = ("queued", "sending", "delivering")
    query = (
        select(col(Contact.channel))
        .join(Notification, col(Notification.contact_id) == col(Contact.id))
        .where(col(Notification.status).in_(pending))
        .distinct()
        .order_by(col(Contact.channel))
    )
    with transaction(engine) as session:
        return [str(c) for c in session.execute(query).scalars()]


def run_pools(engine: Engine, settings: Settings, worker: Worker) -> None:
    """Run ``worker`` on as many threads per due channel as configured, until all return.
    One thread in all runs inline. The first error stops every worker from claiming more
    (what they hold goes back to the queue) and is raised once all have stopped."""
    plan = [(c, workers_for(c, settings)) for c in due_channels(engine)]
    stop = threading.Event()
    if sum(n for _, n in plan) <= 1:
        for channel, _ in plan:
            worker(channel, stop)
        return
    jobs = [channel for channel, n in plan for _ in range(n)]
    errors: list[BaseException] = []

    def run(channel: str) -> None:
        try:
            worker(channel, stop)
        except BaseException as exc:
            stop.set()
            errors.append(exc)

    with ThreadPoolExecutor(len(jobs), thread_name_prefix="dondoc-delivery") as pool:
        for channel in jobs:
            # each thread its own copy: a Context cannot be entered by two threads at once
            pool.submit(contextvars.copy_context().run, run, channel)
    if errors:
        raise errors[0]


class Counter:
    """The progress of all workers together (told after each recipient, from any thread)."""

    def __init__(self, report: Callable[[int, int], None] | None, expected: int) -> None:
        self._report, self._expected, self._done = report, expected, 0
        self._lock = threading.Lock()

    def step(self) -> None:
        if self._report is None:
            return
        with self._lock:
            self._done += 1
            self._report(self._done, max(self._expected, self._done))
