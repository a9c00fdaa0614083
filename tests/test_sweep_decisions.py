"""A sweep decides, then writes: what it writes is re-checked against what happened in between,
and the periods it has made tasks for are not probed again, yet never missed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from dondoc.config.settings import Settings
from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.models import Agency, Event, Notification, Obligation, SubmissionCreate, Task
from dondoc.service import import_contacts_file, init, load_spec, submit
from dondoc.tracking.reminders import apply_reminders, decide_reminders
from dondoc.tracking.status_refresh import apply_statuses, decide_statuses
from dondoc.tracking.sweep import run_sweep

VN = dt.timezone(dt.timedelta(hours=7))
T14 = dt.datetime(2026, 11, 25, 8, 30, tzinfo=VN)  # 14 days before 09/12/2026, a working day
SPEC = """\
directive:
  number: "98/CT-TTg"
  doc_type: "CT"
  issuer: "Thủ tướng Chính phủ"
  issued_on: 2026-01-15
  subject: "Về việc báo cáo tình hình thực hiện hằng quý"

addressees: [{codes}]

obligations:
  - code: quarterly-report
    kind: report
    title: "Báo cáo tình hình thực hiện"
    phrase: "trước ngày 10 của tháng cuối quý"
    recurrence: quarterly
    deadline: {{month: 3, day: 10, inclusive: false, chosen_by: document}}
    first_period: "2026-Q1"
"""


def _settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, outbox_dir=tmp_path / "outbox")


def _contacts(settings: Settings, tmp_path: Path, rows: str) -> None:
    csv = tmp_path / "contacts.csv"
    csv.write_text("agency,channel,target,role\n" + rows, encoding="utf-8")
    import_contacts_file(settings, csv, replace=False)


def _hanoi_report(number: str, received_on: dt.date) -> SubmissionCreate:
    """Hà Nội's 2026 annual report under the seed directive."""
    return SubmissionCreate(
        agency="01",
        obligation="annual-report",
        period="2026",
        document_number=number,
        received_on=received_on,
    )


def _hanoi_task(session: Session) -> Task:
    query = (
        select(Task)
        .join(Agency, Agency.id == Task.agency_id)
        .join(Obligation, Obligation.id == Task.obligation_id)
        .where(Agency.code == "01", Obligation.code == "annual-report", Task.period == "2026")
    )
    return session.execute(query).scalar_one()


def test_a_report_recorded_while_the_sweep_decides_stops_its_reminder(
    database_url: str, tmp_path: Path
) -> None:
    settings = _settings(database_url, tmp_path)
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    _contacts(settings, tmp_path, "01,email,vanthu@hanoi.test,focal\n79,email,vt@hcm.test,focal\n")
    ctx, engine = make_context(settings, T14), engine_for(settings)
    with transaction(engine) as session:
        plan = decide_reminders(session=session, ctx=ctx)
        assert plan.tasks >= 2  # both agencies' annual report tasks are due their before-14
        # Hà Nội's report arrives between the decision and the writes (another process).
        report = _hanoi_report("12/BC-UBND", dt.date(2026, 11, 25))
        assert submit(settings, ctx, report).status == "done_on_time"
        queued = apply_reminders(session=session, ctx=ctx, plan=plan)
    assert queued == 1
    with transaction(engine) as session:
        rows = session.execute(
            select(Agency.code, Notification.stage, Task.status, Task.next_stage_at)
            .join(Task, Task.id == Notification.task_id)
            .join(Agency, Agency.id == Task.agency_id)
        ).all()
        hanoi = _hanoi_task(session)
    assert [(r.code, r.stage) for r in rows] == [("79", "before-14")]
    assert rows[0].next_stage_at is not None  # Hồ Chí Minh City's task moved to its before-7
    assert hanoi.status == "done_on_time" and hanoi.next_stage_at is None


