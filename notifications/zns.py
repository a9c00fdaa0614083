"""An Apprise plugin for the Zalo Notification Service (schema ``zns``): an approved template
message to a phone number.

URL::

    zns://APP_ID:SECRET_KEY@TEMPLATE_ID/PHONE[/PHONE...]?state=/ABS/zns_tokens.json
        [&refresh_token=SEED][&base=URL][&oauth=URL][&rto=S&cto=S][&rate=N][&backoff=S]

* ``PHONE``: ``84XXXXXXXXX``; ``state``: the token store file (``zns_tokens``);
  ``refresh_token``: the seed used when the store holds none (``DONDOC_ZNS_REFRESH_TOKEN``);
* ``base``: default ``https://business.openapi.zalo.me``; ``oauth``: default
  ``https://oauth.zaloapp.com``; ``rto`` / ``cto``: Apprise's read / connect timeouts;
  ``rate`` / ``backoff``: requests per second per app, first wait after a 429 (``pacing``).

The body is the template data as a JSON object (``deliver()`` sends
``RenderedMessage.template_data``, see ``zns_data``); the title is ignored. The HTTP calls and
what their replies mean are in ``zns_api``; the token file in ``zns_tokens``. A -124 reply
(invalid or expired access token) refreshes the token once and retries: a refresh the OAuth
server refuses is permanent, one that cannot reach it is transient.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar, NoReturn
from urllib.parse import quote, unquote, urlencode

import apprise.exception
from apprise import NotificationManager, NotifyFormat
from apprise.plugins.base import NotifyBase

from .http_api import Failure, Reply, api_base, redact, shown_base, to_json_object
from .masking import MASK
from .pacing import pacing_from, pacing_params, send_paced
from .zns_api import BAD_TOKEN, DEFAULT_BASE, DEFAULT_OAUTH, ZnsClient, classify
from .zns_tokens import TokenError, Tokens, TokenStore

_NotifyBase: Any = NotifyBase
_Improperly: Any = apprise.exception.AppriseImproperlyConfigured
_NotificationManager: Any = NotificationManager

SCHEMA = "zns"
_PHONE = re.compile(r"^84[1-9]\d{8,9}$")


def zns_url(
    app_id: str,
    secret_key: str,
    template_id: str,
    phone: str,
    *,
    state: Path,
    refresh_token: str | None = None,
    base: str | None = None,
    oauth: str | None = None,
    timeout: float | None = None,
    rate: float | None = None,
    backoff: float | None = None,
) -> str:
    """The ``zns://`` URL that sends one template message to ``phone``."""
    params = {"state": str(Path(state).expanduser().absolute()), **pacing_params(rate, backoff)}
    for key, value in (("refresh_token", refresh_token), ("base", base), ("oauth", oauth)):
        if value:
            params[key] = value
    if timeout:
        params["rto"] = params["cto"] = f"{timeout:g}"
    user = f"{quote(app_id.strip(), safe='')}:{quote(secret_key.strip(), safe='')}"
    path = f"{quote(template_id.strip(), safe='')}/{quote(phone.strip(), safe='')}"
    return f"{SCHEMA}://{user}@{path}?{urlencode(params)}"


