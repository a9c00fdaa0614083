"""A pytest plugin: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

Enable with ``pytest_plugins = ["tests.smtp_server"]``. The ``smtp_server`` fixture gives:

* ``url``: an Apprise sender URL for it, ``mailto://127.0.0.1:PORT?from=dondoc@bxd.gov.vn``
  (``mailto://`` is plain SMTP without TLS; ``mailtos://`` would ask for STARTTLS);
* ``url_with_login(user, password)``: the same with ``user:password@``; the server offers AUTH
  without TLS and accepts any login, so a URL with credentials works too;
* ``messages``: a list of ``ReceivedMessage`` (parsed ``EmailMessage`` plus envelope);
* ``stop()`` / ``start()``: take the server down and bring it back on the same port, at once.

Options for delivery tests: ``delay`` (seconds the server takes per message, a slow server),
``reply(login, password)`` (an answer to DATA instead of 250, e.g. a rejection that echoes the
login), ``meet`` (hold every message until that many SMTP sessions are open at once, or
``MEET_TIMEOUT`` passes: proves that so many senders were delivering at the same time). Each
``ReceivedMessage`` carries ``started`` (time.monotonic() at EHLO: the SMTP session began) and
``arrived`` (when the message was accepted).

``SMTPServer(tls_context=...)`` makes a server that requires STARTTLS (for ``mailtos://``).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Callable, Iterator
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
    started: float = 0.0  # time.monotonic() when the SMTP session said EHLO
    arrived: float = 0.0  # time.monotonic() when the message was accepted

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


Reply = Callable[[str, str], str | None]  # (login, password) -> an SMTP reply, or None
MEET_TIMEOUT = 20.0


class _Collector:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server
        self.open_sessions = 0
        self.met = server.meet <= 1

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        session.dondoc_started = time.monotonic()
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await self._meet()
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        reply = self.server.reply
        if reply is not None:
            login, password = _credentials(session)
            answer = reply(login, password)
            if answer is not None:
                return answer
        raw = bytes(envelope.original_content or envelope.content)
        parsed = message_from_bytes(raw, policy=default)
        assert isinstance(parsed, EmailMessage)
        started = float(getattr(session, "dondoc_started", 0.0))
        self.server.messages.append(
            ReceivedMessage(
                parsed,
                str(envelope.mail_from),
                tuple(envelope.rcpt_tos),
                raw,
                started=started,
                arrived=time.monotonic(),
            )
        )
        return "250 Message accepted for delivery"

    async def _meet(self) -> None:
        """Wait until ``meet`` sessions are waiting here at once (then never again)."""
        self.open_sessions += 1
        try:
            deadline = time.monotonic() + MEET_TIMEOUT
            while not self.met and time.monotonic() < deadline:
                if self.open_sessions >= self.server.meet:
                    self.met = True
                    break
                await asyncio.sleep(0.005)
        finally:
            self.open_sessions -= 1


def _credentials(session: Any) -> tuple[str, str]:
    auth = getattr(session, "auth_data", None)
    login = getattr(auth, "login", b"") or b""
    password = getattr(auth, "password", b"") or b""
    return bytes(login).decode(errors="replace"), bytes(password).decode(errors="replace")


def _accept_any_login(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
    return AuthResult(success=True, auth_data=auth)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SMTPServer:
    def __init__(
        self,
        port: int | None = None,
        tls_context: ssl.SSLContext | None = None,
        *,
        delay: float = 0.0,
        reply: Reply | None = None,
        meet: int = 0,
    ) -> None:
        self.host = "127.0.0.1"
        self.delay, self.reply, self.meet = delay, reply, meet
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
            _Collector(self),
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
