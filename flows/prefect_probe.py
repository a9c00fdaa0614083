"""A cheap look at the Prefect API before a tracked action: the web board's record and
withdrawal, and the `dondoc` commands that run as flow runs (`sweep`, `submit`, `withdraw`,
`run`, `serve`).

Prefect's client waits up to 60 s (PREFECT_API_REQUEST_TIMEOUT) per request on a server that
accepts connections but never answers, and retries timeouts and 502/503 answers five times with
an exponential back-off (PREFECT_CLIENT_MAX_RETRIES): minutes before anyone could say anything.
``GET {PREFECT_API_URL}/health`` under one short deadline tells a server that is down in
seconds, before Prefect is even imported. Only a server that cannot answer counts as down: any
other answer (a 401 from a proxy, say) lets the flow run go ahead and Prefect report it.

This module imports no Prefect and nothing of ``dondoc.flows``' other modules: the board and the
command line import it before they know they will need Prefect.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from typing import Literal

import anyio
import httpx

_TRUE = {"1", "true", "t", "yes", "y", "on"}


@dataclass(frozen=True)
class PrefectDown:
    """Why the Prefect API cannot take a run now: ``vi`` for the board, ``en`` for the CLI."""

    kind: Literal["timeout", "unreachable", "server_error"]
    seconds: float
    detail: str = ""  # the connection error, or the HTTP status

    @property
    def vi(self) -> str:
        if self.kind == "timeout":
            return f"máy chủ không trả lời trong {_seconds_vi(self.seconds)} giây"
        if self.kind == "unreachable":
            return "không kết nối được tới máy chủ"
        return f"máy chủ trả lời lỗi HTTP {self.detail}"

    @property
    def en(self) -> str:
        if self.kind == "timeout":
            return f"no answer within {self.seconds:g} s"
        if self.kind == "unreachable":
            return f"cannot connect ({self.detail})"
        return f"its /health answered HTTP {self.detail}"


def _verify() -> ssl.SSLContext | bool:
    """The TLS checks Prefect's own client makes (its settings, read from the environment)."""
    if os.environ.get("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "").strip().lower() in _TRUE:
        return False
    cafile = os.environ.get("PREFECT_API_SSL_CERT_FILE") or os.environ.get("SSL_CERT_FILE")
    return ssl.create_default_context(cafile=cafile) if cafile else True


def _seconds_vi(seconds: float) -> str:
    return f"{seconds:g}".replace(".", ",")


def _detail(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


async def prefect_down(api_url: str, seconds: float) -> PrefectDown | None:
    """Why the Prefect API at ``api_url`` cannot take a run now; None if it can."""
    url = f"{api_url.rstrip('/')}/health"
    try:
        with anyio.fail_after(seconds):
            async with httpx.AsyncClient(timeout=seconds, verify=_verify()) as client:
                response = await client.get(url)
    except (TimeoutError, httpx.TimeoutException):
        return PrefectDown("timeout", seconds)
    except (httpx.TransportError, httpx.InvalidURL) as exc:
        return PrefectDown("unreachable", seconds, _detail(exc))
    if response.status_code >= 500:
        return PrefectDown("server_error", seconds, str(response.status_code))
    return None


def prefect_down_sync(api_url: str, seconds: float) -> PrefectDown | None:
    """``prefect_down`` for a caller with no event loop running (the command line)."""
    return anyio.run(prefect_down, api_url, seconds)
