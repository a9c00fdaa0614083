"""Quick commands start fast because they import only what they use (PRODUCT.md section 8):
`dondoc status`, `submit` and `--help` run in a fresh interpreter, do their work, and must not
have loaded the delivery, Prefect, migration, spreadsheet or calendar-feed libraries. A guard
on behaviour, not a timing: bench/startup.py measures the time."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dondoc.config.settings import get_settings
from dondoc.context import make_context
from dondoc.service import init

VN = dt.timezone(dt.timedelta(hours=7))
HEAVY = (
    "apprise", "prefect", "alembic", "mako", "openpyxl", "icalendar", "jinja2", "rich",
    "holidays", "httpx", "dondoc.notifications", "dondoc.flows", "dondoc.web",
    # The YAML parser (calendar and spec files) and the spec's pydantic models: read on first use.
    "yaml", "dondoc.config.spec", "dondoc.config.calendar",
)  # fmt: skip
SUBMIT = (
    "--agency", "01", "--obligation", "annual-report", "--period", "2026",
    "--document", "12/BC-UBND", "--received-on", "25/11/2026", "--at", "2026-11-27T09:00+07:00",
)  # fmt: skip
# Runs the `dondoc` entry point in-process, then reports its exit code and the heavy modules.
PROBE = """
import json, sys
heavy = {heavy}
sys.argv = ["dondoc", *json.loads(sys.argv[1])]
from dondoc.cli import main
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code or 0
loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))
print(json.dumps({{"code": code, "loaded": loaded}}))
"""


@pytest.fixture
def initialised(workdir: Path) -> Path:
    settings = get_settings()
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    return workdir


def run_quick(folder: Path, *args: str) -> tuple[int, str, list[str]]:
    """The command's exit code, its output and the heavy modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=repr(HEAVY)), json.dumps(args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=folder,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    *output, last = done.stdout.splitlines()
    report = json.loads(last)
    return int(report["code"]), "\n".join(output), list(report["loaded"])


def test_status_submit_and_help_import_no_heavy_module(initialised: Path) -> None:
    code, out, loaded = run_quick(initialised, "status", "--agency", "01")
    assert code == 0 and "Ủy ban nhân dân thành phố Hà Nội" in out and "Sắp đến hạn" in out
    assert loaded == []
    code, out, loaded = run_quick(initialised, "submit", *SUBMIT)
    assert code == 0 and out == "recorded 12/BC-UBND for 01 annual-report 2026: done_on_time"
    assert loaded == []
    code, out, loaded = run_quick(initialised, "status", "--agency", "01", "--format", "csv")
    assert code == 0 and "12/BC-UBND" in out and loaded == []
    code, out, loaded = run_quick(initialised, "--help")
    assert code == 0 and "status" in out and "submit" in out
    assert loaded == [] or {m.split(".")[0] for m in loaded} == {"rich"}  # Typer draws help


def after_command(folder: Path, env: dict[str, str], args: list[str], expression: str) -> str:
    """``expression`` evaluated in the interpreter that just ran ``dondoc ARGS`` in-process."""
    probe = (
        "import gc, json, sys\n"
        "sys.argv = ['dondoc', *json.loads(sys.argv[1])]\n"
        "from dondoc.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print({expression})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=folder,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1]


SCANNED = (
    "'scanned' if getattr(sys.modules.get('pydantic.plugin._loader'), '_plugins', None)"
    " is not None else 'skipped'"
)


def test_quick_commands_skip_pydantic_plugin_discovery_unless_the_caller_set_it(
    initialised: Path,
) -> None:
    """Looking for pydantic plugins reads every installed package's entry points; the `dondoc`
    command skips it (PYDANTIC_DISABLE_PLUGINS) unless the caller chose otherwise."""
    base = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    status = ["status", "--agency", "01"]
    assert after_command(initialised, base, status, SCANNED) == "skipped"
    empty = {**base, "PYDANTIC_DISABLE_PLUGINS": ""}
    assert after_command(initialised, empty, status, SCANNED) == "scanned"


def test_only_short_quick_commands_run_without_the_cyclic_collector(initialised: Path) -> None:
    """`status` and `submit` in-process skip the garbage collector's passes over their imports;
    every other command, and a quick one that becomes a tracked flow run, keeps it."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    state = "'on' if gc.isenabled() else 'off'"
    assert after_command(initialised, env, ["status", "--agency", "01"], state) == "off"
    assert after_command(initialised, env, ["submit", *SUBMIT], state) == "off"
    assert after_command(initialised, env, ["history"], state) == "on"
    tracked = {**env, "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    assert after_command(initialised, tracked, ["submit", *SUBMIT], state) == "on"
