"""Send one rendered message to one Apprise URL and say how it went, secrets masked.

What the target gets:
* a plugin that renders HTML (Apprise's email plugin): the HTML body; Apprise adds the plain
  text alternative itself (multipart/alternative, text derived from the HTML);
* a text plugin with a chat-sized limit (Zalo, the outbox for a chat id or phone): the compact
  text, which carries its own headline, so no title;
* any other plugin: the plain text, with the subject as title.

A fresh plugin is made for every message: Apprise throttles a reused plugin instance
(``request_rate_per_sec``, 5.5 s for email) but never the first send of a new one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import apprise
from apprise import AppriseResultStatus, NotifyFormat

from .channels import load_plugin, problems_of
from .masking import Masker, url_secrets
from .render import COMPACT_LIMIT, RenderedMessage
from .smtp_tls import install as _defer_smtp_tls

_defer_smtp_tls()

_LogCapture: Any = apprise.LogCapture  # untyped in Apprise 2.0
MAX_ERROR = 500
_SMTP_CODE = re.compile(r"\((\d{3}), b['\"]|was refused: (\d{3})")
_HTTP_CODE = re.compile(r"error code:? (\d{3})|status(?: code)?[:= ]+(\d{3})|\bHTTP (\d{3})", re.I)
_PERMANENT = ("invalid", "not supported", "unsupported", "improperly", "no email recipients")
_DETAIL = re.compile(r"exception|error|refused|timed out", re.I)


@dataclass(frozen=True)
class DeliveryResult:
    ok: bool
    error: str | None  # masked: no password/token, ever
    transient: bool  # worth retrying (connection refused, timeout, SMTP 4xx, HTTP 5xx)


def deliver(url: str, message: RenderedMessage, *, secrets: Sequence[str] = ()) -> DeliveryResult:
    """Send ``message`` through Apprise to ``url``. Never raises for a failed delivery; a URL
    Apprise cannot use is a permanent failure."""
    mask = Masker([*secrets, url])
    try:
        return _deliver(url, message, mask)
    except Exception as exc:  # the contract: report, never raise
        return DeliveryResult(
            ok=False,
            error=_clip(mask(f"unexpected {exc.__class__.__name__}: {exc}")),
            transient=True,
        )


def _deliver(url: str, message: RenderedMessage, mask: Masker) -> DeliveryResult:
    plugin, lines = load_plugin(url)
    if plugin is None:
        reason = problems_of(lines) or "no Apprise plugin accepts it"
        return DeliveryResult(False, _clip(mask(f"cannot use the URL: {reason}")), False)
    mask.add(url_secrets(url, str(plugin.url(privacy=True))))
    body, body_format, title = payload_for(plugin, message)
    with _LogCapture(level=logging.DEBUG, fmt="%(levelname)s|%(message)s") as buffer:
        sender = apprise.Apprise()
        sender.add(plugin)
        result = sender.notify(body=body, title=title, body_format=body_format)
        captured = buffer.getvalue()
    if result:
        return DeliveryResult(ok=True, error=None, transient=False)
    text = _failure_text(captured.splitlines()) or f"Apprise reported {result.status.name}"
    transient = result.status == AppriseResultStatus.TIMEOUT or is_transient(text)
    return DeliveryResult(
        ok=False, error=_clip(mask(f"{plugin.service_name}: {text}")), transient=transient
    )


def payload_for(plugin: Any, message: RenderedMessage) -> tuple[str, NotifyFormat, str]:
    """(body, body format, title) for what ``plugin`` renders."""
    if plugin.resolve_format(NotifyFormat.HTML) == NotifyFormat.HTML:
        return message.html, NotifyFormat.HTML, message.subject
    if message.compact and int(plugin.body_maxlen) <= COMPACT_LIMIT:
        return message.compact, NotifyFormat.TEXT, ""
    return message.text, NotifyFormat.TEXT, message.subject


def _failure_text(lines: list[str]) -> str:
    """Warnings and errors Apprise logged, plus debug lines that carry the cause."""
    picked: list[str] = []
    for line in lines:
        level, _, text = line.partition("|")
        text = text.strip()
        if not text:
            continue
        wanted = level in ("WARNING", "ERROR", "CRITICAL") or (
            level == "DEBUG" and _DETAIL.search(text) is not None
        )
        if wanted and text not in picked:
            picked.append(text)
    return "; ".join(picked)


def _codes(pattern: re.Pattern[str], text: str) -> list[int]:
    return [int(code) for match in pattern.findall(text) for code in match if code]


def is_transient(error: str) -> bool:
    """Worth retrying? SMTP replies decide by their class (4xx try later, 5xx final), HTTP
    statuses likewise (5xx, 408, 425, 429 later; other 4xx final). Without a code, a
    configuration problem is final and anything else (refused, timed out, reset, a full disk)
    is retried: dondoc gives up after ``max_attempts`` anyway, and a dropped message is worse."""
    smtp = _codes(_SMTP_CODE, error)
    if smtp:
        return any(400 <= code < 500 for code in smtp)
    http = _codes(_HTTP_CODE, error)
    if http:
        return any(code >= 500 or code in (408, 425, 429) for code in http)
    lowered = error.lower()
    return not any(marker in lowered for marker in _PERMANENT)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ERROR else text[: MAX_ERROR - 1] + "…"
