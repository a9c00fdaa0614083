"""One measurement in a process of its own: ``python -m bench.probe KIND ...`` prints one JSON
line with the seconds the work took, the RSS before it and the peak RSS of the process.

Peak RSS is the kernel's high-water mark of this process image (``VmHWM``). ``ru_maxrss``
is not used: Linux carries it over from the parent through ``fork``/``exec``, so a child would
report at least its parent's peak.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from bench.shape import NOW

Work = Callable[[], dict[str, Any]]
P = ParamSpec("P")
R = TypeVar("R")
_SCRATCH: list[tempfile.TemporaryDirectory[str]] = []


def scratch_dir() -> Path:
    """An empty directory (dondoc's outbox folder) removed when this process exits."""
    _SCRATCH.append(tempfile.TemporaryDirectory(prefix="bench_outbox_"))
    return Path(_SCRATCH[-1].name)


def rss_mb(field: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, in MB."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure(work: Work) -> dict[str, Any]:
    before = rss_mb("VmRSS")
    start = time.perf_counter()
    facts = work()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rss_before_mb": before, "rss_peak_mb": rss_mb("VmHWM"), **facts}


def sweep_work(url: str) -> Work:
    """The sweep as ``run_sweep`` runs it (every step, in its order), delivery excluded; the
    decision work within it is timed on its own."""
    from dondoc.config.settings import Settings
    from dondoc.context import make_context
    from dondoc.db import get_engine
    from dondoc.tracking import reminders, status_refresh, sweep
    from dondoc.tracking.delivery import DeliveryTally

    # Delivery is measured on its own (``deliver`` below); here it must not send 50,000 mails.
    sweep.deliver_step = lambda engine, ctx: DeliveryTally()
    # The decision work: the plan step (making tasks, transfers, the status refresh) without
    # the status refresh's writes, and deciding each due task's stage.
    deciding, writing = _Stopwatch(), _Stopwatch()
    sweep.plan_step = deciding.timed(sweep.plan_step)
    status_refresh.apply_statuses = writing.timed(status_refresh.apply_statuses)
    reminders.decide_reminders = deciding.timed(reminders.decide_reminders)
    outbox = scratch_dir()
    ctx = make_context(Settings(database_url=url, outbox_dir=outbox), NOW)
    engine = get_engine(url)

    def work() -> dict[str, Any]:
        summary = sweep.run_sweep(engine, ctx)
        assert summary.send_window
        changes = sum(summary.status_changes.values())
        decided = deciding.seconds - writing.seconds
        return {"rows": summary.queued, "changes": changes, "decide_seconds": decided}

    return work


class _Stopwatch:
    """Adds up the time spent in the functions it wraps."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def timed(self, function: Callable[P, R]) -> Callable[P, R]:
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return wrapper


DUE = "next_stage_at <= {now} AND status IN ('pending', 'due_soon', 'overdue')"


def _bare(url: str) -> tuple[Any, str, object]:
    """A raw DB-API connection (no SQLAlchemy, no dondoc), its placeholder, and ``NOW`` as
    the database stores it: naive UTC text on SQLite (dondoc's ``UTCDateTime``)."""
    if url.startswith("sqlite:///"):
        import sqlite3

        now = NOW.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return sqlite3.connect(url.removeprefix("sqlite:///")), "?", now
    import psycopg

    return psycopg.connect(url), "%s", NOW


def floor_work(url: str) -> Work:
    """The floor: a bare SELECT of exactly the due rows, fetched; no ORM, no decisions."""
    connection, mark, now = _bare(url)
    sql = "SELECT * FROM task WHERE " + DUE.format(now=mark)

    def work() -> dict[str, Any]:
        cursor = connection.cursor()
        cursor.execute(sql, (now,))
        rows = cursor.fetchall()
        cursor.close()
        return {"rows": len(rows)}

    return work


def writes_work(url: str) -> Work:
    """Bare SQL doing the writes any sweep must do for the due rows: one outbox row per focal
    contact, then each task moved on; one transaction."""
    connection, mark, now = _bare(url)
    due = "t." + DUE.replace("status", "t.status").format(now=mark)
    queue = (
        "INSERT INTO notification (task_id, stage, contact_id, status, attempts, queued_at,"
        f" next_attempt_at) SELECT t.id, 'bench', c.id, 'queued', 0, {mark}, {mark} FROM task t"
        " JOIN contact c ON c.agency_id = t.agency_id AND c.role = 'focal' WHERE "
    ) + due
    move = "UPDATE task SET next_stage_at = NULL WHERE " + DUE.format(now=mark)

    def work() -> dict[str, Any]:
        cursor = connection.cursor()
        cursor.execute(queue, (now, now, now))
        cursor.execute(move, (now,))
        moved = int(cursor.rowcount)
        connection.commit()
        return {"rows": moved}

    return work


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("kind", choices=["sweep", "floor", "writes", "deliver", "smtplib"])
    parser.add_argument("--url", default="")
    parser.add_argument("--smtp-port", type=int, default=0)
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args(argv)
    from bench import mail

    works: dict[str, Callable[[], Work]] = {
        "sweep": lambda: sweep_work(args.url),
        "floor": lambda: floor_work(args.url),
        "writes": lambda: writes_work(args.url),
        "deliver": lambda: mail.deliver_work(args.url, args.smtp_port),
        "smtplib": lambda: mail.smtplib_work(args.smtp_port, args.count),
    }
    print(json.dumps(measure(works[args.kind]())), flush=True)


if __name__ == "__main__":
    main()
