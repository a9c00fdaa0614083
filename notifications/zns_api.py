"""The two ZNS HTTP calls (send a template message, refresh the access token) and what their
replies mean; the Apprise plugin is ``zns.py``, the token file ``zns_tokens.py``.

* ``POST {base}/message/template``, header ``access_token``, JSON ``{phone, template_id,
  template_data, tracking_id}``; reply ``{"error": 0, "data": {"msg_id", ...}}`` or an error
  code: -108 invalid phone (the recipient), -109 invalid template (permanent), -124 invalid or
  expired access token (the plugin refreshes once and retries).
* ``POST {oauth}/v4/oa/access_token``, header ``secret_key``, form ``refresh_token``, ``app_id``,
  ``grant_type=refresh_token``; reply ``{"access_token", "refresh_token", "expires_in"}`` (a new,
  single-use refresh token each time) or an error object.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .http_api import Failure, Reply, post, redact
from .zns_tokens import TokenError, Tokens

DEFAULT_BASE = "https://business.openapi.zalo.me"
DEFAULT_OAUTH = "https://oauth.zaloapp.com"
INVALID_PHONE, INVALID_TEMPLATE, BAD_TOKEN = -108, -109, -124
DEFAULT_EXPIRES_IN = 3600  # seconds, when a refresh reply does not say


@dataclass(frozen=True)
class ZnsClient:
    app_id: str
    secret_key: str
    template_id: str
    base: str
    oauth: str
    timeout: tuple[float, float]
    verify: bool
    secrets: Callable[[], Iterable[str]]  # what to mask in error texts, read at each call

    def send_template(self, access_token: str, phone: str, data: dict[str, Any]) -> Reply:
        body = {
            "phone": phone,
            "template_id": self.template_id,
            "template_data": data,
            "tracking_id": uuid.uuid4().hex,
        }
        return post(
            f"{self.base}/message/template",
            secrets=self.secrets(),
            timeout=self.timeout,
            verify=self.verify,
            json_body=body,
            headers={"access_token": access_token},
        )

    def exchange(self, refresh_token: str) -> Tokens:
        """Spend ``refresh_token`` for new tokens; ``TokenError`` (transient when the server
        could not be reached or failed, permanent when it refused) otherwise."""
        reply = post(
            f"{self.oauth}/v4/oa/access_token",
            secrets=[*self.secrets(), refresh_token],
            timeout=self.timeout,
            verify=self.verify,
            form={
                "refresh_token": refresh_token,
                "app_id": self.app_id,
                "grant_type": "refresh_token",
            },
            headers={"secret_key": self.secret_key},
        )
        if reply.error or reply.http_transient:
            detail = reply.error or f"HTTP {reply.status}"
            raise TokenError(f"ZNS token refresh failed: {detail}", transient=True)
        payload = reply.payload or {}
        access, fresh = _text(payload.get("access_token")), _text(payload.get("refresh_token"))
        if access is None:
            keys = ("error_description", "error_name", "message")
            detail = next((str(payload[k]) for k in keys if payload.get(k)), f"HTTP {reply.status}")
            reason = f"ZNS token refresh refused (error {payload.get('error')}): {detail}"
            hidden = [*self.secrets(), refresh_token, *(v for v in (access, fresh) if v)]
            raise TokenError(redact(reason, hidden), transient=False)
        expires = datetime.now(UTC) + timedelta(seconds=_seconds(payload.get("expires_in")))
        return Tokens(access_token=access, expires_at=expires, refresh_token=fresh)


def classify(phone: str, reply: Reply) -> Failure | None:
    """``None`` when ZNS accepted the message, else why not."""
    if reply.error or reply.http_transient:
        return Failure(phone, f"phone {phone}: {reply.error or f'HTTP {reply.status}'}", True)
    status = reply.status or 0
    client_error = 400 <= status < 500
    code = reply.payload.get("error") if reply.payload else None
    if not isinstance(code, int):
        return Failure(phone, f"phone {phone}: unexpected reply (HTTP {status})", not client_error)
    if code == 0 and 200 <= status < 300:
        return None
    detail = str((reply.payload or {}).get("message") or "").strip()
    reason = f"phone {phone}: ZNS error {code}" + (f": {detail}" if detail else "")
    if code == INVALID_PHONE:
        return Failure(phone, reason, transient=False, permanent_target=True)
    if code in (INVALID_TEMPLATE, BAD_TOKEN):
        return Failure(phone, reason, transient=False)
    return Failure(phone, reason, transient=not client_error)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _seconds(value: Any) -> int:
    try:
        return max(int(float(str(value))), 0)
    except ValueError:
        return DEFAULT_EXPIRES_IN