def test_a_report_recorded_while_statuses_are_decided_keeps_its_task_closed(
    database_url: str, tmp_path: Path
) -> None:
    settings = _settings(database_url, tmp_path)
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    ctx, engine = (
        make_context(settings, dt.datetime(2026, 12, 10, 8, 30, tzinfo=VN)),
        engine_for(settings),
    )
    with transaction(engine) as session:
        changes = decide_statuses(session=session, ctx=ctx)
        late = changes[("due_soon", "overdue")]
        report = _hanoi_report("15/BC-UBND", dt.date(2026, 12, 10))
        assert submit(settings, ctx, report).status == "done_late"
        counts = apply_statuses(session=session, ctx=ctx, changes=changes)
    assert counts["overdue"] == len(late) - 1
    with transaction(engine) as session:
        hanoi = _hanoi_task(session)
        turned = session.execute(
            select(Event.new_status).where(Event.task_id == hanoi.id, Event.kind == "status")
        ).scalars()
        assert hanoi.status == "done_late" and "overdue" not in set(turned)


def _made_through(settings: Settings, code: str) -> str | None:
    with transaction(engine_for(settings)) as session:
        query = select(Obligation.tasks_made_through).where(Obligation.code == code)
        return session.execute(query).scalar_one()


def _tasks(settings: Settings, code: str) -> dict[str, set[str]]:
    with transaction(engine_for(settings)) as session:
        rows = session.execute(
            select(Task.period, Agency.code)
            .join(Agency, Agency.id == Task.agency_id)
            .join(Obligation, Obligation.id == Task.obligation_id)
            .where(Obligation.code == code)
        ).all()
    periods: dict[str, set[str]] = {}
    for period, agency in rows:
        periods.setdefault(period, set()).add(agency)
    return periods


def test_made_periods_are_skipped_but_new_periods_and_new_addressees_get_tasks(
    database_url: str, tmp_path: Path
) -> None:
    settings = _settings(database_url, tmp_path)
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    spec = tmp_path / "98-CT-TTg.yaml"
    spec.write_text(SPEC.format(codes='"01", "79"'), encoding="utf-8")
    load_spec(settings, make_context(settings, T14), spec)
    engine = engine_for(settings)
    run_sweep(engine, make_context(settings, T14))
    made = _tasks(settings, "quarterly-report")
    assert made == {
        p: {"01", "79"} for p in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1")
    }
    assert _made_through(settings, "quarterly-report") == "2027-Q1"  # one period ahead

    # Hải Phòng is added to the dispatch: its tasks come even for periods already marked made.
    spec.write_text(SPEC.format(codes='"01", "31", "79"'), encoding="utf-8")
    load_spec(settings, make_context(settings, T14), spec)
    assert set(_tasks(settings, "quarterly-report")["2027-Q1"]) == {"01", "31", "79"}
    _lose_by_hand(settings, "31", "2026-Q4")  # a daily sweep does not probe made periods
    run_sweep(engine, make_context(settings, T14))
    assert _tasks(settings, "quarterly-report")["2026-Q4"] == {"01", "79"}

    # A new quarter comes into view: the next daily sweep makes its tasks and moves the mark.
    run_sweep(engine, make_context(settings, dt.datetime(2027, 1, 4, 8, 30, tzinfo=VN)))
    assert _tasks(settings, "quarterly-report")["2027-Q2"] == {"01", "31", "79"}
    assert _made_through(settings, "quarterly-report") == "2027-Q2"
    with transaction(engine) as session:
        count = session.execute(select(func.count()).select_from(Task)).scalar_one()
    init(settings, make_context(settings, dt.datetime(2027, 1, 4, 9, tzinfo=VN)))
    assert _tasks(settings, "quarterly-report")["2026-Q4"] == {"01", "31", "79"}  # full check
    with transaction(engine) as session:
        assert session.execute(select(func.count()).select_from(Task)).scalar_one() == count + 1


def _lose_by_hand(settings: Settings, agency: str, period: str) -> None:
    """Delete a task behind dondoc's back, as only someone editing the database could."""
    with transaction(engine_for(settings)) as session:
        task_id = session.execute(
            select(Task.id)
            .join(Agency, Agency.id == Task.agency_id)
            .where(Agency.code == agency, Task.period == period)
        ).scalar_one()
        session.execute(delete(Event).where(col(Event.task_id) == task_id))
        session.execute(delete(Task).where(col(Task.id) == task_id))
