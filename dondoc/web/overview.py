"""Tổng quan: per directive and period, counts by status, the on-time rate, who is overdue and
the next deadlines."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dondoc.engine.deadlines import local_date
from dondoc.reports.board import STATUS_LABELS_VI, BoardRow, board_rows
from dondoc.web.board import STATUS_ORDER
from dondoc.web.common import context_of, db, render

NEXT_DEADLINES = 10


@dataclass
class PeriodSummary:
    directive: str
    period: str
    counts: dict[str, int] = field(default_factory=dict)
    overdue: list[BoardRow] = field(default_factory=list)
    undated: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_rate(self) -> int | None:
        """Percent of closed dated tasks closed on time; None before any closed."""
        closed = self.counts.get("done_on_time", 0) + self.counts.get("done_late", 0)
        return round(100 * self.counts.get("done_on_time", 0) / closed) if closed else None

    def bars(self) -> list[tuple[str, str, int, int]]:
        """(status, label, count, percent of dated tasks) for the bar chart."""
        total = self.total or 1
        return [
            (s, STATUS_LABELS_VI[s], self.counts[s], round(100 * self.counts[s] / total))
            for s in STATUS_ORDER
            if self.counts.get(s)
        ]


def summarise(rows: list[BoardRow]) -> list[PeriodSummary]:
    found: dict[tuple[str, str], PeriodSummary] = {}
    for row in rows:
        key = (row.directive, row.period)
        summary = found.setdefault(key, PeriodSummary(*key))
        if row.due_date is None:
            summary.undated += 1
            continue
        summary.counts[row.status] = summary.counts.get(row.status, 0) + 1
        if row.status == "overdue":
            summary.overdue.append(row)
    return sorted(
        (s for s in found.values() if s.total),
        key=lambda s: (s.directive, s.period),
        reverse=True,
    )


def next_deadlines(rows: list[BoardRow], today: dt.date) -> list[tuple[dt.date, str, str, int]]:
    """(due date, directive, obligation title, open tasks) of the next deadlines from today."""
    grouped: dict[tuple[dt.date, str, str], int] = defaultdict(int)
    for row in rows:
        if row.due_date and row.due_date >= today and row.status in ("pending", "due_soon"):
            grouped[(row.due_date, row.directive, row.obligation_title)] += 1
    return [(*key, n) for key, n in sorted(grouped.items())[:NEXT_DEADLINES]]


async def overview_page(request: Request) -> Response:
    ctx = context_of(request)
    with db(request) as session:
        rows = board_rows(session=session)
    return render(
        request,
        "overview.html",
        title="Tổng quan",
        summaries=summarise(rows),
        deadlines=next_deadlines(rows, local_date(ctx.now, ctx.tz)),
    )


routes = [Route("/", overview_page, methods=["GET"])]
