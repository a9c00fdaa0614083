"""Đăng nhập / đăng xuất, and the gate that sends anyone not signed in to the login form."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from dondoc.db import engine_for, transaction
from dondoc.web.accounts import authenticate, find_user
from dondoc.web.common import db, render

LOGIN = "/dang-nhap"
OPEN_PATHS = (LOGIN, "/static/")


class LoginRequired:
    """Every page but the login form and /static redirects to /dang-nhap when not signed in
    (runs inside SessionMiddleware, so the session is read)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            open_path = path == LOGIN or path.startswith("/static/")
            if not open_path and not _still_valid(scope):
                scope.get("session", {}).clear()
                await RedirectResponse(LOGIN, status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _still_valid(scope: Scope) -> bool:
    """A session names an account that still exists and is not disabled; its role is read
    again, so disabling an account or changing its role takes effect at the next request."""
    session = scope.get("session", {})
    user = session.get("user")
    if not isinstance(user, dict) or not user.get("name"):
        return False
    settings = scope["app"].state.settings
    with transaction(engine_for(settings)) as db_session:
        found = find_user(db_session, str(user["name"]))
        if found is None or found.disabled_at is not None:
            return False
        session["user"] = {"name": found.name, "role": found.role}
    return True


async def login_form(request: Request) -> Response:
    return render(request, "login.html", title="Đăng nhập")


async def login(request: Request) -> Response:
    form = await request.form()
    name = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    with db(request) as session:
        user = authenticate(session, name, password)
        found = {"name": user.name, "role": user.role} if user else None
    if found is None:
        return render(
            request,
            "login.html",
            status_code=400,
            title="Đăng nhập",
            error="Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khoá.",
            username=name,
        )
    request.session.clear()
    request.session["user"] = found
    return RedirectResponse("/", status_code=303)


async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse(LOGIN, status_code=303)


routes = [
    Route(LOGIN, login_form, methods=["GET"]),
    Route(LOGIN, login, methods=["POST"]),
    Route("/dang-xuat", logout, methods=["POST"]),
]
