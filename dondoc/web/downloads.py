"""Tải về: the synthesis workbook (XLSX) and the board's CSV of a directive and period, and
the calendar feeds (ICS) of a directive or an agency."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dondoc.db import engine_for
from dondoc.errors import DondocError
from dondoc.models import Agency, Document, Task
from dondoc.reports.feeds import agency_feed, directive_feed
from dondoc.service import write_report
from dondoc.web.common import context_of, db, render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(text: str) -> str:
    """A file name part: letters, digits and dashes only."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "dondoc"


def _choices(request: Request) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    with db(request) as session:
        directives = sorted(set(session.execute(select(col(Document.number))).scalars()))
        periods = sorted(set(session.execute(select(col(Task.period)).distinct()).scalars()))
        agencies = [
            (a.code, a.name)
            for a in session.execute(
                select(Agency).where(col(Agency.active)).order_by(col(Agency.name))
            ).scalars()
        ]
    return directives, [p for p in periods if p != "once"], agencies


async def downloads_page(request: Request) -> Response:
    directives, periods, agencies = _choices(request)
    directive = request.query_params.get("directive") or (directives[0] if directives else "")
    period = request.query_params.get("period") or (periods[-1] if periods else "")
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
            write_report(settings, directive, period, out)
        except DondocError as exc:
            raise HTTPException(
                404, f"Không lập được bảng tổng hợp cho {directive} kỳ {period}: {exc}"
            ) from None
        body = out.read_bytes()
    name = f"tong-hop-{_safe(directive)}-{_safe(period)}.xlsx"
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
        raise HTTPException(404, str(exc)) from None
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
