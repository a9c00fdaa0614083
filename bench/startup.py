"""Quick commands as whole processes: `dondoc --help`, `status` and `submit` beside the floor
``python -c "import sqlalchemy.orm, sqlite3"`` (PRODUCT.md section 8: at most 2x, under 80 MB).

Each figure is the median wall time of ``runs`` fresh processes and the largest peak RSS among
them, read from the kernel's accounting of each child (``os.wait4``). The runs of every command
are interleaved, so a neighbour's load on a shared machine falls on all of them alike.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.shape import NOW

FLOOR = "import sqlalchemy.orm, sqlite3"
# A task of the bundled directive that `dondoc init` makes, closed by each `submit` run on a
# fresh copy of the database (so every run records a new submission).
SUBMIT = (
    "--agency", "01", "--obligation", "annual-report", "--period", "2026",
    "--document", "123/BC-UBND", "--received-on", "20/11/2026",
)  # fmt: skip
STARTUP_RATIO, STARTUP_MB = 2.0, 80.0


@dataclass(frozen=True)
class Startup:
    """One command's runs: median wall and CPU seconds, largest peak RSS."""

    name: str
    seconds: float
    cpu_seconds: float
    peak_mb: float
    runs: int


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of one process; it must succeed."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{argv[2:]} failed ({child.returncode}):\n{errors[-3000:]!r}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KB on Linux


def env_for(folder: Path, tracked: bool = False) -> dict[str, str]:
    """Settings from the arguments only; the caller's Prefect API only for ``tracked`` runs."""
    dropped = ("DONDOC_",) if tracked else ("DONDOC_", "PREFECT_API")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env["DONDOC_DATABASE_URL"] = f"sqlite:///{folder / 'dondoc.db'}"
    return env


@contextmanager
def prepared() -> Iterator[Path]:
    """A folder with a database that `dondoc init` made as of the benchmark's instant."""
    with tempfile.TemporaryDirectory(prefix="dondoc-startup-") as name:
        folder = Path(name)
        dondoc = [sys.executable, "-m", "dondoc.cli"]
        timed([*dondoc, "init", "--at", NOW.isoformat()], folder, env_for(folder))
        yield folder


def fresh(prepared_db: Path, run: Path) -> None:
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir()
    for suffix in ("", "-wal", "-shm"):
        source = prepared_db.with_name(prepared_db.name + suffix)
        if source.exists():
            shutil.copyfile(source, run / source.name)


def measure(runs: int) -> list[Startup]:
    """The floor first, then `--help`, `status` and `submit`."""
    python, dondoc = [sys.executable], [sys.executable, "-m", "dondoc.cli"]
    with prepared() as folder:
        run = folder / "run"
        commands = {
            "python -c " + repr(FLOOR): ([*python, "-c", FLOOR], folder, None),
            "dondoc --help": ([*dondoc, "--help"], folder, None),
            "dondoc status": ([*dondoc, "status"], folder, None),
            "dondoc submit": ([*dondoc, "submit", *SUBMIT, "--at", NOW.isoformat()], run, run),
        }
        samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (argv, cwd, copy_to) in commands.items():
                if copy_to is not None:
                    fresh(folder / "dondoc.db", copy_to)
                samples[name].append(timed(argv, cwd, env_for(cwd)))
    return medians(samples)


def medians(samples: dict[str, list[tuple[float, float, float]]]) -> list[Startup]:
    """Per command: the median wall and CPU seconds of its runs, and their highest peak."""
    return [
        Startup(
            name,
            statistics.median(s[0] for s in got),
            statistics.median(s[1] for s in got),
            max(s[2] for s in got),
            len(got),
        )
        for name, got in samples.items()
    ]


def section(rows: list[Startup]) -> str:
    """The table, each command's time and peak against the floor's, and the verdicts."""
    from bench.report import mb, ratio, secs, table

    floor = rows[0]
    cells = [
        [
            r.name,
            secs(r.seconds),
            secs(r.cpu_seconds),
            mb(r.peak_mb),
            ratio(r.seconds, floor.seconds),
            ratio(r.cpu_seconds, floor.cpu_seconds),
            ratio(r.peak_mb, floor.peak_mb),
        ]
        for r in rows
    ]
    headers = ["command (SQLite)", "s", "cpu s", "peak MB", "time x", "cpu x", "peak x"]
    verdicts = [
        f"  {r.name}: {ratio(r.seconds, floor.seconds)} the floor"
        f" {_met(r.seconds <= STARTUP_RATIO * floor.seconds)} (<= {STARTUP_RATIO:.0f}x);"
        f" peak {mb(r.peak_mb)} MB {_met(r.peak_mb < STARTUP_MB)} (< {STARTUP_MB:.0f})"
        for r in rows[1:]
    ]
    title = (
        f"Quick commands as whole processes against the floor (median of {floor.runs} runs,"
        " interleaved; peak MB = the process's peak RSS)."
    )
    return "\n".join([title, table(headers, cells), *verdicts])


def _met(met: bool) -> str:
    return "MET" if met else "MISSED"
