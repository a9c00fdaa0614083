"""What every page shares: settings and run context, the templates, the signed-in user,
Vietnamese dates and accent-insensitive text."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from dondoc.config.settings import Settings
from dondoc.context import RunContext, make_context
from dondoc.db import engine_for, transaction
from dondoc.engine.periods import period_label_vi
from dondoc.reports.board import STATUS_LABELS_VI
from dondoc.reports.board_format import row_directive

TEMPLATES = Environment(
    loader=FileSystemLoader(str(files("dondoc.web") / "templates")),
    autoescape=select_autoescape(["html"]),
)


def dmy(value: dt.date | dt.datetime | None) -> str:
    return "" if value is None else f"{value:%d/%m/%Y}"


# The audit trail's event kinds, as the coordinator reads them.
EVENT_KINDS_VI = {
    "assigned": "Giao nhiệm vụ",
    "status": "Đổi tình trạng",
    "submission": "Ghi nhận báo cáo",
    "withdrawal": "Rút báo cáo",
    "transferred": "Chuyển cho cơ quan kế thừa",
    "contact_flagged": "Đầu mối bị đánh dấu lỗi",
    "contacts_import": "Nhập danh sách đầu mối",
    "load": "Nạp chỉ thị",
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập không thành công",
    "user_add": "Thêm tài khoản",
    "user_disable": "Khoá tài khoản",
    "notification_sent": "Đã gửi thông báo",
    "notification_given_up": "Ngừng gửi thông báo",
    "notification_queued": "Gửi thông báo lỗi, sẽ thử lại",
    "notification_cancelled": "Huỷ thông báo",
}

CHANNELS_VI = {"email": "Thư điện tử", "zalo": "Zalo", "zns": "Zalo (ZNS)", "apprise": "Kênh khác"}

# A message's delivery state.
NOTIFICATION_VI = {
    "queued": "Đang chờ gửi",
    "sending": "Đang gửi",
    "delivering": "Đang gửi",
    "sent": "Đã gửi",
    "given_up": "Ngừng gửi",
    "cancelled": "Đã huỷ (nhiệm vụ đã đóng)",
}


def event_kind_vi(kind: str) -> str:
    return EVENT_KINDS_VI.get(kind, kind)


# Who acted, when it was dondoc itself rather than a person (whose name is shown as is).
ACTORS_VI = {
    "dondoc": "Hệ thống",
    "sweep": "Hệ thống (lần quét hằng ngày)",
    "cli": "Dòng lệnh",
    "web": "Bảng theo dõi",
    "coordinator": "Điều phối viên",
}


def actor_vi(actor: str | None) -> str:
    return ACTORS_VI.get(actor or "", actor or "")


# The agency groups of config/data/agencies.yaml (a spec's `addressees`), as the board's filter
# names them; a group a deployment adds shows its own name.
GROUPS_VI = {
    "ministries": "Các bộ",
    "ministerial-agencies": "Cơ quan ngang bộ, cơ quan thuộc Chính phủ",
    "provincial-committees": "Ủy ban nhân dân các tỉnh, thành phố",
    "construction-departments": "Sở Xây dựng các tỉnh, thành phố",
}


def period_text(period: str) -> str:
    """A period as a coordinator reads it: 2026, 2026-Q2 (quý II năm 2026), Một lần."""
    if period == "once":
        return "Một lần (không định kỳ)"
    label = period_label_vi(period)
    return period if label in (period, f"năm {period}") else f"{period} ({label})"


def stage_vi(stage: str) -> str:
    """A reminder stage as a coordinator reads it: before-7 -> Nhắc trước hạn 7 ngày."""
    kind, _, days = stage.partition("-")
    if kind == "before" and days.isdigit():
        return f"Nhắc trước hạn {days} ngày" if days != "0" else "Nhắc vào ngày đến hạn"
    if kind == "overdue" and days.isdigit():
        return f"Nhắc quá hạn {days} ngày"
    return stage


def dmy_time(value: dt.datetime | None, tz: str = "Asia/Ho_Chi_Minh") -> str:
    """An instant in local time: 27/11/2026 09:00."""
    from zoneinfo import ZoneInfo

    return "" if value is None else f"{value.astimezone(ZoneInfo(tz)):%d/%m/%Y %H:%M}"


TEMPLATES.filters["dmy"] = dmy
TEMPLATES.filters["directive"] = row_directive  # "24/CT-TTg (2016)" for a board row
TEMPLATES.filters["dmy_time"] = dmy_time
TEMPLATES.filters["event_kind"] = event_kind_vi
TEMPLATES.filters["actor"] = actor_vi
TEMPLATES.filters["stage"] = stage_vi
TEMPLATES.filters["period"] = period_text
TEMPLATES.filters["group"] = lambda group: GROUPS_VI.get(group, group)
TEMPLATES.filters["channel"] = lambda channel: CHANNELS_VI.get(channel, channel)
TEMPLATES.filters["delivery"] = lambda status: NOTIFICATION_VI.get(status, status)
TEMPLATES.globals["STATUS_LABELS"] = STATUS_LABELS_VI
# Statuses an undated task is shown apart in ("Không có thời hạn"), as _badge.html does.
TEMPLATES.globals["OPEN_STATUSES"] = ("pending", "due_soon")


def fold(text: str | None) -> str:
    """Lower case without diacritics (đ → d): "Hồ Chí Minh" and "ho chi minh" compare equal."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def context_of(request: Request) -> RunContext:
    return make_context(settings_of(request))


@contextmanager
def db(request: Request) -> Iterator[Session]:
    with transaction(engine_for(settings_of(request))) as session:
        yield session


@contextmanager
def read_db(request: Request) -> Iterator[Session]:
    """A session for a page that only reads: each statement on its own (autocommit), so no
    BEGIN and COMMIT round trips around the page's few queries; writing through it is a bug."""
    with (
        engine_for(settings_of(request))
        .connect()
        .execution_options(isolation_level="AUTOCOMMIT") as conn,
        Session(bind=conn) as session,
    ):
        yield session


def current_user(request: Request) -> dict[str, str] | None:
    user = request.session.get("user")
    return user if isinstance(user, dict) else None


def require_user(request: Request) -> dict[str, str]:
    user = current_user(request)
    if user is None:  # the middleware redirects first; this guards a route used directly
        raise HTTPException(401)
    return user


def require_coordinator(request: Request) -> dict[str, str]:
    user = require_user(request)
    if user.get("role") != "coordinator":
        raise HTTPException(403, "Chỉ điều phối viên được ghi nhận hoặc rút báo cáo.")
    return user


def render(request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    token = request.scope.get("csrftoken")
    html = TEMPLATES.get_template(name).render(
        request=request,
        user=current_user(request),
        csrftoken=token() if callable(token) else "",
        path=request.url.path,
        tz=settings_of(request).timezone,
        flash=request.session.pop("flash", None),
        flow_run=request.session.pop("flow_run", None),
        **values,
    )
    return HTMLResponse(html, status_code=status_code)
