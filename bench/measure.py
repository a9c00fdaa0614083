"""Run probes in fresh processes, each on a fresh copy of a built database, and summarise."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.shape import Shape
from bench.stores import PostgresStore, SQLiteStore

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Figure:
    """One measured piece of work: the median time of its runs and the largest memory."""

    seconds: float
    rss_before_mb: float
    rss_peak_mb: float
    rows: int
    runs: int
    decide_seconds: float = 0.0  # sweeps only: the decision work within ``seconds``

    @property
    def work_mb(self) -> float:
        return self.rss_peak_mb - self.rss_before_mb


def probe(kind: str, *args: str) -> dict[str, float]:
    """One run of ``bench.probe`` in a new interpreter; dondoc's settings come from the
    arguments only (no ``DONDOC_*`` from the caller's environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    done = subprocess.run(
        [sys.executable, "-m", "bench.probe", kind, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"probe {kind} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def summarise(results: list[dict[str, float]]) -> Figure:
    rows = {int(r["rows"]) for r in results}
    if len(rows) != 1:
        raise RuntimeError(f"runs disagree on the rows handled: {sorted(rows)}")
    return Figure(
        seconds=statistics.median(r["seconds"] for r in results),
        rss_before_mb=max(r["rss_before_mb"] for r in results),
        rss_peak_mb=max(r["rss_peak_mb"] for r in results),
        rows=rows.pop(),
        runs=len(results),
        decide_seconds=statistics.median(r.get("decide_seconds", 0.0) for r in results),
    )


def on_copy(
    store: SQLiteStore | PostgresStore, shape: Shape, kind: str, repeat: int, *extra: str
) -> Figure:
    """``kind`` (sweep, floor, deliver) run ``repeat`` times, each on a fresh copy."""
    results = []
    for _ in range(repeat):
        with store.fresh_copy(shape) as url:
            results.append(probe(kind, "--url", url, *extra))
    return summarise(results)
