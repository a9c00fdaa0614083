"""A pytest plugin: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

Enable with ``pytest_plugins = ["tests.smtp_server"]``. The ``smtp_server`` fixture gives:

* ``url``: an Apprise sender URL for it, ``mailto://127.0.0.1:PORT?from=dondoc@bxd.gov.vn``
  (``mailto://`` is plain SMTP without TLS; ``mailtos://`` would ask for STARTTLS);
* ``url_with_login(user, password)``: the same with ``user:password@``; the server offers AUTH
  without TLS and accepts any login, so a URL with credentials works too;
* ``messages``: a list of ``ReceivedMessage`` (parsed ``EmailMessage`` plus envelope);
* ``stop()`` / ``start()``: take the server down and bring it back on the same port, at once.

``SMTPServer(tls_context=...)`` makes a server that requires STARTTLS (for ``mailtos://``).
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

SENDER = "dondoc@bxd.gov.vn"


@dataclass(frozen=True)
class ReceivedMessage:
    message: EmailMessage
    mail_from: str
    recipients: tuple[str, ...]  # envelope RCPT TO
    raw: bytes = field(repr=False)

    @property
    def subject_text(self) -> str:  # decoded
        return str(self.message["Subject"] or "")

    @property
    def body_text(self) -> str:
        return self._part("plain")

    @property
    def body_html(self) -> str:
        return self._part("html")

    def _part(self, subtype: str) -> str:
        """The decoded text/<subtype> part, with SMTP's CRLF line ends turned into LF."""
        part = self.message.get_body(preferencelist=(subtype,))
        if part is None:
            return ""
        return str(part.get_content()).replace("\r\n", "\n")


class _Collector:
    def __init__(self, sink: list[ReceivedMessage]) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content or envelope.content)
        parsed = message_from_bytes(raw, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.sink.append(
            ReceivedMessage(parsed, str(envelope.mail_from), tuple(envelope.rcpt_tos), raw)
        )
        return "250 Message accepted for delivery"


def _accept_any_login(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
    return AuthResult(success=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SMTPServer:
    def __init__(self, port: int | None = None, tls_context: ssl.SSLContext | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = port or _free_port()
        self.tls_context = tls_context  # given: STARTTLS offered and required
        self.messages: list[ReceivedMessage] = []
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"mailto://{self.host}:{self.port}?from={SENDER}"

    def url_with_login(self, user: str, password: str) -> str:
        return f"mailto://{user}:{password}@{self.host}:{self.port}?from={SENDER}"

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        """Start listening (returns once the server answers)."""
        if self._controller is not None:
            return
        controller = Controller(
            _Collector(self.messages),
            hostname=self.host,
            port=self.port,
            authenticator=_accept_any_login,
            auth_require_tls=False,
            tls_context=self.tls_context,
            require_starttls=self.tls_context is not None,
            ready_timeout=10,
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        """Stop listening (returns once the port is closed); kept messages stay."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        self.messages.clear()


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
