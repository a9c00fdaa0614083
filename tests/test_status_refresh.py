"""The stored status is what the pure status function gives for the stored fields and the sweep's
instant, whatever the stored status was: the SQL of `dondoc.tracking.status_refresh` agrees with
`dondoc.engine.deadlines.open_status` on every combination."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from sqlalchemy import select, update

from dondoc.config.settings import Settings
from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.engine.deadlines import OPEN_STATUSES, open_status
from dondoc.models import Event, Task
from dondoc.service import init
from dondoc.tracking.status_refresh import refresh_statuses

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)
DUE = [None, NOW - 30 * HOUR, NOW + 30 * HOUR]
# None; passed; to come before the due instant; after it (a first reminder moved past a
# deadline that does not move to a working day).
WINDOWS = [None, NOW - 60 * HOUR, NOW + 10 * HOUR, NOW + 50 * HOUR]


def test_every_open_status_is_what_open_status_gives(database_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=database_url, outbox_dir=tmp_path / "outbox")
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=UTC)))
    cases = list(itertools.product(OPEN_STATUSES, DUE, WINDOWS))
    engine = engine_for(settings)
    with transaction(engine) as session:
        ids = session.execute(select(Task.id).order_by(Task.id).limit(len(cases))).scalars()
        stored = dict(zip(ids, cases, strict=True))
        for task_id, (status, due_at, window) in stored.items():
            session.execute(
                update(Task)
                .where(Task.id == task_id)  # type: ignore[arg-type]
                .values(status=status, due_at=due_at, remind_from_at=window)
            )
    ctx = make_context(settings, NOW)
    with transaction(engine) as session:
        refresh_statuses(session=session, ctx=ctx)
    with transaction(engine) as session:
        now_stored = dict(session.execute(select(Task.id, Task.status)).tuples().all())
        events = session.execute(select(Event.task_id).where(Event.at == NOW)).scalars().all()
    wrong = {
        case: now_stored[task_id]
        for task_id, case in stored.items()
        if now_stored[task_id] != open_status(case[1], case[2], NOW)
    }
    assert wrong == {}
    changed = [i for i, case in stored.items() if case[0] != now_stored[i]]
    assert sorted(events) == sorted(changed)  # one event per change, none without one
    with transaction(engine) as session:  # a second refresh at the same instant changes nothing
        assert refresh_statuses(session=session, ctx=ctx) == {}
