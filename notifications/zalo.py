"""An Apprise plugin for the Zalo Bot Platform (schema ``zalo``), for Apprise before 2.1.

URL (the form of Apprise 2.1+'s built-in plugin; the bot token is ``BOT_ID:SECRET``)::

    zalo://BOT_ID:SECRET/CHAT_ID[/CHAT_ID...][?to=CHAT_ID,...][&base=URL][&rto=S&cto=S]
        [&rate=N][&backoff=S]

* ``base``: the API base, default ``https://bot-api.zaloplatforms.com`` (tests, or an office
  behind a proxy). Apprise 2.1+'s own plugin ignores it.
* ``rto`` / ``cto``: Apprise's standard read / connect timeouts in seconds (default 4). Not
  ``to=``: in Apprise ``to=`` adds targets, and the built-in plugin would read a timeout there
  as a chat id.
* ``rate``: requests per second at most, shared by every thread of the process (one pacer per
  bot); ``backoff``: the first wait after an HTTP 429 without ``Retry-After`` (``pacing``).
  Apprise 2.1+'s own plugin ignores both.

Each chat id gets ``POST {base}/bot{TOKEN}/sendMessage`` with JSON ``{chat_id, text}`` (text at
most 2000 characters: dondoc sends ``RenderedMessage.compact``); the reply is ``{"ok": true}`` or
``{"ok": false, "error_code": N, "description": "..."}``. Outcomes per chat are kept in
``failures`` (see ``http_api``): 408/425/429, 5xx and network errors are transient, other 4xx
permanent, and 403/404 (or 400 naming the chat or user) are about the recipient.

The token is private: ``url(privacy=True)`` shows ``zalo://****/CHAT_ID``, nothing logs it.
``register()`` adds the plugin only when the installed Apprise has no ``zalo`` schema, so a newer
Apprise takes over with no configuration change.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, NoReturn
from urllib.parse import quote, unquote, urlencode

import apprise.exception
from apprise import NotificationManager, NotifyFormat
from apprise.plugins.base import NotifyBase

from .http_api import Failure, Reply, api_base, install_log_redaction, post, redact, shown_base
from .masking import MASK
from .pacing import pacing_from, pacing_params, send_paced

_NotifyBase: Any = NotifyBase
_Improperly: Any = apprise.exception.AppriseImproperlyConfigured
_NotificationManager: Any = NotificationManager

SCHEMA = "zalo"
DEFAULT_BASE = "https://bot-api.zaloplatforms.com"
TEXT_MAX = 2000
_TOKEN = re.compile(r"^[^:/\s]+:[^/\s]+$")
_CHAT_ID = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
_URL = re.compile(rf"^{SCHEMA}://(?P<bot>[^:/?#@]+)(?::|%3A)(?P<rest>.*)$", re.I)
_ABOUT_CHAT = re.compile(r"chat|user|recipient|block", re.I)

install_log_redaction()


def zalo_url(
    token: str,
    chat_id: str,
    *,
    base: str | None = None,
    timeout: float | None = None,
    rate: float | None = None,
    backoff: float | None = None,
) -> str:
    """The ``zalo://`` URL that sends to one chat."""
    bot_id, _, secret = token.strip().partition(":")
    params = pacing_params(rate, backoff)
    if base:
        params["base"] = base
    if timeout:
        params["rto"] = params["cto"] = f"{timeout:g}"
    netloc = f"{quote(bot_id, safe='')}:{quote(secret, safe='')}"
    query = f"?{urlencode(params)}" if params else ""
    return f"{SCHEMA}://{netloc}/{quote(chat_id.strip(), safe='')}{query}"


def classify(chat: str, reply: Reply) -> Failure | None:
    """``None`` when the Bot API accepted the message, else why not."""
    if reply.error:
        return Failure(chat, f"chat {chat}: {reply.error}", transient=True)
    payload = reply.payload
    status = reply.status or 0
    if payload is not None and payload.get("ok") is True and 200 <= status < 300:
        return None
    raw_code = payload.get("error_code") if payload else None
    code = raw_code if isinstance(raw_code, int) else status
    text = str(payload.get("description") or "").strip() if payload else ""
    reason = f"chat {chat}: error {code}: {text or f'HTTP {status}'}"
    if reply.http_transient or code >= 500 or code in (408, 425, 429):
        return Failure(chat, reason, transient=True)
    if 400 <= code < 500:
        about_chat = payload is not None and (
            code in (403, 404) or (code == 400 and _ABOUT_CHAT.search(text) is not None)
        )
        return Failure(chat, reason, transient=False, permanent_target=about_chat)
    return Failure(chat, f"{reason} (unexpected reply)", transient=True)


