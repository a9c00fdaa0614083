"""Calendar feeds: `dondoc ics` per agency and per directive, `--all`, and the sweep refreshing
DONDOC_FEEDS_DIR. Every feed is parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar, Event

from dondoc.config.settings import DATA_DIR, Settings, get_settings
from dondoc.context import make_context
from dondoc.db import engine_for
from dondoc.service import init
from dondoc.tracking.sweep import run_sweep

VN = dt.timezone(dt.timedelta(hours=7))
UID_79 = "24-ct-ttg-2016.annual-report.79.2026@dondoc"
UID_01 = "24-ct-ttg-2016.annual-report.01.2026@dondoc"
SEED = DATA_DIR / "directives" / "24-CT-TTg.yaml"
FEEDS = 50 + 1  # the 50 agencies bound by the annual report, and the directive


def _parse(data: bytes | str) -> Calendar:
    return Calendar.from_ical(data)


def _events(cal: Calendar) -> dict[str, Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _triggers(event: Event) -> list[dt.timedelta]:
    return [alarm["TRIGGER"].dt for alarm in event.walk("VALARM")]


def _export(cli: Any, *args: str) -> Calendar:
    result = cli("ics", *args)
    assert result.code == 0, result.err
    return _parse(result.out)


def test_agency_feed_of_the_seed(cli: Any) -> None:
    assert cli("init", "--at", "2026-11-20").code == 0
    cal = _export(cli, "--agency", "79", "--at", "2026-11-24T10:00+07:00")
    assert str(cal["X-WR-CALNAME"]) == "Hạn nhiệm vụ — Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh" and str(cal["METHOD"]) == "PUBLISH"
    events = _events(cal)
    # the annual reports of 2026 and 2027; the undated plan and inspection have no event
    assert sorted(events) == [UID_79, UID_79.replace(".2026@", ".2027@")]
    event = events[UID_79]
    assert event.decoded("DTSTART") == dt.date(2026, 12, 9)  # "trước ngày 10 tháng 12"
    assert event.decoded("DTEND") == dt.date(2026, 12, 10)
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 24, 3, tzinfo=dt.UTC)
    assert str(event["SUMMARY"]) == (
        "Hạn nộp: Báo cáo kết quả thực hiện Chỉ thị số 24/CT-TTg (năm 2026)"
    )
    description = str(event["DESCRIPTION"]).splitlines()
    for line in (
        "Văn bản: Chỉ thị số 24/CT-TTg ngày 02/08/2016 (triển khai theo văn bản số 351/BXD-PTĐT)",
        "Cơ quan thực hiện: Ủy ban nhân dân Thành phố Hồ Chí Minh (79)",
        "Kỳ báo cáo: năm 2026",
        "Hạn nộp (ngày cuối cùng được chấp nhận): 09/12/2026",
        "Căn cứ: “trước ngày 10 tháng 12 hàng năm”",
        "Kỳ số liệu: 15/12/2025–14/12/2026",
        "Tình trạng: Sắp đến hạn",
    ):
        assert line in description, line
    assert any(line.startswith("Nơi nhận báo cáo: Cục Phát triển đô thị") for line in description)
    # the reminder policy (30, 14, 7, 3, 1 days before), each at 08:00
    assert _triggers(event) == [dt.timedelta(days=-n, hours=8) for n in (30, 14, 7, 3, 1)]
    assert int(event["SEQUENCE"]) > 0 and event.decoded("LAST-MODIFIED").tzinfo is not None


def test_reexports_keep_uids_and_show_changes(cli: Any, workdir: Path) -> None:
    assert cli("init", "--at", "2026-11-20").code == 0
    before = _events(_export(cli, "--directive", "24/CT-TTg", "--at", "2026-11-24"))
    assert len(before) == 100  # 50 agencies, 2026 and 2027
    assert "— Ủy ban nhân dân thành phố Hà Nội" in str(before[UID_01]["SUMMARY"])

    # a later spec moves the deadline: "trước ngày 11 tháng 12", so 10/12/2026
    moved = SEED.read_text(encoding="utf-8").replace("day: 10, inclusive", "day: 11, inclusive")
    (workdir / "24-CT-TTg.yaml").write_text(moved, encoding="utf-8")
    (workdir / "351-BXD-PTDT.txt").write_bytes((SEED.parent / "351-BXD-PTDT.txt").read_bytes())
    assert cli("load", "24-CT-TTg.yaml", "--at", "2026-11-25").code == 0
    submitted = cli(
        "submit", "--agency", "79", "--obligation", "annual-report", "--period", "2026",
        "--document", "12/BC-UBND", "--received-on", "2026-11-26", "--at", "2026-11-26",
    )  # fmt: skip
    assert submitted.code == 0, submitted.err
    after = _events(_export(cli, "--directive", "24/CT-TTg", "--at", "2026-11-27"))

    assert set(after) == set(before)
    hanoi = after[UID_01]
    assert hanoi.decoded("DTSTART") == dt.date(2026, 12, 10)
    assert int(hanoi["SEQUENCE"]) > int(before[UID_01]["SEQUENCE"])
    done = after[UID_79]
    assert str(done["SUMMARY"]).endswith("(đã hoàn thành)")
    assert "Tình trạng: Hoàn thành đúng hạn" in str(done["DESCRIPTION"])
    assert _triggers(done) == []  # nothing left to remind
    assert int(done["SEQUENCE"]) > int(hanoi["SEQUENCE"])


def test_output_file_and_all_feeds(cli: Any, workdir: Path) -> None:
    assert cli("init", "--at", "2026-11-20").code == 0
    written = cli("ics", "--agency", "BGDĐT", "--output", "lich/bgddt.ics", "--at", "2026-11-24")
    assert written.code == 0 and written.out == "wrote lich/bgddt.ics: 2 event(s)\n"
    assert len(_events(_parse((workdir / "lich" / "bgddt.ics").read_bytes()))) == 2

    everything = cli("ics", "--all", "feeds", "--at", "2026-11-24")
    assert everything.code == 0, everything.err
    files = sorted(p.name for p in (workdir / "feeds").iterdir())
    assert len(files) == FEEDS and not [f for f in files if f.endswith(".tmp")]
    assert {"agency-79.ics", "agency-bgddt.ics", "directive-24-ct-ttg-2016.ics"} <= set(files)
    agency = _events(_parse((workdir / "feeds" / "agency-79.ics").read_bytes()))
    assert UID_79 in agency


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "choose exactly one of --agency, --directive and --all"),
        (("--agency", "79", "--directive", "24/CT-TTg"), "choose exactly one"),
        (("--all", "feeds", "--output", "x.ics"), "--all writes one file per feed"),
    ],
)
def test_bad_ics_requests(cli: Any, workdir: Path, args: tuple[str, ...], message: str) -> None:
    result = cli("ics", *args)
    assert result.code == 2 and result.out == "" and message in result.err
    assert not (workdir / "feeds").exists() and not (workdir / "x.ics").exists()


def test_unknown_codes_are_named(cli: Any, workdir: Path) -> None:
    assert cli("init", "--at", "2026-11-20").code == 0
    for args, message in (
        (("--agency", "99", "-o", "x.ics"), "error: unknown agency '99'"),
        (("--directive", "1/CT-TTg", "-o", "x.ics"), "error: unknown directive '1/CT-TTg'"),
    ):
        result = cli("ics", *args)
        assert result.code == 2 and result.out == "" and message in result.err
    assert not (workdir / "x.ics").exists()


def test_the_sweep_refreshes_the_feeds_folder(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    settings = Settings(database_url=database_url, outbox_dir=tmp_path / "o", feeds_dir=folder)
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    saturday = make_context(settings, dt.datetime(2026, 12, 12, 9, tzinfo=VN))
    summary = run_sweep(engine_for(settings), saturday)  # nothing sent, feeds still refreshed
    assert summary.send_window is False and summary.feeds == FEEDS
    event = _events(_parse((folder / "agency-79.ics").read_bytes()))[UID_79]
    assert str(event["SUMMARY"]).endswith("(quá hạn)")
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 12, 12, 2, tzinfo=dt.UTC)


def test_the_sweep_flow_refreshes_the_feeds(
    prefect_api: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dondoc.flows.sweep import sweep_flow

    monkeypatch.setenv("DONDOC_FEEDS_DIR", str(workdir / "feeds"))
    get_settings.cache_clear()
    settings = get_settings()
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    summary = sweep_flow(at=dt.datetime(2026, 11, 25, 8, 30, tzinfo=VN))
    assert summary["feeds"] == FEEDS
    assert (workdir / "feeds" / "directive-24-ct-ttg-2016.ics").is_file()
