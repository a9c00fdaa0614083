"""With PREFECT_API_URL set but its server down, recording a report on the board answers within
seconds with the Vietnamese 503 page, and nothing is recorded: a port nobody listens on (the
connection is refused) and a socket that accepts but never answers (Prefect's own client would
wait 60 s per request, five retries): the fixtures `refusing_port` and `silent_port`
(tests/conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import TypeVar

import httpx
import pytest

from tests import test_web_app as web_app
from tests.test_web_app import login, make_client, record, snapshot, task_id, token

template_db, db_url, clock = web_app.template_db, web_app.db_url, web_app.clock

T = TypeVar("T")
ANSWER_WITHIN = 8.0  # seconds; well above the probe's 2 s on a loaded machine, far below Prefect's


def within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``'s result, failing the test when it takes longer than ``seconds`` (the test
    client itself has no timeout: the app runs in its own thread, not over a socket)."""
    answer: Future[T] = Future()

    def run() -> None:
        try:
            answer.set_result(call())
        except BaseException as exc:
            answer.set_exception(exc)

    threading.Thread(target=run, daemon=True).start()
    wait([answer], timeout=seconds)
    if not answer.done():
        pytest.fail(f"the board did not answer within {seconds:g} s")
    return answer.result()


@pytest.mark.parametrize(
    ("server", "problem"),
    [
        ("refusing_port", "không kết nối được tới máy chủ"),
        ("silent_port", "máy chủ không trả lời trong 2 giây"),
    ],
)
def test_a_record_while_prefect_is_down_is_refused_quickly_and_changes_nothing(
    server: str,
    problem: str,
    request: pytest.FixtureRequest,
    db_url: str,
    clock: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = request.getfixturevalue(server)
    monkeypatch.setenv("PREFECT_API_URL", f"http://127.0.0.1:{port}/api")
    client = make_client(db_url)
    login(client)
    task = task_id(db_url, "79")
    before = snapshot(db_url)
    got: httpx.Response = within(ANSWER_WITHIN, lambda: record(client, task, "27/11/2026"))
    assert got.status_code == 503
    assert "Không thực hiện được qua máy chủ Prefect" in got.text
    assert problem in got.text
    assert "tải lại trang nhiệm vụ" in got.text
    assert snapshot(db_url) == before
    page = client.get(f"/nhiem-vu/{task}").text
    assert f'action="/nhiem-vu/{task}/bao-cao"' in page  # still open: the record form is there
    assert "Báo cáo đã nhận" not in page


def test_a_withdrawal_while_prefect_does_not_answer_is_refused_quickly(
    silent_port: int, db_url: str, clock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client(db_url)
    login(client)
    task = task_id(db_url, "79")
    assert record(client, task, "27/11/2026").status_code == 303  # in-process: no Prefect yet
    monkeypatch.setenv("PREFECT_API_URL", f"http://127.0.0.1:{silent_port}/api")
    before = snapshot(db_url)
    form = {"reason": "Nhầm cơ quan", "csrftoken": token(client, f"/nhiem-vu/{task}")}
    got: httpx.Response = within(
        ANSWER_WITHIN, lambda: client.post(f"/nhiem-vu/{task}/rut-bao-cao", data=form)
    )
    assert got.status_code == 503
    assert "máy chủ không trả lời trong 2 giây" in got.text
    assert snapshot(db_url) == before
    assert "Báo cáo đã nhận" in client.get(f"/nhiem-vu/{task}").text  # still recorded
