"""What the Zalo plugins (``zalo.py``, ``zns.py``) share: one JSON/form POST that never raises,
the outcome of each send as data (``Failure``) rather than log text, and log redaction.

Each plugin instance keeps ``failures`` (one ``Failure`` per target that failed in its latest
``send``) and ``secret_values()``; ``deliver()`` reads both to classify the result (transient,
permanent, about the recipient) and to mask tokens, instead of parsing Apprise's log lines.

The Zalo Bot API carries its token in the URL path (``/bot<TOKEN>/sendMessage``), which urllib3
logs at DEBUG (``"POST /bot.../sendMessage HTTP/1.1" 200``) and puts in connection errors;
``install_log_redaction()`` rewrites those records, and ``post()`` masks error texts.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from .masking import MASK

TRANSIENT_HTTP = frozenset({408, 425, 429})
_ERRNO = re.compile(r"\[Errno -?\d+\][^)\"']*")
_BOT_PATH = re.compile(r"/bot[^/\s'\"]+/")
_URLLIB3_LOGGERS = (
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
)


@dataclass(frozen=True)
class Failure:
    """Why one target was not reached."""

    target: str
    reason: str  # masked; names the target, never a token
    transient: bool  # worth retrying later (timeout, connection, HTTP 429 / 5xx)
    permanent_target: bool = False  # the recipient itself is unusable (unknown chat, bad phone)


@dataclass(frozen=True)
class Reply:
    """What came back from one POST: an HTTP status and its JSON object, or a network error."""

    status: int | None
    payload: dict[str, Any] | None
    error: str | None = None  # a timeout or connection failure, masked
    retry_after: str | None = None  # the Retry-After header, as sent (a 429 may carry one)

    @property
    def http_transient(self) -> bool:
        return self.status is not None and (self.status >= 500 or self.status in TRANSIENT_HTTP)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (longest first) and any ``/bot<token>/`` path masked."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _BOT_PATH.sub(f"/bot{MASK}/", text)


def post(
    url: str,
    *,
    secrets: Iterable[str],
    timeout: tuple[float, float],
    verify: bool = True,
    json_body: Mapping[str, Any] | None = None,
    form: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """POST and read a JSON object back. Never raises; errors come back masked."""
    hidden = list(secrets)
    try:
        response = requests.post(
            url,
            json=json_body,
            data=form,
            headers=dict(headers or {}),
            timeout=timeout,
            verify=verify,
            allow_redirects=False,
        )
    except requests.Timeout as exc:
        return Reply(None, None, redact(f"timed out ({exc.__class__.__name__})", hidden))
    except requests.ConnectionError as exc:
        cause = _ERRNO.search(str(exc))
        detail = cause.group(0).strip() if cause else exc.__class__.__name__
        return Reply(None, None, redact(f"connection failed: {detail}", hidden))
    except (requests.RequestException, ValueError) as exc:
        return Reply(None, None, redact(f"request failed: {exc.__class__.__name__}", hidden))
    try:
        payload = response.json()
    except ValueError:
        payload = None
    return Reply(
        response.status_code,
        payload if isinstance(payload, dict) else None,
        retry_after=response.headers.get("Retry-After"),
    )


def describe(reply: Reply) -> str:
    """A short, human description of an HTTP reply without a usable JSON answer."""
    if reply.error:
        return reply.error
    return f"HTTP {reply.status}"


def api_base(value: str | None, default: str) -> str:
    """An API base URL without a trailing slash; ``ValueError`` unless it is http(s)://host."""
    base = (value or default).strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ValueError("the API base must be an http:// or https:// URL without a query")
    return base


def shown_base(base: str) -> str:
    """``base`` with any proxy password hidden."""
    parts = urlsplit(base)
    if parts.password is None:
        return base
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"{user}:{MASK}@{host}", parts.path, "", ""))


def to_json_object(body: str) -> dict[str, Any] | None:
    """``body`` parsed as a JSON object, or ``None``."""
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class _RedactBotTokens(logging.Filter):
    """Masks ``/bot<token>/`` in urllib3 records (message and arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _BOT_PATH.sub(f"/bot{MASK}/", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                _BOT_PATH.sub(f"/bot{MASK}/", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


_FILTER = _RedactBotTokens()


def install_log_redaction() -> None:
    """Attach the redaction filter to urllib3's loggers (idempotent)."""
    for name in _URLLIB3_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
