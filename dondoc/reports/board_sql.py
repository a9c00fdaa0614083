"""The board's SQL: one statement per filter shape, built once, and the task filter it shares
with the page's other queries (dondoc.web.board_query)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import (
    BindParameter,
    Integer,
    ScalarSelect,
    Select,
    String,
    bindparam,
    case,
    func,
    select,
)
from sqlmodel import col

from dondoc.models import Agency, Document, Notification, Obligation, Submission, Task

Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])
Value = str | BindParameter[str]
DirectiveId = int | BindParameter[int]


@lru_cache(maxsize=16)
def board_statement(shape: tuple[bool, ...]) -> Select[*tuple[Any, ...]]:
    """The board's one query for a filter shape (which filters are given: the directive's id,
    period, obligation code, agency code), built once: plain columns, no ORM entities (loading
    100 Task and Agency objects was most of a page's CPU)."""
    directive: BindParameter[int] | None = (
        bindparam("directive", type_=Integer) if shape[0] else None
    )
    given: list[BindParameter[str] | None] = [
        bindparam(name, type_=String) if on else None
        for name, on in zip(("period", "obligation", "agency"), shape[1:], strict=True)
    ]
    period, obligation, agency = given
    wanted = filtered(select(col(Task.id)), directive, period, obligation, agency)
    state = col(Notification.status)
    # Only the messages of the tasks shown: a GROUP BY over the whole outbox would cost a page
    # of 100 rows a scan of every message ever sent.
    sent = (
        select(
            col(Notification.task_id),
            func.sum(case((state == "sent", 1), else_=0)).label("n"),
            func.sum(case((state.in_(("queued", "sending", "delivering")), 1), else_=0)).label(
                "waiting"
            ),
            func.sum(case((state == "given_up", 1), else_=0)).label("given_up"),
        )
        .where(col(Notification.task_id).in_(wanted.scalar_subquery()))
        .group_by(col(Notification.task_id))
        .subquery()
    )
    live = select(Submission).where(col(Submission.withdrawn_at).is_(None)).subquery()
    query: Select[*tuple[Any, ...]] = (
        select(
            col(Task.id).label("task_id"),
            col(Task.obligation_id),
            col(Task.period),
            col(Task.due_day),
            col(Task.status),
            col(Task.created_at),
            col(Task.origin_agency_id),
            col(Agency.id).label("holder_id"),
            col(Agency.code),
            col(Agency.name),
            col(Agency.former_name),
            col(Agency.renamed_on),
            col(Document.number),
            col(Document.year),
            live.c.received_on,
            live.c.document_number,
            sent.c.n,
            sent.c.waiting,
            sent.c.given_up,
            _given_up_reason().label("reason"),
        )
        .join(Agency, col(Agency.id) == col(Task.agency_id))
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .outerjoin(live, live.c.task_id == col(Task.id))
        .outerjoin(sent, sent.c.task_id == col(Task.id))
        .order_by(
            col(Document.number),
            col(Document.year),
            col(Obligation.code),
            col(Task.period),
            col(Agency.code),
        )
    )
    return filtered(query, directive, period, obligation, agency)


def filtered(
    query: Q,
    directive: DirectiveId | None,
    period: Value | None,
    obligation: Value | None,
    agency: Value | None = None,
) -> Q:
    """``query`` over tasks narrowed by the directive's id (a number is shared by the
    directives of several years: dondoc.reports.directives finds the one meant), period,
    obligation code and holder (each a value, or a bound parameter of a statement built once)."""
    if period is not None:
        query = query.where(col(Task.period) == period)
    if directive is not None or obligation is not None:
        obligations = select(col(Obligation.id))
        if directive is not None:
            obligations = obligations.where(col(Obligation.directive_id) == directive)
        if obligation is not None:
            obligations = obligations.where(col(Obligation.code) == obligation)
        query = query.where(col(Task.obligation_id).in_(obligations.scalar_subquery()))
    if agency is not None:
        holder = select(col(Agency.id)).where(col(Agency.code) == agency).scalar_subquery()
        query = query.where(col(Task.agency_id) == holder)
    return query


def _given_up_reason() -> ScalarSelect[str | None]:
    """The last error of the task's latest given-up message."""
    return (
        select(col(Notification.last_error))
        .where(col(Notification.task_id) == col(Task.id), col(Notification.status) == "given_up")
        .order_by(col(Notification.id).desc())
        .limit(1)
        .scalar_subquery()
    )
