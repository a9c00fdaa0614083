"""uvicorn's HTTP/1.1 protocol with TCP_NODELAY on every connection, for `dondoc web` with
more than one worker process.

With workers, uvicorn binds the listening socket itself as ``socket.socket(family)``: its
``proto`` is 0, not IPPROTO_TCP, and asyncio only turns Nagle's algorithm off for sockets that
say TCP. Every accepted connection then keeps Nagle on, and a keep-alive client waits out the
peer's delayed ACK (~40 ms) on each response: measured 44 ms for a static file on a reused
connection with two workers, 1.2 ms with one (docs/performance.md)."""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[arg-type]
