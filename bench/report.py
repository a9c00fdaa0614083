"""Plain-text tables of the measured figures, and the verdict on each quality bar."""

from __future__ import annotations

import os
import platform
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from bench.measure import Figure
from bench.page import Load
from bench.shape import NOW, human

# PRODUCT.md section 8, for 1M tasks of which ~50k are due.
SWEEP_SECONDS, SWEEP_MB, SWEEP_RATIO, GROWTH_RATIO, DELIVERY_RATIO = 10.0, 300.0, 3.0, 2.0, 1.0


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def secs(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b > 0 else "-"


def mb(value: float) -> str:
    return f"{value:.0f}"


def header(repeat: int) -> str:
    return "\n".join(
        [
            f"dondoc benchmark: sweeps as of {NOW:%Y-%m-%d %H:%M %z} (a working day, send hour)",
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; each figure:"
            f" median time of {repeat} run(s), each in a fresh process on a fresh copy of the"
            " database; peak MB = the process's peak RSS (VmHWM), work MB = peak minus RSS"
            " just before the work.",
        ]
    )


@dataclass(frozen=True)
class SweepRow:
    backend: str
    tasks: int
    sweep: Figure
    floor: Figure
    writes: Figure | None  # not measured in a quick run

    @property
    def decide(self) -> float:
        return self.sweep.decide_seconds

    @property
    def apply(self) -> float:
        return self.sweep.seconds - self.sweep.decide_seconds

    def cells(self) -> list[str]:
        s, f, w = self.sweep, self.floor, self.writes
        return [
            self.backend,
            human(self.tasks),
            f"{f.rows:,}",
            secs(self.decide),
            secs(s.seconds),
            mb(s.rss_peak_mb),
            mb(s.work_mb),
            secs(f.seconds),
            mb(f.rss_peak_mb),
            ratio(self.decide, f.seconds),
            ratio(s.seconds, f.seconds),
            ratio(s.rss_peak_mb, f.rss_peak_mb),
            secs(w.seconds) if w else "-",
            ratio(self.apply, w.seconds) if w else "-",
        ]


SWEEP_HEADERS = [
    "backend",
    "tasks",
    "due",
    "decide s",
    "sweep s",
    "peak MB",
    "work MB",
    "floor s",
    "peak MB",
    "decide x",
    "sweep x",
    "peak x",
    "writes s",
    "write x",
]


def sweep_section(rows: Sequence[SweepRow]) -> str:
    return "\n".join(
        [
            "The sweep (no delivery) against the floor: a bare SELECT of exactly the due rows.",
            "'decide' is its decision work: making coming tasks, transfers, deciding which"
            " statuses change and reading each due task to decide its stage; 'sweep' is the"
            " whole sweep: 'decide' plus writing what was decided (status changes and their"
            " events, outbox rows, next_stage_at) and the commits.",
            "'writes' is bare SQL doing the reminder writes for the same rows (one INSERT ..."
            " SELECT of their outbox rows, one UPDATE of next_stage_at); 'write x' = (sweep -"
            " decide) / writes.",
            table(SWEEP_HEADERS, [r.cells() for r in rows]),
        ]
    )


def growth_section(rows: Sequence[tuple[str, int, Figure, Figure]], small: int, big: int) -> str:
    cells = [
        [name, f"{due:,}", secs(a.seconds), secs(b.seconds), ratio(b.seconds, a.seconds)]
        for name, due, a, b in rows
    ]
    headers = ["backend", "due", f"{human(small)} s", f"{human(big)} s", "growth x"]
    title = (
        f"Growth: sweep time with the due count fixed, {human(big)} tasks against {human(small)}"
    )
    return "\n".join([title + f" (target <= {GROWTH_RATIO:.0f}x).", table(headers, cells)])


def delivery_section(rows: Sequence[tuple[str, Figure]], floor: Figure) -> str:
    cells = [
        [
            name,
            f"{f.rows:,}",
            secs(f.seconds),
            f"{f.rows / f.seconds:.0f}",
            mb(f.rss_peak_mb),
            ratio(f.seconds, floor.seconds),
        ]
        for name, f in [*rows, ("smtplib, one connection (floor)", floor)]
    ]
    headers = ["delivery path", "emails", "s", "emails/s", "peak MB", "time x"]
    title = (
        "Delivery to a loopback SMTP server (aiosmtpd, 20 ms a message), against a plain"
        f" smtplib loop over one connection (target <= {DELIVERY_RATIO:.1f}x)."
    )
    return "\n".join([title, table(headers, cells)])


def verdicts(
    sweeps: Sequence[SweepRow],
    growth: Sequence[tuple[str, int, Figure, Figure]],
    deliveries: Sequence[tuple[int, Sequence[tuple[str, Figure]], Figure]],
) -> str:
    lines = ["Targets (PRODUCT.md section 8):"]
    for r in (r for r in sweeps if r.tasks >= 1_000_000):
        s, f = r.sweep, r.floor
        lines.append(
            f"  {r.backend} {human(r.tasks)}: sweep {secs(s.seconds)} s"
            f" {_ok(s.seconds < SWEEP_SECONDS)} (< {SWEEP_SECONDS:.0f} s);"
            f" peak {mb(s.rss_peak_mb)} MB {_ok(s.rss_peak_mb < SWEEP_MB)} (< {SWEEP_MB:.0f});"
            f" decision work {ratio(r.decide, f.seconds)} the floor"
            f" {_ok(r.decide <= SWEEP_RATIO * f.seconds)} (<= {SWEEP_RATIO:.0f}x)"
        )
    for name, _, a, b in growth:
        grown = b.seconds / a.seconds
        lines.append(f"  {name} growth: {grown:.1f}x {_ok(grown <= GROWTH_RATIO)}")
    for count, rows, floor in deliveries:
        for name, f in rows:
            fast = f.seconds <= DELIVERY_RATIO * floor.seconds
            lines.append(
                f"  {name}: {count:,} emails in {secs(f.seconds)} s,"
                f" {ratio(f.seconds, floor.seconds)} the smtplib floor {_ok(fast)}"
            )
    return "\n".join(lines)


def _ok(met: bool) -> str:
    return "MET" if met else "MISSED"


PAGE_MS, PAGE_RATIO = 100.0, 3.0  # issue 14: the board page's p95, and against the bare query


@dataclass(frozen=True)
class PageRow:
    """One directive-period's board page, Tổng quan and the bare SELECT of the page's rows,
    each under the same concurrent load."""

    backend: str
    tasks: int
    board: Load
    overview: Load
    bare: Load
    alone: Load  # the board page asked by one client at a time: its latency without queueing
    bare_alone: Load

    def cells(self) -> list[list[str]]:
        return [
            [self.backend, human(self.tasks), what, ms(load.percentile(0.5)),
             ms(load.percentile(0.95)), f"{load.per_second:.0f}",
             ratio(load.percentile(0.95), versus.percentile(0.95)) if versus else "-"]
            for what, load, versus in (
                ("board page (dondoc web)", self.board, self.bare),
                ("bare SELECT (psycopg)", self.bare, self.bare),
                ("overview page (dondoc web)", self.overview, None),
                ("board page, 1 client", self.alone, self.bare_alone),
                ("bare SELECT, 1 client", self.bare_alone, self.bare_alone),
            )
        ]  # fmt: skip


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}"


