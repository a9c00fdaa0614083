"""The board's rendered table, kept per view until the data changes.

Every change a board row shows is written with an audit event (a submission, a withdrawal, a
status change, a message sent or given up, a transfer) or adds a task, so the largest event and
task ids mark the data's version: two index look-ups instead of reading and rendering 100 rows.
A view is rendered again when the marker moves, when this process wrote (``forget``), and at
the latest ``MAX_AGE`` seconds after it was rendered, which bounds what the marker cannot see: a
transaction that took a lower id and committed after a later one, or an edit without an event.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, col

from dondoc.models import Event, Task

MAX_AGE = 10.0  # seconds
MAX_VIEWS = 256

Marker = tuple[int, int]


@dataclass(frozen=True)
class Kept:
    marker: Marker
    made_at: float
    html: str


MARKER_EVENTS = select(func.max(col(Event.id))).scalar_subquery()
MARKER_TASKS = select(func.max(col(Task.id))).scalar_subquery()


def data_marker(session: Session) -> Marker:
    found = session.execute(select(MARKER_EVENTS, MARKER_TASKS)).one()
    return int(found[0] or 0), int(found[1] or 0)


class PageCache:
    """Rendered views by key (the view's normalised query), least recently used dropped first."""

    def __init__(
        self,
        max_age: float = MAX_AGE,
        max_views: int = MAX_VIEWS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_age, self.max_views, self._clock = max_age, max_views, clock
        self._views: OrderedDict[str, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: str, marker: Marker, render: Callable[[], str]) -> str:
        now = self._clock()
        with self._lock:
            kept = self._views.get(key)
            if kept and kept.marker == marker and now - kept.made_at < self.max_age:
                self._views.move_to_end(key)
                return kept.html
        html = render()
        with self._lock:
            self._views[key] = Kept(marker, now, html)
            self._views.move_to_end(key)
            while len(self._views) > self.max_views:
                self._views.popitem(last=False)
        return html

    def forget(self) -> None:
        """After this process changed data: the next view reads it again."""
        with self._lock:
            self._views.clear()
