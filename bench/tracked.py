"""`dondoc submit` and `dondoc sweep` as tracked flow runs against the same commands in-process
(issue #16, item 3). Measured only when the caller sets ``PREFECT_API_URL``: the benchmark never
starts a Prefect server of its own. Each run is a new process on a fresh copy of a database that
`dondoc init` made (bench/startup.py); the four commands' runs are interleaved."""

from __future__ import annotations

import os
import sys

from bench.shape import NOW
from bench.startup import SUBMIT, Startup, env_for, fresh, medians, prepared, timed


def measure(runs: int) -> list[Startup] | None:
    """None without ``PREFECT_API_URL``; otherwise in-process, then tracked, for each command."""
    if not os.environ.get("PREFECT_API_URL"):
        return None
    dondoc, at = [sys.executable, "-m", "dondoc.cli"], ["--at", NOW.isoformat()]
    commands = {
        f"dondoc {name}{label}": ([*dondoc, name, *args, *at], tracked)
        for name, args in (("submit", SUBMIT), ("sweep", ()))
        for label, tracked in ((" (in-process)", False), (" (tracked flow run)", True))
    }
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    with prepared() as folder:
        run = folder / "run"
        for _ in range(runs):
            for name, (argv, tracked) in commands.items():
                fresh(folder / "dondoc.db", run)
                samples[name].append(timed(argv, run, env_for(run, tracked)))
    return medians(samples)


def section(rows: list[Startup] | None) -> str:
    from bench.report import mb, ratio, secs, table

    if rows is None:
        return "Tracked flow runs: not measured (set PREFECT_API_URL to a running Prefect server)."
    cells = []
    for local, tracked in zip(rows[::2], rows[1::2], strict=True):
        for r in (local, tracked):
            cells.append([r.name, secs(r.seconds), secs(r.cpu_seconds), mb(r.peak_mb),
                          ratio(r.seconds, local.seconds)])  # fmt: skip
    title = (
        f"submit and sweep as tracked flow runs (PREFECT_API_URL) against in-process (median of"
        f" {rows[0].runs} runs, interleaved; a sweep as of {NOW:%d/%m/%Y %H:%M} with no contacts)."
    )
    return "\n".join([title, table(["command", "s", "cpu s", "peak MB", "time x"], cells)])
