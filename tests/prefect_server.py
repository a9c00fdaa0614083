"""A pytest plugin: a real Prefect server and a real `dondoc serve` against it, as subprocesses.

Enable with ``pytest_plugins = ["tests.prefect_server"]``. Fixtures (one of each per session,
shared by the end-to-end API test and the browser test):

* ``prefect_server``: ``python -m prefect server start`` on a free loopback port, with its own
  ``PREFECT_HOME`` in a temporary folder; ``url`` is the dashboard, ``api_url`` the API.
* ``dondoc_served``: a working folder with ``DONDOC_*`` settings (SQLite, outbox) pointing into
  it, ``dondoc init`` run there, and ``python -m dondoc.cli serve`` started against the server,
  ready once the server lists every deployment. ``cli(...)`` runs the CLI with the same
  environment, ``run_deployment(...)`` starts a flow run through the API and waits for it.
* ``board_published``: agency 01's annual report recorded through the ``record-submission``
  deployment, then a ``send-reminders-now`` run that publishes the compliance board; the API
  test asserts on both runs and the browser test looks for the board in the dashboard.

Teardown stops ``dondoc serve`` first, then the server: SIGTERM to each one's process group (each
is started in a session of its own so that the flow runs and server processes it starts go with
it), SIGKILL after 20 s. A server or `serve` that does not come up fails the test with its output.

Tests using these fixtures run last, together (``pytest_collection_modifyitems``), so that the
server lives only for them and does not load the machine during the rest of the suite.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

START_TIMEOUT = 90.0  # a cold server migrates its SQLite database and copies the UI first
STOP_TIMEOUT = 20.0
POLL = 0.25
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
DEPLOYMENTS = {"daily-sweep", "send-reminders-now", "record-submission"}
FIXTURES = {"prefect_server", "dondoc_served", "board_published"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _clean_env() -> dict[str, str]:
    """The caller's environment without any Prefect or dondoc setting that could leak in."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DONDOC_"))}


def _tail(path: Path, chars: int = 6000) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no output)"
    return text[-chars:] if len(text) > chars else text


