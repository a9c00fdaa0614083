"""An Apprise plugin that writes messages to a local folder instead of sending them.

URL: ``dondocoutbox:///ABSOLUTE/FOLDER?to=ADDRESS[&from=ADDRESS][&name=SENDER NAME]``

Apprise 2.0 only recognises schemas matching ``[a-z0-9]{1,32}`` (``GET_SCHEMA_RE``), so the
schema cannot be ``dondoc-outbox``; it is ``dondocoutbox``.

* An email address as ``to`` gives one RFC 5322 ``.eml`` file: multipart/alternative with the
  plain text Apprise's own email plugin would derive from the HTML body, and the HTML body; so
  the outbox shows exactly what SMTP would deliver.
* Any other ``to`` (a Zalo chat id, a phone number) gives a UTF-8 ``.txt`` file with the text
  body (dondoc sends these targets the compact text).

Files are named ``<UTC timestamp>-<safe address>-<short uuid>.<ext>`` and written atomically
(a hidden temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, unquote, urlencode, urlsplit

import apprise.conversion
import apprise.exception
from apprise import NotificationManager, NotifyFormat
from apprise.plugins.base import NotifyBase

# Apprise is only partly typed; its classes and helpers are used as Any here.
_NotifyBase: Any = NotifyBase
_convert_between: Any = apprise.conversion.convert_between
_Improperly: Any = apprise.exception.AppriseImproperlyConfigured
_NotificationManager: Any = NotificationManager

SCHEMA = "dondocoutbox"
DEFAULT_FROM = "dondoc@localhost"
CHAT_MAXLEN = 2000  # what a Zalo message may hold
_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]+")


def is_email_address(value: str) -> bool:
    return bool(_EMAIL_RE.match(value)) and ".." not in value


def outbox_url(folder: Path, to: str, *, sender_name: str | None = None) -> str:
    """The outbox URL for one recipient in ``folder`` (made absolute)."""
    params = {"to": to}
    if sender_name:
        params["name"] = sender_name
    path = quote(str(folder.expanduser().absolute()), safe="/")
    return f"{SCHEMA}://{path}?{urlencode(params, quote_via=quote, safe='@')}"


class NotifyDondocOutbox(_NotifyBase):  # type: ignore[misc]
    """Write each message to a file in a local folder; nothing leaves the machine."""

    service_name = "dondoc outbox"
    protocol = SCHEMA
    setup_url = "https://example.invalid/dondoc/outbox"  # no public page; see the module doc
    notify_format = NotifyFormat.HTML
    title_maxlen = 1000
    body_maxlen = 10_000_000
    request_rate_per_sec = 0  # a local write: never throttle

    templates = ("{schema}://{path}",)
    template_tokens: ClassVar[dict[str, Any]] = dict(
        NotifyBase.template_tokens,
        path={"name": "Folder", "type": "string", "required": True},
    )
    template_args: ClassVar[dict[str, Any]] = dict(
        NotifyBase.template_args,
        to={"name": "To", "type": "string"},
        **{"from": {"name": "From Email", "type": "string"}},
        name={"name": "From Name", "type": "string"},
    )

    def __init__(
        self,
        folder: str = "",
        to: str = "",
        from_addr: str | None = None,
        from_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not folder or not os.path.isabs(folder):
            msg = f"The outbox folder must be an absolute path, not {folder!r}."
            self.logger.warning(msg)
            raise _Improperly(msg)
        if not to.strip():
            msg = "The outbox needs a recipient (?to=)."
            self.logger.warning(msg)
            raise _Improperly(msg)
        self.folder = Path(folder)
        self.to = to.strip()
        self.from_addr = (from_addr or DEFAULT_FROM).strip()
        self.from_name = from_name.strip() if from_name else None
        self.is_email = is_email_address(self.to)
        if not self.is_email:
            # Chat targets take text only, and no more than a chat message holds.
            self.notify_format = NotifyFormat.TEXT
            self.body_maxlen = CHAT_MAXLEN

    def send(self, body: str, title: str = "", **kwargs: Any) -> bool:
        try:
            if self.is_email:
                path = self._write(".eml", self._email(title, body).as_bytes())
            else:
                text = f"{title}\n\n{body}" if title else body
                path = self._write(".txt", text.rstrip("\n").encode("utf-8") + b"\n")
        except OSError as exc:
            self.logger.warning("Could not write to the outbox folder %s: %s", self.folder, exc)
            return False
        self.logger.info("Wrote %s to the outbox: %s", self.to, path.name)
        return True

    def _email(self, subject: str, html: str) -> EmailMessage:
        message = EmailMessage(policy=SMTP)
        message["Subject"] = " ".join(subject.split())
        user, _, domain = self.from_addr.rpartition("@")
        message["From"] = Address(display_name=self.from_name or "", username=user, domain=domain)
        message["To"] = self.to
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(domain=self.from_addr.rsplit("@", 1)[-1])
        message["X-Mailer"] = "dondoc outbox"
        # The same text alternative Apprise's email plugin derives from an HTML body.
        text = _convert_between(NotifyFormat.HTML, NotifyFormat.TEXT, html)
        message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
        message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
        return message

    def _write(self, ext: str, data: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        safe = _UNSAFE.sub("_", self.to).strip("._")[:64] or "recipient"
        name = f"{stamp}-{safe}-{uuid.uuid4().hex[:8]}{ext}"
        final = self.folder / name
        tmp = self.folder / f".{name}.tmp"
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, final)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        return final

    def url(self, privacy: bool = False, *args: Any, **kwargs: Any) -> str:
        params: dict[str, str] = {"to": self.to}
        if self.from_addr != DEFAULT_FROM:
            params["from"] = self.from_addr
        if self.from_name:
            params["name"] = self.from_name
        params.update(self.url_parameters(privacy, *args, **kwargs))
        path = quote(str(self.folder), safe="/")
        return f"{SCHEMA}://{path}?{urlencode(params, quote_via=quote, safe='@')}"

    @property
    def url_identifier(self) -> tuple[str, str]:
        return (SCHEMA, str(self.folder))

    def __len__(self) -> int:
        return 1

    @staticmethod
    def parse_url(url: str) -> dict[str, Any] | None:
        results: dict[str, Any] | None = NotifyBase.parse_url(url, verify_host=False)
        if not results:
            return results
        # Apprise reads the first path segment as a host; take the path from the URL itself.
        # "dondocoutbox://relative/folder" has a host part: refused (no folder), never "/folder".
        parts = urlsplit(url)
        results["folder"] = "" if parts.netloc else unquote(parts.path)
        query = results["qsd"]
        results["to"] = query.get("to", "")
        results["from_addr"] = query.get("from") or None
        results["from_name"] = query.get("name") or None
        return results


def register() -> None:
    """Make ``dondocoutbox://`` known to Apprise (idempotent)."""
    manager = _NotificationManager()
    if SCHEMA not in manager:
        manager.add(NotifyDondocOutbox, schemas=SCHEMA)


register()
