"""The sweep on both engines (SQLite and PostgreSQL), the outbox folder, retries and secrets."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from dondoc.config.settings import Settings
from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.models import Event, Notification, SubmissionCreate, Task
from dondoc.reports.board import board_rows
from dondoc.reports.board_format import render_board
from dondoc.service import import_contacts_file, init, submit
from dondoc.tracking.sweep import run_sweep

VN = dt.timezone(dt.timedelta(hours=7))
T14 = dt.datetime(2026, 11, 25, 8, 30, tzinfo=VN)


def _settings(database_url: str, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(database_url=database_url, outbox_dir=tmp_path / "outbox", **extra)


def _setup(settings: Settings, tmp_path: Path, rows: str) -> None:
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    csv = tmp_path / "contacts.csv"
    csv.write_text("agency,channel,target,role\n" + rows, encoding="utf-8")
    import_contacts_file(settings, csv, replace=False)


def _sweep(settings: Settings, at: dt.datetime) -> Any:
    return run_sweep(engine_for(settings), make_context(settings, at))


def _count(settings: Settings, *where: Any) -> int:
    with transaction(engine_for(settings)) as session:
        return int(
            session.execute(
                select(func.count()).select_from(Notification).where(*where)
            ).scalar_one()
        )


def test_sweep_writes_eml_files_when_no_channel_is_configured(
    database_url: str, tmp_path: Path
) -> None:
    settings = _settings(database_url, tmp_path)
    _setup(settings, tmp_path, "01,email,vanthu@hanoi.test,focal\n79,email,vt@hcm.test,focal\n")
    summary = _sweep(settings, T14)
    assert summary.queued == 2 and summary.delivery.sent == 2
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    mails = [message_from_bytes(f.read_bytes(), policy=default) for f in files]
    assert {str(m["To"]) for m in mails} == {"vanthu@hanoi.test", "vt@hcm.test"}
    body = mails[0].get_body(preferencelist=("plain",))
    assert body is not None and "09/12/2026" in body.get_content()
    assert "Nhắc hạn" in str(mails[0]["Subject"])
    assert _sweep(settings, T14).queued == 0
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2


def test_statuses_and_events_follow_time(database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path)
    _setup(settings, tmp_path, "01,email,vanthu@hanoi.test,focal\n")
    summary = _sweep(settings, dt.datetime(2026, 12, 10, 0, 0, tzinfo=VN))
    assert summary.status_changes.get("overdue", 0) >= 50
    with transaction(engine_for(settings)) as session:
        overdue = session.execute(
            select(func.count()).select_from(Task).where(Task.status == "overdue")
        ).scalar_one()
        events = session.execute(
            select(func.count()).select_from(Event).where(Event.new_status == "overdue")
        ).scalar_one()
    assert overdue == events == summary.status_changes["overdue"]


def test_outage_delays_and_loses_nothing(
    database_url: str, tmp_path: Path, smtp_server: Any
) -> None:
    secret = "S3cr3t-pa55"
    settings = _settings(
        database_url,
        tmp_path,
        smtp_url=smtp_server.url_with_login("dondoc", secret),
        retry_base_seconds=600,
    )
    _setup(settings, tmp_path, "01,email,vanthu@hanoi.test,focal\n")
    smtp_server.stop()
    down = _sweep(settings, T14)
    assert down.queued == 1 and down.delivery.failed == 1 and down.delivery.sent == 0
    with transaction(engine_for(settings)) as session:
        row = session.execute(select(Notification)).scalar_one()
        errors = [e.detail or "" for e in session.execute(select(Event)).scalars()]
    assert row.status == "queued" and row.attempts == 1 and row.last_error
    assert secret not in row.last_error and not any(secret in e for e in errors)
    assert row.next_attempt_at > T14
    with transaction(engine_for(settings)) as session:  # the board shows the backlog
        board = {
            r.agency: r
            for r in board_rows(session=session, obligation="annual-report", period="2026")
        }
    assert board["01"].reminders_waiting == 1 and board["01"].reminders_sent == 0
    assert "Thông báo đang chờ gửi lại: 1" in render_board(list(board.values()), "table")
    smtp_server.start()
    too_soon = _sweep(settings, T14 + dt.timedelta(minutes=5))
    assert too_soon.delivery.sent == 0 and smtp_server.messages == []
    later = _sweep(settings, T14 + dt.timedelta(minutes=11))
    assert later.delivery.sent == 1 and len(smtp_server.messages) == 1
    assert _count(settings, Notification.status == "sent") == 1
    with transaction(engine_for(settings)) as session:
        after = {
            r.agency: r
            for r in board_rows(session=session, obligation="annual-report", period="2026")
        }
    assert after["01"].reminders_waiting == 0 and after["01"].reminders_sent == 1


def test_submission_cancels_queued_reminders(database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path, smtp_url="mailto://127.0.0.1:9?from=a@b.test")
    _setup(settings, tmp_path, "01,email,vanthu@hanoi.test,focal\n")
    _sweep(settings, T14)  # port 9 refuses: the row stays queued for a retry
    assert _count(settings, Notification.status == "queued") == 1
    data = SubmissionCreate(
        agency="01",
        obligation="annual-report",
        period="2026",
        document_number="5/BC-UBND",
        received_on=dt.date(2026, 11, 25),  # T14's day: a later one is refused as future
    )
    task = submit(settings, make_context(settings, T14), data)
    assert task.status == "done_on_time"
    assert _count(settings, Notification.status == "cancelled") == 1
    with pytest.raises(Exception, match="already closed"):
        submit(settings, make_context(settings, T14), data)


def test_a_coordinator_chosen_date_retimes_open_tasks(database_url: str, tmp_path: Path) -> None:
    from dondoc.config.spec_loader import bundled_spec_paths
    from dondoc.service import load_spec

    settings = _settings(database_url, tmp_path)
    _setup(settings, tmp_path, "01,email,vanthu@hanoi.test,focal\n")
    seed = bundled_spec_paths()[0]
    edited = tmp_path / seed.name
    text = seed.read_text(encoding="utf-8").replace(
        "    deadline: null\n",
        "    deadline: {date: 2026-12-31, inclusive: true, chosen_by: coordinator}\n",
        1,
    )
    edited.write_text(text, encoding="utf-8")
    (tmp_path / "351-BXD-PTDT.txt").write_bytes((seed.parent / "351-BXD-PTDT.txt").read_bytes())
    load_spec(settings, make_context(settings, T14), edited)
    with transaction(engine_for(settings)) as session:
        plans = session.execute(
            select(Task.due_day, Task.status).where(Task.period == "once")
        ).all()
    assert plans and {p.due_day for p in plans} == {dt.date(2026, 12, 31)}
    assert {p.status for p in plans} == {"pending"}  # 36 days ahead: before the window
