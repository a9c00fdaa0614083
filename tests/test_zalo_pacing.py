"""Zalo and ZNS keep to their configured rate and wait out HTTP 429 (the local HTTP server
stands in for the APIs): a 429 then a 200 delivers once; a 429 that does not stop is reported
transient, so the message stays queued for the next sweep (tests/test_zalo_sweep.py)."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from dondoc.notifications.pacing import MAX_WAIT, RETRIES, Pacer
from tests.test_zalo import (
    AT1,
    CHAT,
    PHONE,
    RT1,
    TEMPLATE_PATH,
    TOKEN,
    api,
    send,
    settings,
    stored,
    zalo_server,
)

__all__ = ["api", "zalo_server"]  # fixtures, shared with test_zalo.py
PATH = f"/bot{TOKEN}/sendMessage"
TOO_MANY = {"ok": False, "error_code": 429, "description": "Too Many Requests"}


class Replies:
    """Answers each request with the next of ``replies`` (the last one repeats) and keeps
    the server-side arrival time of every request."""

    def __init__(self, *replies: tuple[int, dict[str, object], dict[str, str]]) -> None:
        self.replies, self.arrivals = list(replies), list[float]()
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        with self._lock:
            self.arrivals.append(time.monotonic())
            status, body, headers = self.replies[min(len(self.arrivals), len(self.replies)) - 1]
        return Response(
            __import__("json").dumps(body), status, headers, content_type="application/json"
        )


def test_the_pacer_spaces_starts_by_the_rate_on_the_clock_it_is_given() -> None:
    now, slept = [100.0], list[float]()

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))
        now[0] += seconds

    pacer = Pacer(10, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        pacer.wait()
    assert slept == [0.1, 0.1]  # the first goes at once, then one every 0.1 s
    now[0] += 5  # idle for a while: no burst credit is saved up beyond the next slot
    pacer.wait()
    pacer.hold_off(2.0)  # a 429 asked for 2 s
    pacer.wait()
    assert slept == [0.1, 0.1, 2.0]


def test_a_429_then_200_delivers_once_after_retry_after(tmp_path: Path, api: HTTPServer) -> None:
    replies = Replies((429, TOO_MANY, {"Retry-After": "0.2"}), (200, {"ok": True}, {}))
    api.expect_request(PATH, method="POST").respond_with_handler(replies)
    result = send(settings(tmp_path, api), "zalo", CHAT)
    assert result.ok, result.error
    first, second = replies.arrivals
    assert second - first >= 0.2  # waited what the server asked for
    assert len(api.log) == 2 and [r.status_code for _, r in api.log] == [429, 200]


def test_a_429_without_retry_after_backs_off_exponentially_then_stays_transient(
    tmp_path: Path, api: HTTPServer
) -> None:
    replies = Replies((429, TOO_MANY, {}))
    api.expect_request(PATH, method="POST").respond_with_handler(replies)
    result = send(settings(tmp_path, api, zalo_backoff_seconds=0.05), "zalo", CHAT)
    assert not result.ok and result.transient and not result.permanent_target
    assert result.error and "429" in result.error and TOKEN not in result.error
    assert len(replies.arrivals) == 1 + RETRIES  # bounded
    gaps = [b - a for a, b in zip(replies.arrivals, replies.arrivals[1:], strict=False)]
    assert [g >= w for g, w in zip(gaps, (0.05, 0.1, 0.2), strict=True)] == [True] * RETRIES


def test_a_retry_after_beyond_the_bound_is_left_for_the_next_sweep(
    tmp_path: Path, api: HTTPServer
) -> None:
    replies = Replies((429, TOO_MANY, {"Retry-After": str(int(MAX_WAIT) + 1)}))
    api.expect_request(PATH, method="POST").respond_with_handler(replies)
    started = time.monotonic()
    result = send(settings(tmp_path, api), "zalo", CHAT)
    assert not result.ok and result.transient
    assert len(replies.arrivals) == 1 and time.monotonic() - started < MAX_WAIT


def test_parallel_senders_share_one_rate(tmp_path: Path, api: HTTPServer) -> None:
    replies = Replies((200, {"ok": True}, {}))
    api.expect_request(PATH, method="POST").respond_with_handler(replies)
    conf = settings(tmp_path, api, zalo_rate=25)
    results: list[bool] = []

    def sender() -> None:
        for _ in range(3):
            results.append(send(conf, "zalo", CHAT).ok)

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [True] * 9
    arrivals = sorted(replies.arrivals)
    # 9 requests at 25 per second: the starts are booked 40 ms apart, so the 9 arrivals span
    # at least 8 intervals (less a little network jitter), however the 3 threads interleave
    assert arrivals[-1] - arrivals[0] >= 8 * 0.04 * 0.9
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 0.04 * 0.5


def test_zns_waits_out_a_429_and_delivers_once(tmp_path: Path, api: HTTPServer) -> None:
    conf = settings(tmp_path, api)
    stored(conf, AT1, RT1)
    replies = Replies(
        (429, {"error": -429, "message": "rate"}, {"Retry-After": "0"}),
        (200, {"error": 0, "message": "Success", "data": {"msg_id": "z-1"}}, {}),
    )
    api.expect_request(TEMPLATE_PATH, method="POST").respond_with_handler(replies)
    result = send(conf, "zns", PHONE)
    assert result.ok, result.error
    assert [r.status_code for _, r in api.log] == [429, 200]
