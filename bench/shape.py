"""What one synthetic database holds, and the instant every measured sweep acts as of."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# A working Wednesday just after the 08:00 send hour: the sweep queues and would deliver.
NOW = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
# The previous working day's sweep (24/11 is a day off): stored statuses are as of then, so
# the measured sweep also moves some tasks (due_soon -> overdue) as a real daily one does.
PREVIOUS_SWEEP = dt.datetime(2026, 11, 23, 8, 30, tzinfo=NOW.tzinfo)
AGENCIES = 1000
DUE_SHARE = 0.05
# Bump when the generator changes, so cached databases are rebuilt.
GENERATOR_VERSION = 3

_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([kKmM]?)$")


@dataclass(frozen=True, order=True)
class Shape:
    """``tasks`` rows in all, of which ``due`` are due for a message at ``NOW``; ``agencies``
    agencies with one focal email contact each (every tenth also has a leader)."""

    tasks: int
    due: int
    agencies: int = AGENCIES

    def __post_init__(self) -> None:
        if not (self.due > 0 and 3 * self.due <= self.tasks):
            raise ValueError(f"{self}: need 0 < due and 3 x due <= tasks (due, +2 open each)")

    @property
    def key(self) -> str:
        return f"v{GENERATOR_VERSION}_{self.tasks}_{self.due}_{self.agencies}"

    @property
    def label(self) -> str:
        return human(self.tasks)


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000, ``2500`` -> 2500."""
    match = _SIZE.match(text.strip())
    if match is None:
        raise ValueError(f"not a size: {text!r} (e.g. 10k, 100k, 1M)")
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * {"": 1, "k": 1_000, "m": 1_000_000}[unit])


def human(count: int) -> str:
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    if count >= 1_000 and count % 1_000 == 0:
        return f"{count // 1_000}k"
    return str(count)


def share_due(tasks: int) -> Shape:
    return Shape(tasks=tasks, due=max(1, round(tasks * DUE_SHARE)))
