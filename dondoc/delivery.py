"""Deliver queued outbox rows: claim with a lease, send one message per recipient, record."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import col

from dondoc.context import RunContext
from dondoc.db import rows_affected, transaction
from dondoc.deadlines import OPEN_STATUSES, days_between, local_date
from dondoc.flagging import display_target, flag_contact
from dondoc.lineage import inherited_from
from dondoc.models import (
    Agency,
    Contact,
    Document,
    Event,
    Notification,
    Obligation,
    Task,
    table_of,
)
from dondoc.notifications.channels import apprise_url_for, configured_secrets
from dondoc.notifications.deliver import DeliveryResult, deliver
from dondoc.notifications.render import MessageContext, TaskLine, render_message

LEASE = dt.timedelta(minutes=10)


@dataclass
class DeliveryTally:
    sent: int = 0
    failed: int = 0
    given_up: int = 0
    cancelled: int = 0
    messages: int = 0
    recipients: list[str] = field(default_factory=list)


def _release_expired_claims(engine: Engine, now: dt.datetime) -> None:
    with transaction(engine) as session:
        session.execute(
            update(Notification)
            .where(col(Notification.status) == "sending", col(Notification.claimed_until) < now)
            .values(status="queued", claim_token=None, claimed_until=None)
        )


def _claim(engine: Engine, ctx: RunContext, limit: int) -> str | None:
    """Claim every due row of up to ``limit`` recipients. The conditional UPDATE decides who
    wins, so two sweepers never send the same row."""
    token = uuid.uuid4().hex
    due = and_(col(Notification.status) == "queued", col(Notification.next_attempt_at) <= ctx.now)
    with transaction(engine) as session:
        contact_ids = list(
            session.execute(
                select(col(Notification.contact_id)).where(due).distinct().limit(limit)
            ).scalars()
        )
        if not contact_ids:
            return None
        won = rows_affected(
            session.execute(
                update(Notification)
                .where(due, col(Notification.contact_id).in_(contact_ids))
                .values(status="sending", claim_token=token, claimed_until=ctx.now + LEASE)
            )
        )
    return token if won else ""


@dataclass(frozen=True)
class _Row:
    notification: Notification
    task: Task
    obligation: Obligation
    agency: Agency
    contact: Contact
    directive: Document
    dispatch: Document | None
    origin: Agency  # the agency the task was assigned to (differs once a successor holds it)


def _claimed_rows(engine: Engine, token: str) -> list[_Row]:
    dispatch = table_of(Document).alias("dispatch")
    origin = aliased(Agency, name="origin")
    query = (
        select(Notification, Task, Obligation, Agency, Contact, Document, dispatch.c.id, origin)
        .join(Task, col(Task.id) == col(Notification.task_id))
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Agency, col(Agency.id) == col(Task.agency_id))
        .join(origin, col(origin.id) == col(Task.origin_agency_id))
        .join(Contact, col(Contact.id) == col(Notification.contact_id))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .outerjoin(dispatch, dispatch.c.id == col(Obligation.dispatch_id))
        .where(col(Notification.claim_token) == token)
        .order_by(col(Notification.contact_id), col(Task.due_at))
    )
    with transaction(engine) as session:
        result = session.execute(query).tuples().all()
        docs = {d.id: d for d in session.execute(select(Document)).scalars()}
    return [
        _Row(n, t, o, a, c, d, docs.get(dispatch_id), origin)
        for n, t, o, a, c, d, dispatch_id, origin in result
    ]


def _line(row: _Row, today: dt.date) -> TaskLine:
    assert row.task.due_day is not None
    return TaskLine(
        obligation_code=row.obligation.code,
        obligation_title=row.obligation.title,
        directive_number=row.directive.number,
        dispatch_number=row.dispatch.number if row.dispatch else None,
        dispatch_date=row.dispatch.issued_on if row.dispatch else None,
        period_label=row.task.period,
        due_day=row.task.due_day,
        days_left=days_between(today, row.task.due_day),
        phrase=row.obligation.phrase,
        report_to=row.obligation.report_to,
        inherited_from=inherited_from(row.agency, row.origin, row.task.due_day, official=True),
    )


def _message(rows: list[_Row], ctx: RunContext) -> MessageContext:
    today = local_date(ctx.now, ctx.tz)
    first = rows[0]
    return MessageContext(
        agency_code=first.agency.code,
        agency_name=first.agency.name,
        recipient_name=first.contact.name,
        lines=tuple(_line(r, today) for r in rows),
        today=today,
        sender_name=ctx.settings.sender_name,
        escalation=any(r.contact.role == "leader" for r in rows),
    )


def deliver_queued(*, engine: Engine, ctx: RunContext) -> DeliveryTally:
    tally = DeliveryTally()
    _release_expired_claims(engine, ctx.now)
    while (token := _claim(engine, ctx, limit=ctx.settings.batch_size)) is not None:
        if not token:
            continue  # another sweeper won this batch; look for the next one
        by_contact: dict[int, list[_Row]] = defaultdict(list)
        for row in _claimed_rows(engine, token):
            by_contact[row.contact.id or 0].append(row)
        for rows in by_contact.values():
            _deliver_one(engine, ctx, rows, tally)
    return tally


def _deliver_one(engine: Engine, ctx: RunContext, rows: list[_Row], tally: DeliveryTally) -> None:
    live = [r for r in rows if r.task.status in OPEN_STATUSES]
    if len(live) < len(rows):
        _finish(engine, ctx, [r for r in rows if r not in live], "cancelled", None)
        tally.cancelled += len(rows) - len(live)
    if not live:
        return
    contact = live[0].contact
    secrets = configured_secrets(ctx.settings)
    url = apprise_url_for(contact.channel, contact.target, ctx.settings)
    result = deliver(url, render_message(_message(live, ctx)), secrets=secrets)
    _record(engine, ctx, live, result, tally)


def _record(
    engine: Engine, ctx: RunContext, rows: list[_Row], result: DeliveryResult, tally: DeliveryTally
) -> None:
    tally.messages += 1
    tally.recipients.append(display_target(rows[0].contact))
    if result.ok:
        _finish(engine, ctx, rows, "sent", None)
        tally.sent += len(rows)
        return
    attempts = rows[0].notification.attempts + 1
    if result.transient and attempts < ctx.settings.max_attempts:
        backoff = dt.timedelta(seconds=ctx.settings.retry_base_seconds * 2 ** (attempts - 1))
        _finish(engine, ctx, rows, "queued", result.error, retry_at=ctx.now + backoff)
        tally.failed += len(rows)
    else:
        _finish(engine, ctx, rows, "given_up", result.error)
        tally.given_up += len(rows)
        if result.permanent_target:
            flag_contact(engine, ctx, rows[0].contact, rows[0].agency, result.error or "")


def _finish(
    engine: Engine,
    ctx: RunContext,
    rows: list[_Row],
    status: str,
    error: str | None,
    retry_at: dt.datetime | None = None,
) -> None:
    ids = [r.notification.id for r in rows]
    values: dict[str, object] = {"status": status, "claim_token": None, "claimed_until": None}
    if status != "cancelled":
        values |= {"attempts": Notification.attempts + 1, "last_error": error}
    if status == "sent":
        values["sent_at"] = ctx.now
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    with transaction(engine) as session:
        session.execute(
            update(Notification)
            .where(
                col(Notification.id).in_(ids),
                col(Notification.status) == "sending",
                # Only the claim holder may settle a row: after its lease ran out another
                # sweeper may have taken the row over.
                col(Notification.claim_token) == rows[0].notification.claim_token,
            )
            .values(**values)
        )
        session.add_all(
            Event(
                at=ctx.now,
                kind=f"notification_{status}",
                task_id=r.task.id,
                agency_id=r.agency.id,
                detail=f"{r.notification.stage} → {r.contact.channel}:{display_target(r.contact)}"
                + (f" ({error})" if error else ""),
            )
            for r in rows
        )
