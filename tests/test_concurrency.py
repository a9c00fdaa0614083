"""Scale-out: two sweepers started together deliver every reminder exactly once.

Two real `dondoc sweep` processes race over the same outbox. The conditional ``UPDATE ... WHERE
status='queued'`` in ``dondoc.tracking.delivery._claim`` decides who wins each row, so the SMTP
server must get exactly one message per contact and every outbox row must be ``sent`` after a
single attempt. A small ``DONDOC_CLAIM_BATCH`` makes the two processes claim many small batches
in turn, and the SMTP server holds the first message until two sessions are open at once: the
first sweeper holds only two recipients while it waits, so the second one must claim and deliver
too. Both sweepers sending something is asserted, not hoped for.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dondoc.db import get_engine, transaction
from dondoc.models import Notification
from tests.seeding import seed_with_contacts
from tests.smtp_server import SMTPServer

SWEEP_AT = "2026-11-25T08:30+07:00"
PER_AGENCY = 4  # 50 agencies x 4 = 200 email contacts
SWEEPERS = 2
MESSAGES = re.compile(r"^  messages: (\d+) ", re.MULTILINE)


def _env(url: str, smtp: SMTPServer) -> dict[str, str]:
    return {
        "DONDOC_DATABASE_URL": url,
        "DONDOC_SMTP_URL": smtp.url,
        "DONDOC_BATCH_SIZE": "7",
        "DONDOC_CLAIM_BATCH": "2",
    }


@pytest.fixture
def meeting_server() -> Iterator[SMTPServer]:
    """Holds messages until both sweepers are delivering at the same moment."""
    server = SMTPServer(meet=SWEEPERS)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _prepare(cli: Any, workdir: Path, env: dict[str, str]) -> set[str]:
    return seed_with_contacts(cli, workdir, env, per_agency=PER_AGENCY, domain="race.test")


def _race(workdir: Path, env: dict[str, str]) -> tuple[float, list[int]]:
    """Start SWEEPERS sweeps at once and wait for all; returns the wall time and how many
    messages each sweeper sent (from its printed summary)."""
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dondoc.cli", "sweep", "--at", SWEEP_AT],
            cwd=workdir,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for _ in range(SWEEPERS)
    ]
    try:
        outputs = [p.communicate(timeout=180) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, f"sweep failed:\n{out}\n{err}"
    split = [int(m.group(1)) for out, _ in outputs if (m := MESSAGES.search(out))]
    assert len(split) == SWEEPERS, outputs
    assert min(split) > 0, f"a sweeper delivered nothing: {split}"
    return time.monotonic() - started, split


def _assert_exactly_once(url: str, smtp: SMTPServer, addresses: set[str]) -> None:
    received = Counter(r for m in smtp.messages for r in m.recipients)
    assert set(received) == addresses, "a contact got no message, or a stranger got one"
    twice = {a: n for a, n in received.items() if n != 1}
    assert not twice, f"delivered more than once: {twice}"
    assert len(smtp.messages) == len(addresses)
    engine = get_engine(url)
    with transaction(engine) as session:
        rows = list(session.execute(select(Notification)).scalars())
    engine.dispose()
    assert len(rows) >= len(addresses)  # at least one due stage per contact
    keys = Counter((n.task_id, n.stage, n.contact_id) for n in rows)
    assert max(keys.values()) == 1
    assert {n.status for n in rows} == {"sent"}
    assert {n.attempts for n in rows} == {1}
    assert all(n.claim_token is None and n.claimed_until is None for n in rows)


@pytest.mark.postgres
@pytest.mark.parametrize("round_", range(1))
def test_two_sweepers_on_postgres_send_each_reminder_once(
    round_: int, postgres_url: str, meeting_server: SMTPServer, cli: Any, workdir: Path
) -> None:
    smtp_server = meeting_server
    env = _env(postgres_url, smtp_server)
    addresses = _prepare(cli, workdir, env)
    took, split = _race(workdir, env)
    print(f"postgres round {round_}: messages per sweeper {split} in {took:.1f}s")
    assert sum(split) == len(addresses)
    _assert_exactly_once(postgres_url, smtp_server, addresses)


@pytest.mark.parametrize("round_", range(1))
def test_two_sweepers_on_sqlite_send_each_reminder_once(
    round_: int, meeting_server: SMTPServer, cli: Any, workdir: Path
) -> None:
    smtp_server = meeting_server
    url = f"sqlite:///{workdir / 'race.db'}"
    env = _env(url, smtp_server)
    addresses = _prepare(cli, workdir, env)
    took, split = _race(workdir, env)
    print(f"sqlite round {round_}: messages per sweeper {split} in {took:.1f}s")
    assert sum(split) == len(addresses)
    _assert_exactly_once(url, smtp_server, addresses)
