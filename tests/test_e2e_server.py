"""End to end against a real Prefect server: `dondoc serve` registers the deployments, and flow
runs started through the server's API record a submission and publish the compliance board."""

from __future__ import annotations

import json
from typing import Any

from tests.prefect_server import SUBMISSION, SWEEP_AT, BoardPublished, DondocService

BOARD_KEY = "board-24-ct-ttg-2016-2026"


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
    assert submission["name"] == "Ghi nhận báo cáo: 01 · annual-report · 2026"

    status = dondoc_served.cli("status", "--format", "json", "--period", "2026")
    assert status.returncode == 0, status.stderr
    rows = json.loads(status.stdout)
    hanoi = next(r for r in rows if r["agency"] == "01" and r["obligation"] == "annual-report")
    assert hanoi["status"] == "done_on_time"
    assert hanoi["document"] == SUBMISSION["document"]
    assert hanoi["submitted_on"] == SUBMISSION["received_on"]

    assert sweep["state"]["type"] == "COMPLETED", _failure(dondoc_served, sweep)
    assert sweep["name"] == "Gửi nhắc hạn ngay (chạy thử) 25/11/2026 08:30"
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


def test_dondoc_run_records_a_submission_that_the_next_sweep_board_shows(
    dondoc_served: DondocService, board_published: BoardPublished
) -> None:
    run = dondoc_served.cli(
        "run", "record-submission", "-p", "agency=79", "-p", "obligation=annual-report",
        "-p", "period=2026", "-p", "document=88/BC-UBND", "-p", "received_on=2026-11-24",
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr + dondoc_served.output()
    assert "Ghi nhận báo cáo: 79 · annual-report · 2026: Completed" in run.stdout
    runs = dondoc_served.server.api(
        "POST", "/flow_runs/filter", {"flow_runs": {"name": {"any_": [
            "Ghi nhận báo cáo: 79 · annual-report · 2026"]}}},
    )  # fmt: skip
    assert {"agency:79", "period:2026", "directive:24/CT-TTg/2016"} <= set(runs[0]["tags"])

    sweep = dondoc_served.cli("run", "send-reminders-now", "-p", f"at={SWEEP_AT}")
    assert sweep.returncode == 0, sweep.stdout + sweep.stderr
    latest = dondoc_served.server.api(
        "POST", "/artifacts/latest/filter", {"artifacts": {"key": {"any_": [BOARD_KEY]}}}
    )
    data = latest[0]["data"]
    rows = data if isinstance(data, list) else json.loads(data)
    hcm = next(r for r in rows if r["Mã"] == "79" and r["Nhiệm vụ"] == "annual-report")
    assert hcm["Tình trạng"] == "Hoàn thành đúng hạn" and hcm["Số văn bản"] == "88/BC-UBND"

    unknown = dondoc_served.cli("run", "record-submission", "-p", "agenci=79")
    assert unknown.returncode != 0 and "agenci" in unknown.stderr


def _submission_actors(service: DondocService, agency: str) -> list[str]:
    found = service.cli("history", "--agency", agency, "--obligation", "annual-report",
                        "--period", "2026", "--format", "json")  # fmt: skip
    assert found.returncode == 0, found.stderr
    return [e["actor"] for h in json.loads(found.stdout) for e in h["entries"]
            if e["kind"] == "submission"]  # fmt: skip


def test_a_submission_through_the_api_is_recorded_as_unauthenticated_and_cannot_be_signed(
    dondoc_served: DondocService, board_published: BoardPublished
) -> None:
    assert board_published.submission_run["state"]["type"] == "COMPLETED"
    assert _submission_actors(dondoc_served, "01") == ["không xác thực (qua API)"]

    deployment = dondoc_served.deployments()["record-submission"]
    assert "recorded_by" not in deployment["parameter_openapi_schema"]["properties"]
    forged = {**SUBMISSION, "agency": "48", "recorded_by": "Bộ trưởng"}
    try:
        run = dondoc_served.run_deployment("record-submission", forged)
    except AssertionError as refused:  # the API refuses a parameter the schema does not have
        assert "recorded_by" in str(refused)
    else:
        assert run["state"]["type"] != "COMPLETED", run
    assert _submission_actors(dondoc_served, "48") == []


def test_dondoc_run_load_directive_reads_only_the_specs_folder(
    dondoc_served: DondocService,
) -> None:
    import shutil

    from dondoc.config.settings import DATA_DIR

    secret = dondoc_served.workdir / "secret.txt"
    secret.write_text("root:$6$SECRETHASH:19800:0:99999:7:::\n", encoding="utf-8")
    run = dondoc_served.cli("run", "load-directive", "-p", f"path={secret}")
    assert run.returncode == 1 and run.stdout.endswith(": Failed\n"), run.stdout + run.stderr
    (failed,) = dondoc_served.server.api(
        "POST", "/flow_runs/filter", {"flow_runs": {"state": {"type": {"any_": ["FAILED"]}}},
                                      "deployments": {"name": {"any_": ["load-directive"]}}},
    )  # fmt: skip
    message = failed["state"]["message"]
    assert "parameter path" in message and "DONDOC_SPECS_DIR" in message, message
    assert "SECRET" not in message + dondoc_served.flow_run_logs(failed["id"])
    assert failed["name"] == "Nạp chỉ thị: secret.txt"

    specs = dondoc_served.workdir / "specs"
    specs.mkdir(exist_ok=True)
    for name in ("24-CT-TTg.yaml", "351-BXD-PTDT.txt"):
        shutil.copy(DATA_DIR / "directives" / name, specs / name)
    loaded = dondoc_served.cli("run", "load-directive", "-p", "path=24-CT-TTg.yaml")
    assert loaded.returncode == 0 and "Nạp chỉ thị: 24-CT-TTg.yaml: Completed" in loaded.stdout, (
        loaded.stdout + loaded.stderr + dondoc_served.output()
    )