class NotifyZaloBot(_NotifyBase):  # type: ignore[misc]
    """Send text to Zalo chats through the Zalo Bot Platform."""

    service_name = "Zalo Bot"
    service_url = "https://bot.zaloplatforms.com"
    protocol = SCHEMA
    setup_url = "https://bot.zaloplatforms.com/docs/"
    notify_format = NotifyFormat.TEXT
    title_maxlen = 0  # no title field: a title is put in front of the body
    body_maxlen = TEXT_MAX
    request_rate_per_sec = 0

    templates = ("{schema}://{bot_token}/{targets}",)
    template_tokens: ClassVar[dict[str, Any]] = dict(
        NotifyBase.template_tokens,
        bot_token={"name": "Bot Token", "type": "string", "private": True, "required": True},
        targets={"name": "Chat IDs", "type": "list:string", "required": True},
    )
    template_args: ClassVar[dict[str, Any]] = dict(
        NotifyBase.template_args,
        to={"alias_of": "targets"},
        base={"name": "API Base URL", "type": "string"},
        rate={"name": "Requests Per Second", "type": "float"},
        backoff={"name": "First Wait After HTTP 429", "type": "float"},
    )

    def __init__(
        self,
        bot_token: str | None = None,
        targets: list[str] | None = None,
        base: str | None = None,
        rate: str | None = None,
        backoff: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        token = (bot_token or "").strip()
        if not _TOKEN.match(token):
            self._refuse("The Zalo bot token is missing or malformed (expected BOT_ID:SECRET).")
        self.bot_token = token
        self.targets = [t.strip() for t in targets or [] if t.strip()]
        if not self.targets:
            self._refuse("No Zalo chat id was given.")
        try:
            self.base = api_base(base, DEFAULT_BASE)
        except ValueError as exc:
            self._refuse(f"Invalid Zalo base= parameter: {exc}.")
        try:
            self.pacing = pacing_from((SCHEMA, token.partition(":")[0]), rate, backoff)
        except ValueError as exc:
            self._refuse(f"Invalid Zalo pacing: {exc}.")
        self.failures: list[Failure] = []

    def _refuse(self, message: str) -> NoReturn:
        self.logger.warning(message)
        raise _Improperly(message)

    def secret_values(self) -> list[str]:
        return [self.bot_token, self.bot_token.partition(":")[2]]

    def send(self, body: str, title: str = "", **kwargs: Any) -> bool:
        text = body if len(body) <= TEXT_MAX else body[: TEXT_MAX - 1] + "…"
        self.failures = []
        for chat in self.targets:
            failure = self._send_to(chat, text)
            if failure is None:
                self.logger.info("Sent Zalo Bot message to chat %s.", chat)
                continue
            self.failures.append(failure)
            self.logger.warning("Zalo Bot: %s", failure.reason)
        return not self.failures

    def _send_to(self, chat: str, text: str) -> Failure | None:
        if not _CHAT_ID.match(chat):
            reason = f"chat {chat!r} is not a Zalo chat id"
            return Failure(chat, reason, transient=False, permanent_target=True)
        reply = send_paced(
            lambda: post(
                f"{self.base}/bot{self.bot_token}/sendMessage",
                secrets=self.secret_values(),
                timeout=self.request_timeout,
                verify=self.verify_certificate,
                json_body={"chat_id": chat, "text": text},
            ),
            self.pacing,
        )
        failure = classify(chat, reply)
        if failure is None:
            return None
        return Failure(
            chat,
            redact(failure.reason, self.secret_values()),
            failure.transient,
            failure.permanent_target,
        )

    def url(self, privacy: bool = False, *args: Any, **kwargs: Any) -> str:
        params: dict[str, str] = {}
        if self.base != DEFAULT_BASE:
            params["base"] = shown_base(self.base) if privacy else self.base
        params.update(self.url_parameters(privacy, *args, **kwargs))
        bot_id, _, secret = self.bot_token.partition(":")
        token = MASK if privacy else f"{quote(bot_id, safe='')}:{quote(secret, safe='')}"
        chats = "/".join(quote(chat, safe="") for chat in self.targets)
        return f"{SCHEMA}://{token}/{chats}?{urlencode(params)}"

    @property
    def url_identifier(self) -> tuple[str, str]:
        return (SCHEMA, self.bot_token.partition(":")[0])

    def __len__(self) -> int:
        return len(self.targets)

    @staticmethod
    def parse_url(url: str) -> dict[str, Any] | None:
        # BOT_ID:SECRET reads as host:port, which is no URL; parse BOT_ID/SECRET instead.
        match = _URL.match(url)
        if match is None:
            return None
        results: dict[str, Any] | None = NotifyBase.parse_url(
            f"{SCHEMA}://{match['bot']}/{match['rest']}", verify_host=False
        )
        if not results:
            return results
        entries = _NotifyBase.split_path(results["fullpath"])
        # "zalo://BOT_ID:/CHAT" has an empty SECRET: keep it empty so __init__ says so.
        secret = "" if match["rest"].startswith("/") or not entries else entries.pop(0)
        results["bot_token"] = f"{unquote(match['bot'])}:{secret}"
        query = results["qsd"]
        results["targets"] = entries + _NotifyBase.parse_list(query.get("to", ""))
        results["base"] = query.get("base") or None
        results["rate"] = query.get("rate") or None
        results["backoff"] = query.get("backoff") or None
        return results


def register(manager: Any = None) -> bool:
    """Add ``zalo://`` to Apprise unless it already has one (Apprise 2.1+ ships its own).
    True when this plugin was added."""
    manager = _NotificationManager() if manager is None else manager
    if SCHEMA in manager:
        return False
    return bool(manager.add(NotifyZaloBot, schemas=SCHEMA))


register()
