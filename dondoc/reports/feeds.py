"""Calendar feeds from the database: per agency (the tasks it holds) and per directive, written
atomically so a web server serving the folder never hands out half a file."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from dondoc.context import RunContext
from dondoc.db import transaction
from dondoc.engine.cutoff import window_vi
from dondoc.engine.deadlines import local_date
from dondoc.engine.rules import cutoff_window_of, reminder_policy
from dondoc.errors import NotFoundError
from dondoc.models import Agency, Document, Obligation, Task
from dondoc.output_files import write_output
from dondoc.reports.directive_ref import DirectiveRef
from dondoc.reports.directives import find_directive
from dondoc.reports.ics import FeedEvent, build_feed, directive_citation, slug

__all__ = [
    "HISTORY",
    "agency_feed",
    "directive_feed",
    "refresh_feeds",
]

# Feeds carry tasks due from this long ago on: a calendar needs last year's deadlines, not a
# decade of them, and a feed's size must not grow with history.
HISTORY = dt.timedelta(days=400)

_Holder = aliased(Agency, name="holder")
_Origin = aliased(Agency, name="origin")
_Dispatch = aliased(Document, name="dispatch")
_Row = tuple[Task, Obligation, Document, Document | None, Agency, Agency]
_Query = Select[Task, Obligation, Document, Document, Agency, Agency]


def _query(ctx: RunContext) -> _Query:
    since = local_date(ctx.now, ctx.tz) - HISTORY
    return (
        select(Task, Obligation, Document, _Dispatch, _Holder, _Origin)
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Document, col(Document.id) == col(Obligation.directive_id))
        .outerjoin(_Dispatch, col(_Dispatch.id) == col(Obligation.dispatch_id))
        .join(_Holder, col(_Holder.id) == col(Task.agency_id))
        .join(_Origin, col(_Origin.id) == col(Task.origin_agency_id))
        .where(col(Task.due_day).is_not(None), col(Task.due_day) >= since)
    )


def _event(row: _Row) -> FeedEvent:
    task, ob, directive, dispatch, holder, origin = row
    assert task.due_day is not None
    window = cutoff_window_of(ob, task.period)
    return FeedEvent(
        directive=directive.number,
        directive_year=directive.year,
        directive_type=directive.doc_type,
        directive_issued_on=directive.issued_on,
        dispatch=dispatch.number if dispatch else None,
        obligation=ob.code,
        title=ob.title,
        phrase=ob.phrase,
        report_to=ob.report_to,
        chosen_by=ob.deadline_chosen_by,
        agency=holder.code,
        agency_name=holder.name,
        origin=origin.code,
        origin_name=origin.name,
        period=task.period,
        due_day=task.due_day,
        cutoff_window=window_vi(window) if window else None,
        status=task.status,
        before_days=reminder_policy(ob, 8).before_days,
        updated_at=task.updated_at,
    )


def _events(session: Session, query: _Query) -> Iterator[FeedEvent]:
    for row in session.execute(query).tuples():
        yield _event(row)


def _agency_name(a: Agency) -> str:
    return f"Hạn nhiệm vụ — {a.name}"


def _directive_name(d: Document) -> str:
    return f"Hạn nhiệm vụ — {directive_citation(d.doc_type, d.number, d.issued_on)}"


def _feed(ctx: RunContext, name: str, events: list[FeedEvent], with_agency: bool) -> bytes:
    return build_feed(
        name,
        events,
        now=ctx.now,
        timezone=ctx.tz,
        with_agency=with_agency,
        send_hour=ctx.settings.send_hour,
    )


def agency_feed(engine: Engine, ctx: RunContext, code: str) -> tuple[bytes, int]:
    """The feed of the tasks ``code`` holds, and how many events it has."""
    with transaction(engine) as session:
        agency = session.execute(select(Agency).where(col(Agency.code) == code)).scalars().first()
        if agency is None:
            raise NotFoundError(f"unknown agency {code!r}", field="agency", value=code)
        events = list(_events(session, _query(ctx).where(col(_Holder.id) == agency.id)))
        return _feed(ctx, _agency_name(agency), events, False), len(events)


def directive_feed(
    engine: Engine, ctx: RunContext, directive: DirectiveRef | str
) -> tuple[bytes, int]:
    """The feed of every task of a directive ("24/CT-TTg/2016"), each event naming its agency."""
    with transaction(engine) as session:
        doc = find_directive(session, directive)
        events = list(_events(session, _query(ctx).where(col(Document.id) == doc.id)))
        return _feed(ctx, _directive_name(doc), events, True), len(events)


def refresh_feeds(
    engine: Engine, ctx: RunContext, folder: Path, *, option: str = "DONDOC_FEEDS_DIR"
) -> list[Path]:
    """Write ``agency-CODE.ics`` for every agency holding a task with a due date and
    ``directive-NUMBER-YEAR.ics`` for every directive, each all or nothing and never into a
    special file or through a link (dondoc.output_files; errors name ``option``); returns the
    files written."""
    by_agency: dict[str, list[FeedEvent]] = defaultdict(list)
    by_directive: dict[tuple[str, int], list[FeedEvent]] = defaultdict(list)
    names: dict[str, str] = {}
    with transaction(engine) as session:
        for row in session.execute(_query(ctx)).tuples():
            event = _event(row)
            by_agency[event.agency].append(event)
            by_directive[(event.directive, event.directive_year)].append(event)
            names[event.agency] = _agency_name(row[4])
            names[f"{event.directive}\n{event.directive_year}"] = _directive_name(row[2])
    written = []
    for code, events in sorted(by_agency.items()):
        path = folder / f"agency-{slug(code)}.ics"
        write_output(path, _feed(ctx, names[code], events, False), option=option)
        written.append(path)
    for (number, year), events in sorted(by_directive.items()):
        path = folder / f"directive-{slug(number)}-{year}.ics"
        data = _feed(ctx, names[f"{number}\n{year}"], events, True)
        write_output(path, data, option=option)
        written.append(path)
    return written
