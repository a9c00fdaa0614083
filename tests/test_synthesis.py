"""The annual synthesis: the pure counting, the workbook on both engines, and the flow."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dondoc.config.settings import Settings, get_settings
from dondoc.config.spec_loader import load_agencies
from dondoc.context import make_context
from dondoc.db import engine_for
from dondoc.engine.periods import period_label_vi
from dondoc.errors import NotFoundError
from dondoc.models import SubmissionCreate
from dondoc.reports.synthesis import (
    SynthesisRow,
    agency_sort_key,
    count_statuses,
    days_late,
    order_rows,
    rate,
    tally,
)
from dondoc.reports.synthesis_md import HEADERS_VI, percent_vi
from dondoc.service import init, submit, write_report
from dondoc.tracking.sweep import run_sweep

VN = dt.timezone(dt.timedelta(hours=7))
DUE = dt.date(2026, 12, 9)  # "trước ngày 10 tháng 12": the last acceptable day
AS_OF = dt.date(2026, 12, 16)
REPORT_TITLE = "Báo cáo kết quả thực hiện Chỉ thị số 24/CT-TTg"


# --- pure functions -------------------------------------------------------------------------


def test_counts_list_every_status_in_order_with_zeros() -> None:
    counts = count_statuses(["overdue", "done_late", "overdue", "done_on_time"])
    assert list(counts) == [
        "pending",
        "due_soon",
        "overdue",
        "done_on_time",
        "done_late",
        "waived",
    ]
    assert counts == {
        "pending": 0,
        "due_soon": 0,
        "overdue": 2,
        "done_on_time": 1,
        "done_late": 1,
        "waived": 0,
    }
    assert count_statuses(["odd"])["odd"] == 1


def test_tally_rates() -> None:
    t = tally(["done_on_time"] * 3 + ["done_late"] * 2 + ["overdue"] * 5)
    assert (t.total, t.done_on_time, t.done_late) == (10, 3, 2)
    assert t.on_time_rate == pytest.approx(0.3) and t.done_rate == pytest.approx(0.5)
    empty = tally([])
    assert empty.total == 0 and empty.on_time_rate == 0.0 and rate(0, 0) == 0.0


def test_days_late() -> None:
    assert days_late("done_late", DUE, dt.date(2026, 12, 15), AS_OF) == 6
    assert days_late("done_on_time", DUE, dt.date(2026, 12, 9), AS_OF) is None
    assert days_late("overdue", DUE, None, AS_OF) == 7
    assert days_late("overdue", DUE, None, DUE) is None  # not yet past the last day
    assert days_late("pending", None, None, AS_OF) is None
    assert days_late("due_soon", DUE, None, AS_OF) is None


def _row(agency: str, kind: str, obligation: str = "annual-report") -> SynthesisRow:
    return SynthesisRow(
        agency, agency, kind, obligation, obligation, None, "pending", "", None, None, None
    )


def test_rows_go_by_obligation_then_ministries_agencies_provinces() -> None:
    rows = [
        _row("01", "provincial_committee"),
        _row("NHNN", "ministerial_agency"),
        _row("BYT", "ministry"),
        _row("BCA", "ministry", obligation="inspection"),
        _row("BCA", "ministry"),
    ]
    ordered = order_rows(rows, ["inspection", "annual-report"])
    assert [(r.obligation, r.agency) for r in ordered] == [
        ("inspection", "BCA"),
        ("annual-report", "BCA"),
        ("annual-report", "BYT"),
        ("annual-report", "NHNN"),
        ("annual-report", "01"),
    ]
    assert agency_sort_key("something-else", "A") > agency_sort_key("department", "Z")


def test_vietnamese_labels() -> None:
    assert period_label_vi("2026") == "năm 2026"
    assert period_label_vi("2026-H1") == "6 tháng đầu năm 2026"
    assert period_label_vi("2026-Q2") == "quý II năm 2026"
    assert period_label_vi("2026-05") == "tháng 5 năm 2026"
    assert percent_vi(0.125) == "12,5%"


# --- the workbook, on SQLite and PostgreSQL -------------------------------------------------


def _bound_by_annual_report() -> list[str]:
    """The directive's addressees (ministries, ministerial agencies except the Government
    Office, provincial committees) in the synthesis order."""
    kinds = ("ministry", "ministerial_agency", "provincial_committee")
    bound = [a for a in load_agencies() if a.kind in kinds and a.code != "VPCP"]
    return [a.code for a in sorted(bound, key=lambda a: agency_sort_key(a.kind, a.code))]


def _submit(settings: Settings, agency: str, document: str, received: dt.date) -> None:
    ctx = make_context(settings, dt.datetime(2026, 12, 16, 9, tzinfo=VN))
    data = SubmissionCreate(
        agency=agency,
        obligation="annual-report",
        period="2026",
        document_number=document,
        received_on=received,
    )
    submit(settings, ctx, data)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    settings = Settings(database_url=database_url, outbox_dir=tmp_path / "outbox")
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    _submit(settings, "01", "15/BC-UBND", dt.date(2026, 12, 1))  # on time
    _submit(settings, "BXD", "210/BC-BXD", dt.date(2026, 12, 15))  # six days late
    # The sweep after the deadline marks everyone else overdue.
    run_sweep(engine_for(settings), make_context(settings, dt.datetime(2026, 12, 16, 9, tzinfo=VN)))
    return settings


def _sheet_rows(ws: Any) -> tuple[int, list[tuple[Any, ...]]]:
    """The header's row number and the rows under it."""
    values = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(values, 1) if row[0] == "STT")
    return header, values[header:]


