"""Per directive and period: counts by status, undated tasks apart, who is overdue and the next
deadlines, each read by one aggregate query (never every task's row): what Tổng quan shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlmodel import Session, col

from dondoc.models import Agency, Document, Obligation, Task
from dondoc.reports.directive_ref import directive_label, directive_ref

OPEN = ("pending", "due_soon")
STATUSES = ("pending", "due_soon", "overdue", "done_on_time", "done_late", "waived")
OVERDUE_NAMES = 12


@dataclass
class PeriodSummary:
    """One directive-period; ``counts`` by stored status of the dated tasks only."""

    directive: str  # its number/symbol, "24/CT-TTg"
    period: str
    directive_year: int | None = None  # numbers restart yearly: 24/CT-TTg of 2012 or 2016
    counts: dict[str, int] = field(default_factory=dict)
    undated: int = 0  # tasks without a deadline (inspections): counted apart, never "pending"
    first_due: dt.date | None = None  # the earliest deadline of the period
    overdue_agencies: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    overdue_agency_count: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def directive_ref(self) -> str:
        """ "24/CT-TTg/2016": what the board's URL carries."""
        if self.directive_year is None:
            return self.directive
        return directive_ref(self.directive, self.directive_year)

    @property
    def directive_label(self) -> str:
        """ "24/CT-TTg (2016)"."""
        if self.directive_year is None:
            return self.directive
        return directive_label(self.directive, self.directive_year)

    @property
    def on_time_rate(self) -> int | None:
        """Percent of closed dated tasks closed on time; None before any closed."""
        closed = self.counts.get("done_on_time", 0) + self.counts.get("done_late", 0)
        return round(100 * self.counts.get("done_on_time", 0) / closed) if closed else None

    def acted_on(self, today: dt.date) -> bool:
        """Whether the coordinator acts on this period now: a deadline of it has come, or
        tasks of it are in their reminder window (due soon) or overdue."""
        come = self.first_due is not None and self.first_due <= today
        return come or bool(self.counts.get("due_soon") or self.counts.get("overdue"))


def period_summaries(session: Session, since: dt.datetime | None = None) -> list[PeriodSummary]:
    """Every directive-period with tasks, in no particular order; with ``since``, only the
    tasks due from then on (and the undated ones), so the cost follows the recent periods
    rather than every task ever made."""
    numbers = select(col(Obligation.id), col(Document.number), col(Document.year)).join(
        Document, col(Document.id) == col(Obligation.directive_id)
    )
    directive_of = {i: (number, year) for i, number, year in session.execute(numbers).tuples()}
    undated = col(Task.due_day).is_(None)
    grouped = select(
        col(Task.obligation_id),
        col(Task.period),
        col(Task.status),
        undated,
        func.count(),
        func.min(col(Task.due_day)),
    ).group_by(col(Task.obligation_id), col(Task.period), col(Task.status), undated)
    if since is not None:
        grouped = grouped.where(_due_since(since))
    found: dict[tuple[str, int, str], PeriodSummary] = {}
    for obligation_id, period, status, no_date, n, first in session.execute(grouped).tuples():
        number, year = directive_of[obligation_id]
        key = (number, year, period)
        summary = found.setdefault(key, PeriodSummary(number, period, directive_year=year))
        if no_date:
            summary.undated += n
            continue
        summary.counts[status] = summary.counts.get(status, 0) + n
        if first is not None and (summary.first_due is None or first < summary.first_due):
            summary.first_due = first
    _add_overdue_agencies(session, found, since)
    return list(found.values())


def _due_since(since: dt.datetime) -> ColumnElement[bool]:
    """Tasks due from ``since`` or undated, written so PostgreSQL reads them through
    ix_task_status_due_at (status leads that index: every status is named)."""
    due = col(Task.due_at)
    return and_(col(Task.status).in_(STATUSES), or_(due >= since, due.is_(None)))


def _add_overdue_agencies(
    session: Session, found: dict[tuple[str, int, str], PeriodSummary], since: dt.datetime | None
) -> None:
    """The first OVERDUE_NAMES agencies (by name) holding an overdue dated task, per
    directive-period, and how many there are in all."""
    late = (
        select(
            col(Document.number),
            col(Document.year),
            col(Task.period),
            col(Agency.code),
            col(Agency.name),
        )
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .join(Agency, col(Agency.id) == col(Task.agency_id))
        .where(col(Task.status) == "overdue", col(Task.due_day).is_not(None))
        .where(col(Task.due_at) >= since if since is not None else true())
        .distinct()
        .subquery()
    )
    within = (late.c.number, late.c.year, late.c.period)
    ranked = select(
        late,
        func.row_number()
        .over(partition_by=within, order_by=(late.c.name, late.c.code))
        .label("rank"),
        func.count().over(partition_by=within).label("n"),
    ).subquery()
    query = select(ranked).where(ranked.c.rank <= OVERDUE_NAMES).order_by(ranked.c.rank)
    for number, year, period, code, name, _, n in session.execute(query).tuples():
        summary = found.get((number, year, period))
        if summary is not None:
            summary.overdue_agencies.append((code, name))
            summary.overdue_agency_count = n


def next_deadlines(
    session: Session, today: dt.date, limit: int = 10
) -> list[tuple[dt.date, str, str, int]]:
    """(due date, directive label "24/CT-TTg (2016)", obligation title, open tasks) of the next
    deadlines from today."""
    directive = (col(Document.number), col(Document.year))
    query = (
        select(col(Task.due_day), *directive, col(Obligation.title), func.count())
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .where(col(Task.due_day) >= today, col(Task.status).in_(OPEN))
        .group_by(col(Task.due_day), *directive, col(Obligation.title))
        .order_by(col(Task.due_day), *directive, col(Obligation.title))
        .limit(limit)
    )
    return [
        (due, directive_label(number, year), title, n)
        for due, number, year, title, n in session.execute(query).tuples()
    ]
