"""Đăng ký văn bản: paste or upload a dispatch's text; the reader's draft is kept as a draft
row and opens in its form (`registering_draft`); the drafts saved so far, who saved each and
when (docs/registering.md)."""

from __future__ import annotations

import secrets

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Scope

from dondoc.errors import DondocError
from dondoc.reading.sources import document_text
from dondoc.reading.text import DispatchTextError
from dondoc.registration import create_draft, list_drafts, read_draft
from dondoc.web import registering_draft
from dondoc.web.common import context_of, render, settings_of
from dondoc.web.registering_draft import (
    MAX_UPLOAD,
    PATH,
    TITLE,
    VIEWER_NOTE,
    is_coordinator,
    read_form,
    require_coordinator_vi,
)

__all__ = ["MAX_UPLOAD", "check_upload_token", "is_upload", "routes"]

MAX_TEXT = 1024 * 1024
PASTED = "văn bản dán vào"


def _start_page(request: Request, status_code: int = 200, **extra: object) -> Response:
    return render(
        request,
        "registering.html",
        status_code=status_code,
        title=TITLE,
        can_edit=is_coordinator(request),
        viewer_note=VIEWER_NOTE,
        drafts=list_drafts(settings_of(request)),
        max_upload_mb=MAX_UPLOAD // (1024 * 1024),
        **extra,
    )


async def start_page(request: Request) -> Response:
    return _start_page(request)


async def _posted_text(form: FormData) -> tuple[str, str]:
    """(the text, where it came from): the uploaded file when one is chosen, else the pasted
    text; `DondocError` in Vietnamese when neither is usable."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_UPLOAD + 1)
        name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        if len(data) > MAX_UPLOAD:
            raise DondocError(
                f"Tệp «{name}» lớn hơn {MAX_UPLOAD // (1024 * 1024)} MB: hãy chọn đúng tệp văn "
                "bản (.txt, .docx hoặc .pdf) hoặc dán nội dung."
            )
        try:
            return document_text(data, name), name
        except DispatchTextError as exc:
            raise DondocError(
                f"Tệp «{name}» không đọc được thành văn bản ({exc}). Hãy chọn tệp .txt, .docx "
                "hoặc .pdf có lớp chữ, hoặc dán nội dung văn bản."
            ) from None
    text = str(form.get("text") or "")
    if not text.strip():
        raise DondocError("Hãy dán nội dung văn bản hoặc chọn một tệp.")
    if len(text.encode("utf-8")) > MAX_TEXT:
        raise DondocError("Nội dung dán vào quá dài (hơn 1 MB): có đúng là một văn bản không?")
    return text, PASTED


def is_upload(scope: Scope) -> bool:
    """A multipart POST to this page (asgi-csrf lets it through; `create` checks it)."""
    headers = dict(scope.get("headers") or [])
    kind = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    return scope.get("path") == PATH and kind == b"multipart/form-data"


def check_upload_token(request: Request, form: FormData) -> None:
    """The form's token against the signed cookie's, as asgi-csrf compares them."""
    expected = request.scope.get("csrftoken")
    given = form.get("csrftoken")
    if not (callable(expected) and isinstance(given, str) and given):
        raise HTTPException(403, CSRF_REFUSED)
    if not secrets.compare_digest(given, str(expected())):
        raise HTTPException(403, CSRF_REFUSED)


CSRF_REFUSED = "Biểu mẫu đã hết hạn hoặc không hợp lệ: hãy tải lại trang rồi gửi lại."


async def create(request: Request) -> Response:
    user = require_coordinator_vi(request)
    form = await read_form(request)
    check_upload_token(request, form)
    ctx = context_of(request)
    try:
        text, source = await _posted_text(form)
        draft = read_draft(ctx.settings, text, source, ctx.now)
    except DondocError as exc:
        pasted = str(form.get("text") or "")
        return _start_page(request, 400, error=_vi(exc), pasted=pasted)
    draft_id = create_draft(
        ctx.settings, draft, source_name=source, source_text=text, actor=user["name"], now=ctx.now
    )
    return RedirectResponse(f"{PATH}/{draft_id}", status_code=303)


def _vi(exc: DondocError) -> str:
    """The reader's refusals are in English ("does not look like an official document ..."):
    a Vietnamese lead-in says what it means for the coordinator."""
    said = str(exc)
    if "does not look like an official document" in said:
        return (
            "Nội dung này không giống một văn bản hành chính (cần có số, ký hiệu; ngày ban "
            f"hành; trích yếu; Kính gửi hoặc Nơi nhận). Chi tiết: {said}"
        )
    return said


routes = [
    Route(PATH, start_page, methods=["GET"]),
    Route(PATH, create, methods=["POST"]),
    *registering_draft.routes,
]