def test_workbook_lists_every_agency_with_status_and_days_late(
    settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "bao-cao" / "tong-hop.xlsx"
    synthesis = write_report(settings, "24/CT-TTg", "2026", out, as_of=AS_OF)
    assert out.is_file() and not list(out.parent.glob("*.tmp"))

    wb = openpyxl.load_workbook(out)
    # "Ghi chú": the units that took over merged provinces (docs/succession.md)
    assert wb.sheetnames == ["Tổng hợp", "Thống kê", "Ghi chú"]
    notes = [row[1] for row in wb["Ghi chú"].iter_rows(values_only=True) if row[0]]
    assert any(str(n).startswith("Ủy ban nhân dân tỉnh Tuyên Quang (mã 08) kế thừa") for n in notes)
    ws = wb["Tổng hợp"]
    assert ws["A1"].value == "TỔNG HỢP TÌNH HÌNH THỰC HIỆN CHỈ THỊ SỐ 24/CT-TTg NGÀY 02/08/2016"
    assert "Kỳ báo cáo: năm 2026" in [ws.cell(row=r, column=1).value for r in range(1, 6)]
    assert "Ngày lập: 16/12/2026" in [ws.cell(row=r, column=1).value for r in range(1, 6)]
    header, rows = _sheet_rows(ws)
    assert tuple(c.value for c in ws[header]) == HEADERS_VI
    assert all(c.font.b for c in ws[header])
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.auto_filter.ref == f"A{header}:I{header + len(rows)}"
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))  # STT

    report = [r for r in rows if r[3] == REPORT_TITLE]
    assert [r[1] for r in report] == _bound_by_annual_report()  # each once, in order
    assert len(report) == 50 == synthesis.obligations[-1].tally.total
    by_code = {r[1]: r for r in report}
    assert by_code["01"][5:] == (
        "Hoàn thành đúng hạn",
        "15/BC-UBND",
        dt.datetime(2026, 12, 1),
        None,
    )
    assert by_code["BXD"][5:] == ("Hoàn thành quá hạn", "210/BC-BXD", dt.datetime(2026, 12, 15), 6)
    assert by_code["79"][5:] == ("Quá hạn, chưa hoàn thành", None, None, 7)
    assert by_code["79"][2] == "Ủy ban nhân dân Thành phố Hồ Chí Minh"

    first = header + 1 + rows.index(by_code["01"])
    for column in ("E", "H"):  # "Hạn" and "Ngày nhận": real dates shown dd/mm/yyyy
        cell = ws[f"{column}{first}"]
        assert cell.is_date and cell.number_format == "DD/MM/YYYY"
    assert ws[f"E{first}"].value == dt.datetime(2026, 12, 9)

    stats = {row[0]: row[1:] for row in wb["Thống kê"].iter_rows(values_only=True) if row[0]}
    columns = stats["Tình trạng"]
    assert REPORT_TITLE in columns  # the undated obligations are left out by default
    col = columns.index(REPORT_TITLE)
    assert stats["Hoàn thành đúng hạn"][col] == 1
    assert stats["Hoàn thành quá hạn"][col] == 1
    assert stats["Quá hạn, chưa hoàn thành"][col] == 48
    assert stats["Tổng số"][col] == 50 == synthesis.total
    assert stats["Tỷ lệ hoàn thành đúng hạn"][col] == pytest.approx(0.02)
    assert stats["Tỷ lệ đã hoàn thành (đúng hạn và quá hạn)"][col] == pytest.approx(0.04)
    rate_cell = next(
        c for row in wb["Thống kê"].iter_rows() for c in row if c.value == pytest.approx(0.02)
    )
    assert rate_cell.number_format == "0.0%"
    assert synthesis.on_time_rate == pytest.approx(1 / 50)
    assert synthesis.counts["done_on_time"] == 1 and synthesis.counts["done_late"] == 1


