"""Basic auth for a dashboard exposed beyond loopback (docs/dashboard.md): `dondoc up` with
PREFECT_SERVER_API_AUTH_STRING serves an API that refuses anonymous calls, its own `serve`
still reaches it, and a submission made through it is recorded as the authenticated user."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.prefect_server import _clean_env, _free_port, _start, _stop, _tail

SECRET = "admin:Kh0ng-De-Lo"
START_TIMEOUT = 90.0


def _dondoc(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dondoc.cli", *args],
        env=env, cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120,
        check=False,
    )  # fmt: skip


def _wait_served(api: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Until `dondoc up`'s own `serve` has registered record-submission (with the secret)."""
    deadline = time.monotonic() + START_TIMEOUT
    user, password = SECRET.split(":")
    while time.monotonic() < deadline:
        assert proc.poll() is None, _tail(log)
        try:
            found = httpx.post(f"{api}/deployments/filter", json={}, auth=(user, password),
                               timeout=5)  # fmt: skip
            if found.status_code == 200 and any(
                d["name"] == "record-submission" for d in found.json()
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"`dondoc up` did not serve its deployments:\n{_tail(log)}", pytrace=False)


def test_dondoc_up_with_an_auth_string_requires_it_and_records_its_user(tmp_path: Path) -> None:
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = _clean_env()
    env.update(
        DONDOC_DATABASE_URL=f"sqlite:///{tmp_path / 'data' / 'dondoc.db'}",
        DONDOC_OUTBOX_DIR=str(tmp_path / "outbox"),
        PREFECT_HOME=str(tmp_path / "home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
        PREFECT_RUNNER_POLL_FREQUENCY="1",
    )
    init = _dondoc("init", "--at", "2026-11-20T09:00+07:00", env=env, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    served = {**env, "PREFECT_SERVER_API_AUTH_STRING": SECRET}
    cmd = [sys.executable, "-m", "dondoc.cli", "up", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--web-port", str(_free_port())]  # the board beside it; 8080 may be taken
    log = tmp_path / "up.log"
    proc = _start(cmd, served, tmp_path, log)
    try:
        _wait_served(api, proc, log)
        assert httpx.post(f"{api}/deployments/filter", json={}, timeout=5).status_code == 401

        client = {**env, "PREFECT_API_URL": api}
        args = ("run", "record-submission", "-p", "agency=01", "-p", "obligation=annual-report",
                "-p", "period=2026", "-p", "document=12/BC-UBND",
                "-p", "received_on=2026-11-23")  # fmt: skip
        ran = _dondoc(*args, env={**client, "PREFECT_API_AUTH_STRING": SECRET}, cwd=tmp_path)
        assert ran.returncode == 0, ran.stdout + ran.stderr + _tail(log)
        assert SECRET not in ran.stdout + ran.stderr

        history = _dondoc("history", "--agency", "01", "--obligation", "annual-report",
                          "--period", "2026", "--format", "json",
                          env=env, cwd=tmp_path)  # fmt: skip
        actors = [e["actor"] for h in json.loads(history.stdout) for e in h["entries"]
                  if e["kind"] == "submission"]  # fmt: skip
        assert actors == ["admin (qua API)"]
    finally:
        _stop(proc)
