"""Tổng quan: per directive and period, counts by status, the on-time rate, who is overdue and
the next deadlines, read by aggregate queries (dondoc.reports.summary).

Order: the periods the coordinator acts on (a deadline has come, or tasks are due soon or
overdue) first, the most recent deadline first; then the later periods (nothing due yet),
soonest first, under their own heading."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dondoc.engine.deadlines import local_date
from dondoc.reports.board import STATUS_LABELS_VI
from dondoc.reports.summary import PeriodSummary, next_deadlines, period_summaries
from dondoc.web.board import STATUS_ORDER
from dondoc.web.common import context_of, db, render

NEXT_DEADLINES = 10
# Tổng quan counts the periods with a deadline in the last year or ahead: its cost follows the
# periods a coordinator acts on, not the whole history (older ones: the board, by period).
RECENT_DAYS = 365


def bars(summary: PeriodSummary) -> list[tuple[str, str, int, int]]:
    """(status, label, count, percent of dated tasks) for the bar chart."""
    total = summary.total or 1
    return [
        (s, STATUS_LABELS_VI[s], summary.counts[s], round(100 * summary.counts[s] / total))
        for s in STATUS_ORDER
        if summary.counts.get(s)
    ]


def ordered(
    summaries: list[PeriodSummary], today: dt.date
) -> tuple[list[PeriodSummary], list[PeriodSummary]]:
    """(periods acted on now, most recent first; later periods, soonest first), each by
    directive within; periods with dated tasks only."""
    shown = [s for s in summaries if s.total]
    acting = [s for s in shown if s.acted_on(today)]
    acting.sort(key=lambda s: (s.directive, s.directive_year or 0))
    acting.sort(key=lambda s: (s.first_due or today, s.period), reverse=True)
    later = sorted(
        (s for s in shown if not s.acted_on(today)),
        key=lambda s: (s.first_due or dt.date.max, s.period, s.directive, s.directive_year or 0),
    )
    return acting, later


def overview_page(request: Request) -> Response:
    # Synchronous: Starlette runs it in its thread pool, so a page waiting on the database
    # does not hold up the event loop (every other request) meanwhile.
    ctx = context_of(request)
    today = local_date(ctx.now, ctx.tz)
    since_day = today - dt.timedelta(days=RECENT_DAYS)
    since = dt.datetime.combine(since_day, dt.time(), tzinfo=ZoneInfo(ctx.tz))
    with db(request) as session:
        summaries = period_summaries(session, since)
        deadlines = next_deadlines(session, today, NEXT_DEADLINES)
    acting, later = ordered(summaries, today)
    return render(
        request,
        "overview.html",
        title="Tổng quan",
        summaries=acting,
        later=later,
        bars=bars,
        deadlines=deadlines,
        since=since_day,
    )


routes = [Route("/", overview_page, methods=["GET"])]
