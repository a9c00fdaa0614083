"""Crash safety: SIGKILL the sweeper again and again in the middle of delivery.

A `dondoc sweep` process delivering ~500 emails to the loopback SMTP server is killed at random
moments (always after the server has taken at least one new message, so the kill lands during
delivery), 20 times; then a last sweep finishes the job. Nothing may be lost: every contact gets
its reminder. Duplicates are bounded: each of a sweeper's email workers
(DONDOC_DELIVERY_WORKERS_EMAIL, default 8) sends one message at a time and marks it `sent` right
after the server accepts it, so each kill can leave at most one message per worker in flight
accepted but unrecorded, which the next sweep sends again (at most WORKERS duplicates per kill).

A killed sweeper's claimed rows stay `sending` until their lease (LEASE, 10 minutes after that
sweep's `--at` instant) runs out; only then does a later sweep release and take them over. That is
the designed behaviour, so each sweep here runs 11 minutes (one lease and a bit) after the last.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dondoc.config.settings import Settings
from dondoc.db import get_engine, transaction
from dondoc.models import Notification
from dondoc.tracking.delivery import LEASE
from tests.seeding import seed_with_contacts
from tests.smtp_server import SMTPServer

VN = dt.timezone(dt.timedelta(hours=7))
FIRST_SWEEP = dt.datetime(2026, 11, 25, 8, 30, tzinfo=VN)
STEP = LEASE + dt.timedelta(minutes=1)  # past the previous sweeper's lease
PER_AGENCY = 8  # 50 agencies x 8 = 400 email contacts
KILLS = 10
WORKERS = Settings().delivery_workers_email  # what `dondoc sweep` runs with here
DEADLINE_SECONDS = 120  # a bound on the whole kill loop, far above its usual run time


def _prepare(cli: Any, workdir: Path, env: dict[str, str]) -> set[str]:
    return seed_with_contacts(cli, workdir, env, per_agency=PER_AGENCY, domain="crash.test")


def _start_sweep(workdir: Path, env: dict[str, str], at: dt.datetime) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dondoc.cli", "sweep", "--at", at.isoformat()],
        cwd=workdir,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def test_killed_sweepers_lose_nothing_and_duplicate_at_most_the_messages_in_flight(
    database_url: str, smtp_server: SMTPServer, cli: Any, workdir: Path
) -> None:
    url = database_url  # SQLite, and PostgreSQL (a fresh database) under the postgres mark
    env = {"DONDOC_DATABASE_URL": url, "DONDOC_SMTP_URL": smtp_server.url}
    addresses = _prepare(cli, workdir, env)
    rng = random.Random(20261125)
    started = time.monotonic()
    kills, finished_early, at = 0, 0, FIRST_SWEEP
    while kills < KILLS:
        assert time.monotonic() - started < DEADLINE_SECONDS, f"only {kills} kills so far"
        before = len(smtp_server.messages)
        proc = _start_sweep(workdir, env, at)
        try:
            poll_until = time.monotonic() + 30
            while len(smtp_server.messages) == before and proc.poll() is None:
                assert time.monotonic() < poll_until, "the sweep sent nothing within 30 s"
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.05))
            if proc.poll() is None:
                proc.kill()  # SIGKILL: no cleanup, no rollback handlers, claims left behind
                kills += 1
            else:
                finished_early += 1  # the whole outbox went out before the kill
        finally:
            if proc.poll() is None:
                proc.kill()
            _, err = proc.communicate(timeout=30)
        assert proc.returncode in (0, -9), err
        if finished_early:
            break
        at += STEP
    final = _start_sweep(workdir, env, at + STEP)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, f"{out}\n{err}"
    took = time.monotonic() - started

    received = Counter(r for m in smtp_server.messages for r in m.recipients)
    lost = addresses - set(received)
    duplicates = sum(received.values()) - len(received)
    engine_name = url.split(":")[0]
    print(
        f"\n{engine_name}: kills {kills}, messages received {sum(received.values())}"
        f" for {len(addresses)} contacts, lost {len(lost)}, duplicates {duplicates}, {took:.1f}s"
    )
    assert set(received) <= addresses
    assert not lost, f"never delivered: {sorted(lost)[:5]}..."
    assert duplicates <= kills * WORKERS
    assert kills == KILLS, "the outbox emptied before every kill landed: send more messages"

    engine = get_engine(url)
    with transaction(engine) as session:
        rows = list(session.execute(select(Notification)).scalars())
    engine.dispose()
    assert rows and {n.status for n in rows} == {"sent"}, Counter(n.status for n in rows)
    assert all(n.claim_token is None and n.claimed_until is None for n in rows)
