"""Nhiệm vụ: one task, its audit trail, and (coordinators only) the forms that record or
withdraw a report, through the same service functions as `dondoc submit` / `withdraw`."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dondoc.db import engine_for, transaction
from dondoc.engine.deadlines import days_between, local_date
from dondoc.errors import ConflictError, DondocError, InputError
from dondoc.models import SubmissionCreate
from dondoc.reports.board import STATUS_LABELS_VI
from dondoc.service import submit
from dondoc.tracking.submissions import withdraw_submission
from dondoc.web.common import context_of, current_user, db, dmy, render, require_coordinator
from dondoc.web.task_view import TaskView, load_task

CLOSED_VI = {
    "done_on_time": "Đã ghi nhận: hoàn thành đúng hạn",
    "done_late": "Đã ghi nhận: hoàn thành quá hạn",
}


def parse_day(value: str) -> dt.date:
    """dd/mm/yyyy or yyyy-mm-dd."""
    text = value.strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"Ngày nhận «{text}» không phải là một ngày hợp lệ (dd/mm/yyyy).",
            field="received_on",
            value=text,
        ) from None


def message_vi(
    exc: DondocError, received: dt.date | None, today: dt.date, issued: dt.date | None = None
) -> str:
    """The known errors of a record or withdrawal in Vietnamese, naming the value."""
    text = str(exc)
    if exc.field == "received_on" and received is not None:
        if "after today" in text:
            return (
                f"Ngày nhận {dmy(received)} sau ngày hôm nay ({dmy(today)}): không thể nhận "
                "báo cáo trong tương lai. Nếu đúng là vậy (diễn tập), hãy đánh dấu ô xác nhận."
            )
        if "before directive" in text:
            when = f" ({dmy(issued)})" if issued else ""
            return (
                f"Ngày nhận {dmy(received)} trước ngày ban hành chỉ thị{when}: không được ghi nhận."
            )
    if exc.field == "period":
        if "outside the periods" in text:
            return f"Kỳ {exc.value} không thuộc các kỳ chỉ thị giao cho cơ quan này."
        if "already closed" in text:
            return "Nhiệm vụ này đã có báo cáo được ghi nhận: hãy rút báo cáo cũ trước khi sửa."
    if isinstance(exc, ConflictError) and "no submission to withdraw" in text:
        return "Nhiệm vụ này chưa có báo cáo nào để rút."
    if exc.field in ("document", "document_number"):
        return f"Số, ký hiệu văn bản «{exc.value or ''}» không hợp lệ."
    if exc.field in ("note", "reason"):
        return "Nội dung có ký tự điều khiển không hợp lệ."
    return text


def _load(request: Request, task_id: int) -> TaskView:
    with db(request) as session:
        return load_task(session, task_id)


def _title(view: TaskView) -> str:
    """Which agency, what and which period: tabs of several tasks tell each other apart."""
    who = view.holder.short_name or view.holder.name
    return f"{who} · {view.obligation.title} · kỳ {view.task.period}"


def _page(request: Request, task_id: int, status_code: int = 200, **extra: object) -> Response:
    view = _load(request, task_id)
    user = current_user(request)
    ctx = context_of(request)
    return render(
        request,
        "task.html",
        status_code=status_code,
        title=_title(view),
        can_record=bool(user and user.get("role") == "coordinator"),
        is_open=view.task.status not in ("done_on_time", "done_late", "waived"),
        view=view,
        days_overdue=view.days_overdue(local_date(ctx.now, ctx.tz)),
        **extra,
    )


async def task_page(request: Request) -> Response:
    return _page(request, int(request.path_params["task_id"]))


async def record(request: Request) -> Response:
    user = require_coordinator(request)
    task_id = int(request.path_params["task_id"])
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("document", "received_on", "note")}
    confirmed = form.get("confirm") in ("1", "on", "yes")
    view = _load(request, task_id)
    ctx = context_of(request)
    today = local_date(ctx.now, ctx.tz)
    received: dt.date | None = None
    try:
        if not values["document"].strip():
            raise InputError("Hãy nhập số, ký hiệu văn bản báo cáo.", field="document")
        received = parse_day(values["received_on"])
        try:
            submission = SubmissionCreate(
                agency=view.origin.code,
                obligation=view.obligation.code,
                period=view.task.period,
                directive=view.directive.number,
                document_number=values["document"].strip(),
                received_on=received,
                note=values["note"].strip() or None,
                recorded_by=user["name"],
            )
        except ValidationError:
            raise InputError(
                f"Số, ký hiệu «{values['document'].strip()}» hoặc ghi chú không hợp lệ"
                " (một dòng, tối đa 64 ký tự, không có ký tự điều khiển).",
                field="submission",
            ) from None
        closed = submit(ctx.settings, ctx, submission, allow_future=confirmed)
    except DondocError as exc:
        return _page(
            request,
            task_id,
            status_code=400,
            error=message_vi(exc, received, today, view.directive.issued_on),
            form=values,
        )
    said = CLOSED_VI.get(closed.status, STATUS_LABELS_VI[closed.status])
    if closed.status == "done_late" and closed.due_day is not None and received is not None:
        said += f" ({days_between(closed.due_day, received)} ngày sau hạn {dmy(closed.due_day)})"
    request.session["flash"] = said
    return RedirectResponse(f"/nhiem-vu/{task_id}", status_code=303)


async def withdraw(request: Request) -> Response:
    user = require_coordinator(request)
    task_id = int(request.path_params["task_id"])
    form = await request.form()
    reason = str(form.get("reason", "")).strip()
    view = _load(request, task_id)
    ctx = context_of(request)
    try:
        if not reason:
            raise InputError("Hãy nêu lý do rút báo cáo.", field="reason")
        with transaction(engine_for(ctx.settings)) as session:
            task = withdraw_submission(
                session=session,
                ctx=ctx,
                agency=view.origin.code,
                obligation=view.obligation.code,
                period=view.task.period,
                directive=view.directive.number,
                reason=reason,
                actor=user["name"],
            )
    except DondocError as exc:
        today = local_date(ctx.now, ctx.tz)
        return _page(request, task_id, status_code=400, error=message_vi(exc, None, today))
    request.session["flash"] = f"Đã rút báo cáo: {STATUS_LABELS_VI[task.status].lower()}"
    return RedirectResponse(f"/nhiem-vu/{task_id}", status_code=303)


routes = [
    Route("/nhiem-vu/{task_id:int}", task_page, methods=["GET"]),
    Route("/nhiem-vu/{task_id:int}/bao-cao", record, methods=["POST"]),
    Route("/nhiem-vu/{task_id:int}/rut-bao-cao", withdraw, methods=["POST"]),
]
