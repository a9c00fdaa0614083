"""The outbox's claim protocol, as statements inside the caller's transaction.

A row goes ``queued`` -> ``sending`` (claimed: a sweeper's token and a lease) -> ``delivering``
(handed to the channel right now) -> ``sent``, ``queued`` again (a retry) or ``given_up``.
Closing a task cancels its ``queued`` and ``sending`` rows; the one ``delivering`` row per
sender is already on its way. Each step is a conditional UPDATE, so whoever's condition no
longer holds (a closed task, a claim taken over after its lease) changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Exists, Select, and_, exists, select, update
from sqlmodel import Session, col

from dondoc.db import rows_affected
from dondoc.engine.deadlines import OPEN_STATUSES
from dondoc.models import Contact, Notification, Task

LEASE = dt.timedelta(minutes=10)
HELD = ("sending", "delivering")
_N = Notification


def release_expired(*, session: Session, now: dt.datetime) -> int:
    """Hand back every claim whose lease ran out (a sweeper that died) to the queue."""
    expired = and_(col(_N.status).in_(HELD), col(_N.claimed_until) < now)
    released = session.execute(
        update(_N)
        .where(col(_N.id).in_(_locked(expired)), expired)
        .values(status="queued", claim_token=None, claimed_until=None)
    )
    return rows_affected(released)


def claim(
    *, session: Session, now: dt.datetime, limit: int, channel: str | None = None
) -> str | None:
    """Claim every due row of up to ``limit`` recipients (of ``channel`` if given); the token,
    "" when another sender is claiming what is due right now, None when nothing is due.

    Each recipient's contact row is the claim's mutex, taken with ``SKIP LOCKED``: a sender
    never waits for another, so senders cannot deadlock (a waiting ``FOR UPDATE`` keeps the
    locks of rows it re-checks and drops, and with several senders those formed cycles), and
    one recipient's rows always go to one sender, as one message. On SQLite, one writer at a
    time does the same. The ``status = 'queued'`` condition of the UPDATE still decides who
    wins, so two senders never hold the same row."""
    token = uuid.uuid4().hex
    due = and_(col(_N.status) == "queued", col(_N.next_attempt_at) <= now)
    waiting = col(Contact.id).in_(select(col(_N.contact_id)).where(due))
    pick = select(col(Contact.id)).where(waiting)
    if channel is not None:
        pick = pick.where(col(Contact.channel) == channel)
    # FOR NO KEY UPDATE: does not block the KEY SHARE lock of a new row's foreign key check
    free = (
        pick.order_by(col(Contact.id))
        .limit(limit)
        .with_for_update(skip_locked=True, key_share=True)
    )
    contact_ids = list(session.execute(free).scalars())
    if not contact_ids:
        return "" if session.execute(select(pick.exists())).scalar() else None
    won = session.execute(
        update(_N)
        .where(due, col(_N.contact_id).in_(contact_ids))
        .values(status="sending", claim_token=token, claimed_until=now + LEASE)
    )
    return token if rows_affected(won) else ""


def _locked(condition: ColumnElement[bool]) -> Select[int | None]:
    """The ids of the rows matching ``condition`` that no other transaction holds, locked
    (PostgreSQL ``SKIP LOCKED``; SQLite has one writer at a time): releasing expired claims
    never waits, and what is skipped is released by the next batch."""
    query = select(col(_N.id)).where(condition).order_by(col(_N.id))
    return query.with_for_update(skip_locked=True)


def _task_open() -> Exists:
    return exists().where(col(Task.id) == col(_N.task_id), col(Task.status).in_(OPEN_STATUSES))


def start_delivering(
    *, session: Session, token: str, ids: Sequence[int], now: dt.datetime
) -> tuple[list[int], list[int]]:
    """The re-check just before a message goes out: of ``ids`` (one recipient's rows), mark
    ``delivering`` those this claim still holds, unexpired, whose task is still open; cancel
    those whose task has closed. Renews the lease of everything else the claim holds, so a
    live sender never loses its batch. Returns (ids to deliver, ids cancelled)."""
    mine = and_(col(_N.id).in_(ids), col(_N.claim_token) == token, col(_N.status) == "sending")
    live = session.execute(
        update(_N)
        .where(mine, col(_N.claimed_until) >= now, _task_open())
        .values(status="delivering", claimed_until=now + LEASE)
        .returning(col(_N.id))
    )
    live_ids = sorted(live.scalars())
    cancelled = session.execute(
        update(_N)
        .where(mine, ~_task_open())
        .values(status="cancelled", claim_token=None, claimed_until=None)
        .returning(col(_N.id))
    )
    cancelled_ids = sorted(cancelled.scalars())
    session.execute(
        update(_N)
        .where(col(_N.status) == "sending", col(_N.claim_token) == token)
        .values(claimed_until=now + LEASE)
    )
    return live_ids, cancelled_ids


def hand_back(*, session: Session, token: str) -> int:
    """Return what a claim still holds unsent (rows whose lease ran out before their turn)."""
    returned = session.execute(
        update(_N)
        .where(col(_N.status) == "sending", col(_N.claim_token) == token)
        .values(status="queued", claim_token=None, claimed_until=None)
    )
    return rows_affected(returned)


def settle(*, session: Session, token: str, ids: Sequence[int], values: dict[str, object]) -> int:
    """Record how a delivery went; only the claim holder of a ``delivering`` row may."""
    done = session.execute(
        update(_N)
        .where(col(_N.id).in_(ids), col(_N.status) == "delivering", col(_N.claim_token) == token)
        .values(claim_token=None, claimed_until=None, **values)
    )
    return rows_affected(done)
