"""The data cut-off (Decree 09/2019/NĐ-CP, Art. 12): windows per period, the spec's `cutoff`,
the load warning, and the board and synthesis that show it beside the deadline."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from dondoc.config.calendar import load_calendar_overrides
from dondoc.config.settings import DATA_DIR, get_settings
from dondoc.config.spec import CutoffSpec
from dondoc.config.spec_loader import SpecError, load_spec_file
from dondoc.context import make_context
from dondoc.engine.cutoff import DECREE_09_RULES, CutoffRule, cutoff_rule, cutoff_window
from dondoc.engine.deadlines import next_period, parse_period, work_calendar
from dondoc.service import init
from dondoc.tracking.spec_checks import cutoff_warnings

D = dt.date
VN = dt.timezone(dt.timedelta(hours=7))
CAL = work_calendar(range(2024, 2029), load_calendar_overrides())
SEED = DATA_DIR / "directives" / "24-CT-TTg.yaml"


def _recurrence(label: str) -> Any:
    if len(label) == 4:
        return "yearly"
    return {"H": "half-yearly", "Q": "quarterly"}.get(label[5], "monthly")


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2026-03", D(2026, 2, 15), D(2026, 3, 14)),
        ("2026-01", D(2025, 12, 15), D(2026, 1, 14)),
        ("2026-Q1", D(2025, 12, 15), D(2026, 3, 14)),
        ("2026-Q3", D(2026, 6, 15), D(2026, 9, 14)),
        ("2026-H1", D(2025, 12, 15), D(2026, 6, 14)),
        ("2026-H2", D(2026, 6, 15), D(2026, 12, 14)),
        ("2026", D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_decree_09_windows(period: str, start: dt.date, end: dt.date) -> None:
    recurrence = _recurrence(period)
    rule = cutoff_rule("decree-09", recurrence)
    assert rule == DECREE_09_RULES[recurrence]
    assert cutoff_window(rule, parse_period(period, recurrence)) == (start, end)


@pytest.mark.parametrize("first", ["2025-11", "2025-Q4", "2025-H2", "2025"])
def test_windows_of_consecutive_periods_leave_no_gap(first: str) -> None:
    recurrence = _recurrence(first)
    rule = DECREE_09_RULES[recurrence]
    period = parse_period(first, recurrence)
    for _ in range(14):
        following = next_period(period)
        _, end = cutoff_window(rule, period)
        start, _ = cutoff_window(rule, following)
        assert start == end + dt.timedelta(days=1)
        period = following


def test_own_cutoffs_and_short_months() -> None:
    quarter_end = cutoff_rule(CutoffSpec(month=3, day=31), "quarterly")
    assert quarter_end == CutoffRule(31, 3)
    assert cutoff_window(quarter_end, parse_period("2026-Q2", "quarterly")) == (
        D(2026, 4, 1),
        D(2026, 6, 30),  # 31 June is the month's last day
    )
    monthly = CutoffRule(31)
    assert cutoff_window(monthly, parse_period("2028-03", "monthly")) == (
        D(2028, 3, 1),
        D(2028, 3, 31),
    )
    assert cutoff_rule(None, "yearly") is None and cutoff_rule("decree-09", "once") is None


# --- the spec --------------------------------------------------------------------------------

OBLIGATION = """\
directive: {{number: "5/CT-TTg", doc_type: CT, issuer: "Thủ tướng Chính phủ",
            issued_on: 2026-01-05, subject: "Về việc thử"}}
addressees: ["01", "79"]
obligations:
  - code: report
    kind: report
    title: "Báo cáo"
    phrase: "{phrase}"
    recurrence: {recurrence}
    deadline: {deadline}
    cutoff: {cutoff}
