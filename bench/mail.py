"""Delivery: a loopback SMTP server (aiosmtpd) that takes 20 ms per message, as a real one does,
and counts what it receives; dondoc's real delivery path to it (several SMTP sessions at once,
``DONDOC_DELIVERY_WORKERS_EMAIL``), and the floor (a plain ``smtplib`` loop over one
connection), each at 1,000 and 10,000 emails.

``BENCH_DELIVERY_WORKERS`` (not a ``DONDOC_`` variable: probes drop those) sets the email
workers of the dondoc runs, to compare worker counts (docs/performance.md#delivery)."""

from __future__ import annotations

import asyncio
import os
import smtplib
import socket
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from bench.measure import Figure, on_copy, probe, summarise
from bench.probe import Work, scratch_dir
from bench.shape import NOW, Shape
from bench.stores import PostgresStore, SQLiteStore

SENDER = "dondoc@bxd.gov.vn"
SERVER_DELAY = 0.020  # seconds the server takes per message (it waits; other sessions go on)


class _Counter:
    def __init__(self, delay: float) -> None:
        self.messages, self.delay = 0, delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        self.messages += 1
        return "250 Message accepted for delivery"


class SMTPSink:
    """An SMTP server on 127.0.0.1 (its own thread) that keeps a count and nothing else."""

    def __init__(self, delay: float = SERVER_DELAY) -> None:
        self._counter = _Counter(delay)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._controller = Controller(
            self._counter, hostname="127.0.0.1", port=self.port, ready_timeout=10
        )

    @property
    def received(self) -> int:
        return self._counter.messages

    def __enter__(self) -> SMTPSink:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


def smtp_url(port: int) -> str:
    return f"mailto://127.0.0.1:{port}?from={SENDER}"


def deliver_work(url: str, port: int) -> Work:
    """Queue the due reminders (not timed), then time dondoc's delivery of them."""
    from dondoc.config.settings import Settings
    from dondoc.context import make_context
    from dondoc.db import get_engine
    from dondoc.tracking import sweep

    outbox = scratch_dir()
    settings = Settings(database_url=url, outbox_dir=outbox, smtp_url=smtp_url(port))
    if workers := os.environ.get("BENCH_DELIVERY_WORKERS"):
        settings = settings.model_copy(update={"delivery_workers_email": int(workers)})
    ctx = make_context(settings, NOW)
    engine = get_engine(url)
    queued = sweep.queue_step(engine, ctx)

    def work() -> dict[str, Any]:
        tally = sweep.deliver_step(engine, ctx)
        if tally.failed or tally.given_up:
            raise RuntimeError(f"delivery failed: {tally}")
        return {"rows": tally.messages, "queued": queued}

    return work


def _message(number: int) -> EmailMessage:
    """About the size of one dondoc reminder: a subject, plain text and an HTML part."""
    message = EmailMessage()
    message["Subject"] = f"[Nhắc hạn] Báo cáo định kỳ số {number}"
    message["From"] = SENDER
    message["To"] = f"vt{number}@bench.test"
    text = "Kính gửi đơn vị,\n\nHạn nộp báo cáo: 26/11/2026 (còn 1 ngày).\n" * 12
    message.set_content(text)
    message.add_alternative(f"<html><body><pre>{text}</pre></body></html>", subtype="html")
    return message


def smtplib_work(port: int, count: int) -> Work:
    """The floor: each message built and sent in turn over one connection."""

    def work() -> dict[str, Any]:
        with smtplib.SMTP("127.0.0.1", port) as client:
            for number in range(count):
                client.send_message(_message(number))
        return {"rows": count}

    return work


DeliveryRun = tuple[int, list[tuple[str, Figure]], Figure]
"""(emails, [(delivery path, figure)], the smtplib floor for as many emails)."""


def measure_deliveries(
    stores: Sequence[SQLiteStore | PostgresStore], counts: Sequence[int], repeat: int
) -> list[DeliveryRun]:
    """For each count: dondoc's delivery on each store, then the floor, all to one server."""
    runs: list[DeliveryRun] = []
    with SMTPSink() as sink:
        for count in counts:
            shape = Shape(tasks=3 * count, due=count, agencies=count)
            rows = []
            for store in stores:
                store.ensure(shape)
                before = sink.received
                figure = on_copy(store, shape, "deliver", repeat, "--smtp-port", str(sink.port))
                if sink.received - before != count * figure.runs:
                    raise RuntimeError(f"the SMTP server got {sink.received - before} messages")
                rows.append((f"dondoc on {store.name} (Apprise)", figure))
            args = ["--smtp-port", str(sink.port), "--count", str(count)]
            floor = summarise([probe("smtplib", *args) for _ in range(repeat)])
            runs.append((count, rows, floor))
    return runs