def _start(cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            cmd,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group this fixture started, SIGKILL it if it outlives the grace."""
    if proc.poll() is not None:
        _kill_group(proc.pid, signal.SIGKILL)  # leftovers of an already dead leader
        return
    _kill_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid, signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT)
    _kill_group(proc.pid, signal.SIGKILL)


def _kill_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


API_RETRIES = 6


@dataclass
class PrefectServer:
    url: str
    api_url: str
    home: Path
    log: Path
    proc: subprocess.Popen[bytes]

    def output(self) -> str:
        return _tail(self.log)

    def api(self, method: str, path: str, json: Any = None) -> Any:
        """One API call; raises with the server's answer on any status >= 400.

        A 503 is the server's "retry me" (e.g. its SQLite busy under load); Prefect's own client
        retries it, so this harness does too, a few times, before failing."""
        for attempt in range(API_RETRIES):
            response = httpx.request(method, f"{self.api_url}{path}", json=json, timeout=30)
            if response.status_code != 503:
                break
            time.sleep(0.5 * (attempt + 1))
        if response.status_code >= 400:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None


def _wait_healthy(server: PrefectServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(
                f"the Prefect server exited with code {server.proc.returncode}:\n{server.output()}",
                pytrace=False,
            )
        try:
            if httpx.get(f"{server.api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(POLL)
    pytest.fail(
        f"the Prefect server at {server.api_url} was not healthy after {START_TIMEOUT:.0f} s:\n"
        f"{server.output()}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    root = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    env = _clean_env()
    env.update(
        PREFECT_HOME=str(root / "home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_API_LOG_RETRYABLE_ERRORS="true",
        PREFECT_SERVER_UI_ENABLED="true",
        # The dashboard's pages call the API at this address (the default assumes port 4200).
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_SERVER_UI_API_URL=f"http://127.0.0.1:{port}/api",
        # The test starts every flow run itself; nothing should appear from a schedule.
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
    )
    cmd = [sys.executable, "-m", "prefect", "server", "start"]
    cmd += ["--host", "127.0.0.1", "--port", str(port)]
    log = root / "server.log"
    proc = _start(cmd, env, root, log)
    server = PrefectServer(
        url=f"http://127.0.0.1:{port}",
        api_url=f"http://127.0.0.1:{port}/api",
        home=root / "home",
        log=log,
        proc=proc,
    )
    try:
        _wait_healthy(server)
        yield server
    finally:
        _stop(proc)


@dataclass
class DondocService:
    server: PrefectServer
    workdir: Path
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes]

    def output(self) -> str:
        return _tail(self.log)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`python -m dondoc.cli ARGS` in the working folder with serve's environment."""
        return subprocess.run(
            [sys.executable, "-m", "dondoc.cli", *args],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )

    def deployments(self) -> dict[str, dict[str, Any]]:
        found = self.server.api("POST", "/deployments/filter", {"limit": 200})
        return {d["name"]: d for d in found}

    def run_deployment(
        self, name: str, parameters: dict[str, Any], timeout: float = 90
    ) -> dict[str, Any]:
        """Start a flow run of deployment NAME through the API, as the dashboard's form would
        (a bare code such as "01" picks the dropdown option "01 - ..."); wait for it to end."""
        deployment = self.deployments()[name]
        run = self.server.api(
            "POST",
            f"/deployments/{deployment['id']}/create_flow_run",
            {"parameters": _as_form(parameters, deployment["parameter_openapi_schema"])},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.server.api("GET", f"/flow_runs/{run['id']}")
            if run["state"] and run["state"]["type"] in TERMINAL:
                return dict(run)
            if self.proc.poll() is not None:
                break
            time.sleep(POLL)
        state = run["state"]["type"] if run["state"] else None
        pytest.fail(
            f"flow run {run['id']} of {name} is {state} after {timeout:.0f} s; "
            f"`dondoc serve` (exit code {self.proc.poll()}) said:\n{self.output()}",
            pytrace=False,
        )

    def flow_run_logs(self, flow_run_id: str) -> str:
        logs = self.server.api(
            "POST", "/logs/filter", {"logs": {"flow_run_id": {"any_": [flow_run_id]}}}
        )
        return "\n".join(f"{r['level']} {r['message']}" for r in logs)


def _as_form(parameters: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    from dondoc.flows.forms import resolve_choice

    properties = (schema or {}).get("properties", {})
    return {
        key: resolve_choice(value, properties.get(key, {}).get("enum", []))
        if isinstance(value, str)
        else value
        for key, value in parameters.items()
    }


def _wait_deployments(service: DondocService) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    seen: set[str] = set()
    while time.monotonic() < deadline:
        if service.proc.poll() is not None:
            pytest.fail(
                f"`dondoc serve` exited with code {service.proc.returncode}:\n{service.output()}",
                pytrace=False,
            )
        seen = set(service.deployments())
        if seen >= DEPLOYMENTS:
            return
        time.sleep(POLL)
    pytest.fail(
        f"the server lists {sorted(seen)} after {START_TIMEOUT:.0f} s, not {sorted(DEPLOYMENTS)};"
        f" `dondoc serve` said:\n{service.output()}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def dondoc_served(
    prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DondocService]:
    workdir = tmp_path_factory.mktemp("dondoc-served")
    env = _clean_env()
    env.update(
        DONDOC_DATABASE_URL=f"sqlite:///{workdir / 'data' / 'dondoc.db'}",
        DONDOC_OUTBOX_DIR=str(workdir / "outbox"),
        PREFECT_HOME=str(workdir / "prefect-home"),
        PREFECT_API_URL=prefect_server.api_url,
        # `serve` looks for runs to start every 10 s by default; the test waits on each one.
        PREFECT_RUNNER_POLL_FREQUENCY="1",
    )
    log = workdir / "serve.log"
    init = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "init", "--at", "2026-11-20T09:00+07:00"],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert init.returncode == 0, f"dondoc init failed:\n{init.stdout}\n{init.stderr}"
    proc = _start([sys.executable, "-m", "dondoc.cli", "serve"], env, workdir, log)
    service = DondocService(prefect_server, workdir, env, log, proc)
    try:
        _wait_deployments(service)
        yield service
    finally:
        _stop(proc)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that need the server last and one after another (a stable sort), marked as
    one pytest-xdist group. Under pytest 9.2 with pytest-xdist 3.8 the group does not hold
    (xdist renames `item._nodeid`, pytest 9.2 reads `item._id`): each worker that draws one of
    these tests starts its own server, which costs start-up time, not correctness."""

    def needs_server(item: pytest.Item) -> bool:
        return bool(FIXTURES & set(getattr(item, "fixturenames", ())))

    items.sort(key=needs_server)
    for item in items:
        if needs_server(item):
            item.add_marker(pytest.mark.xdist_group("prefect-server"))


SUBMISSION = {
    "agency": "01",
    "obligation": "annual-report",
    "period": "2026",
    "document": "12/BC-UBND",
    "received_on": "2026-11-23",
}
SWEEP_AT = "2026-11-25T08:30:00+07:00"


@dataclass(frozen=True)
class BoardPublished:
    """What the coordinator did through the API: record a submission, then sweep."""

    submission_run: dict[str, Any]
    sweep_run: dict[str, Any]


@pytest.fixture(scope="session")
def board_published(dondoc_served: DondocService) -> BoardPublished:
    """Agency 01's annual report recorded by `record-submission`, then a `send-reminders-now`
    sweep that publishes the compliance board (once per session; the tests assert on it)."""
    submission = dondoc_served.run_deployment("record-submission", SUBMISSION)
    sweep = dondoc_served.run_deployment("send-reminders-now", {"at": SWEEP_AT})
    return BoardPublished(submission, sweep)
