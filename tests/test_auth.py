"""Basic auth for a dashboard exposed beyond loopback (docs/dashboard.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.prefect_server import _clean_env, _free_port, _start, _stop, _tail

SECRET = "admin:Kh0ng-De-Lo"


def test_api_refuses_requests_without_the_auth_string(tmp_path: Path) -> None:
    port = _free_port()
    env = _clean_env()
    env.update(
        PREFECT_HOME=str(tmp_path / "home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_API_AUTH_STRING=SECRET,
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
    )
    cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]
    proc = _start([*cmd, "--port", str(port)], env, tmp_path, tmp_path / "server.log")
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, _tail(tmp_path / "server.log")
            try:
                status = httpx.post(f"{api}/deployments/filter", json={}, timeout=2).status_code
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    pytest.fail(_tail(tmp_path / "server.log"), pytrace=False)
                time.sleep(0.25)
        assert status == 401
        user, password = SECRET.split(":")
        authed = httpx.post(f"{api}/deployments/filter", json={}, auth=(user, password), timeout=5)
        assert authed.status_code == 200
        client_env = {**_clean_env(), "PREFECT_API_URL": api, "PREFECT_API_AUTH_STRING": SECRET}
        probe = subprocess.run(
            [sys.executable, "-m", "prefect", "deployment", "ls"],
            env=client_env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert probe.returncode == 0, probe.stdout + probe.stderr
        assert SECRET not in probe.stdout + probe.stderr
        without = {k: v for k, v in client_env.items() if k != "PREFECT_API_AUTH_STRING"}
        refused = subprocess.run(
            [sys.executable, "-m", "prefect", "deployment", "ls"],
            env=without, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert refused.returncode != 0
    finally:
        _stop(proc)
        os.environ.pop("PREFECT_API_AUTH_STRING", None)