class NotifyZNS(_NotifyBase):  # type: ignore[misc]
    """Send approved ZNS template messages to phone numbers."""

    service_name = "Zalo ZNS"
    service_url = "https://zalo.cloud/zns"
    protocol = SCHEMA
    setup_url = "https://developers.zalo.me/docs/zalo-notification-service"
    notify_format = NotifyFormat.TEXT
    template_body = True  # deliver(): the body is the template data, a JSON object
    title_maxlen = 250  # accepted and ignored: a template has no free title
    body_maxlen = 32_768
    request_rate_per_sec = 0

    templates = ("{schema}://{app_id}:{secret_key}@{template_id}/{targets}",)
    template_tokens: ClassVar[dict[str, Any]] = dict(
        NotifyBase.template_tokens,
        app_id={"name": "App ID", "type": "string", "required": True},
        secret_key={"name": "Secret Key", "type": "string", "private": True, "required": True},
        template_id={"name": "Template ID", "type": "string", "required": True},
        targets={"name": "Phone Numbers", "type": "list:string", "required": True},
    )
    template_args: ClassVar[dict[str, Any]] = dict(
        NotifyBase.template_args,
        to={"alias_of": "targets"},
        state={"name": "Token Store File", "type": "string", "required": True},
        refresh_token={"name": "Refresh Token", "type": "string", "private": True},
        base={"name": "API Base URL", "type": "string"},
        oauth={"name": "OAuth Base URL", "type": "string"},
        rate={"name": "Requests Per Second", "type": "float"},
        backoff={"name": "First Wait After HTTP 429", "type": "float"},
    )

    def __init__(
        self,
        app_id: str | None = None,
        secret_key: str | None = None,
        template_id: str | None = None,
        targets: list[str] | None = None,
        state: str | None = None,
        refresh_token: str | None = None,
        base: str | None = None,
        oauth: str | None = None,
        rate: str | None = None,
        backoff: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.zns_app_id = (app_id or "").strip()
        self.secret_key = (secret_key or "").strip()
        self.template_id = (template_id or "").strip()
        if not (self.zns_app_id and self.secret_key and self.template_id):
            self._refuse("ZNS needs APP_ID:SECRET_KEY@TEMPLATE_ID.")
        self.targets = [t.strip() for t in targets or [] if t.strip()]
        if not self.targets:
            self._refuse("No ZNS phone number was given.")
        if not state or not Path(state).is_absolute():
            self._refuse("ZNS needs the absolute path of its token store (?state=).")
        self.seed = (refresh_token or "").strip() or None
        self.token_store = TokenStore(Path(state), seed=self.seed)
        try:
            self.base = api_base(base, DEFAULT_BASE)
            self.oauth = api_base(oauth, DEFAULT_OAUTH)
            self.pacing = pacing_from((SCHEMA, self.zns_app_id), rate, backoff)
        except ValueError as exc:
            self._refuse(f"Invalid ZNS base=, oauth=, rate= or backoff= parameter: {exc}.")
        self.failures: list[Failure] = []
        self._seen: set[str] = set()
        self.client = ZnsClient(
            app_id=self.zns_app_id,
            secret_key=self.secret_key,
            template_id=self.template_id,
            base=self.base,
            oauth=self.oauth,
            timeout=self.request_timeout,
            verify=self.verify_certificate,
            secrets=self.secret_values,
        )

    def _refuse(self, message: str) -> NoReturn:
        self.logger.warning(message)
        raise _Improperly(message)

    def secret_values(self) -> list[str]:
        return [s for s in (self.secret_key, self.seed, *self._seen) if s]

    def send(self, body: str, title: str = "", **kwargs: Any) -> bool:
        self.failures = []
        data = to_json_object(body)
        for phone in self.targets:
            if not data:
                reason = "the body must be the template data, a non-empty JSON object"
                failure: Failure | None = Failure(phone, reason, transient=False)
            else:
                failure = self._send_to(phone, data)
            if failure is None:
                self.logger.info("Sent ZNS template %s to %s.", self.template_id, phone)
                continue
            self.failures.append(failure)
            self.logger.warning("Zalo ZNS: %s", failure.reason)
        return not self.failures

    def _send_to(self, phone: str, data: dict[str, Any]) -> Failure | None:
        if not _PHONE.match(phone):
            reason = f"phone {phone!r} is not a Vietnamese number (84XXXXXXXXX)"
            return Failure(phone, reason, transient=False, permanent_target=True)
        try:
            tokens = self._known(self.token_store.access_token(self._exchange))
            reply = self._send(tokens, phone, data)
            if reply.payload is not None and reply.payload.get("error") == BAD_TOKEN:
                self.logger.info("ZNS refused the access token (-124); refreshing it.")
                tokens = self._known(self.token_store.refresh(self._exchange, tokens.access_token))
                reply = self._send(tokens, phone, data)
        except TokenError as exc:
            reason = redact(f"phone {phone}: {exc.reason}", self.secret_values())
            return Failure(phone, reason, transient=exc.transient)
        failure = classify(phone, reply)
        if failure is None:
            return None
        reason = redact(failure.reason, self.secret_values())
        return Failure(phone, reason, failure.transient, failure.permanent_target)

    def _send(self, tokens: Tokens, phone: str, data: dict[str, Any]) -> Reply:
        token = tokens.access_token or ""
        return send_paced(lambda: self.client.send_template(token, phone, data), self.pacing)

    def _known(self, tokens: Tokens) -> Tokens:
        """``tokens``, remembered among the values to mask."""
        self._seen |= {t for t in (tokens.access_token, tokens.refresh_token) if t}
        return tokens

    def _exchange(self, refresh_token: str) -> Tokens:
        """The store's refresh callback; every token it handles is remembered for masking."""
        self._seen.add(refresh_token)
        tokens = self._known(self.client.exchange(refresh_token))
        if not tokens.refresh_token:
            self.logger.warning("The ZNS token refresh returned no new refresh token.")
        return tokens

    def url(self, privacy: bool = False, *args: Any, **kwargs: Any) -> str:
        params = {"state": str(self.token_store.path)}
        if self.seed:
            params["refresh_token"] = MASK if privacy else self.seed
        for key, value, default in (
            ("base", self.base, DEFAULT_BASE), ("oauth", self.oauth, DEFAULT_OAUTH)
        ):  # fmt: skip
            if value != default:
                params[key] = shown_base(value) if privacy else value
        params.update(self.url_parameters(privacy, *args, **kwargs))
        secret = MASK if privacy else quote(self.secret_key, safe="")
        phones = "/".join(quote(p, safe="") for p in self.targets)
        template = quote(self.template_id, safe="")
        return f"{SCHEMA}://{quote(self.zns_app_id, safe='')}:{secret}@{template}/{phones}?" + (
            urlencode(params)
        )

    @property
    def url_identifier(self) -> tuple[str, str, str]:
        return (SCHEMA, self.zns_app_id, self.template_id)

    def __len__(self) -> int:
        return len(self.targets)

    @staticmethod
    def parse_url(url: str) -> dict[str, Any] | None:
        results: dict[str, Any] | None = NotifyBase.parse_url(url, verify_host=False)
        if not results:
            return results
        query = results["qsd"]
        results["app_id"] = unquote(results.get("user") or "")
        results["secret_key"] = unquote(results.get("password") or "")
        results["template_id"] = unquote(results.get("host") or "")
        results["targets"] = _NotifyBase.split_path(results["fullpath"]) + _NotifyBase.parse_list(
            query.get("to", "")
        )
        for key in ("state", "refresh_token", "base", "oauth", "rate", "backoff"):
            results[key] = query.get(key) or None
        return results


def register(manager: Any = None) -> bool:
    """Add ``zns://`` to Apprise unless it already has one. True when this plugin was added."""
    manager = _NotificationManager() if manager is None else manager
    if SCHEMA in manager:
        return False
    return bool(manager.add(NotifyZNS, schemas=SCHEMA))


register()
