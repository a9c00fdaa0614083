"""Record how one message went: the outbox rows' new status (sent, queued again for a retry
with backoff, or given up), their events, and the tally a sweep reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from dondoc.context import RunContext
from dondoc.db import in_transaction
from dondoc.models import Event, Notification
from dondoc.notifications.deliver import DeliveryResult
from dondoc.tracking.delivery_claims import settle
from dondoc.tracking.delivery_rows import ClaimedRow
from dondoc.tracking.flagging import display_target, flag_contact


@dataclass
class DeliveryTally:
    sent: int = 0
    failed: int = 0
    given_up: int = 0
    cancelled: int = 0
    messages: int = 0
    recipients: list[str] = field(default_factory=list)


def record(
    engine: Engine,
    ctx: RunContext,
    token: str,
    rows: list[ClaimedRow],
    result: DeliveryResult,
    tally: DeliveryTally,
) -> None:
    tally.messages += 1
    tally.recipients.append(display_target(rows[0].contact))
    if result.ok:
        _finish(engine, ctx, token, rows, "sent", None)
        tally.sent += len(rows)
        return
    attempts = rows[0].notification.attempts + 1
    if result.transient and attempts < ctx.settings.max_attempts:
        backoff = dt.timedelta(seconds=ctx.settings.retry_base_seconds * 2 ** (attempts - 1))
        _finish(engine, ctx, token, rows, "queued", result.error, retry_at=ctx.now + backoff)
        tally.failed += len(rows)
    else:
        _finish(engine, ctx, token, rows, "given_up", result.error)
        tally.given_up += len(rows)
        if result.permanent_target:
            flag_contact(engine, ctx, rows[0].contact, rows[0].agency, result.error or "")


def _finish(
    engine: Engine,
    ctx: RunContext,
    token: str,
    rows: list[ClaimedRow],
    status: str,
    error: str | None,
    retry_at: dt.datetime | None = None,
) -> None:
    values: dict[str, object] = {"status": status, "attempts": Notification.attempts + 1}
    values["last_error"] = error
    if status == "sent":
        values["sent_at"] = ctx.now
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    ids = [r.notification.id or 0 for r in rows]

    def settle_and_log(session: Session) -> None:
        settle(session=session, token=token, ids=ids, values=values)
        session.add_all(events_of(ctx, rows, status, error))

    in_transaction(engine, settle_and_log)


def events_of(
    ctx: RunContext, rows: list[ClaimedRow], status: str, error: str | None
) -> list[Event]:
    return [
        Event(
            at=ctx.now,
            kind=f"notification_{status}",
            task_id=r.task.id,
            agency_id=r.agency.id,
            detail=f"{r.notification.stage} → {r.contact.channel}:{display_target(r.contact)}"
            + (f" ({error})" if error else ""),
        )
        for r in rows
    ]
