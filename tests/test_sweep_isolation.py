"""One obligation whose stored rules fail (a spec loaded before the bounds existed) never stops a
sweep: it is skipped whole, reported and the coordinator alerted; the rest goes on. A sweep that
fails as a whole commits nothing."""

from __future__ import annotations

import datetime as dt
import logging
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from dondoc.config.settings import Settings
from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.models import Event, Notification, Obligation, Task
from dondoc.service import import_contacts_file, init, load_spec
from dondoc.tracking.isolation import IsolatedObligation
from dondoc.tracking.sweep import run_sweep

VN = dt.timezone(dt.timedelta(hours=7))
LOADED = dt.datetime(2026, 11, 20, 9, tzinfo=VN)
SWEEP = dt.datetime(2026, 12, 3, 9, tzinfo=VN)  # a Thursday: both yearly reports are overdue
COORDINATOR = "dieuphoi@cucptdt.test"
SPEC = """\
directive: {number: 99/CT-TEST, doc_type: CT, issuer: Thủ tướng Chính phủ,
            issued_on: 2026-01-05, subject: Thử nghiệm}
addressees: ["01", "79"]
obligations:
  - {code: good, kind: report, title: Báo cáo tốt, phrase: chậm nhất ngày 01/12,
     recurrence: yearly, deadline: {month: 12, day: 1, inclusive: true}, first_period: "2026"}
  - {code: bad, kind: report, title: Báo cáo hỏng, phrase: chậm nhất ngày 01/12,
     recurrence: yearly, deadline: {month: 12, day: 1, inclusive: true}, first_period: "2026"}
"""
# How a row written before the bounds existed can break; `fresh` rows have no tasks yet.
CORRUPTIONS = {  # case: (SQL SET clause, fresh, what the report says)
    "before_days 800000": ("before_days = '800000'", True, "OverflowError: date value out"),
    "once date 9999-12-31": (
        "recurrence = 'once', deadline_date = '9999-12-31', deadline_month = NULL, "
        "deadline_day = NULL",
        True,
        "stored date: Input should be less than or equal to 2100-12-31",
    ),
    "overdue_first_day 10^9": ("overdue_first_day = 1000000000", False, "OverflowError: days="),
}


def _settings(database_url: str, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        database_url=database_url,
        outbox_dir=tmp_path / "outbox",
        coordinator_contacts=COORDINATOR,
        **extra,
    )


def _seed(settings: Settings, tmp_path: Path, corruption: str, fresh: bool) -> int:
    """The seed directive and 99/CT-TEST, whose `bad` row is then corrupted in the database;
    returns its id."""
    ctx = make_context(settings, LOADED)
    init(settings, ctx)
    spec = tmp_path / "99-CT-TEST.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    load_spec(settings, ctx, spec)
    csv = tmp_path / "contacts.csv"
    csv.write_text("agency,channel,target\n01,email,vanthu@hanoi.test\n", encoding="utf-8")
    import_contacts_file(settings, csv, replace=False)
    with transaction(engine_for(settings)) as session:
        bad = session.execute(select(Obligation.id).where(Obligation.code == "bad")).scalar_one()
        assert bad is not None
        session.execute(text(f"UPDATE obligation SET {corruption} WHERE id = {bad}"))
        if fresh:
            session.execute(
                text(f"UPDATE obligation SET tasks_made_through = NULL WHERE id = {bad}")
            )
            session.execute(text(f"DELETE FROM task WHERE obligation_id = {bad}"))
    return int(bad)


def _count(settings: Settings, query: Any) -> int:
    with transaction(engine_for(settings)) as session:
        return int(session.execute(query).scalar_one())


def _tasks(settings: Settings, obligation_code: str) -> int:
    joined = select(func.count()).select_from(Task).join(Obligation)
    return _count(settings, joined.where(Obligation.code == obligation_code))


