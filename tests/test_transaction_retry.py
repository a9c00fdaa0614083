"""On PostgreSQL two transactions that lock the same rows in opposite orders deadlock, and the
server rolls one of them back. Delivery and `submit` run their transactions through
`db.in_transaction`, which runs the rolled-back one again: both changes land, nothing is lost
or doubled, and an error that is not such a conflict is raised at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dondoc.db import get_engine, in_transaction

META = MetaData()
COUNTER = Table("counter", META, Column("id", Integer, primary_key=True), Column("n", Integer))


def test_both_sides_of_a_deadlock_complete_once(postgres_url: str) -> None:
    engine = get_engine(postgres_url)
    META.create_all(engine)
    with engine.begin() as conn:
        conn.execute(COUNTER.insert(), [{"id": 1, "n": 0}, {"id": 2, "n": 0}])
    both_hold_one = threading.Barrier(2, timeout=30)
    attempts = {"a": 0, "b": 0}
    errors: list[BaseException] = []

    def bump_in_order(name: str, first: int, second: int) -> None:
        def work(session: Session) -> None:
            attempts[name] += 1
            session.execute(update(COUNTER).where(COUNTER.c.id == first).values(n=COUNTER.c.n + 1))
            if attempts[name] == 1:
                both_hold_one.wait()  # the first attempts each hold one row: a real deadlock
            session.execute(update(COUNTER).where(COUNTER.c.id == second).values(n=COUNTER.c.n + 1))

        try:
            in_transaction(engine, work)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=bump_in_order, args=("a", 1, 2)),
        threading.Thread(target=bump_in_order, args=("b", 2, 1)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(attempts.values()) == [1, 2]  # PostgreSQL rolled one back; it ran again
    with engine.connect() as conn:
        assert conn.execute(select(COUNTER.c.n).order_by(COUNTER.c.id)).scalars().all() == [2, 2]


def test_an_error_that_is_not_a_conflict_is_raised_at_once(postgres_url: str) -> None:
    engine = get_engine(postgres_url)
    META.create_all(engine)
    calls = 0

    def work(session: Session) -> None:
        nonlocal calls
        calls += 1
        session.execute(text("INSERT INTO counter (id, n) VALUES (7, 0), (7, 0)"))

    with pytest.raises(IntegrityError):
        in_transaction(engine, work)
    assert calls == 1
    with engine.connect() as conn:
        assert conn.execute(select(COUNTER.c.id)).scalars().all() == []
