"""``python -m bench [--quick] [--sizes 10k,100k,1M] [--backends sqlite,postgresql] ...``"""

from __future__ import annotations

import argparse
import sys

import bench
from bench.run import Options, run
from bench.shape import parse_size
from bench.stores import store_for

BACKENDS = ("sqlite", "postgresql")


def _sizes(text: str) -> list[int]:
    return [parse_size(part) for part in text.split(",") if part.strip()]


def _backends(text: str) -> list[str]:
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = sorted(set(names) - set(BACKENDS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown backend(s) {unknown}; use {BACKENDS}")
    return names


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=bench.__doc__)
    parser.add_argument("--sizes", type=_sizes, default=_sizes("10k,100k,1M"))
    parser.add_argument("--backends", type=_backends, default=list(BACKENDS))
    quick = "a smoke run: 10k tasks, growth 2k to 10k, 50 emails only, no bare-writes figure"
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument("--skip-delivery", action="store_true")
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (median time)")
    parser.add_argument("--emails", type=int, default=1000)
    board = "the board page only (PostgreSQL): no sweep, growth or delivery figures"
    parser.add_argument("--only", choices=["board"], help=board)
    parser.add_argument("--requests", type=int, default=2000, help="board page requests timed")
    parser.add_argument("--clean", action="store_true", help="drop the cached databases, exit")
    return parser.parse_args(argv)


def options_from(args: argparse.Namespace) -> Options:
    growth: tuple[int, int, int] | None = (100_000, 1_000_000, 5_000)
    sizes, emails, requests = list(args.sizes), int(args.emails), max(1, int(args.requests))
    if args.quick:
        sizes, emails, growth = [10_000], min(emails, 50), (2_000, 10_000, 500)
        requests = min(requests, 200)
    return Options(
        sizes=sizes,
        backends=list(args.backends),
        repeat=max(1, int(args.repeat)),
        emails=emails,
        more_emails=() if args.quick else (10 * emails,),
        delivery=not args.skip_delivery,
        writes=not args.quick,
        growth=None if args.skip_growth else growth,
        sweeps=args.only != "board",
        page_requests=requests,
        startup_runs=3 if args.quick else 11,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.clean:
        for name in args.backends:
            print(f"{name}: dropped {store_for(name).clean()} cached database(s)")
        return 0
    return run(options_from(args))


if __name__ == "__main__":
    raise SystemExit(main())
