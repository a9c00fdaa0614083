"""The operator's calendar overrides as users meet them: `dondoc calendar`, deadlines that land
on an override day off, and sweeps on override days off and worked Saturdays."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from dondoc.config.settings import Settings
from dondoc.context import make_context
from dondoc.db import engine_for
from dondoc.service import import_contacts_file, init
from dondoc.tracking.sweep import run_sweep

VN = dt.timezone(dt.timedelta(hours=7))
# 9/12/2026 (the seed's last acceptable day) made a day off; Saturday 12/12 worked instead.
DECEMBER_SWAP = """\
days_off:
  - {date: 2026-12-09, reason: "Nghỉ hoán đổi thứ Tư 09/12/2026", source: "99/VPCP-TEST"}
working_days:
  - {date: 2026-12-12, reason: "Làm bù thứ Bảy 12/12/2026", source: "99/VPCP-TEST"}
"""
# Wednesday 25/11/2026 (the seed's 14-days-before reminder) off; Saturday 28/11 worked.
NOVEMBER_SWAP = """\
days_off:
  - {date: 2026-11-25, reason: "Nghỉ thứ Tư 25/11/2026", source: "98/VPCP-TEST"}
working_days:
  - {date: 2026-11-28, reason: "Làm bù thứ Bảy 28/11/2026", source: "98/VPCP-TEST"}
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lich.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- dondoc calendar -------------------------------------------------------------------------


def test_calendar_2026_names_holidays_swaps_and_counts(cli: Any) -> None:
    result = cli("calendar", "--year", "2026")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("LỊCH NGÀY LÀM VIỆC NĂM 2026\n")
    for line in (
        "Tháng 1 năm 2026: 21 ngày làm việc",
        "    01/01/2026 Thứ Năm: Tết Dương lịch",
        # the bundled override (dispatch 12729/VPCP-KGVX), with its reason and source
        "    02/01/2026 Thứ Sáu: Nghỉ thứ Sáu 02/01/2026 (hoán đổi, làm bù thứ Bảy 10/01/2026)"
        " — 12729/VPCP-KGVX",
        "    10/01/2026 Thứ Bảy: Làm bù thứ Bảy 10/01/2026 cho ngày nghỉ 02/01/2026"
        " — 12729/VPCP-KGVX",
        "    17/02/2026 Thứ Ba: Tết Nguyên Đán",
        "    26/04/2026 Chủ nhật: Ngày Giỗ Tổ Hùng Vương (trùng ngày nghỉ cuối tuần)",
        "    27/04/2026 Thứ Hai: Ngày Giỗ Tổ Hùng Vương (nghỉ bù)",
        # holidays.VN's own swap: Monday 31/08 off, Saturday 22/08 worked
        "    22/08/2026 Thứ Bảy: Làm việc bù cho ngày nghỉ 31/08/2026",
        "   05   06   07   08   09   10* [11]",  # the grid: 10/01 worked, 11/01 a Sunday
        # 261 weekdays, 14 of them off (1/1, 2/1, five of Tết, 27/4, 30/4, 1/5, 31/8, 1/9,
        # 2/9, 24/11), two Saturdays worked (10/1, 22/8)
        "Cả năm 2026: 249 ngày làm việc",
    ):
        assert line in out.splitlines(), line


def test_calendar_json_uses_the_calendar_file_option_and_the_setting(
    cli: Any, workdir: Path
) -> None:
    path = _file(workdir, DECEMBER_SWAP)
    result = cli("calendar", "--year", "2026", "--format", "json", "--calendar-file", str(path))
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["year"] == 2026 and data["calendar_file"] == str(path)
    december = data["months"][11]
    assert december["working_days"] == 23  # 9/12 off, 12/12 worked
    assert december["days_off"] == [
        {
            "date": "2026-12-09",
            "date_vi": "09/12/2026",
            "weekday": "Thứ Tư",
            "name": "Nghỉ hoán đổi thứ Tư 09/12/2026 — 99/VPCP-TEST",
            "weekend": False,
        }
    ]
    assert [d["date_vi"] for d in december["working_weekend_days"]] == ["12/12/2026"]
    # this file replaces the bundled one: 2/1/2026 is a working Friday again
    assert data["months"][0]["working_days"] == 21 and data["months"][0]["days_off"][1:] == []
    assert data["working_days"] == sum(m["working_days"] for m in data["months"]) == 249

    via_setting = cli("calendar", "--year", "2026", env={"DONDOC_CALENDAR_FILE": str(path)})
    assert via_setting.code == 0, via_setting.err
    assert "    09/12/2026 Thứ Tư: Nghỉ hoán đổi thứ Tư 09/12/2026 — 99/VPCP-TEST" in (
        via_setting.out.splitlines()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "xml"), "--format 'xml': choose text or json"),
        (("--year", "1990"), "--year 1990: choose a year from 2000 to 2099"),
        (("--calendar-file", "BAD"), "lich.yaml:2: days_off[0].date: '2026-13-01' is not a"),
        (("--calendar-file", "missing.yaml"), "missing.yaml: cannot read the calendar file"),
    ],
)
def test_calendar_refuses_bad_input(
    cli: Any, workdir: Path, args: tuple[str, ...], message: str
) -> None:
    bad = _file(workdir, "days_off:\n  - {date: 2026-13-01, reason: x, source: y}\n")
    args = tuple(str(bad) if a == "BAD" else a for a in args)
    result = cli("calendar", "--year", "2026", *args)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("error: ") and message in result.err


# --- the deadline engine and the sweep use the overrides -------------------------------------


def test_a_deadline_on_an_override_day_off_moves_to_the_next_working_day(
    cli: Any, workdir: Path
) -> None:
    env = {"DONDOC_CALENDAR_FILE": str(_file(workdir, DECEMBER_SWAP))}
    assert cli("init", "--at", "2026-11-20", env=env).code == 0
    result = cli("status", "--format", "json", "--period", "2026", "--obligation", "annual-report")
    rows = json.loads(result.out)
    # "trước ngày 10 tháng 12": last day 9/12, a day off here, so Thursday 10/12 (Art. 148(5))
    assert {r["due_date"] for r in rows} == {"2026-12-10"} and len(rows) == 50


def _swept(settings: Settings, day: int) -> Any:
    return run_sweep(
        engine_for(settings), make_context(settings, dt.datetime(2026, 11, day, 8, 30, tzinfo=VN))
    )


def test_sweeps_follow_override_days_off_and_worked_saturdays(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=database_url,
        outbox_dir=tmp_path / "outbox",
        calendar_file=_file(tmp_path, NOVEMBER_SWAP),
    )
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    csv = tmp_path / "contacts.csv"
    csv.write_text("agency,channel,target\n01,email,a@hn.test\n79,email,b@hcm.test\n", "utf-8")
    import_contacts_file(settings, csv, replace=False)

    day_off = _swept(settings, 25)  # the 14-days-before stage's day, a day off here
    assert day_off.send_window is False and day_off.queued == 0
    assert not list((tmp_path / "outbox").glob("*.eml"))

    worked_saturday = _swept(settings, 28)  # the stage, moved to Thursday 26/11, goes out
    assert worked_saturday.send_window is True and worked_saturday.queued == 2
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2