"""


def _spec(tmp_path: Path, **fields: str) -> Path:
    values = {
        "phrase": "trước ngày 20 tháng 12 hằng năm",
        "recurrence": "yearly",
        "deadline": "{month: 12, day: 20, inclusive: false}",
        "cutoff": "decree-09",
        **fields,
    }
    path = tmp_path / "thu.yaml"
    path.write_text(OBLIGATION.format(**values), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cutoff": "decree09"}, "thu.yaml:11: obligations[0].cutoff: write {month: M, day: D}"),
        ({"cutoff": "{day: 14}"}, "cutoff.month is the month within the period: 1 to 12"),
        (
            {"recurrence": "quarterly", "cutoff": "{month: 4, day: 14}"},
            "1 to 3 for a quarterly obligation",
        ),
        (
            {"recurrence": "monthly", "deadline": "{day: 20, inclusive: true}",
             "cutoff": "{month: 1, day: 14}"},
            "cutoff.month is not used for a monthly obligation",
        ),
        (
            {"recurrence": "once", "deadline": "{date: 2026-06-30, inclusive: true}"},
            "a data cut-off needs a recurring obligation",
        ),
        ({"cutoff": "{month: 12, day: 32}"}, "obligations[0].cutoff.day: Input should be less"),
    ],
)  # fmt: skip
def test_bad_cutoffs_are_named(tmp_path: Path, fields: dict[str, str], message: str) -> None:
    with pytest.raises(SpecError) as info:
        load_spec_file(_spec(tmp_path, **fields))
    assert message in str(info.value)


def test_the_warning_names_file_line_and_field(tmp_path: Path) -> None:
    early = load_spec_file(_spec(tmp_path, deadline="{month: 12, day: 14, inclusive: true}"))
    path = tmp_path / "thu.yaml"
    (warning,) = cutoff_warnings(early, path, CAL, D(2026, 3, 1))
    assert warning == (
        "thu.yaml:11: obligations[0].cutoff: hạn nộp báo cáo năm 2026 là 14/12/2026, trùng ngày "
        "kết thúc kỳ số liệu 14/12/2026 (kỳ số liệu 15/12/2025–14/12/2026); theo Nghị định số "
        "09/2019/NĐ-CP, Điều 12, cơ quan báo cáo cần ít nhất một ngày làm việc sau thời điểm "
        "chốt số liệu, tức là hạn nộp không sớm hơn 15/12/2026"
    )
    # "trước ngày 20 tháng 12": 19/12/2026 is a Saturday, so Monday 21/12; 15/12 is enough
    fair = load_spec_file(_spec(tmp_path))
    assert cutoff_warnings(fair, path, CAL, D(2026, 3, 1)) == []


def _seed_cutoff_line() -> int:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip() == "cutoff: decree-09")


def test_init_warns_about_the_seed_and_the_board_shows_both_dates(cli: Any) -> None:
    result = cli("init", "--at", "2026-11-20")
    assert result.code == 0, result.err
    assert result.err.startswith(
        f"warning: 24-CT-TTg.yaml:{_seed_cutoff_line()}: obligations[2].cutoff: hạn nộp báo cáo "
        "năm 2026 là 09/12/2026, trước ngày kết thúc kỳ số liệu 14/12/2026 (kỳ số liệu "
        "15/12/2025–14/12/2026)"
    )
    assert cli("init", "--at", "2026-11-20").err == ""  # nothing loaded the second time

    rows = json.loads(cli("status", "--format", "json", "--period", "2026").out)
    report = next(r for r in rows if r["agency"] == "79" and r["obligation"] == "annual-report")
    assert report["due_date"] == "2026-12-09"
    assert (report["cutoff_start"], report["cutoff_end"]) == ("2025-12-15", "2026-12-14")
    assert report["cutoff_window"] == "15/12/2025–14/12/2026"
    plan = next(r for r in rows if r["obligation"] == "inspection")
    assert plan["cutoff_window"] is None

    table = cli("status", "--period", "2026", "--obligation", "annual-report").out.splitlines()
    assert table[0].split()[:8] == ["Mã", "Cơ", "quan", "Nhiệm", "vụ", "Kỳ", "Hạn", "Kỳ"]
    assert "09/12/2026  15/12/2025–14/12/2026" in table[2]
    csv = cli("status", "--format", "csv", "--period", "2026").out.splitlines()
    assert "due_date,cutoff_start,cutoff_end,cutoff_window,status" in csv[0]


def test_load_stores_an_own_cutoff_and_the_synthesis_states_it(cli: Any, workdir: Path) -> None:
    import openpyxl

    assert cli("init", "--at", "2026-11-20").code == 0
    spec = SEED.read_text(encoding="utf-8").replace(
        "cutoff: decree-09", "cutoff: {month: 11, day: 30}"
    )
    (workdir / "24-CT-TTg.yaml").write_text(spec, encoding="utf-8")
    (workdir / "351-BXD-PTDT.txt").write_bytes((SEED.parent / "351-BXD-PTDT.txt").read_bytes())
    loaded = cli("load", "24-CT-TTg.yaml", "--at", "2026-11-20")
    assert loaded.code == 0 and loaded.err == ""  # 9/12 leaves time after a 30/11 cut-off
    rows = json.loads(cli("status", "--format", "json", "--obligation", "annual-report").out)
    assert {r["period"]: r["cutoff_window"] for r in rows} == {
        "2026": "01/12/2025–30/11/2026",
        "2027": "01/12/2026–30/11/2027",
    }

    out = workdir / "tong-hop.xlsx"
    report = cli("report", "--directive", "24/CT-TTg", "--period", "2026", "--out", str(out))
    assert report.code == 0, report.err
    ws = openpyxl.load_workbook(out)["Tổng hợp"]
    lines = [ws.cell(row=r, column=1).value for r in range(1, 6)]
    assert "Kỳ số liệu: 01/12/2025–30/11/2026" in lines


def test_the_load_directive_flow_reports_the_warning(
    prefect_api: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dondoc.flows.admin import load_directive_flow

    monkeypatch.setenv("DONDOC_SPECS_DIR", str(SEED.parent))  # the flow reads only that folder
    get_settings.cache_clear()
    settings = get_settings()
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    out = load_directive_flow(path=SEED.name)
    assert out["directive"] == "24/CT-TTg"
    (warning,) = out["warnings"]
    assert warning.startswith(f"24-CT-TTg.yaml:{_seed_cutoff_line()}: obligations[2].cutoff: ")
