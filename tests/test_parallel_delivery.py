"""One sweeper delivers over several SMTP sessions at once (DONDOC_DELIVERY_WORKERS_EMAIL): the
server sees that many sessions open together, every recipient gets exactly one message, and the
progress a terminal shows counts every worker's messages once, in order, up to the total. The
guarantees under kills and concurrent reports are in test_crash.py and test_delivery_race.py."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import text, update

from dondoc.db import transaction
from dondoc.models import Notification
from dondoc.notifications.deliver import DeliveryResult, deliver
from dondoc.notifications.render import render_message
from dondoc.tracking.delivery import LEASE, deliver_queued, reporting_progress
from dondoc.tracking.delivery_claims import claim
from tests.outbox_world import make_world, outbox, queue_only
from tests.smtp_server import SMTPServer, _free_port
from tests.test_notifications import context

WORKERS = 4
AGENCIES = ("01", "79", "48", "31", "92")
PER_AGENCY = 8  # 40 recipients


def test_one_sweeper_sends_over_several_sessions_exactly_once_and_counts_progress(
    database_url: str, tmp_path: Path
) -> None:
    server = SMTPServer(delay=0.01, meet=WORKERS)
    server.start()
    rows = "".join(
        f"{code},email,vt{i}.a{code}@parallel.test,focal\n"
        for code in AGENCIES
        for i in range(PER_AGENCY)
    )
    settings = make_world(
        database_url,
        tmp_path,
        rows,
        smtp_url=SecretStr(server.url),
        delivery_workers_email=WORKERS,
        claim_batch=3,
    )
    engine, ctx = queue_only(settings)
    told: list[tuple[int, int]] = []
    try:
        with reporting_progress(lambda done, expected: told.append((done, expected))):
            tally = deliver_queued(engine=engine, ctx=ctx)
    finally:
        server.stop()

    recipients = Counter(r for m in server.messages for r in m.recipients)
    total = len(AGENCIES) * PER_AGENCY
    assert len(recipients) == total and set(recipients.values()) == {1}
    assert tally.sent == tally.messages == total and not tally.failed
    assert {n.status for n in outbox(settings)} == {"sent"}
    # the most sessions open at one instant: each message's session from EHLO to acceptance
    edges = sorted(
        [(m.started, 1) for m in server.messages] + [(m.arrived, -1) for m in server.messages]
    )
    open_now, most = 0, 0
    for _, step in edges:
        open_now += step
        most = max(most, open_now)
    assert most >= WORKERS, f"at most {most} sessions at once"
    assert [done for done, _ in told] == list(range(1, total + 1))
    assert told[-1] == (total, total)


def test_a_dead_sweepers_claims_are_taken_over_when_nothing_else_is_queued(
    database_url: str, tmp_path: Path
) -> None:
    rows = "".join(f"{code},email,vt.a{code}@parallel.test,focal\n" for code in AGENCIES)
    settings = make_world(database_url, tmp_path, rows, delivery_workers_email=WORKERS)
    engine, ctx = queue_only(settings)
    with transaction(engine) as session:  # a sweeper claimed everything, then was killed
        session.execute(
            update(Notification).values(
                status="sending", claim_token="dead", claimed_until=ctx.now - LEASE
            )
        )
    tally = deliver_queued(engine=engine, ctx=ctx)
    assert tally.sent == len(AGENCIES)
    assert {n.status for n in outbox(settings)} == {"sent"}
    written = sorted(p.name for p in (tmp_path / "outbox").glob("*.eml"))
    assert len(written) == len(AGENCIES)


def test_each_parallel_send_reports_only_its_own_failure(tmp_path: Path) -> None:
    rejecting = SMTPServer(delay=0.01, reply=lambda login, password: "550 5.7.1 marker-rejected")
    rejecting.start()
    refused_port = _free_port()  # nothing listens there: "connection refused"
    urls = {
        "rejected": f"{rejecting.url}&to=a@parallel.test",
        "refused": f"mailto://127.0.0.1:{refused_port}?from=dondoc@bxd.gov.vn&to=b@parallel.test",
    }
    message = render_message(context())
    results: list[tuple[str, DeliveryResult]] = []

    def send(kind: str) -> None:
        for _ in range(4):
            results.append((kind, deliver(urls[kind], message)))

    threads = [threading.Thread(target=send, args=(kind,)) for kind in [*urls, *urls]]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        rejecting.stop()
    assert len(results) == 16
    for kind, result in results:
        assert not result.ok and result.error
        if kind == "rejected":  # a final SMTP refusal, told with the server's own words
            assert "marker-rejected" in result.error and "refused" not in result.error.lower()
            assert not result.transient
        else:  # an outage: retried later, and nothing of the other sends' replies
            assert "refused" in result.error.lower() and "marker" not in result.error
            assert result.transient


def test_a_sender_never_waits_for_another_senders_claim_on_postgresql(
    postgres_url: str, tmp_path: Path
) -> None:
    """While one sender's claim is still uncommitted, a second one (with a 1 s lock timeout)
    takes the other recipients at once instead of queueing behind the first: senders that wait
    for each other's row locks deadlocked under SIGKILLs (test_crash.py). Every recipient's
    rows go to exactly one of the two."""
    rows = "".join(
        f"{code},email,vt{i}.a{code}@parallel.test,focal\n" for code in AGENCIES for i in (1, 2)
    )
    settings = make_world(postgres_url, tmp_path, rows)
    engine, ctx = queue_only(settings)
    with transaction(engine) as first:
        mine = claim(session=first, now=ctx.now, limit=3)
        with transaction(engine) as second:
            second.execute(text("SET LOCAL lock_timeout = '1s'"))
            theirs = claim(session=second, now=ctx.now, limit=100)
    assert mine and theirs
    held: dict[str, set[int]] = {mine: set(), theirs: set()}
    for row in outbox(settings):
        assert row.status == "sending" and row.claim_token in held
        held[row.claim_token].add(row.contact_id)
    assert len(held[mine]) == 3 and not held[mine] & held[theirs]
    assert len(held[mine] | held[theirs]) == len(AGENCIES) * 2
