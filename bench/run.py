"""The whole benchmark: build (or reuse) the databases, measure, print the tables."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from bench import report, startup, tracked
from bench.mail import DeliveryRun, measure_deliveries
from bench.measure import Figure, on_copy
from bench.page import PAGE, add_directive_period, bare_load, served, signed_in, web_load
from bench.report import PageRow, SweepRow
from bench.shape import Shape, human, share_due
from bench.stores import PostgresStore, SQLiteStore, store_for

Store = SQLiteStore | PostgresStore


@dataclass(frozen=True)
class Options:
    sizes: list[int]
    backends: list[str]
    repeat: int = 1
    emails: int = 1000
    more_emails: tuple[int, ...] = (10_000,)  # delivery also measured at these counts
    delivery: bool = True
    writes: bool = True
    growth: tuple[int, int, int] | None = (100_000, 1_000_000, 5_000)  # small, big, due
    sweeps: bool = True  # False: the board page only (``--only board``)
    page_clients: int = 20
    page_requests: int = 2000
    startup_runs: int = 11  # runs of each quick command (bench/startup.py)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def overview_requests(requests: int) -> int:
    return max(20, requests // 10)


class Bench:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.figures: dict[tuple[str, Shape, str], Figure] = {}

    def figure(self, store: Store, shape: Shape, kind: str) -> Figure:
        key = (store.name, shape, kind)
        if key not in self.figures:
            started = time.perf_counter()
            if store.ensure(shape):
                log(f"built {store.name} {shape} in {time.perf_counter() - started:.0f} s")
            log(f"measuring {kind} on {store.name} {human(shape.tasks)} ({shape.due:,} due)")
            self.figures[key] = on_copy(store, shape, kind, self.options.repeat)
        return self.figures[key]

    def sweeps(self, stores: list[Store]) -> list[SweepRow]:
        rows = []
        for store in stores:
            for size in self.options.sizes:
                shape = share_due(size)
                sweep, floor = (self.figure(store, shape, k) for k in ("sweep", "floor"))
                writes = self.figure(store, shape, "writes") if self.options.writes else None
                rows.append(SweepRow(store.name, size, sweep, floor, writes))
        return rows

    def growth(self, stores: list[Store]) -> list[tuple[str, int, Figure, Figure]]:
        if self.options.growth is None:
            return []
        small, big, due = self.options.growth
        return [
            (
                store.name,
                due,
                self.figure(store, Shape(small, due), "sweep"),
                self.figure(store, Shape(big, due), "sweep"),
            )
            for store in stores
        ]

    def deliveries(self, stores: list[Store]) -> list[DeliveryRun]:
        counts = [self.options.emails, *self.options.more_emails]
        log(f"measuring delivery of {', '.join(f'{c:,}' for c in counts)} emails")
        return measure_deliveries(stores, counts, self.options.repeat)

    def pages(self, stores: list[Store]) -> list[PageRow]:
        """The board page on PostgreSQL, the backend a deployment serving many users runs."""
        clients, requests = self.options.page_clients, self.options.page_requests
        rows = []
        for store in (s for s in stores if s.name == "postgresql"):
            for size in self.options.sizes:
                shape = share_due(size)
                if store.ensure(shape):
                    log(f"built {store.name} {shape}")
                log(f"measuring the board page on {store.name} {human(size)}")
                with store.fresh_copy(shape) as url:
                    add_directive_period(url)
                    with served(url) as base:
                        cookies = signed_in(base)
                        board = web_load(base, PAGE, cookies, clients, requests)
                        # A tenth as many: Tổng quan reads every task (docs/performance.md).
                        overview = web_load(
                            base, "/", cookies, clients, overview_requests(requests)
                        )
                        alone = web_load(base, PAGE, cookies, 1, overview_requests(requests))
                    bare = bare_load(url, clients, requests)
                    bare_alone = bare_load(url, 1, overview_requests(requests))
                rows.append(PageRow(store.name, size, board, overview, bare, alone, bare_alone))
        return rows


def available(backends: list[str]) -> list[Store]:
    stores: list[Store] = []
    for name in backends:
        store = store_for(name)
        try:
            store.prepare()
        except OperationalError as exc:
            print(f"{name}: skipped, no server ({exc.__class__.__name__})")
            continue
        stores.append(store)
    return stores


def run(options: Options) -> int:
    bench, stores = Bench(options), available(options.backends)
    print(report.header(options.repeat), end="\n\n", flush=True)
    sweeps: list[SweepRow] = []
    growth: list[tuple[str, int, Figure, Figure]] = []
    deliveries: list[DeliveryRun] = []
    if options.sweeps:  # not with --only board
        log(f"measuring quick commands ({options.startup_runs} runs each)")
        print(startup.section(startup.measure(options.startup_runs)), end="\n\n", flush=True)
        print(tracked.section(tracked.measure(options.startup_runs)), end="\n\n", flush=True)
        sweeps, growth, deliveries = _sweeps_and_deliveries(bench, stores)
    pages = bench.pages(stores)
    if pages:
        section = report.page_section(pages, options.page_clients, options.page_requests)
        print(section, end="\n\n", flush=True)
    verdicts = report.verdicts(sweeps, growth, deliveries)
    print("\n".join([verdicts, *report.page_verdicts(pages)]), flush=True)
    return 0 if stores else 1


def _sweeps_and_deliveries(
    bench: Bench, stores: list[Store]
) -> tuple[list[SweepRow], list[tuple[str, int, Figure, Figure]], list[DeliveryRun]]:
    options = bench.options
    sweeps = bench.sweeps(stores)
    print(report.sweep_section(sweeps), end="\n\n", flush=True)
    growth = bench.growth(stores)
    if growth and options.growth is not None:
        small, big, _ = options.growth
        print(report.growth_section(growth, small, big), end="\n\n", flush=True)
    deliveries: list[DeliveryRun] = []
    if options.delivery:
        deliveries = bench.deliveries(stores)
        for _, rows, floor in deliveries:
            print(report.delivery_section(rows, floor), end="\n\n", flush=True)
    return sweeps, growth, deliveries
