"""Cơ quan: one agency, its tasks across directives and periods, its audit trail, its
contacts (and whether a channel flagged one) and every message sent with its result."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dondoc.models import Agency, Contact, Event, Notification, Obligation, Task
from dondoc.reports.board import board_rows
from dondoc.web.common import db, render

HISTORY_LIMIT = 200


async def agency_page(request: Request) -> Response:
    code = request.path_params["code"]
    with db(request) as session:
        agency = session.execute(select(Agency).where(col(Agency.code) == code)).scalars().first()
        if agency is None:
            raise HTTPException(404, f"Không có cơ quan mã «{code[:32]}».")
        successor = session.get(Agency, agency.successor_id) if agency.successor_id else None
        rows = board_rows(session=session, agency=code)
        contacts = list(
            session.execute(
                select(Contact)
                .where(col(Contact.agency_id) == agency.id)
                .order_by(col(Contact.role), col(Contact.channel))
            ).scalars()
        )
        history = list(
            session.execute(
                select(Event)
                .where(col(Event.agency_id) == agency.id)
                .order_by(col(Event.at).desc())
                .limit(HISTORY_LIMIT)
            ).scalars()
        )
        messages = session.execute(
            select(Notification, Contact, col(Task.period), col(Obligation.title))
            .join(Contact, col(Contact.id) == col(Notification.contact_id))
            .join(Task, col(Task.id) == col(Notification.task_id))
            .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
            .where(col(Task.agency_id) == agency.id)
            .order_by(col(Notification.queued_at).desc())
            .limit(HISTORY_LIMIT)
        ).all()
        return render(
            request,
            "agency.html",
            title=agency.name,
            agency=agency,
            successor=successor,
            rows=rows,
            contacts=contacts,
            history=history,
            messages=[tuple(m) for m in messages],
        )


routes = [Route("/co-quan/{code}", agency_page, methods=["GET"])]
