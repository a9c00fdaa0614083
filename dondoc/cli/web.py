"""`dondoc web`: the coordinator's web board alone (`dondoc up` starts it beside Prefect)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

DEFAULT_WEB_HOST = "127.0.0.1"
DEFAULT_WEB_PORT = 8080
APP_FACTORY = "dondoc.web.app:app_from_environment"


def board_address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"Bảng theo dõi: http://{shown}:{port}/"


def default_workers() -> int:
    """One worker process per CPU this process may run on (at least one): a page's Python work
    holds one core, so a single process serves one page at a time."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def web(
    host: Annotated[
        str, typer.Option(help="Address to listen on; loopback unless told otherwise.")
    ] = DEFAULT_WEB_HOST,
    port: Annotated[int, typer.Option(help="Port of the web board.")] = DEFAULT_WEB_PORT,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes; default: one per CPU."),
    ] = None,
) -> None:
    """Serve the web board (Vietnamese; accounts from `dondoc users add`)."""
    import uvicorn

    from dondoc.cli.common import ready_settings
    from dondoc.cli.platform import WEB_URL_SETTING, is_loopback, local_url
    from dondoc.cli.users import first_account_hint
    from dondoc.web.app import create_app, web_secret

    # What the flow runs this board starts link back to; `dondoc up` has set it already.
    # Set in the environment so that every worker process reads the same.
    os.environ.setdefault(WEB_URL_SETTING, local_url(host, port).rstrip("/"))
    settings = ready_settings()
    count = workers or default_workers()
    # Made (or refused when too short) here, once, before any worker reads it.
    secret = web_secret(settings)
    typer.echo(board_address(host, port))
    hint = first_account_hint(settings)
    if hint:
        typer.echo(hint)
    if not is_loopback(host):
        typer.echo(
            f"warning: the web board listens on {host}, beyond this machine; serve it behind "
            "HTTPS (a reverse proxy) so passwords and cookies are not sent in clear",
            err=True,
        )
    if count == 1:
        app = create_app(settings, secret)
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
        return
    from dondoc.cli.web_protocol import NoDelayH11Protocol

    uvicorn.run(APP_FACTORY, factory=True, workers=count, host=host, port=port,
                log_level="warning", proxy_headers=False, http=NoDelayH11Protocol)  # fmt: skip
