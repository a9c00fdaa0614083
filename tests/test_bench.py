"""The benchmark's smoke run: `python -m bench --quick` measures on SQLite and PostgreSQL (and
the board page under concurrent clients on PostgreSQL) and prints its tables with figures and
ratios. Speed targets are the benchmark's to report, not this test's: it checks only that the
report is there and consistent."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"\d+(?:\.\d+)?"
RATIO = rf"{NUMBER}x"


@pytest.mark.postgres
def test_quick_benchmark_prints_tables_with_figures_and_ratios(postgres_url: str) -> None:
    # postgres_url: skips (or fails in CI) like every PostgreSQL test when there is no server.
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DONDOC_BENCH_POSTGRES_URL": POSTGRES_URL},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for backend in ("sqlite", "postgresql"):
        # backend, tasks, due; decide s, sweep s, MB, MB; floor s, MB; decide, sweep and memory
        # ratios (quick: no bare-writes figure)
        figures = rf"(?:\s+{NUMBER}){{6}}(?:\s+{RATIO}){{3}}\s+-\s+-"
        sweep = rf"{backend}\s+10k\s+500{figures}"
        assert re.search(sweep, out), out
        assert re.search(rf"{backend}\s+500(?:\s+{NUMBER}){{2}}\s+{RATIO}", out), out  # growth
        delivered = rf"dondoc on {backend} \(Apprise\)\s+50\s+{NUMBER}\s+\d+\s+\d+\s+{RATIO}"
        assert re.search(delivered, out), out
    assert re.search(rf"smtplib, one connection \(floor\)\s+50\s+{NUMBER}", out), out
    # The board page (PostgreSQL only): p50 ms, p95 ms, requests/s, and p95 against the bare
    # SELECT of the page's rows; Tổng quan's figures beside them.
    page = rf"(?:\s+{NUMBER}){{3}}"
    assert re.search(rf"postgresql\s+10k\s+board page \(dondoc web\){page}\s+{RATIO}", out), out
    assert re.search(rf"postgresql\s+10k\s+bare SELECT \(psycopg\){page}\s+1\.0x", out), out
    assert re.search(rf"postgresql\s+10k\s+overview page \(dondoc web\){page}\s+-", out), out
    assert "Targets (PRODUCT.md section 8):" in out
    for command in ("python -c 'import sqlalchemy.orm, sqlite3'", "dondoc --help",
                    "dondoc status", "dondoc submit"):  # fmt: skip
        # s, cpu s, peak MB; time, cpu and peak ratios to the floor (bench/startup.py)
        quick = rf"{re.escape(command)}\s+{NUMBER}\s+{NUMBER}\s+\d+(?:\s+{RATIO}){{3}}"
        assert re.search(quick, out), out
