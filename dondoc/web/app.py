"""The app factory: routes, signed session, login gate, CSRF on every form, security headers."""

from __future__ import annotations

import gc
import os
import secrets
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dondoc.config.settings import Settings, get_settings
from dondoc.errors import InputError
from dondoc.web import agency, auth, board, downloads, overview, registering, task
from dondoc.web.board_query import ROW_CAP
from dondoc.web.common import render
from dondoc.web.page_cache import PageCache

SESSION_HOURS = 8
MIN_SECRET = 32
SECRET_FILE = Path("data") / "web_secret"

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _EveryPath:
    """asgi-csrf skips a POST without cookies unless its path is "always protected": all are."""

    def __contains__(self, path: object) -> bool:
        return True


def web_secret(settings: Settings | None = None, path: Path = SECRET_FILE) -> str:
    """DONDOC_WEB_SECRET (environment or .env), or a random secret kept in data/web_secret
    (mode 0600). A short one is refused without being echoed."""
    configured = (settings or get_settings()).web_secret
    given = configured.get_secret_value().strip() if configured else ""
    if given:
        if len(given) < MIN_SECRET:
            raise InputError(
                f"DONDOC_WEB_SECRET is too short: at least {MIN_SECRET} characters (e.g. the "
                "output of `python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`)",
                field="web_secret",
            )
        return given
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value + "\n")
    return value


ERROR_TITLES = {
    403: "Không được phép",
    404: "Không tìm thấy",
    405: "Không được phép",
}


async def _error_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = ERROR_TITLES.get(exc.status_code, "Có lỗi")
    detail = exc.detail if exc.detail and exc.detail != title else "Trang này không dùng được."
    if exc.status_code == 404 and exc.detail == "Not Found":
        detail = "Không có trang này."
    if exc.status_code == 403 and exc.detail == "Forbidden":
        detail = "Tài khoản của bạn không được làm việc này."
    return render(request, "error.html", status_code=exc.status_code, title=title, detail=detail)


def create_app(
    settings: Settings | None = None, secret: str | None = None, row_cap: int = ROW_CAP
) -> ASGIApp:
    """``row_cap``: above this many matching tasks the board asks for a directive and period
    rather than listing them."""
    from asgi_csrf import asgi_csrf

    settings = settings or get_settings()
    secret = secret or web_secret(settings)
    static = StaticFiles(packages=[("dondoc.web", "static")])
    app = Starlette(
        routes=[
            *auth.routes,
            *overview.routes,
            *board.routes,
            *task.routes,
            *downloads.routes,
            *agency.routes,
            *registering.routes,
            Mount("/static", app=static, name="static"),
        ],
        exception_handlers={HTTPException: _error_page},
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=secret,
                session_cookie="dondoc_session",
                max_age=SESSION_HOURS * 3600,
                same_site="lax",
            ),
            Middleware(auth.LoginRequired),
        ],
    )
    app.state.settings = settings
    app.state.row_cap = row_cap
    app.state.page_cache = PageCache()
    protected: ASGIApp = asgi_csrf(
        app,
        signing_secret=secret,
        always_protect=_EveryPath(),
        cookie_samesite="Lax",
        # asgi-csrf 0.11 cannot parse multipart bodies with python-multipart 0.0.34: the upload
        # checks its token itself (registering.check_upload_token), the same comparison.
        skip_if_scope=registering.is_upload,
    )
    return SecurityHeaders(protected)


def app_from_environment() -> ASGIApp:
    """The app of one uvicorn worker process (``dondoc web --workers N`` imports it by name):
    the settings come from the environment and .env, as the parent read them; the secret from
    DONDOC_WEB_SECRET or data/web_secret, which the parent has made before starting workers."""
    app = create_app(get_settings())
    # What is loaded by now (modules, templates, mappers) lives as long as the process: kept
    # out of the collector's full passes, which otherwise stall every request in the worker.
    gc.freeze()
    return app
