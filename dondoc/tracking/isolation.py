"""Obligations a sweep had to skip because their stored rules fail (e.g. a spec loaded before
the bounds of docs/spec-format.md existed overflows the date range): named for the summary and
the coordinator, while the rest of the sweep goes on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from dondoc.context import RunContext
from dondoc.engine.deadlines import local_date
from dondoc.models import Document, Obligation
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


def alert_isolated(ctx: RunContext, isolated: Sequence[IsolatedObligation]) -> None:
    """Tell the coordinator (DONDOC_COORDINATOR_CONTACTS; the outbox folder without a mail
    channel) which obligations the sweep skipped and why."""
    if not isolated:
        return
    today = vn_date(local_date(ctx.now, ctx.tz))
    subject = f"[Cảnh báo] Lượt đôn đốc ngày {today} đã bỏ qua {len(isolated)} nhiệm vụ"
    message = render_named(
        "isolated",
        subject=subject,
        sender_name=ctx.settings.sender_name,
        isolated=isolated,
        today=today,
    )
    send_to_coordinator(ctx, message)
