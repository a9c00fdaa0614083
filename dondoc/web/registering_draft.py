"""One draft of *Đăng ký văn bản*: its form (review points and errors beside each field), the
buttons Lưu nháp, Đăng ký, Thêm nhiệm vụ, Xóa nhiệm vụ N, and once registered, the tasks made
and their first reminders (docs/registering.md)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dondoc.config.config_yaml import SpecError
from dondoc.config.successions import load_directory
from dondoc.engine.deadlines import local_date
from dondoc.errors import DondocError
from dondoc.models import DraftRecord
from dondoc.registration import get_draft, register_draft, save_draft, tasks_made
from dondoc.web.common import context_of, current_user, render, require_coordinator, settings_of
from dondoc.web.registering_form import Parsed, parse_form, validate
from dondoc.web.registering_view import (
    OBLIGATION_KINDS_VI,
    RECURRENCES_VI,
    agency_choices,
    carried,
    form_paths,
    group_choices,
    notes_of,
    other_codes,
    path_vi,
    renumber_review,
    shown_day,
)

PATH = "/dang-ky-van-ban"
MAX_UPLOAD = 5 * 1024 * 1024  # a long dispatch as .docx or .pdf is well under 1 MB
TITLE = "Đăng ký văn bản"
VIEWER_NOTE = (
    "Tài khoản chỉ xem: bạn xem được các bản nháp nhưng không tạo, sửa hoặc đăng ký văn bản "
    "được. Hãy đề nghị quản trị viên cấp quyền điều phối viên cho tài khoản này."
)


def is_coordinator(request: Request) -> bool:
    user = current_user(request)
    return bool(user and user.get("role") == "coordinator")


async def read_form(request: Request) -> FormData:
    try:
        return await request.form(max_files=1, max_fields=10_000, max_part_size=MAX_UPLOAD)
    except MultiPartException as exc:
        raise HTTPException(400, f"Không đọc được biểu mẫu: {exc.message}") from None


def require_coordinator_vi(request: Request) -> dict[str, str]:
    try:
        return require_coordinator(request)
    except HTTPException as exc:
        if exc.status_code == 403:
            raise HTTPException(403, VIEWER_NOTE) from None
        raise


def _draft(request: Request) -> DraftRecord:
    record = get_draft(settings_of(request), int(request.path_params["draft_id"]))
    if record is None:
        raise HTTPException(404, "Không có bản nháp này.")
    return record


def _form_page(
    request: Request,
    record: DraftRecord,
    content: dict[str, Any],
    *,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    agencies = load_directory()
    notes = notes_of(record.review, errors or {})
    return render(
        request,
        "registering_form.html",
        status_code=status_code,
        title=f"{TITLE}: {record.number or 'bản nháp số ' + str(record.id)}",
        record=record,
        c=content,
        notes=notes,
        paths=form_paths(content),
        can_edit=is_coordinator(request),
        viewer_note=VIEWER_NOTE,
        groups=group_choices(agencies),
        kinds=agency_choices(agencies),
        others=other_codes(content.get("addressees") or [], agencies),
        obligation_kinds=OBLIGATION_KINDS_VI,
        recurrences=RECURRENCES_VI,
        shown_day=shown_day,
        path_vi=path_vi,
        carried=carried,
        error=error or ("Bản nháp còn lỗi: xem các ô được đánh dấu." if errors else None),
    )


async def draft_page(request: Request) -> Response:
    record = _draft(request)
    content = json.loads(record.content)
    if record.registered_at is not None:
        return _result_page(request, record, content)
    return _form_page(request, record, content)


def _result_page(request: Request, record: DraftRecord, content: dict[str, Any]) -> Response:
    directive = content["directive"]
    number = str(directive["number"])
    year = dt.date.fromisoformat(str(directive["issued_on"])).year
    tasks = tasks_made(settings_of(request), number, year)
    firsts: dict[tuple[str, str], tuple[int, dt.date | None, dt.datetime | None]] = {}
    for t in tasks:
        count, due, remind = firsts.get((t.obligation_title, t.period), (0, t.due_day, None))
        earliest = min(filter(None, (remind, t.remind_from)), default=None)
        firsts[(t.obligation_title, t.period)] = (count + 1, due, earliest)
    return render(
        request,
        "registering_result.html",
        title=f"Đã đăng ký: {number}",
        record=record,
        number=number,
        year=year,
        tasks=tasks,
        summary=[(k[0], k[1], *v) for k, v in firsts.items()],
        warnings=request.session.pop("register_warnings", None),
    )


def _posted(form: FormData) -> Parsed:
    single = {k: v for k, v in form.items() if isinstance(v, str)}
    multi = {k: [str(v) for v in form.getlist(k)] for k in ("addressees", "exclude")}
    return parse_form(single, multi)


async def act(request: Request) -> Response:
    """One POST for the form's buttons: Lưu nháp, Đăng ký, Thêm nhiệm vụ, Xóa nhiệm vụ N."""
    user = require_coordinator_vi(request)
    record = _draft(request)
    form = await read_form(request)
    action = str(form.get("action") or "luu-nhap")
    parsed = _posted(form)
    ctx = context_of(request)
    here = f"{PATH}/{record.id}"
    try:
        if record.registered_at is not None:
            raise DondocError("Bản nháp này đã được đăng ký; không đăng ký lại.")
        if action == "dang-ky":
            return _register(request, record, parsed, user["name"])
        review = None
        obligations = parsed.content["obligations"]
        if action == "them-nhiem-vu":
            obligations.append(_blank_obligation(len(obligations)))
            here += f"#nhiem-vu-{len(obligations) - 1}"
        elif action.startswith("xoa-nhiem-vu-") and action[13:].isdigit():
            removed = int(action[13:])
            if removed < len(obligations):
                del obligations[removed]
                review = renumber_review(record.review, removed)
            here += "#nhiem-vu"
        save_draft(
            ctx.settings, record.id or 0, parsed.content, actor=user["name"], now=ctx.now,
            review=review,
        )  # fmt: skip
    except DondocError as exc:
        return _form_page(request, record, parsed.content, status_code=400, error=str(exc))
    request.session["flash"] = "Đã lưu nháp." if action == "luu-nhap" else "Đã lưu thay đổi."
    return RedirectResponse(here, status_code=303)


