"""With PREFECT_API_URL set but its server down, the `dondoc` commands that would run as tracked
flow runs stop within seconds with one `error:` line naming PREFECT_API_URL and the reason, exit
2, and change nothing: a port nobody listens on (refused) and a socket that accepts but never
answers, on which Prefect's own client used to wait minutes (60 s per request, five retries)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import test_web_app as web_app
from tests.seeding import record_hanoi_report

template_db, db_url = web_app.template_db, web_app.db_url

WITHIN = 20.0  # seconds: start-up and the 2 s probe on a loaded machine, far below the old minutes
# Seven days before the 2026 annual report is due (09/12): in-process, the sweep sends Hồ Chí
# Minh City its reminder (a notification row, an event, a file in the outbox).
AT = ["--at", "2026-12-02T08:30+07:00"]
COMMANDS = {
    "submit": [
        "submit", "--agency", "79", "--obligation", "annual-report", "--period", "2026",
        "--document", "12/BC-UBND", "--received-on", "26/11/2026", *AT,
    ],
    "sweep": ["sweep", *AT],
    "withdraw": [
        "withdraw", "--agency", "01", "--obligation", "annual-report", "--period", "2026",
        "--reason", "Nhầm số", *AT,
    ],
}  # fmt: skip
PROBLEMS = {"refusing_port": "cannot connect", "silent_port": "no answer within 2 s"}


def dondoc(api_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`dondoc ...` as a user runs it, failed by the test when it outlasts ``WITHIN``."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "dondoc.cli", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PREFECT_API_URL": api_url},
            timeout=WITHIN,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`dondoc {args[0]}` did not stop within {WITHIN:g} s")


def everything(url: str, outbox: Path) -> tuple[dict[str, list[tuple[Any, ...]]], list[str]]:
    """Every row of every table, and the files in the outbox: what a refusal must leave."""
    from sqlalchemy import create_engine, select, text

    from dondoc.models import metadata

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = {
            name: [tuple(r) for r in conn.execute(select(table).order_by(text("1")))]
            for name, table in metadata.tables.items()
        }
    engine.dispose()
    return rows, sorted(str(p) for p in outbox.rglob("*")) if outbox.exists() else []


@pytest.fixture
def recorded(db_url: str) -> str:
    """The copied database with Hà Nội's 2026 report recorded, so that there is one to withdraw."""
    record_hanoi_report(db_url, AT[1])
    return db_url


@pytest.mark.parametrize("server", sorted(PROBLEMS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_tracked_command_stops_at_once_when_prefect_is_down_and_changes_nothing(
    command: str, server: str, recorded: str, workdir: Path, request: pytest.FixtureRequest
) -> None:
    api_url = f"http://127.0.0.1:{request.getfixturevalue(server)}/api"
    before = everything(recorded, workdir / "outbox")
    done = dondoc(api_url, *COMMANDS[command])
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(
        f"error: cannot reach the Prefect server named by PREFECT_API_URL ({api_url}): "
    )
    assert PROBLEMS[server] in done.stderr and "nothing was done" in done.stderr
    assert len(done.stderr.splitlines()) == 1 and done.stdout == ""  # no traceback, no summary
    assert everything(recorded, workdir / "outbox") == before


@pytest.mark.parametrize(
    "args", [["serve"], ["run", "record-submission", "-p", "agency=79"]], ids=["serve", "run"]
)
def test_serve_and_run_stop_at_once_on_a_silent_server_and_hide_a_password(
    args: list[str], silent_port: int, db_url: str
) -> None:
    api_url = f"http://admin:bi-mat@127.0.0.1:{silent_port}/api"
    done = dondoc(api_url, *args)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "error: cannot reach the Prefect server named by PREFECT_API_URL "
        f"(http://admin:***@127.0.0.1:{silent_port}/api): no answer within 2 s; nothing was done\n"
    )
