"""The acceptance scenario: a sweep delivers to 300 recipients over a slow SMTP server (10 ms
a message) while reports are recorded for some agencies from another thread, and a second sweep
started meanwhile (same `now`) shares the work.

Promised: no agency gets a reminder whose SMTP session started after its report committed,
except the messages each sweep had already handed to the channel (a sender re-checks the task
just before each message, so that window is one message per delivery worker: at most WORKERS
per sweep); nobody gets a message twice; everyone else gets theirs.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from pydantic import SecretStr

from dondoc.config.settings import Settings
from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.reports.board import board_rows
from dondoc.service import import_contacts_file, init
from dondoc.tracking.sweep import run_sweep
from tests.outbox_world import T14, VN, outbox, report
from tests.smtp_server import SENDER, SMTPServer

PER_AGENCY = 6  # 50 agencies x 6 = 300 recipients
REPORTED = 15
SENDERS = ("a@bxd.gov.vn", "b@bxd.gov.vn")
WORKERS = 4  # email messages each sweep sends at once


def _seed(settings: Settings, tmp_path: Path) -> dict[str, str]:
    """Contacts for every agency of the 2026 annual report; address -> agency code."""
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    with transaction(engine_for(settings)) as session:
        codes = sorted(
            {
                r.agency
                for r in board_rows(session=session, period="2026", obligation="annual-report")
            }
        )
    owner = {
        f"vt{i}.a{n}@race.test": code for n, code in enumerate(codes) for i in range(PER_AGENCY)
    }
    csv = tmp_path / "contacts.csv"
    csv.write_text(
        "agency,channel,target,role\n"
        + "".join(f"{c},email,{a},focal\n" for a, c in owner.items()),
        encoding="utf-8",
    )
    import_contacts_file(settings, csv, replace=False)
    return owner


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the sweep sent nothing within 30 s"
        time.sleep(0.002)


def test_reports_during_delivery_stop_reminders_and_two_sweeps_send_nothing_twice(
    database_url: str, tmp_path: Path
) -> None:
    server = SMTPServer(delay=0.01)
    server.start()
    url = server.url.replace(f"from={SENDER}", "from={}")
    base = Settings(
        database_url=database_url,
        outbox_dir=tmp_path / "outbox",
        claim_batch=5,
        delivery_workers_email=WORKERS,
    )
    owner = _seed(base, tmp_path)
    agencies = sorted(set(owner.values()))
    reported = random.Random(12).sample(agencies, REPORTED)
    committed: dict[str, float] = {}
    errors: list[BaseException] = []

    def sweep(sender: str) -> None:
        settings = base.model_copy(update={"smtp_url": SecretStr(url.format(sender))})
        try:
            run_sweep(engine_for(settings), make_context(settings, T14))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    def reports() -> None:
        try:
            _wait_for(lambda: len(server.messages) >= 20)
            for code in reported:
                report(base, T14, code)
                committed[code] = time.monotonic()
                time.sleep(0.1)
        except BaseException as exc:
            errors.append(exc)

    first = threading.Thread(target=sweep, args=(SENDERS[0],))
    second = threading.Thread(target=sweep, args=(SENDERS[1],))
    reporter = threading.Thread(target=reports)
    try:
        first.start()
        _wait_for(lambda: bool(server.messages or errors))
        second.start()  # started meanwhile, acting as of the same instant
        reporter.start()
        for thread in (first, second, reporter):
            thread.join(timeout=120)
    finally:
        server.stop()
    assert not errors, errors
    assert len(committed) == REPORTED

    received = Counter(r for m in server.messages for r in m.recipients)
    twice = {a: n for a, n in received.items() if n > 1}
    assert not twice, f"sent twice: {twice}"
    silent = {a for a, code in owner.items() if code not in committed}
    assert silent <= set(received), "a recipient of an agency that did not report got nothing"
    late: dict[tuple[str, str], int] = defaultdict(int)
    for m in server.messages:
        code = owner[m.recipients[0]]
        if code in committed and m.started > committed[code]:
            late[(code, m.mail_from)] += 1
    over = {key: n for key, n in late.items() if n > WORKERS}
    assert not over, f"reminders started after the report (at most {WORKERS} a sweep): {over}"
    statuses = Counter(n.status for n in outbox(base))
    assert statuses["cancelled"] > 0, f"no report landed during delivery: {statuses}"
    assert set(statuses) == {"sent", "cancelled"}
    senders = Counter(m.mail_from for m in server.messages)
    assert set(senders) == set(SENDERS), f"both sweeps should have delivered: {senders}"
