"""Agency succession: the pure rules, the bundled data, the transfer step on both engines, and
the board / synthesis lineage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from dondoc.config.settings import Settings
from dondoc.config.spec_loader import SpecError, load_agencies
from dondoc.config.successions import load_directory, load_successions, provinces_path
from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.engine.lineage import Link, holders, inherited_from, name_at, owes_task
from dondoc.engine.periods import parse_period
from dondoc.models import (
    Agency,
    Contact,
    Event,
    Notification,
    Obligation,
    SubmissionCreate,
    Task,
)
from dondoc.reports.board import BoardRow, board_rows
from dondoc.reports.board_format import render_board
from dondoc.reports.synthesis import build_synthesis
from dondoc.service import import_contacts_file, init, load_spec, submit
from dondoc.tracking.sweep import run_sweep

VN = dt.timezone(dt.timedelta(hours=7))
MERGED = dt.date(2025, 7, 1)
SPEC = Path(__file__).parent / "fixtures" / "succession-report.yaml"

# DOMAIN.md, "Agencies (after the 2025 reorganisation)": each unit and the provinces merged in.
MERGED_INTO = {
    "08": {"Hà Giang"}, "15": {"Yên Bái"}, "19": {"Bắc Kạn"}, "24": {"Bắc Giang"},
    "25": {"Vĩnh Phúc", "Hòa Bình"}, "31": {"Hải Dương"}, "33": {"Thái Bình"},
    "37": {"Hà Nam", "Nam Định"}, "44": {"Quảng Bình"}, "48": {"Quảng Nam"}, "51": {"Kon Tum"},
    "52": {"Bình Định"}, "56": {"Ninh Thuận"}, "66": {"Phú Yên"}, "68": {"Đắk Nông", "Bình Thuận"},
    "75": {"Bình Phước"}, "79": {"Bà Rịa - Vũng Tàu", "Bình Dương"}, "80": {"Long An"},
    "82": {"Tiền Giang"}, "86": {"Bến Tre", "Trà Vinh"}, "91": {"Kiên Giang"},
    "92": {"Sóc Trăng", "Hậu Giang"}, "96": {"Bạc Liêu"},
}  # fmt: skip


# --- the pure rules --------------------------------------------------------------------------


def test_a_dissolved_agency_owes_only_periods_due_while_it_existed() -> None:
    today = dt.date(2026, 11, 25)
    assert owes_task(None, dt.date(2030, 1, 1), today)
    assert owes_task(MERGED, dt.date(2025, 6, 30), today)
    assert not owes_task(MERGED, MERGED, today)  # due on the day it ceased to exist
    assert not owes_task(MERGED, dt.date(2025, 12, 9), dt.date(2024, 11, 25))
    # A one-off obligation without a date: owed only while the agency exists.
    assert owes_task(MERGED, None, dt.date(2025, 6, 30))
    assert not owes_task(MERGED, None, MERGED)
    assert owes_task(None, None, today)
    # A periodic one without a date: owed when the whole period passed while it existed,
    # whenever the task is made (no 2025 task made ahead of time in 2024, a 2024 one in 2026).
    assert owes_task(MERGED, None, today, dt.date(2024, 12, 31))
    assert not owes_task(MERGED, None, dt.date(2024, 11, 25), dt.date(2025, 12, 31))


def test_holders_follow_chains_and_ignore_loops() -> None:
    day = dt.date(2026, 1, 1)
    links = [
        Link(1, 2, MERGED),  # 1 -> 2 -> 3 (2 dissolved too)
        Link(2, 3, dt.date(2025, 12, 1)),
        Link(3, None, None),
        Link(4, 5, dt.date(2027, 1, 1)),  # not dissolved yet
        Link(5, None, None),
        Link(6, 7, MERGED),  # a loop holds nothing
        Link(7, 6, MERGED),
    ]
    assert holders(links, day) == {1: 3, 2: 3}
    assert holders(links, dt.date(2025, 7, 1)) == {1: 2}  # 2 still exists on that day
    assert holders(links, dt.date(2025, 6, 30)) == {}


def _agency(i: int, code: str, name: str, short: str, **extra: Any) -> Agency:
    return Agency(
        id=i, code=code, name=name, short_name=short, kind="provincial_committee", **extra
    )


def test_names_and_lineage_labels() -> None:
    tq = _agency(1, "08", "Ủy ban nhân dân tỉnh Tuyên Quang", "Tuyên Quang")
    hg = _agency(2, "02", "Ủy ban nhân dân tỉnh Hà Giang", "Hà Giang", dissolved_on=MERGED)
    lc = _agency(
        3,
        "15",
        "Ủy ban nhân dân tỉnh Lào Cai",
        "Lào Cai",
        former_name="Ủy ban nhân dân tỉnh Yên Bái",
        former_short_name="Yên Bái",
        renamed_on=MERGED,
    )
    due = dt.date(2024, 12, 9)
    assert inherited_from(tq, hg, due) == "Hà Giang (đến 30/06/2025)"
    assert inherited_from(tq, hg, due, official=True) == (
        "Ủy ban nhân dân tỉnh Hà Giang (đến 30/06/2025)"
    )
    assert inherited_from(tq, tq, due) is None
    assert inherited_from(lc, lc, due) == "Yên Bái (đến 30/06/2025)"
    assert inherited_from(lc, lc, dt.date(2025, 12, 9)) is None
    assert name_at(lc, due) == "Ủy ban nhân dân tỉnh Yên Bái"
    assert name_at(lc, MERGED) == "Ủy ban nhân dân tỉnh Lào Cai"


# --- the bundled data ------------------------------------------------------------------------


def test_the_63_provinces_and_their_34_successors() -> None:
    current = load_agencies()
    directory = load_directory()
    by_code = {a.code: a for a in directory}
    dissolved = [a for a in directory if a.kind == "provincial_committee" and a.dissolved_on]
    assert len(dissolved) == 29 and {a.dissolved_on for a in dissolved} == {MERGED}
    assert not {a.code for a in dissolved} & {a.code for a in current}
    committees = [a for a in current if a.kind == "provincial_committee"]
    assert len(committees) + len(dissolved) == 63
    assert {a.successor for a in dissolved} <= {a.code for a in committees}
    pre_2025: dict[str, set[str]] = {}  # each unit: the pre-2025 provinces it was made of
    for a in dissolved:
        assert a.successor is not None and a.short_name is not None
        pre_2025.setdefault(a.successor, set()).add(a.short_name)
        department = by_code[f"{a.code}-SXD"]
        assert department.dissolved_on == MERGED and department.successor == f"{a.successor}-SXD"
        assert department.name == "Sở Xây dựng tỉnh " + a.short_name
    for a in directory:
        if a.kind == "provincial_committee" and a.former_short_name and a.renamed_on == MERGED:
            pre_2025.setdefault(a.code, set()).add(a.former_short_name)
    merged_into = {code: names - {by_code[code].short_name} for code, names in pre_2025.items()}
    assert merged_into == MERGED_INTO
    assert len({a.successor for a in dissolved} | {a.code for a in committees}) == 34
    assert by_code["46"].former_short_name == "Thừa Thiên Huế"
    assert by_code["46"].renamed_on == dt.date(2025, 1, 1)
    assert by_code["02"].name == "Ủy ban nhân dân tỉnh Hà Giang"


def _province_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "provinces-2025.yaml"
    path.write_text(f'merged_on: "2025-07-01"\nprovinces:\n{body}', encoding="utf-8")
    return path


def test_bad_province_data_names_the_file_line_and_field(tmp_path: Path) -> None:
    bundled = provinces_path()
    lines = bundled.read_text(encoding="utf-8").split("provinces:\n", 1)[1].splitlines()
    wrong = [line.replace('successor: "08"', 'successor: "99"') for line in lines]
    with pytest.raises(SpecError) as err:
        load_successions(load_agencies(), _province_file(tmp_path, "\n".join(wrong) + "\n"))
    assert "provinces-2025.yaml:4: provinces[1].successor" in str(err.value)
    assert "'99'" in str(err.value)
    with pytest.raises(SpecError, match="expected the 63 pre-2025 provinces"):
        load_successions(load_agencies(), _province_file(tmp_path, "\n".join(lines[:-1]) + "\n"))
    clash = [line.replace('code: "02"', 'code: "04"') for line in lines]
    with pytest.raises(SpecError, match="duplicate province code"):
        load_successions(load_agencies(), _province_file(tmp_path, "\n".join(clash) + "\n"))


# --- the transfer, on SQLite and PostgreSQL --------------------------------------------------


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T08:30").replace(tzinfo=VN)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The seed and the test directive from 2024, contacts for Hà Giang and Tuyên Quang, Hà
    Giang's 2023 report received, and the 2024 reminders sent."""
    settings = Settings(database_url=database_url, outbox_dir=tmp_path / "outbox")
    ctx = make_context(settings, _at("2024-11-20"))
    init(settings, ctx)
    load_spec(settings, ctx, SPEC)
    csv = tmp_path / "contacts.csv"
    csv.write_text("agency,channel,target\n02,email,vt@hg.test\n08,email,vt@tq.test\n", "utf-8")
    import_contacts_file(settings, csv, replace=False)
    data = SubmissionCreate(
        agency="02",
        obligation="yearly-report",
        period="2023",
        document_number="15/BC-UBND",
        received_on=dt.date(2023, 12, 1),
    )
    submit(settings, ctx, data)
    run_sweep(engine_for(settings), make_context(settings, _at("2024-11-25")))
    return settings


