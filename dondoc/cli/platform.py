"""Start the main job: a local Prefect server (UI and API) and the deployments it schedules."""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from dondoc.errors import InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4200
DEFAULT_WEB_PORT = 8080
AUTH_SETTING = "PREFECT_SERVER_API_AUTH_STRING"
WEB_URL_SETTING = "DONDOC_WEB_URL"


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost; any other name or address may be reachable from afar."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, *, insecure: bool, env: Mapping[str, str]) -> str | None:
    """Refuse (InputError) to serve the API beyond loopback without basic auth, since anyone
    reaching it can run every deployment; with ``insecure``, the warning to print instead."""
    auth = env.get(AUTH_SETTING, "")
    user, colon, _ = auth.partition(":")
    if auth and not (colon and user.strip()):
        raise InputError(f"{AUTH_SETTING} must read user:password", field=AUTH_SETTING)
    if is_loopback(host) or auth:
        return None
    if not insecure:
        raise InputError(
            f"--host {host} is not loopback: set {AUTH_SETTING}=user:password (basic auth) "
            "or pass --insecure to serve the API without authentication",
            field="host",
        )
    return (
        f"--insecure: the Prefect API on {host} has no authentication ({AUTH_SETTING} unset); "
        "anyone who reaches it can run every deployment"
    )


def prefect_env(host: str, port: int, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    if env.get(AUTH_SETTING):
        # `dondoc serve` (a client of this server) must present the same secret.
        env.setdefault("PREFECT_API_AUTH_STRING", env[AUTH_SETTING])
    env.setdefault("PREFECT_HOME", str(home))
    env["PREFECT_API_URL"] = f"http://{host}:{port}/api"
    env.setdefault("PREFECT_SERVER_API_HOST", host)
    env.setdefault("PREFECT_SERVER_API_PORT", str(port))
    if host not in ("0.0.0.0", "::"):
        # The dashboard's pages call the API here; its default assumes 127.0.0.1:4200.
        env.setdefault("PREFECT_SERVER_UI_API_URL", f"http://{host}:{port}/api")
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_UI_ENABLED", "true")
    return env


def main_job_env(host: str, port: int, web_port: int, home: Path) -> dict[str, str]:
    """The children's environment: the Prefect API's, and the board's address (unless set),
    which the artifacts of `dondoc serve`'s flows link back to."""
    env = prefect_env(host, port, home)
    env.setdefault(WEB_URL_SETTING, local_url(host, web_port).rstrip("/"))
    return env


def wait_until_answering(
    url: str, timeout: float, proc: subprocess.Popen[bytes], what: str, poll: float = 0.5
) -> None:
    """Until ``url`` answers 200 (``what`` names the server in errors); fails at once if
    ``proc``, the process serving it, has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(poll)
    raise RuntimeError(f"{what} at {url} did not answer in {timeout:.0f}s")


def local_url(host: str, port: int) -> str:
    """Where this machine reaches a server listening on ``host`` (any address: loopback)."""
    name = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{'[' + name + ']' if ':' in name else name}:{port}/"


def _stop(proc: subprocess.Popen[bytes], name: str) -> None:
    if proc.poll() is None:
        print(f"stopping {name} ...", flush=True)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _interrupt_on_signals() -> None:
    """SIGTERM and SIGINT both mean "stop in order". SIGINT is set explicitly because a shell
    starts background jobs with it ignored, and Python then never turns it into Ctrl-C."""

    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _print_first_account_hint() -> None:
    """Repeated under the last line `up` prints: the board's own hint is far above by now."""
    from dondoc.cli.common import load_settings
    from dondoc.cli.users import first_account_hint

    hint = first_account_hint(load_settings())
    if hint:
        print(hint, flush=True)


def run_main_job(
    host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, web_port: int = DEFAULT_WEB_PORT
) -> int:
    """The web board first (it prints its address, the first line a user reads), then the
    Prefect server, then `dondoc serve`; on Ctrl-C stop them in the reverse order.

    The children run in sessions of their own so that a Ctrl-C reaches only this process,
    which then stops them in order (a terminal would signal all of them at once)."""
    _interrupt_on_signals()
    env = main_job_env(host, port, web_port, Path.cwd() / ".prefect")
    api = env["PREFECT_API_URL"]
    web = subprocess.Popen(
        [sys.executable, "-m", "dondoc.cli", "web", "--host", host, "--port", str(web_port)],
        env=env,
        start_new_session=True,
    )
    server: subprocess.Popen[bytes] | None = None
    serve: subprocess.Popen[bytes] | None = None
    try:
        # the login page: the board needs no Prefect server to answer it
        wait_until_answering(f"{local_url(host, web_port)}dang-nhap", 60, web, "the web board", 0.3)
        prefect = ["server", "start", "--host", host, "--port", str(port)]
        server = subprocess.Popen(
            [sys.executable, "-m", "prefect", *prefect],
            env=env,
            start_new_session=True,
        )
        wait_until_answering(f"{api}/health", 90, server, "the Prefect server")
        serve = subprocess.Popen(
            [sys.executable, "-m", "dondoc.cli", "serve"], env=env, start_new_session=True
        )
        print(
            f"dondoc is running. Bảng theo dõi: {local_url(host, web_port)}  "
            f"Dashboard: http://{host}:{port}  (PREFECT_API_URL={api}; Ctrl-C stops)",
            flush=True,
        )
        _print_first_account_hint()
        children = (web, server, serve)
        while all(child.poll() is None for child in children):
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if serve is not None:
            _stop(serve, "dondoc serve")
        if server is not None:
            _stop(server, "the Prefect server")
        _stop(web, "the web board")
