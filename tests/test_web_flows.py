"""With PREFECT_API_URL set, the board's record and withdrawal (and `dondoc withdraw`) are
tracked flow runs on that Prefect server (the session's temporary one), named in Vietnamese,
tagged, linking back to the board; the result page links to the run. Refusals stay refusals."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests import test_web_app as web_app
from tests.conftest import run_dondoc
from tests.seeding import record_hanoi_report
from tests.test_web_app import events, login, make_client, record, snapshot, task_id, token

# The web app tests' fixtures: their `dondoc init` template, a copy per test, the clock.
template_db, db_url, clock = web_app.template_db, web_app.db_url, web_app.clock

BOARD = "https://bang.example.gov.vn"


@pytest.fixture
def tracked(prefect_api: None, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """PREFECT_API_URL in the environment, as `dondoc up` gives it to the board; the board's
    public address in DONDOC_WEB_URL (after `workdir` has cleared both)."""
    from prefect.settings import PREFECT_API_URL

    api = str(PREFECT_API_URL.value())
    monkeypatch.setenv("PREFECT_API_URL", api)
    monkeypatch.setenv("DONDOC_WEB_URL", BOARD)
    return api


def flow_run(run_id: str) -> Any:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id)


def artifact_markdown(key: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])), limit=1
        )
    return f"{found[0].description}\n{found[0].data}"


def failed_runs(tag: str) -> int:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
        FlowRunFilterTags,
    )
    from prefect.client.schemas.objects import StateType

    failed = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.FAILED]))
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag]), state=failed)
        )
    return len(runs)


def run_link(html: str, api: str) -> str:
    """The id of the flow run the page links to, under the Prefect UI (the API without /api)."""
    ui = re.escape(api.removesuffix("/api"))
    found = re.search(rf'href="{ui}/runs/flow-run/([0-9a-f-]{{36}})"', html)
    assert found, html[html.find('role="status"') :][:400]
    return found.group(1)


def test_a_report_recorded_and_withdrawn_on_the_board_are_flow_runs(
    tracked: str, db_url: str, clock: None
) -> None:
    client: TestClient = make_client(db_url)
    login(client)
    task = task_id(db_url, "79")
    got = record(client, task, "27/11/2026")
    assert got.status_code == 303
    page = client.get(got.headers["location"]).text
    assert "Đã ghi nhận: hoàn thành đúng hạn" in page
    run = flow_run(run_link(page, tracked))
    assert run.name == "Ghi nhận báo cáo: 79 · annual-report · 2026 (lan, bảng theo dõi)"
    assert {
        "agency:79",
        "obligation:annual-report",
        "period:2026",
        "directive:24/CT-TTg/2016",
        "source:web",
    } <= set(run.tags)
    assert run.state.is_completed()
    assert ("lan", "done_on_time") in events(db_url, "submission")
    assert f"{BOARD}/nhiem-vu/{task}" in artifact_markdown(f"task-{task}")

    got = client.post(
        f"/nhiem-vu/{task}/rut-bao-cao",
        data={"reason": "Nhầm cơ quan", "csrftoken": token(client, f"/nhiem-vu/{task}")},
    )
    assert got.status_code == 303
    page = client.get(got.headers["location"]).text
    assert "Đã rút báo cáo" in page
    run = flow_run(run_link(page, tracked))
    assert run.name == "Rút báo cáo: 79 · annual-report · 2026 (lan, bảng theo dõi)"
    assert run.state.is_completed() and "source:web" in run.tags
    assert ("lan", "due_soon") in events(db_url, "withdrawal")


def test_a_refused_record_shows_the_message_and_changes_nothing(
    tracked: str, db_url: str, clock: None
) -> None:
    client = make_client(db_url)
    login(client)
    task = task_id(db_url, "79")
    before, failed = snapshot(db_url), failed_runs("agency:79")
    got = record(client, task, "01/12/2026")
    assert got.status_code == 400
    assert "Ngày nhận 01/12/2026 sau ngày hôm nay (27/11/2026)" in got.text
    assert "/runs/flow-run/" not in got.text
    assert snapshot(db_url) == before
    # The operators' dashboard shows the refused attempt as a failed run.
    assert failed_runs("agency:79") == failed + 1


def test_dondoc_withdraw_is_a_flow_run_too(tracked: str, db_url: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags

    from dondoc.actors import local_actor

    at = ["--at", "2026-11-27T10:00+07:00"]
    record_hanoi_report(db_url, at[1])
    env = {**os.environ, "DONDOC_DATABASE_URL": db_url}
    common = ["--agency", "01", "--obligation", "annual-report", "--period", "2026"]
    done = run_dondoc("withdraw", *common, "--reason", "Nhầm số", *at, env=env)
    assert done.code == 0, done.err
    assert "withdrawn: 01 annual-report 2026 is due_soon again" in done.out
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=["source:cli", "agency:01"]))
        )
    who = local_actor()
    user = who.removesuffix(" (dòng lệnh)")
    assert [r.name for r in runs] == [f"Rút báo cáo: 01 · annual-report · 2026 ({user}, dòng lệnh)"]
    assert runs[0].state.is_completed() and "directive:24/CT-TTg/2016" in runs[0].tags
    assert events(db_url, "withdrawal") == [(who, "due_soon")]


def test_dondoc_up_tells_its_children_where_the_board_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dondoc.cli.platform import main_job_env

    monkeypatch.delenv("DONDOC_WEB_URL", raising=False)
    env = main_job_env("0.0.0.0", 4300, 8181, tmp_path)
    assert env["DONDOC_WEB_URL"] == "http://127.0.0.1:8181"
    assert env["PREFECT_API_URL"] == "http://0.0.0.0:4300/api"
    monkeypatch.setenv("DONDOC_WEB_URL", BOARD)  # the public address behind a proxy is kept
    assert main_job_env("127.0.0.1", 4300, 8181, tmp_path)["DONDOC_WEB_URL"] == BOARD


def test_without_prefect_api_url_the_board_never_imports_prefect(db_url: str) -> None:
    """In-process actions must not spend seconds importing Prefect (or starting a server)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from tests.test_web_app import login, make_client, record, task_id\n"
        f"url = {db_url!r}\n"
        "client = make_client(url)\n"
        "login(client)\n"
        "assert record(client, task_id(url, '79'), '27/11/2026', confirm=True).status_code == 303\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
