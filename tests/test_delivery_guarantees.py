"""What delivery promises, each provoked for real: a rejection that echoes the sender's login
leaves no password anywhere; retries end in "given up" with a reason on the board; a withdrawn
report reopens its task and the next sweep reminds again."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.models import Event
from dondoc.reports.board import board_rows
from dondoc.reports.board_format import render_board
from dondoc.tracking.submissions import withdraw_submission
from dondoc.tracking.sweep import run_sweep
from tests.outbox_world import T14, VN, make_world, outbox, queue_only, report
from tests.smtp_server import SMTPServer

LOGIN, PASSWORD = "dondoc-sender", "Pa55-w0rd-9x7q"
HANOI = "01,email,vt@hanoi.test,focal\n"


def _board(settings: Any) -> dict[str, Any]:
    with transaction(engine_for(settings)) as session:
        rows = board_rows(session=session, period="2026", obligation="annual-report")
    return {r.agency: r for r in rows}


def test_a_rejection_echoing_the_login_leaves_no_password_anywhere(
    database_url: str, tmp_path: Path, cli: Any
) -> None:
    server = SMTPServer(
        reply=lambda login, password: (
            f"550 5.7.1 Rejected for {login}:{password}"
            f" (mailto://{login}:{password}@127.0.0.1, password={password})"
        )
    )
    server.start()
    try:
        sender = server.url_with_login(LOGIN, PASSWORD)
        settings = make_world(database_url, tmp_path, HANOI, smtp_url=sender)
        env = {"DONDOC_DATABASE_URL": database_url, "DONDOC_SMTP_URL": sender}
        swept = cli("sweep", "--at", T14.isoformat(), env=env)
    finally:
        server.stop()
    assert swept.code == 0, swept.err
    assert "given up 1" in swept.out
    [row] = outbox(settings)
    assert row.status == "given_up" and row.last_error
    assert "550" in row.last_error and "Rejected for" in row.last_error  # the echo got through
    assert "****" in row.last_error
    with transaction(engine_for(settings)) as session:
        details = [e.detail or "" for e in session.execute(select(Event)).scalars()]
    outputs = [swept.out, swept.err, row.last_error, *details]
    for fmt in ("table", "json", "csv"):
        shown = cli("status", "--period", "2026", "--format", fmt, env=env)
        assert shown.code == 0, shown.err
        outputs += [shown.out, shown.err]
    for fmt in ("table", "json"):
        history = cli("history", "--agency", "01", "--format", fmt, env=env)
        assert history.code == 0, history.err
        outputs += [history.out, history.err]
    assert "Rejected for" in outputs[-2]  # the history shows the (masked) reason
    leaked = [text for text in outputs if PASSWORD in text]
    assert not leaked, leaked[0]


def test_retries_end_given_up_with_the_reason_on_the_board(
    database_url: str, tmp_path: Path
) -> None:
    tries: list[str] = []

    def busy(login: str, password: str) -> str:
        tries.append(login)
        return "451 4.3.0 Mailbox busy, try again later"

    server = SMTPServer(reply=busy)
    server.start()
    try:
        settings = make_world(
            database_url,
            tmp_path,
            HANOI,
            smtp_url=server.url,
            max_attempts=3,
            retry_base_seconds=60,
        )
        engine = engine_for(settings)
        for minutes in (0, 2, 5, 60, 24 * 60):  # backoff 1 then 2 minutes; then nothing due
            run_sweep(engine, make_context(settings, T14 + dt.timedelta(minutes=minutes)))
    finally:
        server.stop()
    assert len(tries) == 3
    [row] = outbox(settings)
    assert (row.status, row.attempts) == ("given_up", 3)
    assert row.last_error and "451" in row.last_error
    hanoi = _board(settings)["01"]
    assert hanoi.reminders_given_up == 1 and hanoi.reminders_waiting == 0
    assert hanoi.given_up_reason and "451" in hanoi.given_up_reason
    table = render_board(list(_board(settings).values()), "table")
    assert "Ngừng gửi" in table
    assert "Ngừng gửi thông báo (01 annual-report 2026, 1):" in table and "451" in table
    [shown] = [r for r in json.loads(render_board([hanoi], "json"))]
    assert shown["reminders_given_up"] == 1 and "451" in shown["given_up_reason"]
    assert "reminders_given_up" in render_board([hanoi], "csv").splitlines()[0]


def test_a_withdrawn_report_reopens_the_task_and_the_next_sweep_reminds_again(
    database_url: str, tmp_path: Path, smtp_server: SMTPServer
) -> None:
    settings = make_world(database_url, tmp_path, HANOI, smtp_url=smtp_server.url)
    engine = engine_for(settings)
    run_sweep(engine, make_context(settings, T14))
    assert len(smtp_server.messages) == 1
    report(settings, T14 + dt.timedelta(days=1), "01")
    withdrawn_at = dt.datetime(2026, 12, 1, 10, tzinfo=VN)
    with transaction(engine) as session:
        withdraw_submission(
            session=session,
            ctx=make_context(settings, withdrawn_at),
            agency="01",
            obligation="annual-report",
            period="2026",
            reason="Báo cáo gửi nhầm kỳ",
        )
    run_sweep(engine, make_context(settings, dt.datetime(2026, 12, 2, 8, 30, tzinfo=VN)))
    assert len(smtp_server.messages) == 2
    again = smtp_server.messages[1]
    assert again.recipients == ("vt@hanoi.test",)
    assert "còn 7 ngày" in again.body_text
    assert _board(settings)["01"].reminders_sent == 2


def test_a_report_withdrawn_within_the_same_stage_is_reminded_at_the_next_sweep(
    database_url: str, tmp_path: Path, smtp_server: SMTPServer
) -> None:
    """The report cancels the stage's queued reminder; once withdrawn, the very next sweep (same
    stage, same day) sends it after all instead of waiting a week for the next stage."""
    settings = make_world(database_url, tmp_path, HANOI, smtp_url=smtp_server.url)
    engine, _ = queue_only(settings)
    report(settings, T14 + dt.timedelta(minutes=5), "01")
    assert [r.status for r in outbox(settings)] == ["cancelled"]
    with transaction(engine) as session:
        withdraw_submission(
            session=session,
            ctx=make_context(settings, T14 + dt.timedelta(minutes=10)),
            agency="01",
            obligation="annual-report",
            period="2026",
            reason="Ghi nhận nhầm cơ quan",
        )
    run_sweep(engine, make_context(settings, T14 + dt.timedelta(hours=1)))
    assert [m.recipients for m in smtp_server.messages] == [("vt@hanoi.test",)]
    assert "còn 14 ngày" in smtp_server.messages[0].body_text
    assert [r.status for r in outbox(settings)] == ["sent"]
