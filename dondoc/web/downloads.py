"""Tải về: the synthesis workbook (XLSX) and the board's CSV of a directive and period, and
the calendar feeds (ICS) of a directive or an agency."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from sqlalchemy import or_, select
from sqlmodel import Session, col
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dondoc.config.spec import Recurrence
from dondoc.db import engine_for
from dondoc.engine.deadlines import local_date
from dondoc.engine.periods import Period, parse_period
from dondoc.errors import DondocError
from dondoc.models import Agency, Task
from dondoc.reports.directives import DirectiveChoice, directive_choices
from dondoc.reports.feeds import agency_feed, directive_feed
from dondoc.service import write_report
from dondoc.tracking.refusals import message_vi
from dondoc.web.common import context_of, db, render

RECURRENCES: tuple[Recurrence, ...] = ("yearly", "half-yearly", "quarterly", "monthly")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(text: str) -> str:
    """A file name part: letters, digits and dashes only."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "dondoc"


# The per-agency calendars, grouped as a coordinator looks for them.
KIND_GROUPS_VI = (
    ("ministry", "Bộ"),
    ("ministerial_agency", "Cơ quan ngang bộ, cơ quan thuộc Chính phủ"),
    ("provincial_committee", "Ủy ban nhân dân tỉnh, thành phố"),
    ("department", "Sở Xây dựng"),
)
OTHER_KIND_VI = "Cơ quan khác"


def _period(label: str) -> Period | None:
    for recurrence in RECURRENCES:
        try:
            return parse_period(label, recurrence)
        except ValueError:
            continue
    return None


def ordered_periods(labels: list[str], today: dt.date) -> list[str]:
    """The current periods first (those containing today, the shortest first), then past ones
    newest first, then those made ahead of time, nearest first."""

    def key(label: str) -> tuple[int, int, str]:
        p = _period(label)
        if p is None:
            return (3, 0, label)
        if p.start <= today <= p.end:
            return (0, (p.end - p.start).days, label)
        if p.end < today:
            return (1, -p.end.toordinal(), label)
        return (2, p.start.toordinal(), label)

    return sorted(labels, key=key)


def current_agencies(session: Session, today: dt.date) -> list[tuple[str, list[Agency]]]:
    """Agencies that exist today and hold at least one task, once each, by kind then code. A
    dissolved province is left out: its open tasks are its successor's, in its calendar."""
    holds = select(col(Task.id)).where(col(Task.agency_id) == col(Agency.id)).exists()
    exists = or_(col(Agency.dissolved_on).is_(None), col(Agency.dissolved_on) > today)
    found = session.execute(
        select(Agency).where(col(Agency.active), exists, holds).order_by(col(Agency.code))
    ).scalars()
    groups: dict[str, list[Agency]] = {}
    labels = dict(KIND_GROUPS_VI)
    for agency in found:
        groups.setdefault(labels.get(agency.kind, OTHER_KIND_VI), []).append(agency)
    order = [label for _, label in KIND_GROUPS_VI] + [OTHER_KIND_VI]
    return [(label, groups[label]) for label in order if label in groups]


def _choices(
    request: Request,
) -> tuple[list[DirectiveChoice], list[str], list[tuple[str, list[Agency]]]]:
    """The directives (each year of a number apart), the periods and the agencies to offer."""
    ctx = context_of(request)
    today = local_date(ctx.now, ctx.tz)
    with db(request) as session:
        directives = directive_choices(session)
        periods = set(session.execute(select(col(Task.period)).distinct()).scalars())
        agencies = current_agencies(session, today)
    return directives, ordered_periods(sorted(periods - {"once"}), today), agencies


async def downloads_page(request: Request) -> Response:
    directives, periods, agencies = _choices(request)
    asked = request.query_params.get("directive", "")
    # The reference with its year, "24/CT-TTg/2016"; a bare number of one loaded year too.
    chosen = [d for d in directives if asked in (d.ref, d.number)]
    directive = chosen[0] if len(chosen) == 1 else (directives[0] if directives else None)
    period = request.query_params.get("period") or (periods[0] if periods else "")
    return render(
        request,
        "downloads.html",
        title="Tải về",
        directives=directives,
        periods=periods,
        agencies=agencies,
        directive=directive,
        period=period,
    )


async def synthesis_xlsx(request: Request) -> Response:
    directive = request.query_params.get("directive", "")
    period = request.query_params.get("period", "")
    settings = context_of(request).settings
    with tempfile.TemporaryDirectory(prefix="dondoc-web-") as folder:
        out = Path(folder) / "tong-hop.xlsx"
        try:
            synthesis = write_report(settings, directive, period, out)
        except DondocError as exc:
            said = message_vi(exc, None, dt.date.today()) if exc.field == "directive" else exc
            raise HTTPException(
                404, f"Không lập được bảng tổng hợp cho {directive} kỳ {period}: {said}"
            ) from None
        body = out.read_bytes()
    name = f"tong-hop-{_safe(synthesis.directive_ref)}-{_safe(period)}.xlsx"  # with its year
    return Response(
        body, media_type=XLSX, headers={"content-disposition": f'attachment; filename="{name}"'}
    )


async def calendar_ics(request: Request) -> Response:
    ctx = context_of(request)
    engine = engine_for(ctx.settings)
    agency = request.query_params.get("agency")
    directive = request.query_params.get("directive", "")
    try:
        if agency:
            body, _ = agency_feed(engine, ctx, agency)
            name = f"lich-{_safe(agency)}.ics"
        else:
            body, _ = directive_feed(engine, ctx, directive)
            name = f"lich-{_safe(directive)}.ics"
    except DondocError as exc:
        said = message_vi(exc, None, dt.date.today()) if exc.field == "directive" else str(exc)
        raise HTTPException(404, said) from None
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


routes = [
    Route("/tai-ve", downloads_page, methods=["GET"]),
    Route("/tai-ve/tong-hop.xlsx", synthesis_xlsx, methods=["GET"]),
    Route("/tai-ve/lich.ics", calendar_ics, methods=["GET"]),
]
