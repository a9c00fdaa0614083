"""Tổng quan's and the board's counts, read by aggregate SQL, on SQLite and PostgreSQL: undated
tasks counted apart (never "chưa đến hạn"), who is overdue, the next deadlines, and the
periods the coordinator acts on listed before the later ones."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from dondoc.db import get_engine, upgrade_database
from dondoc.models import Agency, Document, Obligation, Task
from dondoc.reports.board import board_rows
from dondoc.reports.summary import next_deadlines, period_summaries
from dondoc.web.board import counts
from dondoc.web.overview import ordered

TODAY = dt.date(2026, 11, 27)
DIRECTIVE = "24/CT-TEST"


def _fill(url: str) -> None:
    upgrade_database(url)
    with Session(get_engine(url)) as session:
        doc = Document(
            number=DIRECTIVE,
            year=2025,
            doc_type="CT",
            issuer="Thủ tướng",
            issued_on=dt.date(2025, 1, 2),
            subject="Thử",
        )
        agencies = [
            Agency(code=c, name=n, kind="province")
            for c, n in (("01", "Hà Nội"), ("79", "Hồ Chí Minh"), ("48", "Đà Nẵng"))
        ]
        session.add_all([doc, *agencies])
        session.flush()
        assert doc.id is not None
        dated = Obligation(
            code="annual-report",
            kind="report",
            title="Báo cáo năm",
            phrase="trước 09/12",
            recurrence="annual",
            directive_id=doc.id,
        )
        inspection = Obligation(
            code="inspection",
            kind="inspection",
            title="Kiểm tra",
            phrase="thường xuyên",
            recurrence="annual",
            directive_id=doc.id,
        )
        session.add_all([dated, inspection])
        session.flush()
        hn, hcm, dn = (a.id for a in agencies)
        rows = [
            (dated, hn, "2026", dt.date(2026, 11, 20), "overdue"),
            (dated, hcm, "2026", dt.date(2026, 12, 9), "due_soon"),
            (dated, dn, "2026", dt.date(2026, 12, 9), "done_on_time"),
            (dated, hn, "2025", dt.date(2025, 12, 9), "done_late"),
            (dated, hn, "2027", dt.date(2027, 12, 9), "pending"),
            *((inspection, a, "2026", None, "pending") for a in (hn, hcm, dn)),
        ]
        session.add_all(
            Task(obligation_id=o.id, agency_id=a, origin_agency_id=a, period=p, due_day=d, status=s)
            for o, a, p, d, s in rows
        )
        session.commit()


def test_undated_tasks_are_counted_apart_and_periods_acted_on_come_first(
    database_url: str,
) -> None:
    _fill(database_url)
    with Session(get_engine(database_url)) as session:
        summaries = {(s.directive_ref, s.period): s for s in period_summaries(session)}
        deadlines = next_deadlines(session, TODAY)
        board = board_rows(session=session, directive=DIRECTIVE, period="2026")
    now = summaries[(f"{DIRECTIVE}/2025", "2026")]
    assert now.counts == {"overdue": 1, "due_soon": 1, "done_on_time": 1}
    assert now.undated == 3 and now.total == 3 and now.on_time_rate == 100
    assert now.overdue_agencies == [("01", "Hà Nội")] and now.overdue_agency_count == 1
    acting, later = ordered(list(summaries.values()), TODAY)
    assert [s.period for s in acting] == ["2026", "2025"]
    assert [s.period for s in later] == ["2027"]
    assert deadlines == [
        (dt.date(2026, 12, 9), f"{DIRECTIVE} (2025)", "Báo cáo năm", 1),
        (dt.date(2027, 12, 9), f"{DIRECTIVE} (2025)", "Báo cáo năm", 1),
    ]
    # The board's summary line: the three inspections are "Không có thời hạn", not pending.
    assert counts(board) == [
        ("overdue", "Quá hạn, chưa hoàn thành", 1),
        ("due_soon", "Sắp đến hạn", 1),
        ("done_on_time", "Hoàn thành đúng hạn", 1),
        ("undated", "Không có thời hạn", 3),
    ]
    assert all(r.task_id is not None for r in board) and len({r.task_id for r in board}) == 6
