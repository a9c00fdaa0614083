"""The coordinator's story from issue #2, end to end through the `dondoc` command.

Real SQLite, a real SMTP server on loopback, and time passed in with --at.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from dondoc.config.spec_loader import load_agencies

PROVINCES = 34
MINISTRIES = 14


def _board(cli: Any, *args: str) -> list[dict[str, Any]]:
    result = cli("status", "--format", "json", *args)
    assert result.code == 0, result.err
    return list(json.loads(result.out))


def _slug(code: str) -> str:
    return code.lower().replace("đ", "d")


def _write_contacts(path: Path, codes: list[str]) -> None:
    lines = ["agency,channel,target,role,name"]
    for code in codes:
        slug = _slug(code)
        lines.append(f"{code},email,vanthu.{slug}@dondoc.test,focal,Văn thư {code}")
        lines.append(f"{code},email,lanhdao.{slug}@dondoc.test,leader,Lãnh đạo {code}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _recipients(smtp: Any, start: int) -> Counter[str]:
    return Counter(addr for m in smtp.messages[start:] for addr in m.recipients)


@pytest.fixture
def story(cli: Any, workdir: Path, smtp_server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("DONDOC_SMTP_URL", smtp_server.url)
    assert cli("init").code == 0
    second = cli("init")
    assert second.code == 0, second.err
    return cli


def test_init_twice_gives_the_2026_board(story: Any) -> None:
    rows = _board(story, "--period", "2026", "--obligation", "annual-report")
    agencies = load_agencies()
    committees = {a.code for a in agencies if a.kind == "provincial_committee"}
    ministries = {a.code for a in agencies if a.kind == "ministry"}
    assert len(committees) == PROVINCES and len(ministries) == MINISTRIES
    on_board = Counter(r["agency"] for r in rows)
    assert committees | ministries <= set(on_board)
    assert set(on_board.values()) == {1}  # init twice made no duplicate task
    assert {r["due_date"] for r in rows} == {"2026-12-09"}
    assert {r["directive"] for r in rows} == {"24/CT-TTg"}


def test_reminders_submissions_and_lateness(story: Any, workdir: Path, smtp_server: Any) -> None:
    codes = [
        r["agency"] for r in _board(story, "--period", "2026", "--obligation", "annual-report")
    ]
    _write_contacts(workdir / "contacts.csv", codes)
    imported = story("contacts", "import", "contacts.csv")
    assert imported.code == 0, imported.err

    first = story("sweep", "--at", "2026-11-25T08:30:00+07:00")
    assert first.code == 0, first.err
    got = _recipients(smtp_server, 0)
    focal = {f"vanthu.{_slug(c)}@dondoc.test" for c in codes}
    assert set(got) == focal and set(got.values()) == {1}  # leaders are not copied yet
    message = smtp_server.messages[0]
    assert "Chỉ thị số 24/CT-TTg" in message.subject_text or "24/CT-TTg" in message.body_text
    assert "09/12/2026" in message.body_text
    assert "còn 14 ngày" in message.body_text

    sent_before = len(smtp_server.messages)
    again = story("sweep", "--at", "2026-11-25T08:30:00+07:00")
    assert again.code == 0
    assert len(smtp_server.messages) == sent_before  # the same sweep again sends nothing

    early = story(
        "submit",
        "--agency",
        "01",
        "--obligation",
        "annual-report",
        "--period",
        "2026",
        "--document",
        "123/BC-UBND",
        "--received-on",
        "2026-11-30",
        "--allow-future",  # the story runs ahead of the clock
    )
    assert early.code == 0, early.err

    mark = len(smtp_server.messages)
    assert story("sweep", "--at", "2026-12-02T08:30:00+07:00").code == 0
    week = _recipients(smtp_server, mark)
    assert set(week) == focal - {"vanthu.01@dondoc.test"}
    assert all("còn 7 ngày" in m.body_text for m in smtp_server.messages[mark:])

    on_time = story(
        "submit",
        "--agency",
        "79",
        "--obligation",
        "annual-report",
        "--period",
        "2026",
        "--document",
        "45/BC-UBND",
        "--received-on",
        "2026-12-09",
        "--allow-future",
    )
    assert on_time.code == 0, on_time.err

    mark = len(smtp_server.messages)
    assert story("sweep", "--at", "2026-12-10T08:30:00+07:00").code == 0
    overdue = _recipients(smtp_server, mark)
    assert set(overdue) == focal - {"vanthu.01@dondoc.test", "vanthu.79@dondoc.test"}
    assert all("[Quá hạn]" in m.subject_text for m in smtp_server.messages[mark:])

    late = story(
        "submit",
        "--agency",
        "BXD",
        "--obligation",
        "annual-report",
        "--period",
        "2026",
        "--document",
        "99/BC-BXD",
        "--received-on",
        "2026-12-10",
        "--allow-future",
    )
    assert late.code == 0, late.err

    board = {
        r["agency"]: r for r in _board(story, "--period", "2026", "--obligation", "annual-report")
    }
    assert board["01"]["status"] == "done_on_time"
    assert board["79"]["status"] == "done_on_time"
    assert board["BXD"]["status"] == "done_late"
    assert board["BXD"]["document"] == "99/BC-BXD"
    assert board["BXD"]["submitted_on"] == "2026-12-10"
    assert board["48"]["status"] == "overdue"
    assert board["48"]["reminders_sent"] == 3
    assert board["01"]["reminders_sent"] == 1


def test_leaders_are_copied_from_the_seventh_day_overdue(
    story: Any, workdir: Path, smtp_server: Any
) -> None:
    _write_contacts(workdir / "contacts.csv", ["01"])
    assert story("contacts", "import", "contacts.csv").code == 0
    assert story("sweep", "--at", "2026-12-10T08:30:00+07:00").code == 0
    assert set(_recipients(smtp_server, 0)) == {"vanthu.01@dondoc.test"}
    mark = len(smtp_server.messages)
    assert story("sweep", "--at", "2026-12-17T08:30:00+07:00").code == 0
    assert set(_recipients(smtp_server, mark)) == {
        "vanthu.01@dondoc.test",
        "lanhdao.01@dondoc.test",
    }


def test_later_years_appear_ahead_of_time(story: Any) -> None:
    assert story("sweep", "--at", "2027-12-01T08:30:00+07:00").code == 0
    rows = _board(story, "--period", "2028", "--obligation", "annual-report")
    assert rows and {r["due_date"] for r in rows} == {"2028-12-11"}  # 09/12/2028 is a Saturday


def test_weekend_sweep_sends_nothing_and_says_so(
    story: Any, workdir: Path, smtp_server: Any
) -> None:
    _write_contacts(workdir / "contacts.csv", ["01"])
    assert story("contacts", "import", "contacts.csv").code == 0
    saturday = story("sweep", "--at", "2026-11-28T09:00:00+07:00")
    assert saturday.code == 0 and "nothing sent" in saturday.out
    assert smtp_server.messages == []
    monday = story("sweep", "--at", "2026-11-30T08:00:00+07:00")
    assert monday.code == 0
    assert len(smtp_server.messages) == 1  # caught up with one message, not a burst


def test_database_keeps_every_status_change(story: Any, workdir: Path) -> None:
    assert story("sweep", "--at", "2026-12-10T08:30:00+07:00").code == 0
    with sqlite3.connect(workdir / "data" / "dondoc.db") as db:
        changes = db.execute(
            "select count(*) from event where kind='status' and new_status='overdue'"
        ).fetchone()[0]
        overdue = db.execute("select count(*) from task where status='overdue'").fetchone()[0]
    assert changes == overdue > 0