def _tasks(settings: Settings, origin: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(obligation code, period) -> (holder code, status) of the tasks assigned to ``origin``."""
    query = (
        select(Task, col(Obligation.code))
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .join(Agency, col(Agency.id) == col(Task.origin_agency_id))
        .where(col(Agency.code) == origin)
    )
    with transaction(engine_for(settings)) as session:
        codes = dict(session.execute(select(col(Agency.id), col(Agency.code))).tuples().all())
        rows = session.execute(query).tuples()
        return {(ob, t.period): (codes[t.agency_id], t.status) for t, ob in rows}


def _hg_report_2024(session: Any) -> Task:
    query = (
        select(Task)
        .join(Agency, col(Agency.id) == col(Task.origin_agency_id))
        .where(col(Agency.code) == "02", col(Task.period) == "2024")
        .where(col(Task.due_day).is_not(None))
    )
    task: Task = session.execute(query).scalar_one()
    return task


def test_open_tasks_move_once_and_history_stays(settings: Settings) -> None:
    engine = engine_for(settings)
    with transaction(engine) as session:  # a message still waiting for Hà Giang's contact
        task = _hg_report_2024(session)
        contact = session.execute(select(Contact).where(col(Contact.target) == "vt@hg.test"))
        contact_id = contact.scalar_one().id or 0
        session.add(Notification(task_id=task.id or 0, stage="test", contact_id=contact_id))
    before = _tasks(settings, "02")
    assert {holder for holder, _ in before.values()} == {"02"}

    summary = run_sweep(engine, make_context(settings, _at("2025-07-01")))
    after = _tasks(settings, "02")
    open_before = {k for k, (_, status) in before.items() if status != "done_on_time"}
    # Its 2024 inspection, the plan and the 2024 report; no 2025 inspection (that
    # year ends after the merger), so Tuyên Quang does not inherit a duplicate of its own.
    assert open_before == {("inspection", "2024"), ("plan", "once"), ("yearly-report", "2024")}
    assert summary.tasks_transferred >= 3  # every dissolved province
    assert {k for k, (holder, _) in after.items() if holder == "08"} == open_before
    assert [s for h, s in after.values() if h == "02"] == ["done_on_time"]  # 2023 stays

    outbox = (
        select(col(Notification.stage), col(Notification.status), col(Contact.target))
        .join(Contact, col(Contact.id) == col(Notification.contact_id))
        .where(col(Notification.task_id) == task.id)
    )
    with transaction(engine) as session:
        moved = session.execute(select(Event).where(col(Event.kind) == "transferred")).scalars()
        events = list(moved)
        messages = [tuple(row) for row in session.execute(outbox).tuples()]
    assert len(events) == summary.tasks_transferred
    from_ha_giang = [
        e for e in events if "02 Ủy ban nhân dân tỉnh Hà Giang → 08" in (e.detail or "")
    ]
    assert len(from_ha_giang) == len(open_before)
    assert all("từ ngày 01/07/2025" in (e.detail or "") for e in from_ha_giang)
    assert ("test", "cancelled", "vt@hg.test") in messages  # no message to a dissolved agency
    assert ("before-14", "sent", "vt@hg.test") in messages  # what was sent stays
    # The successor hears of the overdue task at once.
    assert [(s, t) for s, status, t in messages if status == "sent"][1:] == [
        ("overdue-204", "vt@tq.test")
    ]

    again = run_sweep(engine, make_context(settings, _at("2025-07-02")))
    assert again.tasks_transferred == 0
    with transaction(engine) as session:
        count = select(func.count()).select_from(Event).where(col(Event.kind) == "transferred")
        assert session.execute(count).scalar_one() == len(events)

    # Hà Giang owes no period due after the merger; the SQL agrees with the pure rule.
    assert {p for ob, p in after if ob == "yearly-report"} == {"2023", "2024"}
    assert not [p for _, p in after if p[:4].isdigit() and p >= "2026"]
    query = (
        select(Task, col(Agency.dissolved_on), col(Obligation.recurrence))
        .join(Agency, col(Agency.id) == col(Task.origin_agency_id))
        .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
        .where(col(Agency.dissolved_on).is_not(None))
    )
    with transaction(engine) as session:
        for t, dissolved, recurrence in session.execute(query).tuples():
            end = parse_period(t.period, recurrence).end
            assert owes_task(dissolved, t.due_day, t.created_at.astimezone(VN).date(), end)


def test_board_and_synthesis_show_the_lineage(settings: Settings) -> None:
    engine = engine_for(settings)
    run_sweep(engine, make_context(settings, _at("2026-11-25")))
    with transaction(engine) as session:
        rows = board_rows(session=session, period="2024", obligation="yearly-report", agency="08")
        synthesis = build_synthesis(
            session=session, directive="99/CT-TTg", period="2024", as_of=dt.date(2026, 11, 25)
        )
    assert {(r.origin_agency_code, r.inherited_from) for r in rows} == {
        ("08", None),
        ("02", "Hà Giang (đến 30/06/2025)"),
    }
    table = render_board(rows, "table")
    assert "Kế thừa từ" in table and "Hà Giang (đến 30/06/2025)" in table
    assert "origin_agency_code,origin_agency,inherited_from" in render_board(rows, "csv")
    assert "Kế thừa từ" not in render_board([r for r in rows if not r.inherited_from], "table")

    lineage = {r.agency: r.inherited_from for r in synthesis.rows if r.inherited_from}
    assert lineage["08"] == "Hà Giang (đến 30/06/2025)"
    assert lineage["15"] in {"Yên Bái (đến 30/06/2025)", "Lào Cai (đến 30/06/2025)"}
    notes = {n.agency: n for n in synthesis.lineage}
    assert [p.code for p in notes["37"].predecessors] == ["35", "36"]
    assert notes["15"].former_name == "Ủy ban nhân dân tỉnh Yên Bái"


def test_board_row_defaults_keep_older_callers_working() -> None:
    row = BoardRow(
        agency="01",
        agency_name="x",
        directive="d",
        obligation="o",
        obligation_title="t",
        period="2026",
        due_date=None,
        status="pending",
        status_label="",
        submitted_on=None,
        document=None,
        days_late=None,
        reminders_sent=0,
    )
    assert row.origin_agency_code is None and row.inherited_from is None


def test_a_backup_carries_the_succession(settings: Settings, tmp_path: Path) -> None:
    from dondoc.backup import export_database, import_database

    run_sweep(engine_for(settings), make_context(settings, _at("2025-07-01")))
    dump = tmp_path / "dump.json.gz"
    export_database(settings, dump)
    copy = Settings(database_url=f"sqlite:///{tmp_path / 'copy.db'}", outbox_dir=tmp_path / "o")
    import_database(copy, dump)
    assert _tasks(copy, "02") == _tasks(settings, "02")
    query = select(col(Agency.code), col(Agency.dissolved_on), col(Agency.successor_id))
    columns = select(col(Agency.code), col(Agency.former_name), col(Agency.renamed_on))
    for engine_settings in (settings, copy):
        with transaction(engine_for(engine_settings)) as session:
            ids = dict(session.execute(select(col(Agency.id), col(Agency.code))).tuples().all())
            succession = {c: (d, ids.get(s)) for c, d, s in session.execute(query).tuples()}
            names = {c: (f, r) for c, f, r in session.execute(columns).tuples()}
        assert succession["02"] == (MERGED, "08") and succession["08"] == (None, None)
        assert names["15"] == ("Ủy ban nhân dân tỉnh Yên Bái", MERGED)


def test_messages_name_the_agency_a_task_was_taken_over_from() -> None:
    from dondoc.notifications.message import MessageContext, TaskLine
    from dondoc.notifications.render import render_message

    line = TaskLine(
        obligation_code="yearly-report",
        obligation_title="Báo cáo tình hình phát triển đô thị",
        directive_number="99/CT-TTg",
        dispatch_number=None,
        dispatch_date=None,
        period_label="2024",
        due_day=dt.date(2024, 12, 9),
        days_left=-716,
        phrase="trước ngày 10 tháng 12 hằng năm",
        report_to=None,
        inherited_from="Ủy ban nhân dân tỉnh Hà Giang (đến 30/06/2025)",
    )
    message = render_message(
        MessageContext(
            agency_code="08",
            agency_name="Ủy ban nhân dân tỉnh Tuyên Quang",
            recipient_name=None,
            lines=(line,),
            today=dt.date(2026, 11, 25),
            sender_name="Cục Phát triển đô thị - Bộ Xây dựng",
        )
    )
    expected = "Nhiệm vụ kế thừa từ: Ủy ban nhân dân tỉnh Hà Giang (đến 30/06/2025)"
    assert expected in message.text and expected in message.html
    assert "kỳ 2024 (kế thừa từ Ủy ban nhân dân tỉnh Hà Giang (đến 30/06/2025))" in message.compact
