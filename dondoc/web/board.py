"""Bảng theo dõi: the board of dondoc.reports.board, filtered by URL query parameters
(shareable), searched without accents, sorted; ``format=csv`` gives the same view as CSV."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import select
from sqlmodel import col
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dondoc.errors import DondocError
from dondoc.models import Agency
from dondoc.reports.board import STATUS_LABELS_VI, BoardRow, board_rows
from dondoc.reports.board_format import render_board, several_directives
from dondoc.reports.directive_ref import directive_ref, parse_directive
from dondoc.reports.directives import resolve_directive
from dondoc.tracking.refusals import message_vi
from dondoc.web.board_query import filter_options, too_many
from dondoc.web.common import TEMPLATES, fold, read_db, render
from dondoc.web.page_cache import PageCache, data_marker

# Most urgent first: what the coordinator acts on.
STATUS_ORDER = ("overdue", "due_soon", "pending", "done_late", "done_on_time", "waived")
SORTS = {
    "tinh-trang": "Tình trạng",
    "co-quan": "Cơ quan",
    "han": "Hạn",
    "ngay-nhan": "Ngày nhận",
}
# ``directive`` carries its year, "24/CT-TTg/2016" (the form's choices and every link give it
# so); a bare number is taken while only one year of it is loaded, and ``year=2016`` beside
# it is folded into it (board_page).
FILTERS = ("directive", "period", "status", "obligation", "group", "q", "sort")


def _sorted(rows: list[BoardRow], key: str) -> list[BoardRow]:
    by_agency = sorted(rows, key=lambda r: (r.agency_name, r.obligation, r.period))
    if key == "co-quan":
        return by_agency
    if key == "han":
        return sorted(by_agency, key=lambda r: (r.due_date is None, r.due_date))
    if key == "ngay-nhan":
        return sorted(by_agency, key=lambda r: (r.submitted_on is None, r.submitted_on))
    return sorted(by_agency, key=lambda r: STATUS_ORDER.index(r.status))


def filtered_rows(
    request: Request, params: dict[str, str]
) -> tuple[list[BoardRow] | None, dict[str, object]]:
    """The rows the filters leave, sorted; None when more than ROW_CAP tasks match (the page
    then asks for a directive and period rather than listing them all). The directive named
    is written back into ``params`` as its reference with the year; a DondocError names a
    directive that is unknown or shared by several years."""
    period, obligation = params.get("period") or None, params.get("obligation") or None
    cap: int = request.app.state.row_cap
    with read_db(request) as session:
        document = resolve_directive(session, params.get("directive"), option="directive")
        directive = document.id if document else None
        if document is not None:
            params["directive"] = directive_ref(document.number, document.year)
        options = filter_options(session, directive)
        # A directive-period is read at once, at most cap + 1 rows (one round trip less on
        # the page coordinators use most); anything wider is first counted, up to the cap.
        if not (directive and period) and too_many(session, cap, directive, period, obligation):
            return None, options
        rows = board_rows(
            session=session,
            directive_id=directive,
            period=period,
            obligation=obligation,
            limit=cap + 1,
        )
        if len(rows) > cap:
            return None, options
        groups: dict[str, str] = {}
        if params.get("group"):  # each agency's groups, only when filtering by one
            found = session.execute(select(col(Agency.code), col(Agency.groups))).tuples()
            groups = {code: names for code, names in found}
    if params.get("status"):
        rows = [r for r in rows if r.status == params["status"]]
    if params.get("group"):
        rows = [r for r in rows if params["group"] in groups.get(r.agency, "").split(",")]
    if params.get("q"):
        needle = fold(params["q"]).strip()
        rows = [r for r in rows if needle in _haystack(r)]
    return _sorted(rows, params.get("sort") or "tinh-trang"), options


def _haystack(row: BoardRow) -> str:
    return fold(
        " ".join(
            str(v or "")
            for v in (row.agency, row.agency_name, row.obligation_title, row.document,
                      row.inherited_from)
        )
    )  # fmt: skip


UNDATED_LABEL = "Không có thời hạn"


def counts(rows: Sequence[BoardRow]) -> list[tuple[str, str, int]]:
    """(status, label, count) of the dated rows, most urgent first, then the undated ones
    apart (status ``undated``): an inspection without a deadline is never "chưa đến hạn"."""
    found = Counter(r.status for r in rows if r.due_date is not None)
    shown = [(s, STATUS_LABELS_VI[s], found[s]) for s in STATUS_ORDER if found[s]]
    undated = sum(1 for r in rows if r.due_date is None)
    return shown + ([("undated", UNDATED_LABEL, undated)] if undated else [])


def _with_year(params: dict[str, str], year: str) -> str | None:
    """``year=2016`` folded into ``directive``; the refusal in Vietnamese when they clash."""
    try:
        ref = parse_directive(params["directive"], year or None, option="directive")
    except DondocError as exc:
        return message_vi(exc, None, dt.date.today())
    params["directive"] = str(ref) if ref else ""
    return None


def board_page(request: Request) -> Response:
    # Synchronous: Starlette runs it in its thread pool, so a page waiting on the database
    # does not hold up the event loop (every other request) meanwhile.
    params = {k: request.query_params.get(k, "").strip()[:200] for k in FILTERS}
    refused = _with_year(params, request.query_params.get("year", "").strip()[:8])
    if refused:
        params["directive"] = ""
    if request.query_params.get("format") == "csv" and not refused:
        found, _ = _rows_or_refusal(request, params)
        if found is not None:
            return Response(
                render_board(found, "csv"),
                media_type="text/csv; charset=utf-8",
                headers={"content-disposition": 'attachment; filename="bang-theo-doi.csv"'},
            )
    marker = getattr(request.state, "data_marker", None)  # read by the login gate
    if marker is None:
        with read_db(request) as session:
            marker = data_marker(session)
    cache: PageCache = request.app.state.page_cache
    key = "&".join(f"{k}={params[k]}" for k in FILTERS) + f"&refused={refused or ''}"
    view = cache.get_or_render(key, marker, lambda: _view_html(request, params, refused))
    return render(request, "board.html", title="Bảng theo dõi", view_html=Markup(view))


def _rows_or_refusal(
    request: Request, params: dict[str, str]
) -> tuple[list[BoardRow] | None, dict[str, object] | str]:
    """filtered_rows, or (None, the refusal in Vietnamese) for a directive that is unknown or
    shared by several years (the page then shows every directive to choose from)."""
    try:
        return filtered_rows(request, params)
    except DondocError as exc:
        if exc.field != "directive":
            raise
        return None, message_vi(exc, None, dt.date.today())


def _view_html(request: Request, params: dict[str, str], refused: str | None = None) -> str:
    """The filters, counts and tables of a view: the same for every user who asks for it."""
    found, options = _rows_or_refusal(request, params)
    if isinstance(options, str):
        refused, params["directive"] = options, ""
        found, options = filtered_rows(request, params)
    rows = found or []
    query = urlencode({k: v for k, v in params.items() if v} | {"format": "csv"})
    return TEMPLATES.get_template("board_view.html").render(
        dated=[r for r in rows if r.due_date is not None],
        undated=[r for r in rows if r.due_date is None],
        counts=counts(rows),
        total=len(rows),
        params=params,
        options=options,
        sorts=SORTS,
        statuses=[(s, STATUS_LABELS_VI[s]) for s in STATUS_ORDER],
        csv_url=f"/bang-theo-doi?{query}",
        lineage=any(r.inherited_from for r in rows),
        several=several_directives(rows),
        refused=refused,
        capped=found is None,
        row_cap=f"{request.app.state.row_cap:,}".replace(",", "."),
        narrower=_narrower(params, options),
    )


def _narrower(params: dict[str, str], options: dict[str, object]) -> list[tuple[str, str]]:
    """(label, link) of the next filter to choose when too many tasks match: each directive,
    or each period of the chosen directive."""
    directive = params.get("directive")
    if not directive:
        return [(label, f"/bang-theo-doi?{urlencode({'directive': ref})}")
                for ref, label in _pairs(options["directives"])]  # fmt: skip
    return [(f"Kỳ {p}", f"/bang-theo-doi?{urlencode({'directive': directive, 'period': p})}")
            for p in _strings(options["periods"])]  # fmt: skip


def _strings(values: object) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list) else []


def _pairs(values: object) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in values] if isinstance(values, list) else []


routes = [Route("/bang-theo-doi", board_page, methods=["GET"])]
