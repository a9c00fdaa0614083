"""Send one rendered message to one Apprise URL and say how it went, secrets masked.

What the target gets:
* a plugin that renders HTML (Apprise's email plugin): the HTML body; Apprise adds the plain
  text alternative itself (multipart/alternative, text derived from the HTML);
* a text plugin with a chat-sized limit, or any ``zalo://`` plugin (ours or Apprise 2.1+'s, the
  outbox for a chat id or phone): the compact text, which carries its own headline, so no title;
* a plugin that takes template data (``zns://``): ``message.template_data`` as a JSON object;
* any other plugin: the plain text, with the subject as title.

dondoc's own Zalo plugins (``zalo``, ``zns``) report each target's outcome as data
(``plugin.failures``), which decides transient / permanent / ``permanent_target``; for other
plugins the decision is read from what Apprise logged (``is_transient``).

A fresh plugin is made for every message: Apprise throttles a reused plugin instance
(``request_rate_per_sec``, 5.5 s for email) but never the first send of a new one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import apprise
from apprise import AppriseResultStatus, NotifyFormat

from .capture import apprise_lines
from .channels import load_plugin, problems_of
from .http_api import Failure
from .masking import Masker, url_secrets
from .message import RenderedMessage
from .render import COMPACT_LIMIT
from .smtp_tls import install as _defer_smtp_tls

_defer_smtp_tls()

MAX_ERROR = 500
_SMTP_CODE = re.compile(r"\((\d{3}), b['\"]|was refused: (\d{3})")
_HTTP_CODE = re.compile(r"error code:? (\d{3})|status(?: code)?[:= ]+(\d{3})|\bHTTP (\d{3})", re.I)
_PERMANENT = ("invalid", "not supported", "unsupported", "improperly", "no email recipients")
_DETAIL = re.compile(r"exception|error|refused|timed out", re.I)
CHAT_SCHEMAS = frozenset({"zalo"})


@dataclass(frozen=True)
class DeliveryResult:
    ok: bool
    error: str | None  # masked: no password/token, ever
    transient: bool  # worth retrying (connection refused, timeout, SMTP 4xx, HTTP 5xx)
    # the recipient itself is unusable (unknown Zalo chat id, invalid phone): flag the contact
    permanent_target: bool = False


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
    with apprise_lines() as captured:
        sender = apprise.Apprise()
        sender.add(plugin)
        result = sender.notify(body=body, title=title, body_format=body_format)
    mask.add(_plugin_secrets(plugin))
    if result:
        return DeliveryResult(ok=True, error=None, transient=False)
    failures = getattr(plugin, "failures", None)
    if isinstance(failures, list) and failures and all(isinstance(f, Failure) for f in failures):
        return _from_failures(str(plugin.service_name), failures, mask)
    text = _failure_text(captured) or f"Apprise reported {result.status.name}"
    transient = result.status == AppriseResultStatus.TIMEOUT or is_transient(text)
    return DeliveryResult(
        ok=False, error=_clip(mask(f"{plugin.service_name}: {text}")), transient=transient
    )


def payload_for(plugin: Any, message: RenderedMessage) -> tuple[str, NotifyFormat, str]:
    """(body, body format, title) for what ``plugin`` renders."""
    if getattr(plugin, "template_body", False) is True:
        return json.dumps(dict(message.template_data), ensure_ascii=False), NotifyFormat.TEXT, ""
    if plugin.resolve_format(NotifyFormat.HTML) == NotifyFormat.HTML:
        return message.html, NotifyFormat.HTML, message.subject
    chat = bool(_schemas(plugin) & CHAT_SCHEMAS) or int(plugin.body_maxlen) <= COMPACT_LIMIT
    if message.compact and chat:
        return message.compact, NotifyFormat.TEXT, ""
    return message.text, NotifyFormat.TEXT, message.subject


def _schemas(plugin: Any) -> set[str]:
    found: set[str] = set()
    for value in (getattr(plugin, "protocol", None), getattr(plugin, "secure_protocol", None)):
        if isinstance(value, str):
            found.add(value.lower())
        elif isinstance(value, (tuple, list, set)):
            found |= {str(v).lower() for v in value}
    return found


def _plugin_secrets(plugin: Any) -> list[str]:
    """The tokens a dondoc plugin handled (``secret_values()``), to mask them."""
    values = getattr(plugin, "secret_values", None)
    if not callable(values):
        return []
    return [str(v) for v in values() if v]


def _from_failures(service: str, failures: list[Failure], mask: Masker) -> DeliveryResult:
    """One result from per-target failures: transient if any is, about the recipient if all
    are (dondoc sends one target per URL)."""
    transient = any(f.transient for f in failures)
    about_target = not transient and all(f.permanent_target for f in failures)
    text = "; ".join(f.reason for f in failures)
    return DeliveryResult(
        ok=False,
        error=_clip(mask(f"{service}: {text}")),
        transient=transient,
        permanent_target=about_target,
    )


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