def _sent(settings: Settings, obligation_code: str) -> int:
    query = (
        select(func.count())
        .select_from(Notification)
        .join(Task, Task.id == Notification.task_id)  # type: ignore[arg-type]
        .join(Obligation)
        .where(Obligation.code == obligation_code)
    )
    return _count(settings, query)


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_a_failing_obligation_is_skipped_reported_and_alerted(
    database_url: str, tmp_path: Path, case: str
) -> None:
    settings = _settings(database_url, tmp_path)
    corruption, fresh, reported = CORRUPTIONS[case]
    bad = _seed(settings, tmp_path, corruption, fresh)
    with transaction(engine_for(settings)) as session:
        mark_before = session.get(Obligation, bad).tasks_made_through  # type: ignore[union-attr]
    tasks_before = _tasks(settings, "bad")

    summary = run_sweep(engine_for(settings), make_context(settings, SWEEP))

    [skipped] = summary.isolated
    assert (skipped.directive, skipped.obligation) == ("99/CT-TEST/2026", "bad")
    assert skipped.error.startswith(reported) and "\n" not in skipped.error
    # The rest went on: the other obligation of the directive and the seed directive.
    assert _sent(settings, "good") == 1 and _sent(settings, "annual-report") == 1
    assert summary.delivery.sent == 2
    # Nothing partial for the failing one: no task made, none queued, its mark unchanged.
    assert _tasks(settings, "bad") == tasks_before == (0 if fresh else 4)  # 2026, 2027 x 2
    assert _sent(settings, "bad") == 0
    with transaction(engine_for(settings)) as session:
        assert session.get(Obligation, bad).tasks_made_through == mark_before  # type: ignore[union-attr]
    # The coordinator is told, in the outbox folder (no mail channel configured).
    alerts = []
    for eml in (tmp_path / "outbox").rglob("*.eml"):
        mail = message_from_bytes(eml.read_bytes(), policy=default)
        if COORDINATOR in str(mail["To"]):
            alerts.append(mail)
    [alert] = alerts
    assert "bỏ qua 1 nhiệm vụ" in str(alert["Subject"])
    body = alert.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "99/CT-TEST" in body and "bad" in body and reported in body


def _alerts(tmp_path: Path) -> list[str]:
    """The subjects of the coordinator's alerts in the outbox folder."""
    found = []
    for eml in (tmp_path / "outbox").rglob("*.eml"):
        mail = message_from_bytes(eml.read_bytes(), policy=default)
        if COORDINATOR in str(mail["To"]):
            found.append(str(mail["Subject"]))
    return found


def test_the_coordinator_is_alerted_once_a_day(database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path)
    _seed(settings, tmp_path, CORRUPTIONS["overdue_first_day 10^9"][0], False)
    engine = engine_for(settings)
    # The daily sweep, an operator's sweep by hand, one just before local midnight; the
    # rules of `bad` fail when its reminders are decided, in the send window only.
    same_day = (SWEEP, SWEEP + dt.timedelta(hours=5), dt.datetime(2026, 12, 3, 23, 59, tzinfo=VN))
    for at in same_day:
        summary = run_sweep(engine, make_context(settings, at))
        assert [i.obligation for i in summary.isolated] == ["bad"]  # reported every time
    assert len(_alerts(tmp_path)) == 1

    next_day = run_sweep(engine, make_context(settings, dt.datetime(2026, 12, 4, 8, tzinfo=VN)))

    assert [i.obligation for i in next_day.isolated] == ["bad"]
    assert sorted(_alerts(tmp_path)) == [
        "[Cảnh báo] Lượt đôn đốc ngày 03/12/2026 đã bỏ qua 1 nhiệm vụ",
        "[Cảnh báo] Lượt đôn đốc ngày 04/12/2026 đã bỏ qua 1 nhiệm vụ",
    ]


def test_a_new_error_is_alerted_the_same_day(database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path)
    bad = _seed(settings, tmp_path, CORRUPTIONS["overdue_first_day 10^9"][0], False)
    engine = engine_for(settings)
    run_sweep(engine, make_context(settings, SWEEP))
    run_sweep(engine, make_context(settings, SWEEP + dt.timedelta(minutes=30)))  # same error
    with transaction(engine) as session:  # "fixed" with another out-of-range value
        session.execute(
            text(f"UPDATE obligation SET overdue_first_day = 2000000000 WHERE id = {bad}")
        )

    later = run_sweep(engine, make_context(settings, SWEEP + dt.timedelta(hours=1)))

    [skipped] = later.isolated
    assert "2000000000" in skipped.error
    assert len(_alerts(tmp_path)) == 2


