"""What a claimed outbox row needs to become a message: its task, agency, contact and
documents, read in one query, and the rendering context of one recipient's message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import col

from dondoc.context import RunContext
from dondoc.db import transaction
from dondoc.engine.deadlines import days_between, local_date
from dondoc.engine.lineage import inherited_from
from dondoc.models import Agency, Contact, Document, Notification, Obligation, Task, table_of
from dondoc.notifications.message import MessageContext, TaskLine


@dataclass(frozen=True)
class ClaimedRow:
    notification: Notification
    task: Task
    obligation: Obligation
    agency: Agency
    contact: Contact
    directive: Document
    dispatch: Document | None
    origin: Agency  # the agency the task was assigned to (differs once a successor holds it)


def claimed_rows(engine: Engine, token: str) -> list[ClaimedRow]:
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
        ClaimedRow(n, t, o, a, c, d, docs.get(dispatch_id), origin)
        for n, t, o, a, c, d, dispatch_id, origin in result
    ]


def _line(row: ClaimedRow, today: dt.date) -> TaskLine:
    assert row.task.due_day is not None
    return TaskLine(
        obligation_code=row.obligation.code,
        obligation_title=row.obligation.title,
        directive_number=row.directive.number,
        directive_date=row.directive.issued_on,
        dispatch_number=row.dispatch.number if row.dispatch else None,
        dispatch_date=row.dispatch.issued_on if row.dispatch else None,
        period_label=row.task.period,
        due_day=row.task.due_day,
        days_left=days_between(today, row.task.due_day),
        phrase=row.obligation.phrase,
        report_to=row.obligation.report_to,
        inherited_from=inherited_from(row.agency, row.origin, row.task.due_day, official=True),
    )


def message_context(rows: list[ClaimedRow], ctx: RunContext) -> MessageContext:
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
