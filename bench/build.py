"""Fill an empty database (dondoc's real schema, by its migrations) with a synthetic shape.

Small tables go through the ORM; tasks and the outbox history are made set-based in the
database (INSERT ... SELECT of the plan rows joined to the agencies), the same SQL on SQLite
and PostgreSQL, so a million rows take seconds, not minutes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.engine import Connection
from sqlmodel import Session

from bench.plan import (
    PlanRow,
    history_count,
    history_obligation,
    history_obligation_count,
    history_rows,
    live_agency_counts,
    live_obligation,
    live_rows,
)
from bench.shape import NOW, PREVIOUS_SWEEP, Shape
from dondoc.config.settings import Settings
from dondoc.context import RunContext, make_context
from dondoc.db import get_engine, upgrade_database
from dondoc.models import (
    Agency,
    Assignment,
    Contact,
    Document,
    Event,
    Notification,
    Obligation,
    Task,
    UTCDateTime,
    table_of,
)
from dondoc.tracking.planning import ensure_tasks

_PLAN = Table(
    "bench_plan",
    MetaData(),
    Column("seq", Integer, primary_key=True),
    Column("obligation_id", Integer),
    Column("period", String(16)),
    Column("due_day", Date),
    Column("due_at", UTCDateTime()),
    Column("remind_from_at", UTCDateTime()),
    Column("agency_limit", Integer),
    Column("open_mod", Integer),
    Column("open_status", String(16)),
    Column("open_next", UTCDateTime()),
    Column("closed_status", String(16)),
    Column("closed_at", UTCDateTime()),
)


def build(url: str, shape: Shape) -> None:
    upgrade_database(url)
    engine = get_engine(url)
    ctx = make_context(Settings(database_url=url), NOW)
    with Session(engine, expire_on_commit=False) as session:
        directive = _directive(session)
        _agencies_and_contacts(session, shape.agencies)
        live = [live_obligation(i) for i in range(len(live_agency_counts(shape)))]
        live = _obligations(session, directive, live)
        history = [history_obligation(i) for i in range(history_obligation_count(shape))]
        history = _obligations(session, directive, history)
        session.add_all(
            Assignment(obligation_id=_id(o), agency_id=a)
            for o, count in zip(live, live_agency_counts(shape), strict=True)
            for a in range(1, count + 1)
        )
        session.commit()
    rows = _history_plan(history, shape, ctx) + _live_plan(live, shape, ctx)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":  # room for the index pages a bulk load touches
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
        _load_tasks(conn, rows)
        _load_history(conn)
    _previous_sweeps_plan(url)
    engine.dispose()


def _previous_sweeps_plan(url: str) -> None:
    """What the previous working day's sweep left: dondoc's own ``ensure_tasks`` as of then
    finds every task made and marks each obligation's periods done (``tasks_made_through``)."""
    before = make_context(Settings(database_url=url), PREVIOUS_SWEEP)
    with Session(get_engine(url)) as session:
        made = ensure_tasks(session=session, ctx=before)
        session.commit()
    if made:
        raise RuntimeError(f"the plan left {made} tasks for dondoc to make: bench/plan.py is off")


def _id(obligation: Obligation) -> int:
    assert obligation.id is not None
    return obligation.id


def _directive(session: Session) -> Document:
    doc = Document(
        number="1/CT-BENCH",
        year=2019,
        doc_type="CT",
        issuer="Bench",
        issued_on=dt.date(2019, 1, 2),
        subject="Synthetic directive for the benchmark",
    )
    session.add(doc)
    session.flush()
    return doc


def _agencies_and_contacts(session: Session, count: int) -> None:
    agencies = [
        Agency(code=f"B{i:04d}", name=f"Đơn vị {i}", kind="province") for i in range(1, count + 1)
    ]
    session.add_all(agencies)
    session.flush()
    if [a.id for a in agencies] != list(range(1, count + 1)):
        raise RuntimeError("the benchmark needs a fresh database (agency ids 1..n)")
    for a in agencies:
        assert a.id is not None
        session.add(Contact(agency_id=a.id, channel="email", target=f"vt{a.id}@bench.test"))
        if a.id % 10 == 0:
            target = f"ld{a.id}@bench.test"
            session.add(Contact(agency_id=a.id, channel="email", target=target, role="leader"))


