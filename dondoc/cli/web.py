"""`dondoc web`: the coordinator's web board alone (`dondoc up` starts it beside Prefect)."""

from __future__ import annotations

from typing import Annotated

import typer

DEFAULT_WEB_HOST = "127.0.0.1"
DEFAULT_WEB_PORT = 8080


def board_address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"Bảng theo dõi: http://{shown}:{port}/"


def web(
    host: Annotated[
        str, typer.Option(help="Address to listen on; loopback unless told otherwise.")
    ] = DEFAULT_WEB_HOST,
    port: Annotated[int, typer.Option(help="Port of the web board.")] = DEFAULT_WEB_PORT,
) -> None:
    """Serve the web board (Vietnamese; accounts from `dondoc users add`)."""
    import os

    import uvicorn

    from dondoc.cli.common import ready_settings
    from dondoc.cli.platform import WEB_URL_SETTING, is_loopback, local_url
    from dondoc.cli.users import first_account_hint
    from dondoc.web.app import create_app

    # What the flow runs this board starts link back to; `dondoc up` has set it already.
    os.environ.setdefault(WEB_URL_SETTING, local_url(host, port).rstrip("/"))
    settings = ready_settings()
    app = create_app(settings)
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
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
