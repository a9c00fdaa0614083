"""A cheap look at the Prefect API before the board starts a tracked action.

Prefect's client waits up to 60 s (PREFECT_API_REQUEST_TIMEOUT) per request on a server that
accepts connections but never answers, and retries timeouts and 502/503 answers five times with
an exponential back-off (PREFECT_CLIENT_MAX_RETRIES): minutes before the board could say
anything. ``GET {PREFECT_API_URL}/health`` under one short deadline tells a server that is down
in seconds, before Prefect is even imported. Only a server that cannot answer counts as down: any
other answer (a 401 from a proxy, say) lets the flow run go ahead and Prefect report it.
"""

from __future__ import annotations

import os
import ssl

import anyio
import httpx

_TRUE = {"1", "true", "t", "yes", "y", "on"}


def _verify() -> ssl.SSLContext | bool:
    """The TLS checks Prefect's own client makes (its settings, read from the environment)."""
    if os.environ.get("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "").strip().lower() in _TRUE:
        return False
    cafile = os.environ.get("PREFECT_API_SSL_CERT_FILE") or os.environ.get("SSL_CERT_FILE")
    return ssl.create_default_context(cafile=cafile) if cafile else True


def _seconds_vi(seconds: float) -> str:
    return f"{seconds:g}".replace(".", ",")


async def prefect_down(api_url: str, seconds: float) -> str | None:
    """Why the Prefect API at ``api_url`` cannot take a run now, in Vietnamese; None if it can."""
    url = f"{api_url.rstrip('/')}/health"
    try:
        with anyio.fail_after(seconds):
            async with httpx.AsyncClient(timeout=seconds, verify=_verify()) as client:
                response = await client.get(url)
    except (TimeoutError, httpx.TimeoutException):
        return f"máy chủ không trả lời trong {_seconds_vi(seconds)} giây"
    except (httpx.TransportError, httpx.InvalidURL):
        return "không kết nối được tới máy chủ"
    if response.status_code >= 500:
        return f"máy chủ trả lời lỗi HTTP {response.status_code}"
    return None
