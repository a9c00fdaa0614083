"""Shared fixtures: an isolated working directory, settings pointing into it, and the CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from dondoc.config.spec_loader import AgencyRecord
    from dondoc.engine.deadlines import WorkCalendar

pytest_plugins = ["tests.smtp_server", "tests.prefect_server"]

POSTGRES_URL = os.environ.get(
    "DONDOC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh working directory with dondoc's settings pointing into it (SQLite, outbox)."""
    from dondoc.config.settings import get_settings

    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith("DONDOC_") or key == "PREFECT_API_URL":
            monkeypatch.delenv(key)
    monkeypatch.setenv("DONDOC_DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'dondoc.db'}")
    monkeypatch.setenv("DONDOC_OUTBOX_DIR", str(tmp_path / "outbox"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run_dondoc(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> CliResult:
    """Run the installed `dondoc` command as a separate process, as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
        check=False,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(workdir: Path) -> object:
    def invoke(*args: str, env: dict[str, str] | None = None) -> CliResult:
        return run_dondoc(*args, env=env, cwd=workdir)

    return invoke


@pytest.fixture
def refusing_port() -> int:
    """A loopback port nobody listens on: connections are refused at once (a Prefect server
    that is not running)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback socket that accepts connections (the kernel's backlog) and never answers (a
    hung Prefect server, or a proxy in front of a dead one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield int(s.getsockname()[1])


def _postgres_admin_url() -> str:
    return POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards. In CI a missing
    server fails the run; on a laptop without one the test is skipped."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    admin = create_engine(_postgres_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"dondoc_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL}: {exc.__class__.__name__}")
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        from dondoc.db import get_engine

        for engine_url in [f"{base}/{name}"]:
            get_engine(engine_url).dispose()
        get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """One temporary Prefect server (API and database) for the whole session, shared by every
    test that runs a flow."""
    from prefect.settings import PREFECT_RUNNER_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    # Heartbeats off: in-process test runs need no liveness pings, and they only add noise.
    with (
        temporary_settings({PREFECT_RUNNER_HEARTBEAT_FREQUENCY: None}),
        prefect_test_harness(server_startup_timeout=90),
    ):
        yield


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dondoc.db'}"
    return str(request.getfixturevalue("postgres_url"))


# --- the reader's tests: the bundled agency directory and a work calendar --------------------


@pytest.fixture(scope="module")
def agencies() -> list[AgencyRecord]:
    from dondoc.config.successions import load_directory

    return load_directory()


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    from dondoc.config.calendar import load_calendar_overrides
    from dondoc.engine.deadlines import work_calendar

    return work_calendar(range(2000, 2031), load_calendar_overrides())