def test_one_obligation_only(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "annual.xlsx"
    synthesis = write_report(settings, "24/CT-TTg", "2026", out, obligation="annual-report")
    assert synthesis.total == 50 and synthesis.on_time_rate == pytest.approx(0.02)
    assert synthesis.done_rate == pytest.approx(0.04)
    stats = {
        r[0]: r[1:] for r in openpyxl.load_workbook(out)["Thống kê"].iter_rows(values_only=True)
    }
    assert stats["Tình trạng"] == (REPORT_TITLE,) and stats["Tổng số"] == (50,)


@pytest.mark.parametrize(
    ("directive", "period", "obligation", "field", "value"),
    [
        ("99/CT-TTg", "2026", None, "directive", "99/CT-TTg"),
        ("351/BXD-PTĐT", "2026", None, "directive", "351/BXD-PTĐT"),  # assigns nothing itself
        ("24/CT-TTg", "2031", None, "period", "2031"),
        ("24/CT-TTg", "2026", "audit", "obligation", "audit"),
    ],
)
def test_unknown_values_are_named(
    settings: Settings,
    tmp_path: Path,
    directive: str,
    period: str,
    obligation: str | None,
    field: str,
    value: str,
) -> None:
    out = tmp_path / "none.xlsx"
    with pytest.raises(NotFoundError) as caught:
        write_report(settings, directive, period, out, obligation=obligation)
    assert caught.value.field == field and caught.value.value == value
    assert value in str(caught.value) and not out.exists()


# --- the flow --------------------------------------------------------------------------------


def test_synthesis_flow_writes_the_workbook_and_publishes_artifacts(
    prefect_api: None, workdir: Path
) -> None:
    from prefect.client.orchestration import get_client

    from dondoc.flows.synthesis import synthesis_flow

    settings = get_settings()
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    _submit(settings, "01", "15/BC-UBND", dt.date(2026, 12, 1))

    result = synthesis_flow(directive="24/CT-TTg", period="2026")
    path = Path(str(result["path"]))
    assert path == workdir / "reports" / "tong-hop-24-ct-ttg-2016-2026.xlsx" and path.is_file()
    assert result["total"] == 50 and result["on_time_rate"] == pytest.approx(0.02)
    assert openpyxl.load_workbook(path).sheetnames == ["Tổng hợp", "Thống kê", "Ghi chú"]

    async def latest() -> Any:
        async with get_client() as client:
            return await client.read_latest_artifacts()

    artifacts = {a.key: a for a in asyncio.run(latest())}
    markdown = artifacts["synthesis-24-ct-ttg-2016-2026"].data
    assert "TỔNG HỢP TÌNH HÌNH THỰC HIỆN CHỈ THỊ SỐ 24/CT-TTg NGÀY 02/08/2016" in markdown
    assert "Tỷ lệ hoàn thành đúng hạn" in markdown
    table = artifacts["synthesis-table-24-ct-ttg-2016-2026"]
    board = "http://127.0.0.1:8080/bang-theo-doi?directive=24%2FCT-TTg%2F2016&period=2026"
    assert f"[Mở trên bảng theo dõi]({board})" in str(table.description)
    rows = table.data if isinstance(table.data, list) else json.loads(table.data)
    hanoi = next(r for r in rows if r["Mã cơ quan"] == "01" and r["Nhiệm vụ"] == REPORT_TITLE)
    assert hanoi["Tình trạng"] == "Hoàn thành đúng hạn" and hanoi["Ngày nhận"] == "01/12/2026"
    assert len(rows) == 50  # every agency once


def test_the_workbook_opens_in_libreoffice(workdir: Path, cli: Any) -> None:
    """What officials will do with it: open it in LibreOffice Calc (headless, `make office`)."""
    import csv
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is part of the test set-up: run `make office`"
    assert cli("init", "--at", "2026-11-20T09:00+07:00").code == 0
    # Issue #12, case 5: a document number that reads as a formula stays text everywhere.
    evil = "=cmd|' /C calc'!A0"
    at = ("--received-on", "2026-12-01", "--at", "2026-12-01T10:00")
    task = ("--agency", "01", "--obligation", "annual-report", "--period", "2026")
    got = cli("submit", *task, "--document", evil, *at)
    assert got.code == 0, got.err
    [row] = csv.DictReader(cli("status", "--format", "csv", *task).out.splitlines())
    assert row["document"] == "'" + evil
    out = workdir / "tong-hop.xlsx"
    made = cli("report", "--directive", "24/CT-TTg", "--period", "2026", "--out", str(out))
    assert made.code == 0, made.err
    # UTF-8 CSV of the first sheet, cells as shown (so dates read dd/mm/yyyy).
    target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{workdir / 'lo-profile'}",
         "--convert-to", target, "--outdir", str(workdir / "lo"), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    rows = list(csv.reader((workdir / "lo" / "tong-hop.csv").open(encoding="utf-8")))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    body = [r for r in rows[header + 1 :] if r and r[0]]
    assert rows[header][:3] == ["STT", "Mã cơ quan", "Tên cơ quan"]
    assert sorted(r[1] for r in body) == sorted(_bound_by_annual_report())  # each agency once
    hanoi = next(r for r in body if r[1] == "01")
    assert hanoi[2] == "Ủy ban nhân dân thành phố Hà Nội" and hanoi[4] == "09/12/2026"
    assert hanoi[6] == evil  # shown as typed, not computed
    stored = next(c for c in openpyxl.load_workbook(out)["Tổng hợp"]["G"] if c.value == evil)
    assert stored.data_type == "s"
