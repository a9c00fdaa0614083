"""End to end against a real Prefect server: `dondoc serve` registers the deployments, and flow
runs started through the server's API record a submission and publish the compliance board."""

from __future__ import annotations

import json
from typing import Any

from tests.prefect_server import SUBMISSION, BoardPublished, DondocService

BOARD_KEY = "board-24-ct-ttg-2026"


def _failure(service: DondocService, run: dict[str, Any]) -> str:
    return (
        f"flow run {run['name']} is {run['state']['type']}: {run['state'].get('message')}\n"
        f"{service.flow_run_logs(run['id'])}\n--- dondoc serve ---\n{service.output()}"
    )


def test_serve_registers_every_deployment_with_its_schedule(dondoc_served: DondocService) -> None:
    deployments = dondoc_served.deployments()
    assert {"daily-sweep", "send-reminders-now", "record-submission"} <= set(deployments)
    schedules = [s["schedule"] for s in deployments["daily-sweep"]["schedules"]]
    assert [(s.get("cron"), s.get("timezone")) for s in schedules] == [
        ("0 8 * * *", "Asia/Ho_Chi_Minh")
    ]
    assert all(s["active"] for s in deployments["daily-sweep"]["schedules"])
    assert deployments["send-reminders-now"]["schedules"] == []
    assert deployments["record-submission"]["schedules"] == []


def test_flow_runs_through_the_api_close_the_task_and_publish_the_board(
    dondoc_served: DondocService, board_published: BoardPublished
) -> None:
    submission, sweep = board_published.submission_run, board_published.sweep_run
    assert submission["state"]["type"] == "COMPLETED", _failure(dondoc_served, submission)
    assert submission["name"] == "submission 01 annual-report 2026"

    status = dondoc_served.cli("status", "--format", "json", "--period", "2026")
    assert status.returncode == 0, status.stderr
    rows = json.loads(status.stdout)
    hanoi = next(r for r in rows if r["agency"] == "01" and r["obligation"] == "annual-report")
    assert hanoi["status"] == "done_on_time"
    assert hanoi["document"] == SUBMISSION["document"]
    assert hanoi["submitted_on"] == SUBMISSION["received_on"]

    assert sweep["state"]["type"] == "COMPLETED", _failure(dondoc_served, sweep)
    latest = dondoc_served.server.api(
        "POST", "/artifacts/latest/filter", {"artifacts": {"key": {"any_": [BOARD_KEY]}}}
    )
    assert [a["key"] for a in latest] == [BOARD_KEY]
    board = latest[0]
    assert board["type"] == "table"
    data = board["data"] if isinstance(board["data"], list) else json.loads(board["data"])
    row = next(r for r in data if r["Mã"] == "01" and r["Nhiệm vụ"] == "annual-report")
    assert row["Tình trạng"] == "Hoàn thành đúng hạn"
    assert row["Số văn bản"] == SUBMISSION["document"]
    assert row["Ngày nhận"] == "23/11/2026"