def _blank_obligation(i: int) -> dict[str, Any]:
    return {
        "code": f"nhiem-vu-{i + 1}",
        "kind": "report",
        "title": None,
        "phrase": None,
        "recurrence": "once",
        "deadline": None,
    }


def _register(request: Request, record: DraftRecord, parsed: Parsed, actor: str) -> Response:
    ctx = context_of(request)
    agencies = load_directory()
    spec = validate(parsed, agencies, local_date(ctx.now, ctx.tz))
    if spec is None:
        return _form_page(request, record, parsed.content, errors=parsed.errors, status_code=400)
    try:
        done = register_draft(ctx.settings, ctx, record.id or 0, spec, parsed.content, actor=actor)
    except SpecError as exc:
        parsed.add(exc.field or "directive", f"Không đăng ký được: {exc.problem}.")
        return _form_page(request, record, parsed.content, errors=parsed.errors, status_code=400)
    except DondocError as exc:
        return _form_page(request, record, parsed.content, status_code=400, error=str(exc))
    request.app.state.page_cache.forget()  # the board shows the new directive's tasks
    agencies_count = len({t.agency_code for t in done.tasks})
    request.session["flash"] = (
        f"Đã đăng ký văn bản {done.number}: {done.result.obligations} nhiệm vụ giao cho "
        f"{agencies_count} cơ quan, thành {len(done.tasks)} nhiệm vụ theo từng cơ quan và kỳ."
    )
    if done.result.warnings:
        request.session["register_warnings"] = list(done.result.warnings)
    return RedirectResponse(f"{PATH}/{record.id}", status_code=303)


routes = [
    Route(PATH + "/{draft_id:int}", draft_page, methods=["GET"]),
    Route(PATH + "/{draft_id:int}", act, methods=["POST"]),
]