def test_a_failed_alert_is_sent_at_the_next_sweep(
    database_url: str, tmp_path: Path, smtp_server: Any
) -> None:
    settings = _settings(database_url, tmp_path, smtp_url=smtp_server.url)
    _seed(settings, tmp_path, CORRUPTIONS["overdue_first_day 10^9"][0], False)
    engine = engine_for(settings)
    smtp_server.stop()
    run_sweep(engine, make_context(settings, SWEEP))
    smtp_server.start()

    for hours in (1, 2):
        run_sweep(engine, make_context(settings, SWEEP + dt.timedelta(hours=hours)))

    alerts = [m for m in smtp_server.messages if COORDINATOR in m.recipients]
    assert [m.subject_text for m in alerts] == [
        "[Cảnh báo] Lượt đôn đốc ngày 03/12/2026 đã bỏ qua 1 nhiệm vụ"
    ]


def test_the_sweep_command_names_the_skipped_obligation(cli: Any, workdir: Path) -> None:
    settings = _settings(f"sqlite:///{workdir / 'data' / 'dondoc.db'}", workdir)
    _seed(settings, workdir, CORRUPTIONS["overdue_first_day 10^9"][0], False)
    env = {"DONDOC_COORDINATOR_CONTACTS": COORDINATOR}
    result = cli("sweep", "--at", SWEEP.isoformat(), env=env)
    assert result.code == 0, result.err
    assert "  obligation skipped: 99/CT-TEST/2026 bad: OverflowError" in result.out
    assert "rows sent 2," in result.out  # the good obligation and the seed directive


def test_a_sweep_that_fails_as_a_whole_commits_nothing(database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path)
    _seed(settings, tmp_path, "note = NULL", False)
    # A failure that belongs to no obligation: the outbox refuses every row (as a full disk or
    # a broken constraint would), after the statuses were refreshed in the same sweep.
    with transaction(engine_for(settings)) as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(
                text(
                    "CREATE TRIGGER no_outbox BEFORE INSERT ON notification "
                    "BEGIN SELECT RAISE(ABORT, 'outbox refused'); END"
                )
            )
        else:
            session.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$"
                )
            )
            session.execute(
                text(
                    "CREATE TRIGGER no_outbox BEFORE INSERT ON notification "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    events = select(func.count()).select_from(Event).where(Event.kind == "status")
    overdue = select(func.count()).select_from(Task).where(Task.status == "overdue")
    before = (_count(settings, events), _count(settings, overdue))

    with pytest.raises(Exception, match="outbox refused"):
        run_sweep(engine_for(settings), make_context(settings, SWEEP))

    assert (_count(settings, events), _count(settings, overdue)) == before == (before[0], 0)


def test_isolated_obligations_survive_the_summary_dict() -> None:
    from dondoc.tracking.sweep import SweepSummary

    summary = SweepSummary(at=SWEEP, send_window=True)
    summary.isolated = [IsolatedObligation("99/CT-TEST", "bad", "OverflowError: x")]
    assert summary.as_dict()["isolated"] == [
        {"directive": "99/CT-TEST", "obligation": "bad", "error": "OverflowError: x"}
    ]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_the_sweep_flow_completes_with_a_warning(prefect_api: None, workdir: Path) -> None:
    from dondoc.flows.sweep import sweep_flow

    settings = _settings(f"sqlite:///{workdir / 'data' / 'dondoc.db'}", workdir)
    _seed(settings, workdir, CORRUPTIONS["overdue_first_day 10^9"][0], False)
    records = _Records()
    flow_runs = logging.getLogger("prefect.flow_runs")  # whatever Prefect did to propagation
    flow_runs.addHandler(records)
    try:
        state = sweep_flow(at=SWEEP, return_state=True)
    finally:
        flow_runs.removeHandler(records)
    assert state.is_completed()
    summary = state.result()
    assert [(i["directive"], i["obligation"]) for i in summary["isolated"]] == [
        ("99/CT-TEST/2026", "bad")
    ]
    assert summary["delivery"]["sent"] == 2  # the good obligation and the seed directive
    expected = "obligation skipped: 99/CT-TEST/2026 bad: OverflowError"
    assert any(m.startswith(expected) for m in records.messages)
