"""Deliver queued outbox rows: claim a few recipients with a lease, re-check each one just
before its message goes out (task still open, claim still held), send, record.

A report recorded during a sweep stops every message not yet handed to the channel: at most
the one message per sender already in flight still arrives (docs: delivery guarantees). A
sweeper runs several senders per channel at once (``delivery_workers``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from sqlalchemy import distinct, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from dondoc.context import RunContext
from dondoc.db import in_transaction, transaction
from dondoc.models import Notification
from dondoc.notifications.channels import apprise_url_for, configured_secrets
from dondoc.notifications.deliver import deliver
from dondoc.notifications.render import render_message
from dondoc.tracking.delivery_claims import (
    LEASE,
    claim,
    hand_back,
    release_expired,
    start_delivering,
)
from dondoc.tracking.delivery_record import DeliveryTally, events_of, record
from dondoc.tracking.delivery_rows import ClaimedRow, claimed_rows, message_context
from dondoc.tracking.delivery_workers import Counter, run_pools

__all__ = [
    "LEASE",
    "DeliveryTally",
    "Progress",
    "SweepClock",
    "deliver_queued",
    "record",
    "reporting_progress",
]

Progress = Callable[[int, int], None]
"""Told (messages handled, messages expected) after each recipient: a terminal's progress bar."""

# The sweep reaches delivery through its steps (and, with Prefect, a task): the `dondoc sweep`
# command hands its progress bar down this way instead of through every step's signature.
_PROGRESS: ContextVar[Progress | None] = ContextVar("dondoc_delivery_progress", default=None)


@contextlib.contextmanager
def reporting_progress(progress: Progress) -> Iterator[None]:
    """Every delivery run inside this block (in this context) reports to ``progress``."""
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


class SweepClock:
    """The sweep's ``now`` moved on by the real time elapsed since it started. Leases are
    compared between sweepers, and a slow SMTP server spends real seconds, so a lease must
    follow real time; starting from ``ctx.now`` keeps `--at` rehearsals in their own time."""

    def __init__(self, start: dt.datetime) -> None:
        self.start, self._t0 = start, time.monotonic()

    def __call__(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._t0)


def claim_batch(
    engine: Engine, ctx: RunContext, now: dt.datetime, channel: str | None = None
) -> str | None:
    """One transaction: release leases that ran out, then claim up to ``claim_batch``
    recipients (of ``channel`` if given; a token; "" if another sender won them; None when
    nothing is due)."""

    def release_and_claim(session: Session) -> str | None:
        release_expired(session=session, now=now)
        return claim(session=session, now=now, limit=ctx.settings.claim_batch, channel=channel)

    return in_transaction(engine, release_and_claim)


def claimed_by_recipient(engine: Engine, token: str) -> list[list[ClaimedRow]]:
    """The rows a claim holds, one list per recipient (one message each)."""
    by_contact: dict[int, list[ClaimedRow]] = defaultdict(list)
    for row in claimed_rows(engine, token):
        by_contact[row.contact.id or 0].append(row)
    return list(by_contact.values())


def due_recipients(engine: Engine, now: dt.datetime) -> int:
    """How many messages (one per recipient) are due: the total a progress bar counts to."""
    query = select(func.count(distinct(col(Notification.contact_id)))).where(
        col(Notification.status) == "queued", col(Notification.next_attempt_at) <= now
    )
    with transaction(engine) as session:
        return int(session.execute(query).scalar_one())


def deliver_queued(
    *,
    engine: Engine,
    ctx: RunContext,
    clock: SweepClock | None = None,
    progress: Progress | None = None,
) -> DeliveryTally:
    """Send everything due, a small claim at a time, until nothing is left to claim, over
    ``delivery_workers_<channel>`` senders per channel at once. ``progress`` (or the one of
    ``reporting_progress``) is told after each recipient."""
    now = clock or SweepClock(ctx.now)
    report = progress or _PROGRESS.get()
    counter = Counter(report, due_recipients(engine, now()) if report else 0)
    tallies: list[DeliveryTally] = []

    def worker(channel: str, stop: threading.Event) -> None:
        tally = DeliveryTally()
        tallies.append(tally)
        drain(engine, ctx, now, channel, tally, counter, stop)

    run_pools(engine, ctx.settings, worker)
    return _merged(tallies)


def drain(
    engine: Engine,
    ctx: RunContext,
    now: SweepClock,
    channel: str,
    tally: DeliveryTally,
    counter: Counter,
    stop: threading.Event,
) -> None:
    """One sender's loop: claim a batch of ``channel``, send to each recipient, hand back
    what is left; until nothing is due or ``stop`` is set."""
    while not stop.is_set() and (token := claim_batch(engine, ctx, now(), channel)) is not None:
        if not token:
            continue  # another sender won this batch; look for the next one
        try:
            for rows in claimed_by_recipient(engine, token):
                if stop.is_set():
                    break
                send_to_recipient(engine, ctx, token, rows, now(), tally)
                counter.step()
        finally:
            in_transaction(engine, lambda session: hand_back(session=session, token=token))


def _merged(tallies: list[DeliveryTally]) -> DeliveryTally:
    total = DeliveryTally()
    for t in tallies:
        total.sent += t.sent
        total.failed += t.failed
        total.given_up += t.given_up
        total.cancelled += t.cancelled
        total.messages += t.messages
        total.recipients.extend(t.recipients)
    return total


def send_to_recipient(
    engine: Engine,
    ctx: RunContext,
    token: str,
    rows: list[ClaimedRow],
    now: dt.datetime,
    tally: DeliveryTally,
) -> bool:
    """Re-check, then send one message for the rows still due; True if one was handed over."""
    live = start_sending(engine, ctx, token, rows, now, tally)
    if not live:
        return False
    contact = live[0].contact
    url = apprise_url_for(contact.channel, contact.target, ctx.settings)
    result = deliver(
        url, render_message(message_context(live, ctx)), secrets=configured_secrets(ctx.settings)
    )
    record(engine, ctx, token, live, result, tally)
    return True


def start_sending(
    engine: Engine,
    ctx: RunContext,
    token: str,
    rows: list[ClaimedRow],
    now: dt.datetime,
    tally: DeliveryTally,
) -> list[ClaimedRow]:
    """One transaction: mark the rows that may go out ``delivering`` (claim held, task open),
    cancel those whose task closed, renew the claim's lease; returns the rows to send."""
    ids = [r.notification.id or 0 for r in rows]

    def mark(session: Session) -> tuple[list[int], list[ClaimedRow]]:
        live, cancelled = start_delivering(session=session, token=token, ids=ids, now=now)
        gone = [r for r in rows if r.notification.id in set(cancelled)]
        session.add_all(events_of(ctx, gone, "cancelled", None))
        return live, gone

    live, gone = in_transaction(engine, mark)
    tally.cancelled += len(gone)
    return [r for r in rows if r.notification.id in set(live)]
