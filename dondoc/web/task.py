"""Nhiệm vụ: one task, its audit trail, and (coordinators only) the forms that record or
withdraw a report, through the same service functions as `dondoc submit` / `withdraw`."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dondoc.engine.deadlines import days_between, local_date
from dondoc.errors import DondocError, InputError
from dondoc.models import SubmissionCreate
from dondoc.reports.board import STATUS_LABELS_VI
from dondoc.reports.directive_ref import directive_ref
from dondoc.tracking.refusals import message_vi, parse_day
from dondoc.web.common import context_of, current_user, db, dmy, render, require_coordinator
from dondoc.web.task_view import TaskView, load_task
from dondoc.web.tracked import Outcome, TaskKey, record_report, withdraw_report

CLOSED_VI = {
    "done_on_time": "Đã ghi nhận: hoàn thành đúng hạn",
    "done_late": "Đã ghi nhận: hoàn thành quá hạn",
}


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


def _flash(request: Request, said: str, outcome: Outcome) -> None:
    """What the task page says after the redirect, and the flow run that did it, if tracked."""
    request.app.state.page_cache.forget()  # this process changed data the board shows
    request.session["flash"] = said
    if outcome.run_url:
        request.session["flow_run"] = outcome.run_url


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
                directive=directive_ref(view.directive.number, view.directive.year),
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
        closed = await record_report(ctx.settings, ctx, submission, allow_future=confirmed)
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
    _flash(request, said, closed)
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
        named = directive_ref(view.directive.number, view.directive.year)  # the year too
        where = TaskKey(view.origin.code, view.obligation.code, view.task.period, named)
        task = await withdraw_report(
            ctx.settings, ctx, actor=user["name"], where=where, reason=reason
        )
    except DondocError as exc:
        today = local_date(ctx.now, ctx.tz)
        return _page(request, task_id, status_code=400, error=message_vi(exc, None, today))
    _flash(request, f"Đã rút báo cáo: {STATUS_LABELS_VI[task.status].lower()}", task)
    return RedirectResponse(f"/nhiem-vu/{task_id}", status_code=303)


routes = [
    Route("/nhiem-vu/{task_id:int}", task_page, methods=["GET"]),
    Route("/nhiem-vu/{task_id:int}/bao-cao", record, methods=["POST"]),
    Route("/nhiem-vu/{task_id:int}/rut-bao-cao", withdraw, methods=["POST"]),
]
