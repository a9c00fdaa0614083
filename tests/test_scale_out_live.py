"""Scale-out mode, live (docs/scale-out.md): a Prefect server on PostgreSQL, dondoc's database on
PostgreSQL, the deployments from prefect.yaml on a process work pool, and two workers. Two sweep
runs started together deliver every (task, stage, recipient) exactly once."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL, run_dondoc
from tests.prefect_server import _clean_env, _free_port, _start, _stop, _tail
from tests.seeding import seed_with_contacts

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.postgres


@pytest.fixture
def prefect_db() -> Iterator[str]:
    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")  # fmt: skip
    name = f"prefect_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            POSTGRES_URL.replace("postgresql://", "postgresql+asyncpg://", 1).rsplit("/", 1)[0]
            + f"/{name}"
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _wait(predicate: Any, what: str, logs: list[Path], timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.5)
    pytest.fail(f"{what} after {timeout:.0f} s:\n" + "\n".join(_tail(p, 3000) for p in logs),
                pytrace=False)  # fmt: skip


def test_two_workers_on_postgresql_send_each_reminder_once(
    tmp_path: Path, prefect_db: str, postgres_url: str, smtp_server: Any
) -> None:
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = _clean_env()
    env.update(
        PREFECT_HOME=str(tmp_path / "home"),
        PREFECT_API_DATABASE_CONNECTION_URL=prefect_db,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
        PREFECT_API_URL=api,
        PREFECT_WORKER_QUERY_SECONDS="1",
        DONDOC_HOME=str(REPO),
        DONDOC_DATABASE_URL=postgres_url,
        DONDOC_SMTP_URL=smtp_server.url,
        DONDOC_OUTBOX_DIR=str(tmp_path / "outbox"),
        DONDOC_BATCH_SIZE="5",
    )
    server_log = tmp_path / "server.log"
    server = _start([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                     "--port", str(port)], env, tmp_path, server_log)  # fmt: skip
    workers: list[subprocess.Popen[bytes]] = []
    logs = [server_log]
    try:

        def healthy() -> bool:
            try:
                return httpx.get(f"{api}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        _wait(healthy, "the Prefect server on PostgreSQL is not healthy", logs)

        def cli(*args: str, env: dict[str, str] = env) -> Any:
            return run_dondoc(*args, env=env, cwd=tmp_path)

        addresses = seed_with_contacts(cli, tmp_path, env, per_agency=2, domain="pool.test")
        prefect = [sys.executable, "-m", "prefect", "--no-prompt"]
        for cmd in (["work-pool", "create", "dondoc", "--type", "process"], ["deploy", "--all"]):
            done = subprocess.run([*prefect, *cmd], env=env, cwd=REPO, capture_output=True,
                                  text=True, timeout=180, check=False)  # fmt: skip
            assert done.returncode == 0, done.stdout + done.stderr
        for i in range(2):
            log = tmp_path / f"worker{i}.log"
            logs.append(log)
            workers.append(_start([*prefect, "worker", "start", "--pool", "dondoc",
                                   "--name", f"w{i}"], env, tmp_path, log))  # fmt: skip

        deployments = httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
        sweep = next(d for d in deployments if d["name"] == "daily-sweep")
        runs = [
            httpx.post(f"{api}/deployments/{sweep['id']}/create_flow_run", timeout=10,
                       json={"parameters": {"at": "2026-11-25T08:30:00+07:00"}}).json()
            for _ in range(2)
        ]  # fmt: skip

        def finished() -> list[dict[str, Any]] | None:
            states = [httpx.get(f"{api}/flow_runs/{r['id']}", timeout=10).json() for r in runs]
            done = all(s["state"]["type"] in {"COMPLETED", "FAILED", "CRASHED"} for s in states)
            return states if done else None

        states = _wait(finished, "the two sweep runs did not finish", logs, timeout=180)
        assert [s["state"]["type"] for s in states] == ["COMPLETED", "COMPLETED"], states
        got = Counter(a for m in smtp_server.messages for a in m.recipients)
        assert set(got) == addresses and set(got.values()) == {1}
        ran_on = {s.get("work_queue_name") for s in states}
        assert ran_on == {"default"}
    finally:
        for worker in workers:
            _stop(worker)
        _stop(server)
