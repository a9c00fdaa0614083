"""Progress of the commands that run long (a sweep sending many messages, export, report, import),
on standard error and only when it is a terminal: a pipe, a log file or a test sees nothing.
rich (which typer ships with) draws it, and is imported only then, so quick commands stay quick.
The bar is transient: once the command ends, only its summary remains on the screen.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

Counter = Callable[[int, int], None]


def on_terminal() -> bool:
    return sys.stderr.isatty()


def _bar(*, counted: bool) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if counted:
        columns += [BarColumn(), MofNCompleteColumn()]
    return Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True)


@contextlib.contextmanager
def working(description: str) -> Iterator[None]:
    """A spinner and the time elapsed while one long step runs."""
    if not on_terminal():
        yield
        return
    with _bar(counted=False) as bar:
        bar.add_task(description, total=None)
        yield


@contextlib.contextmanager
def counting(description: str, counted: str) -> Iterator[Counter | None]:
    """A spinner reading ``description`` until the work is counted, then a bar reading
    ``counted`` with done/total; yields the counter (None when not on a terminal)."""
    if not on_terminal():
        yield None
        return
    with _bar(counted=True) as bar:
        task = bar.add_task(description, total=None)

        def count(done: int, total: int) -> None:
            bar.update(task, description=counted, completed=done, total=total)

        yield count
