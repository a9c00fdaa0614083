"""Đăng nhập / đăng xuất, and the gate that sends anyone not signed in to the login form,
keeping the page they asked for (``next``) so the login leads back to it."""

from __future__ import annotations

from urllib.parse import urlencode

import anyio.to_thread
from sqlalchemy import bindparam, select
from sqlmodel import col
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from dondoc.db import engine_for
from dondoc.models import AppUser
from dondoc.web.accounts import authenticate, has_users
from dondoc.web.common import db, render
from dondoc.web.page_cache import MARKER_EVENTS, MARKER_TASKS

LOGIN = "/dang-nhap"
HOME = "/"
MAX_NEXT = 2000


def safe_next(value: object) -> str | None:
    """A path on this site to go back to after the login, or None: one leading "/", never
    "//" or a backslash (browsers read both as another host), no scheme, no control or space
    characters (browsers drop tabs and newlines, which would turn "/\\t/x" into "//x")."""
    if not isinstance(value, str) or not value.startswith("/") or len(value) > MAX_NEXT:
        return None
    if value.startswith("//") or "\\" in value or any(c <= " " or c == "\x7f" for c in value):
        return None
    if value == LOGIN or value.startswith(LOGIN + "?"):
        return None
    return value


def login_url(next_path: str | None) -> str:
    return f"{LOGIN}?{urlencode({'next': next_path})}" if next_path else LOGIN


class LoginRequired:
    """Every page but the login form and /static redirects to /dang-nhap when not signed in
    (runs inside SessionMiddleware, so the session is read); a page asked for with GET is
    kept in ``next``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            open_path = path == LOGIN or path.startswith("/static/")
            # In the thread pool: the lookup waits on the database (a pool ping and a query),
            # which in the event loop would hold up every other request meanwhile.
            if not open_path and not await anyio.to_thread.run_sync(_still_valid, scope):
                scope.get("session", {}).clear()
                target = _asked_for(scope)
                await RedirectResponse(login_url(target), status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _asked_for(scope: Scope) -> str | None:
    """The GET page to come back to (a POST's route cannot be opened by a redirect)."""
    if scope["method"] not in ("GET", "HEAD") or scope["path"] == HOME:
        return None
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    path = raw.decode("latin-1").partition("?")[0]  # as asked, still percent-encoded
    query = scope.get("query_string", b"").decode("latin-1")
    return safe_next(path + (f"?{query}" if query else ""))


def _still_valid(scope: Scope) -> bool:
    """A session names an account that still exists and is not disabled; its role is read
    again, so disabling an account or changing its role takes effect at the next request."""
    session = scope.get("session", {})
    user = session.get("user")
    if not isinstance(user, dict) or not user.get("name"):
        return False
    settings = scope["app"].state.settings
    # One indexed lookup of two columns on a bare connection in autocommit (no ORM session, no
    # BEGIN or ROLLBACK round trip): it runs on every request.
    # The same round trip reads the board's data marker (web/page_cache.py), so a kept view
    # costs no second connection checkout.
    with engine_for(settings).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        found = conn.execute(_ACCOUNT, {"name": str(user["name"])}).first()
    if found is None:
        return False
    session["user"] = {"name": found.name, "role": found.role}
    scope.setdefault("state", {})["data_marker"] = (int(found.events or 0), int(found.tasks or 0))
    return True


_ACCOUNT = select(
    col(AppUser.name),
    col(AppUser.role),
    MARKER_EVENTS.label("events"),
    MARKER_TASKS.label("tasks"),
).where(col(AppUser.name) == bindparam("name"), col(AppUser.disabled_at).is_(None))


def _login_page(request: Request, status_code: int = 200, **values: object) -> Response:
    with db(request) as session:
        no_account = not has_users(session)
    return render(
        request,
        "login.html",
        status_code=status_code,
        title="Đăng nhập",
        no_account=no_account,
        **values,
    )


async def login_form(request: Request) -> Response:
    return _login_page(request, next=safe_next(request.query_params.get("next")))


async def login(request: Request) -> Response:
    form = await request.form()
    name = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    next_path = safe_next(form.get("next"))
    with db(request) as session:
        user = authenticate(session, name, password)
        found = {"name": user.name, "role": user.role} if user else None
    if found is None:
        return _login_page(
            request,
            status_code=400,
            error="Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khoá.",
            username=name,
            next=next_path,
        )
    request.session.clear()
    request.session["user"] = found
    return RedirectResponse(next_path or HOME, status_code=303)


async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse(LOGIN, status_code=303)


routes = [
    Route(LOGIN, login_form, methods=["GET"]),
    Route(LOGIN, login, methods=["POST"]),
    Route("/dang-xuat", logout, methods=["POST"]),
]