def page_section(rows: Sequence[PageRow], clients: int, requests: int) -> str:
    from dondoc.cli.web import default_workers

    load = " / ".join(f"{n:.1f}" for n in os.getloadavg())  # 1, 5 and 15 minutes
    headers = ["backend", "tasks", "what", "p50 ms", "p95 ms", "req/s", "p95 x bare"]
    title = (
        f"The board page of one directive-period (100 agencies): {clients} concurrent clients,"
        f" {requests} requests after a warm-up ({max(20, requests // 10)} for the overview),"
        f" against a bare SELECT of the page's rows over {clients} psycopg connections; dondoc"
        f" web as the CLI starts it ({default_workers()} uvicorn worker(s), its default: one per"
        " CPU). The '1 client' rows: one request at a time, the latency without queueing."
        f" Load average when printed: {load}."
    )
    return "\n".join([title, table(headers, [c for r in rows for c in r.cells()])])


def page_verdicts(rows: Sequence[PageRow]) -> list[str]:
    lines = []
    for r in (r for r in rows if r.tasks >= 1_000_000):
        p95, bare = r.board.percentile(0.95), r.bare.percentile(0.95)
        lines.append(
            f"  {r.backend} {human(r.tasks)} board page: p95 {ms(p95)} ms"
            f" {_ok(1000 * p95 < PAGE_MS)} (< {PAGE_MS:.0f} ms); {ratio(p95, bare)} the bare"
            f" SELECT {_ok(p95 <= PAGE_RATIO * bare)} (<= {PAGE_RATIO:.0f}x)"
        )
    return lines
