"""The Prefect flows run the same steps as the CLI, as tracked flow runs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from dondoc.config.settings import get_settings
from dondoc.context import make_context
from dondoc.service import import_contacts_file, init

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def seeded(workdir: Path, smtp_server: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DONDOC_SMTP_URL", smtp_server.url)
    get_settings.cache_clear()
    settings = get_settings()
    init(settings, make_context(settings, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    csv = workdir / "contacts.csv"
    csv.write_text("agency,channel,target\n01,email,vanthu@hanoi.dondoc.test\n", encoding="utf-8")
    import_contacts_file(settings, csv, replace=False)
    return workdir


def _run_name(state: Any) -> str:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return str(client.read_flow_run(state.state_details.flow_run_id).name)


def test_sweep_flow_sends_due_reminders(prefect_api: None, seeded: Path, smtp_server: Any) -> None:
    from dondoc.flows.sweep import sweep_flow

    state = sweep_flow(at=dt.datetime(2026, 11, 25, 8, 30, tzinfo=VN), return_state=True)
    summary = state.result()
    assert _run_name(state) == "Rà soát nhắc hạn 25/11/2026 08:30"  # local time
    assert summary["queued"] == 1
    assert [m.recipients for m in smtp_server.messages] == [("vanthu@hanoi.dondoc.test",)]
    assert "còn 14 ngày" in smtp_server.messages[0].body_text
    again = sweep_flow(at=dt.datetime(2026, 11, 25, 9, 0, tzinfo=VN))
    assert again["queued"] == 0 and len(smtp_server.messages) == 1


def test_sweep_flow_on_a_holiday_sends_nothing(
    prefect_api: None, seeded: Path, smtp_server: Any
) -> None:
    from dondoc.flows.sweep import sweep_flow

    summary = sweep_flow(at=dt.datetime(2026, 12, 5, 9, 0, tzinfo=VN))  # a Saturday
    assert summary["send_window"] is False and smtp_server.messages == []


def test_submission_flow_closes_the_task(prefect_api: None, seeded: Path, cli: Any) -> None:
    from dondoc.flows.submission import record_submission_flow

    state = record_submission_flow(
        agency="01 - Ủy ban nhân dân thành phố Hà Nội",  # the form's dropdown option
        obligation="annual-report",
        period="2026",
        document="12/BC-UBND",
        received_on=dt.date(2026, 12, 1),
        allow_future=True,  # the flow acts as of the real clock
        return_state=True,
    )
    assert state.result()["status"] == "done_on_time"
    assert _run_name(state) == "Ghi nhận báo cáo: 01 · annual-report · 2026"
    board = json.loads(cli("status", "--format", "json", "--period", "2026").out)
    row = next(r for r in board if r["agency"] == "01" and r["obligation"] == "annual-report")
    assert row["document"] == "12/BC-UBND" and row["submitted_on"] == "2026-12-01"


def test_sweep_publishes_the_board_under_a_stable_key(prefect_api: None, seeded: Path) -> None:
    from prefect.client.orchestration import get_client

    from dondoc.flows.submission import record_submission_flow
    from dondoc.flows.sweep import sweep_flow

    record_submission_flow(
        agency="01",
        obligation="annual-report",
        period="2026",
        document="7/BC-UBND",
        received_on=dt.date(2026, 11, 24),
    )
    sweep_flow(at=dt.datetime(2026, 11, 25, 8, 30, tzinfo=VN))

    async def latest() -> Any:
        async with get_client() as client:
            return await client.read_latest_artifacts()

    import asyncio

    artifacts = {a.key: a for a in asyncio.run(latest())}
    board = artifacts["board-24-ct-ttg-2016-2026"]
    rows = board.data if isinstance(board.data, list) else json.loads(board.data)
    hanoi = next(r for r in rows if r["Mã"] == "01" and r["Nhiệm vụ"] == "annual-report")
    assert hanoi["Tình trạng"] == "Hoàn thành đúng hạn" and hanoi["Số văn bản"] == "7/BC-UBND"
    assert "sweep-summary" in artifacts
    # Each links back to its page on the web board (Prefect renders descriptions as markdown).
    page = "http://127.0.0.1:8080/bang-theo-doi?directive=24%2FCT-TTg%2F2016&period=2026"
    assert f"[Mở trên bảng theo dõi]({page})" in str(board.description)
    assert "[Mở bảng theo dõi](http://127.0.0.1:8080/)" in str(
        artifacts["sweep-summary"].description
    )


def test_run_names_say_what_each_run_does_in_vietnamese(workdir: Path) -> None:
    from dondoc.flows import run_names as n

    at = "2026-11-27T01:00:00+00:00"  # as the API hands parameters over: text, in UTC
    assert n.sweep_name({"at": at}) == "Rà soát nhắc hạn 27/11/2026 08:00"
    assert n.send_now_name({"at": at}) == "Gửi nhắc hạn ngay (chạy thử) 27/11/2026 08:00"
    assert n.send_now_name({"at": at, "dry_run": False}) == "Gửi nhắc hạn ngay 27/11/2026 08:00"
    assert n.rollover_name({"at": at}) == "Tạo nhiệm vụ kỳ mới 27/11/2026 08:00"
    assert n.digest_name({"at": at}) == "Tổng hợp tuần 27/11/2026 08:00"
    assert n.synthesis_name({"directive": "24/CT-TTg", "period": "2026"}) == (
        "Tổng hợp kết quả: 24/CT-TTg · kỳ 2026"
    )
    assert n.load_name({"path": "24-CT-TTg.yaml"}) == "Nạp chỉ thị: 24-CT-TTg.yaml"
    assert n.load_name({"yaml": "directive: ...", "path": ""}) == "Nạp chỉ thị: nội dung dán vào"
    assert n.import_name({"path": "", "filename": "cv-351.txt"}) == "Nhập văn bản: cv-351.txt"
