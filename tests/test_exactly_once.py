"""Exactly-once delivery, proved step by step: two sweepers' claim / send / finish steps called
in a chosen order (with times past the lease for a takeover), a report landing between a claim
and its send, and the outbox's unique key itself. Deterministic: no threads, no luck."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.models import Event, Notification, Task
from dondoc.notifications.channels import apprise_url_for
from dondoc.notifications.deliver import deliver
from dondoc.notifications.render import render_message
from dondoc.reports.board import board_rows
from dondoc.tracking.delivery import (
    LEASE,
    DeliveryTally,
    claim_batch,
    claimed_by_recipient,
    record,
    send_to_recipient,
    start_sending,
)
from dondoc.tracking.delivery_rows import message_context
from dondoc.tracking.reminders import _queue, decide_reminders
from dondoc.tracking.sweep import plan_step, run_sweep
from tests.outbox_world import T14, make_world, outbox, queue_only, report
from tests.smtp_server import SMTPServer

TWO = "01,email,vt@hanoi.test,focal\n79,email,vt@hcm.test,focal\n"


def _received(smtp: SMTPServer) -> Counter[str]:
    return Counter(r for m in smtp.messages for r in m.recipients)


def test_two_claimers_interleaved_send_each_recipient_once_and_never_reclaim(
    database_url: str, tmp_path: Path, smtp_server: SMTPServer
) -> None:
    settings = make_world(database_url, tmp_path, TWO, smtp_url=smtp_server.url, claim_batch=1)
    engine, ctx = queue_only(settings)
    a = claim_batch(engine, ctx, T14)
    b = claim_batch(engine, ctx, T14)  # same instant: must get the other recipient, not A's
    assert a and b and a != b
    assert claim_batch(engine, ctx, T14) is None  # both recipients are held
    tally = DeliveryTally()
    [rows_b] = claimed_by_recipient(engine, b)
    [rows_a] = claimed_by_recipient(engine, a)
    assert rows_a[0].contact.id != rows_b[0].contact.id
    assert send_to_recipient(engine, ctx, b, rows_b, T14, tally)
    assert send_to_recipient(engine, ctx, a, rows_a, T14, tally)
    assert not send_to_recipient(engine, ctx, a, rows_a, T14, tally)  # settled: not twice
    later = T14 + 2 * LEASE
    assert claim_batch(engine, ctx, later) is None  # sent rows are never claimed again
    assert _received(smtp_server) == {"vt@hanoi.test": 1, "vt@hcm.test": 1}
    rows = outbox(settings)
    assert {(n.status, n.attempts, n.claim_token) for n in rows} == {("sent", 1, None)}


def test_dead_sweepers_claim_is_taken_over_after_its_lease_and_it_cannot_send_late(
    database_url: str, tmp_path: Path, smtp_server: SMTPServer
) -> None:
    settings = make_world(database_url, tmp_path, TWO, smtp_url=smtp_server.url)
    engine, ctx = queue_only(settings)
    dead = claim_batch(engine, ctx, T14)
    assert dead
    held = claimed_by_recipient(engine, dead)
    assert claim_batch(engine, ctx, T14 + LEASE - dt.timedelta(seconds=1)) is None
    heir = claim_batch(engine, ctx, T14 + LEASE + dt.timedelta(minutes=1))
    assert heir and heir != dead
    tally = DeliveryTally()
    for rows in claimed_by_recipient(engine, heir):
        assert send_to_recipient(engine, ctx, heir, rows, T14 + LEASE, tally)
    for rows in held:  # the first sweeper wakes up: its claim is gone, it sends nothing
        assert not send_to_recipient(engine, ctx, dead, rows, T14 + dt.timedelta(minutes=1), tally)
    assert _received(smtp_server) == {"vt@hanoi.test": 1, "vt@hcm.test": 1}
    assert {(n.status, n.attempts) for n in outbox(settings)} == {("sent", 1)}


def test_a_live_sender_keeps_its_batch_past_the_first_lease(
    database_url: str, tmp_path: Path, smtp_server: SMTPServer
) -> None:
    settings = make_world(database_url, tmp_path, TWO, smtp_url=smtp_server.url)
    engine, ctx = queue_only(settings)
    token = claim_batch(engine, ctx, T14)
    assert token
    first, second = claimed_by_recipient(engine, token)
    tally = DeliveryTally()
    assert send_to_recipient(engine, ctx, token, first, T14 + dt.timedelta(minutes=9), tally)
    # past the lease taken at T14, but the sender renewed it before its message at T14+9min
    assert claim_batch(engine, ctx, T14 + dt.timedelta(minutes=12)) is None
    assert send_to_recipient(engine, ctx, token, second, T14 + dt.timedelta(minutes=15), tally)
    assert _received(smtp_server) == {"vt@hanoi.test": 1, "vt@hcm.test": 1}


def test_a_report_after_the_claim_stops_that_agencys_message(
    database_url: str, tmp_path: Path, smtp_server: SMTPServer
) -> None:
    settings = make_world(database_url, tmp_path, TWO, smtp_url=smtp_server.url)
    engine, ctx = queue_only(settings)
    token = claim_batch(engine, ctx, T14)
    assert token
    claimed = claimed_by_recipient(engine, token)
    report(settings, T14, "01")
    with transaction(engine) as session:  # claimed but unsent: cancelled with the report
        rows = board_rows(session=session, period="2026", obligation="annual-report")
    board = {r.agency: r for r in rows}
    assert board["01"].reminders_waiting == 0 and board["79"].reminders_waiting == 1
    tally = DeliveryTally()
    sent = [send_to_recipient(engine, ctx, token, held, T14, tally) for held in claimed]
    assert sorted(sent) == [False, True]
    assert _received(smtp_server) == {"vt@hcm.test": 1}
    assert Counter(n.status for n in outbox(settings)) == {"cancelled": 1, "sent": 1}


def test_a_task_closed_behind_the_claim_is_rechecked_before_sending(
    database_url: str, tmp_path: Path, smtp_server: SMTPServer
) -> None:
    """Whatever closed the task (here a direct update, as another tool might), the sender's
    re-check cancels the row instead of sending it."""
    settings = make_world(database_url, tmp_path, TWO, smtp_url=smtp_server.url)
    engine, ctx = queue_only(settings)
    token = claim_batch(engine, ctx, T14)
    assert token
    claimed = claimed_by_recipient(engine, token)
    with transaction(engine) as session:
        session.execute(update(Task).values(status="waived"))
    tally = DeliveryTally()
    assert not any(send_to_recipient(engine, ctx, token, rows, T14, tally) for rows in claimed)
    assert smtp_server.messages == [] and tally.cancelled == 2
    assert {n.status for n in outbox(settings)} == {"cancelled"}
    with transaction(engine) as session:
        kinds = Counter(e.kind for e in session.execute(select(Event)).scalars())
    assert kinds["notification_cancelled"] == 2


def test_a_message_already_in_flight_when_the_report_lands_is_recorded_as_sent(
    database_url: str, tmp_path: Path, smtp_server: SMTPServer
) -> None:
    settings = make_world(
        database_url, tmp_path, "01,email,vt@hanoi.test,focal\n", smtp_url=smtp_server.url
    )
    engine, ctx = queue_only(settings)
    token = claim_batch(engine, ctx, T14)
    assert token
    [rows] = claimed_by_recipient(engine, token)
    tally = DeliveryTally()
    live = start_sending(engine, ctx, token, rows, T14, tally)
    assert live
    report(settings, T14, "01")  # lands while the message is being handed over
    url = apprise_url_for("email", "vt@hanoi.test", settings)
    result = deliver(url, render_message(message_context(live, ctx)))
    record(engine, ctx, token, live, result, tally)
    assert _received(smtp_server) == {"vt@hanoi.test": 1}
    assert [(n.status, n.claim_token) for n in outbox(settings)] == [("sent", None)]


def test_the_outbox_unique_key_refuses_a_second_row_for_the_same_reminder(
    database_url: str, tmp_path: Path
) -> None:
    settings = make_world(database_url, tmp_path, TWO)
    engine, _ = queue_only(settings)
    first = outbox(settings)[0]
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(
            Notification(task_id=first.task_id, stage=first.stage, contact_id=first.contact_id)
        )
    assert len(outbox(settings)) == 2


def test_queueing_the_same_stage_twice_adds_no_row(database_url: str, tmp_path: Path) -> None:
    settings = make_world(database_url, tmp_path, TWO)
    engine = engine_for(settings)
    ctx = make_context(settings, T14)
    plan_step(engine, ctx)
    with transaction(engine) as session:
        plan = decide_reminders(session=session, ctx=ctx)
        assert plan.sends
        for (stage, escalate), ids in plan.sends.items():
            assert _queue(session, ctx, stage, escalate, ids) > 0
            assert _queue(session, ctx, stage, escalate, ids) == 0
        total = session.execute(select(func.count()).select_from(Notification)).scalar_one()
    assert total == 2


def test_a_sent_reminder_is_never_claimed_again_with_the_next_stage(
    database_url: str, tmp_path: Path, smtp_server: SMTPServer
) -> None:
    """The claim takes only ``queued`` rows: a recipient whose earlier stage was sent and whose
    next stage is now queued gets the next stage alone, and the sent row stays as it was."""
    settings = make_world(database_url, tmp_path, "01,email,vt@hanoi.test,focal\n",
                          smtp_url=smtp_server.url)  # fmt: skip
    engine = engine_for(settings)
    t30 = T14 - dt.timedelta(days=16)  # Monday 09/11/2026, 30 days before 09/12/2026
    run_sweep(engine, make_context(settings, t30))
    [first] = outbox(settings)
    assert (first.stage, first.status, first.attempts) == ("before-30", "sent", 1)
    run_sweep(engine, make_context(settings, T14))
    rows = {n.stage: n for n in outbox(settings)}
    assert set(rows) == {"before-30", "before-14"}
    assert (rows["before-30"].status, rows["before-30"].attempts) == ("sent", 1)
    assert rows["before-30"].sent_at == first.sent_at
    assert (rows["before-14"].status, rows["before-14"].attempts) == ("sent", 1)
    assert len(smtp_server.messages) == 2
    assert "còn 30 ngày" not in smtp_server.messages[1].body_text
