"""A running web board for the browser tests: a temporary working directory with the seed
directive as of 12/12/2026 (24/CT-TTg 2026's annual reports were due 09/12, so most agencies are
overdue), two reports recorded through the CLI (Hồ Chí Minh on time, Hải Phòng late), a
coordinator and a viewer, and `dondoc web --port <free port>` as a separate process, as a user
starts it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import CliResult

INIT_AT = "2026-12-12"
DIRECTIVE = "24/CT-TTg"
PERIOD = "2026"
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Account:
    name: str
    password: str
    role: str


COORDINATOR = Account("dieuphoi", "Mật-khẩu-điều-phối-2026", "coordinator")
VIEWER = Account("xemthoi", "Mật-khẩu-chỉ-xem-2026", "viewer")

# (agency, document, received on): recorded through the CLI before the board starts.
CLI_REPORTS = (
    ("79", "1234/UBND-ĐT", "2026-12-05"),  # before the 09/12 deadline: on time
    ("31", "56/BC-UBND", "2026-12-11"),  # after it: late
)


@dataclass
class WebBoard:
    """A `dondoc web` process over its own database; `url` ends without a slash."""

    url: str
    workdir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path
    accounts: tuple[Account, ...] = field(default=(COORDINATOR, VIEWER))

    def cli(self, *args: str, stdin: str | None = None) -> CliResult:
        """Run `dondoc ARGS` against the board's database."""
        return dondoc_in(self.workdir, self.env, *args, stdin=stdin)

    def server_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def board_env(workdir: Path) -> dict[str, str]:
    """The environment of a user in ``workdir``: no DONDOC_* or Prefect server inherited from
    the machine, SQLite and the outbox inside the folder (the session secret is left to
    `dondoc web`: a random one kept in data/web_secret)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DONDOC_") and k != "PREFECT_API_URL"
    }
    env["DONDOC_DATABASE_URL"] = f"sqlite:///{workdir / 'data' / 'dondoc.db'}"
    env["DONDOC_OUTBOX_DIR"] = str(workdir / "outbox")
    env["PREFECT_HOME"] = str(workdir / ".prefect")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _check(result: CliResult, what: str) -> CliResult:
    assert result.code == 0, f"{what}: exit {result.code}\n{result.out}\n{result.err}"
    return result


def dondoc_in(
    workdir: Path, env: dict[str, str], *args: str, stdin: str | None = None
) -> CliResult:
    """`dondoc ARGS` as a separate process in ``workdir``, ``stdin`` written to its input."""
    proc = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=workdir,
        timeout=120,
        check=False,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def seed(workdir: Path, env: dict[str, str]) -> None:
    def cli(*args: str, stdin: str | None = None) -> CliResult:
        return dondoc_in(workdir, env, *args, stdin=stdin)

    _check(cli("init", "--at", INIT_AT), "dondoc init")
    for agency, document, received_on in CLI_REPORTS:
        _check(
            cli(
                "submit",
                "--agency",
                agency,
                "--obligation",
                "annual-report",
                "--period",
                PERIOD,
                "--document",
                document,
                "--received-on",
                received_on,
                "--at",
                INIT_AT,
            ),
            f"dondoc submit {agency}",
        )
    for account in (COORDINATOR, VIEWER):
        _check(
            cli(
                "users", "add", account.name, "--role", account.role, stdin=account.password + "\n"
            ),
            f"dondoc users add {account.name}",
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_serving(process: subprocess.Popen[bytes], log: Path, url: str) -> None:
    """The address line first, then a login page that answers."""
    deadline = time.monotonic() + START_TIMEOUT_S
    announced = False
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"dondoc web exited with {process.returncode}:\n{log.read_text(errors='replace')}"
            )
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if not announced:
            announced = f"Bảng theo dõi: {url}/" in text
            if not announced and text.strip():
                first = text.strip().splitlines()[0]
                assert "Bảng theo dõi" not in first or url in first, f"address line: {first!r}"
        if announced:
            try:
                with urllib.request.urlopen(f"{url}/dang-nhap", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
        time.sleep(0.2)
    raise AssertionError(
        f"dondoc web did not serve {url}/dang-nhap within {START_TIMEOUT_S:.0f} s:\n"
        + (log.read_text(errors="replace") if log.exists() else "(no output)")
    )


@contextmanager
def running_board(workdir: Path) -> Iterator[WebBoard]:
    """Seed ``workdir``, start `dondoc web` on a free loopback port, stop it afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = board_env(workdir)
    seed(workdir, env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / "web.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "dondoc.cli", "web", "--port", str(port)],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(process, log, url)
        first_line = log.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"Bảng theo dõi: {url}/", f"first line printed: {first_line!r}"
        yield WebBoard(url=url, workdir=workdir, env=env, process=process, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
