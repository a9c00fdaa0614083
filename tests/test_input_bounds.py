"""Issue #12 cases 8 and 9 that need their own setting: an uninitialised database, an unknown
DONDOC_TIMEZONE, a database locked by another writer, a contacts file over the size cap, and
what the new bounds still accept."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select

from dondoc.config.settings import Settings
from dondoc.db import engine_for, get_engine, transaction
from dondoc.models import Submission
from tests.inprocess import run_main

# Every command that reads or writes an existing database; none may create one.
NEEDS_INIT = [
    ["status"],
    ["status", "--format", "json"],
    ["history", "--agency", "01"],
    ["ics", "--agency", "01"],
    ["report", "--directive", "24/CT-TTg", "--period", "2026", "--out", "r.xlsx"],
    ["export", "dump.json"],
    ["sweep", "--dry-run", "--at", "2026-11-25"],
    ["sweep", "--at", "2026-11-25"],
    [
        "submit",
        "--agency",
        "01",
        "--obligation",
        "annual-report",
        "--period",
        "2026",
        "--document",
        "1/BC",
        "--received-on",
        "2026-11-20",
    ],
    [
        "withdraw",
        "--agency",
        "01",
        "--obligation",
        "annual-report",
        "--period",
        "2026",
        "--reason",
        "nhầm",
    ],
    ["contacts", "import", "c.csv"],
    ["digest"],
]


@pytest.mark.parametrize("args", NEEDS_INIT, ids=[" ".join(a[:2]) for a in NEEDS_INIT])
def test_uninitialised_sqlite_says_run_init_and_creates_nothing(
    args: list[str], workdir: Path
) -> None:
    (workdir / "c.csv").write_text("agency,channel,target\n01,email,a@hanoi.test\n", "utf-8")
    result = run_main(*args, env={"DONDOC_COORDINATOR_CONTACTS": "dv@ptdt.test"})
    assert result.code == 2, result.out + result.err
    assert "run `dondoc init` first" in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert not (workdir / "data").exists()  # no folder, no empty database file


@pytest.mark.postgres
def test_uninitialised_postgres_says_run_init_and_creates_nothing(
    workdir: Path, postgres_url: str
) -> None:
    for args in (["status"], ["history", "--agency", "01"], ["export", "d.json"]):
        result = run_main(*args, env={"DONDOC_DATABASE_URL": postgres_url})
        assert result.code == 2 and "run `dondoc init` first" in result.err, result.err
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "where", ["127.0.0.1:1/test", "127.0.0.1:5432/dondoc_no_such_database"], ids=["down", "absent"]
)
def test_an_unreachable_postgres_is_one_line_without_the_password(
    workdir: Path, where: str
) -> None:
    url = f"postgresql://postgres:s3cret-pw@{where}"
    for args in (["status"], ["init"]):
        result = run_main(*args, env={"DONDOC_DATABASE_URL": url})
        assert result.code == 2, result.out + result.err
        assert result.err.startswith(
            "error: cannot reach the database named by DONDOC_DATABASE_URL"
        )
        assert len(result.err.strip().splitlines()) == 1
        assert "s3cret-pw" not in result.out + result.err


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../../etc/passwd", "Asia/Hanoi "])
def test_unknown_timezone_is_one_line_naming_the_setting(zone: str, workdir: Path) -> None:
    for args in (["status"], ["sweep", "--at", "2026-11-25"], ["calendar", "--year", "2026"]):
        result = run_main(*args, env={"DONDOC_TIMEZONE": zone})
        assert result.code == 2, result.out + result.err
        assert result.err.startswith("error: DONDOC_TIMEZONE ") and "Asia/Ho_Chi_Minh" in result.err
        assert len(result.err.strip().splitlines()) == 1


def test_a_bad_setting_names_its_variable(workdir: Path) -> None:
    result = run_main("status", env={"DONDOC_SEND_HOUR": "25"})
    assert result.code == 2 and result.err.startswith("error: DONDOC_SEND_HOUR: ")
    assert len(result.err.strip().splitlines()) == 1


@pytest.fixture
def ready(workdir: Path) -> Path:
    assert run_main("init", "--at", "2026-11-20T09:00+07:00").code == 0
    return workdir


def _submissions(workdir: Path) -> list[tuple[str, str | None]]:
    settings = Settings(database_url=f"sqlite:///{workdir / 'data' / 'dondoc.db'}")
    with transaction(engine_for(settings)) as session:
        rows = session.execute(select(Submission.document_number, Submission.note))
        return [(number, note) for number, note in rows.tuples()]


def test_a_locked_database_gives_up_in_bounded_time_and_says_so(ready: Path) -> None:
    """A second connection holds the write lock (as a long contacts import does): `submit`
    waits DONDOC_SQLITE_BUSY_SECONDS, then says the database is busy; nothing is recorded."""
    holder = sqlite3.connect(ready / "data" / "dondoc.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = run_main(
            "submit", "--agency", "79", "--obligation", "annual-report", "--period", "2026",
            "--document", "7/BC-UBND", "--received-on", "2026-11-20",
            env={"DONDOC_SQLITE_BUSY_SECONDS": "0.3"},
        )  # fmt: skip
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert result.code == 2, result.out + result.err
    assert result.err.startswith("error: the database is busy") and "nothing was recorded" in (
        result.err
    )
    assert len(result.err.strip().splitlines()) == 1
    assert 0.3 <= waited < 10
    assert _submissions(ready) == []
    again = run_main("submit", "--agency", "79", "--obligation", "annual-report", "--period",
                     "2026", "--document", "7/BC-UBND", "--received-on", "2026-11-20")  # fmt: skip
    assert again.code == 0, again.err


def test_the_busy_timeout_is_bounded_by_default(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}")
    assert settings.sqlite_busy_seconds == 60
    with get_engine(settings.database_url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60_000
    fast = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", sqlite_busy_seconds=0.5)
    with engine_for(fast).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 500


def test_a_contacts_file_over_20_mb_is_refused_unread(ready: Path) -> None:
    with (ready / "big.csv").open("wb") as fh:
        fh.write(b"agency,channel,target\n")
        fh.truncate(20 * 2**20 + 1)  # sparse: the size is what is checked, before reading
    result = run_main("contacts", "import", "big.csv")
    assert result.code == 2 and result.err.startswith("error: big.csv: 20971521 bytes")
    assert "20 MB" in result.err


def test_what_the_bounds_still_accept(ready: Path) -> None:
    """A multi-line note, a rehearsal with --allow-future, the last period ahead."""
    base = ["submit", "--obligation", "annual-report", "--document"]
    note = run_main(*base, "3/BC-UBND", "--agency", "01", "--period", "2026",
                    "--received-on", "2026-11-20", "--note", "Dòng một\n\tdòng hai")  # fmt: skip
    assert note.code == 0, note.err
    rehearsal = run_main(*base, "4/BC-UBND", "--agency", "79", "--period", "2026",
                         "--received-on", "2026-12-08", "--at", "2026-12-01",
                         "--allow-future")  # fmt: skip
    assert rehearsal.code == 0, rehearsal.err
    ahead = run_main(*base, "5/BC-UBND", "--agency", "48", "--period", "2027",
                     "--received-on", "2026-12-01", "--at", "2026-12-01")  # fmt: skip
    assert ahead.code == 0, ahead.err
    assert sorted(_submissions(ready)) == [
        ("3/BC-UBND", "Dòng một\n\tdòng hai"), ("4/BC-UBND", None), ("5/BC-UBND", None),
    ]  # fmt: skip
    board = json.loads(run_main("status", "--format", "json", "--period", "2027").out)
    assert {r["agency"] for r in board if r["status"] == "done_on_time"} == {"48"}