def _obligations(
    session: Session, directive: Document, items: list[Obligation]
) -> list[Obligation]:
    assert directive.id is not None
    for o in items:
        o.directive_id = directive.id
    session.add_all(items)
    session.flush()
    return items


def _live_plan(live: list[Obligation], shape: Shape, ctx: RunContext) -> list[PlanRow]:
    rows: list[PlanRow] = []
    for o, count in zip(live, live_agency_counts(shape), strict=True):
        rows += live_rows(o, count, ctx, seq=10_000_000 + len(rows))
    return rows


def _history_plan(history: list[Obligation], shape: Shape, ctx: RunContext) -> list[PlanRow]:
    rows: list[PlanRow] = []
    for o in history:
        left = history_count(shape) - sum(r.agency_limit for r in rows)
        rows += history_rows(o, left, shape.agencies, ctx, seq=len(rows))
    return rows


def _load_tasks(conn: Connection, rows: list[PlanRow]) -> None:
    _PLAN.create(conn)
    conn.execute(insert(_PLAN), [dataclasses.asdict(r) for r in rows])
    p, agency, task = _PLAN.c, table_of(Agency).c, table_of(Task)
    is_open = agency.id % p.open_mod == 0
    created = literal(PREVIOUS_SWEEP, UTCDateTime())
    source = (
        select(
            p.obligation_id,
            agency.id,
            agency.id,
            p.period,
            p.due_day,
            p.due_at,
            p.remind_from_at,
            case((is_open, p.open_status), else_=p.closed_status),
            case((is_open, p.open_next)),
            case((is_open, None), else_=p.closed_at),
            created,
            created,
        )
        .select_from(_PLAN.join(table_of(Agency), agency.id <= p.agency_limit))
        .order_by(p.seq, agency.id)
    )
    columns = ["obligation_id", "agency_id", "origin_agency_id", "period", "due_day", "due_at"]
    columns += ["remind_from_at", "status", "next_stage_at", "closed_at"]
    columns += ["created_at", "updated_at"]
    conn.execute(insert(task).from_select(columns, source))
    _PLAN.drop(conn)
    want = sum(r.agency_limit for r in rows)
    got = conn.execute(select(func.count()).select_from(task)).scalar_one()
    if got != want:
        raise RuntimeError(f"made {got} tasks, planned {want}")


def _load_history(conn: Connection) -> None:
    """One sent reminder and one closing event per closed task: the outbox and the audit
    trail grow with the tasks, and the sweep writes into both."""
    task, contact = table_of(Task).c, table_of(Contact).c
    source = (
        select(
            task.id,
            literal("before-7"),
            contact.id,
            literal("sent"),
            literal(1),
            task.remind_from_at,
            task.remind_from_at,
            task.remind_from_at,
        )
        .select_from(
            table_of(Task).join(
                table_of(Contact),
                and_(contact.agency_id == task.agency_id, contact.role == "focal"),
            )
        )
        .where(task.closed_at.is_not(None))
    )
    columns = ["task_id", "stage", "contact_id", "status", "attempts", "queued_at"]
    columns += ["next_attempt_at", "sent_at"]
    conn.execute(insert(table_of(Notification)).from_select(columns, source))
    source = select(
        task.closed_at,
        literal("submission"),
        task.id,
        task.agency_id,
        literal("due_soon"),
        task.status,
        literal("bench"),
    ).where(task.closed_at.is_not(None))
    columns = ["at", "kind", "task_id", "agency_id", "old_status", "new_status", "actor"]
    conn.execute(insert(table_of(Event)).from_select(columns, source))
