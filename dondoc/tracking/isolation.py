"""Obligations a sweep had to skip because their stored rules fail (e.g. a spec loaded before
the bounds of docs/spec-format.md existed overflows the date range): named for the summary and
the coordinator, while the rest of the sweep goes on. The coordinator hears of one obligation and
error once a local day: each alert sent is an `isolated_alert` event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from dondoc.context import RunContext
from dondoc.db import transaction
from dondoc.engine.deadlines import end_of_day_utc, local_date
from dondoc.models import Document, Event, Obligation
from dondoc.notifications.message import RenderedMessage
from dondoc.notifications.render import render_named
from dondoc.notifications.wording import vn_date
from dondoc.reports.digest import send_to_coordinator
from dondoc.reports.directive_ref import directive_ref
from dondoc.tracking.planning import ObligationFailure


@dataclass(frozen=True)
class IsolatedObligation:
    directive: str  # "24/CT-TTg/2016": numbers restart every year
    obligation: str
    error: str

    def line(self) -> str:
        return f"{self.directive} {self.obligation}: {self.error}"


def describe(
    *, session: Session, failures: Sequence[ObligationFailure]
) -> list[IsolatedObligation]:
    """Each failed obligation once (the first error), by directive (number and year) and code."""
    first: dict[int, str] = {}
    for f in failures:
        first.setdefault(f.obligation_id, f.error)
    if not first:
        return []
    query = (
        select(col(Obligation.id), col(Document.number), col(Document.year), col(Obligation.code))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .where(col(Obligation.id).in_(list(first)))
    )
    rows = session.execute(query).tuples().all()
    found = [
        IsolatedObligation(directive_ref(number, year), code, first[i])
        for i, number, year, code in rows
    ]
    return sorted(found, key=lambda o: (o.directive, o.obligation))


ALERT_KIND = "isolated_alert"  # detail: IsolatedObligation.line()


def alerted_today(*, session: Session, ctx: RunContext) -> set[str]:
    """The lines the coordinator was alerted to on the local day of ``ctx.now``."""
    day = local_date(ctx.now, ctx.tz)
    start = end_of_day_utc(day - dt.timedelta(days=1), ctx.tz)  # local midnight
    query = select(col(Event.detail)).where(
        col(Event.kind) == ALERT_KIND,
        col(Event.at) >= start,
        col(Event.at) < end_of_day_utc(day, ctx.tz),
    )
    return {d for d in session.execute(query).scalars() if d is not None}


def alert_isolated(
    engine: Engine, ctx: RunContext, isolated: Sequence[IsolatedObligation]
) -> list[IsolatedObligation]:
    """Tell the coordinator (DONDOC_COORDINATOR_CONTACTS; the outbox folder without a mail
    channel) which obligations the sweep skipped and why, leaving out those already alerted
    today with the same error; returns those alerted now. The alert is recorded only once
    every coordinator contact got it, so a failed send is tried again at the next sweep."""
    if not isolated:
        return []
    with transaction(engine) as session:
        done = alerted_today(session=session, ctx=ctx)
    due = [o for o in isolated if o.line() not in done]
    if not due:
        return []
    results = send_to_coordinator(ctx, _message(ctx, due))
    if not results or not all(result.ok for _, result in results):
        return []
    with transaction(engine) as session:
        session.add_all(Event(at=ctx.now, kind=ALERT_KIND, detail=o.line()) for o in due)
    return due


def _message(ctx: RunContext, isolated: Sequence[IsolatedObligation]) -> RenderedMessage:
    today = vn_date(local_date(ctx.now, ctx.tz))
    subject = f"[Cảnh báo] Lượt đôn đốc ngày {today} đã bỏ qua {len(isolated)} nhiệm vụ"
    return render_named(
        "isolated",
        subject=subject,
        sender_name=ctx.settings.sender_name,
        isolated=isolated,
        today=today,
    )
