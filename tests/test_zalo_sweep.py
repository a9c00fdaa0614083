"""Issue #4 end to end: sweeps deliver to Zalo (a real HTTP server on loopback stands in for
the Zalo Bot Platform), failures are retried or flagged, and the token never leaks."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select, text
from werkzeug import Request, Response

from dondoc.config.settings import Settings
from dondoc.context import make_context
from dondoc.db import engine_for, transaction
from dondoc.models import Contact, Notification, metadata
from dondoc.notifications.pacing import RETRIES
from dondoc.service import import_contacts_file, init
from dondoc.tracking.sweep import run_sweep

VN = dt.timezone(dt.timedelta(hours=7))
T14 = dt.datetime(2026, 11, 25, 8, 30, tzinfo=VN)
BOT_ID, SECRET = "4711", "Zb0t-S3cr3t-Value"
TOKEN = f"{BOT_ID}:{SECRET}"


class ZaloStub:
    """Answers sendMessage like the Zalo Bot Platform; `behaviour` maps chat id to a reply."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.behaviour: dict[str, tuple[int, dict[str, Any]]] = {}

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.get_data(as_text=True))
        self.posts.append({"path": request.path, "at": time.monotonic(), **body})
        status, reply = self.behaviour.get(body["chat_id"], (200, {"ok": True, "result": {}}))
        headers = {"Retry-After": "0"} if status == 429 else {}
        return Response(json.dumps(reply), status, headers, content_type="application/json")


@pytest.fixture
def zalo(httpserver: HTTPServer) -> ZaloStub:
    stub = ZaloStub()
    httpserver.expect_request(
        re.compile(r"/bot.+/sendMessage"), method="POST"
    ).respond_with_handler(stub)
    return stub


@pytest.fixture
def settings(
    database_url: str, tmp_path: Path, httpserver: HTTPServer, smtp_server: Any
) -> Settings:
    s = Settings(
        database_url=database_url,
        outbox_dir=tmp_path / "outbox",
        zalo_bot_token=TOKEN,
        zalo_api_base=httpserver.url_for("/").rstrip("/"),
        smtp_url=smtp_server.url,
        coordinator_contacts="dauvmoi@ptdt.test",
        retry_base_seconds=600,
    )
    init(s, make_context(s, dt.datetime(2026, 11, 20, 9, tzinfo=VN)))
    csv = tmp_path / "contacts.csv"
    csv.write_text(
        "agency,channel,target,role\n01,zalo,chat-hanoi,focal\n79,zalo,chat-hcm,focal\n"
        "48,zalo,chat-unknown,focal\n01,zalo,chat-hanoi-leader,leader\n",
        encoding="utf-8",
    )
    import_contacts_file(s, csv, replace=False)
    return s


def _sweep(settings: Settings, at: dt.datetime) -> Any:
    return run_sweep(engine_for(settings), make_context(settings, at))


def test_t14_posts_one_vietnamese_message_per_chat_and_never_twice(
    settings: Settings, zalo: ZaloStub
) -> None:
    _sweep(settings, T14)
    assert sorted(p["chat_id"] for p in zalo.posts) == ["chat-hanoi", "chat-hcm", "chat-unknown"]
    hanoi = next(p for p in zalo.posts if p["chat_id"] == "chat-hanoi")
    assert "Ủy ban nhân dân thành phố Hà Nội" in hanoi["text"] and "09/12/2026" in hanoi["text"]
    assert len(hanoi["text"]) <= 2000 and hanoi["path"] == f"/bot{TOKEN}/sendMessage"
    _sweep(settings, T14 + dt.timedelta(hours=1))
    assert len(zalo.posts) == 3


def test_a_failing_chat_is_flagged_and_the_others_still_get_theirs(
    settings: Settings, zalo: ZaloStub, smtp_server: Any
) -> None:
    zalo.behaviour["chat-unknown"] = (
        400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )  # fmt: skip
    summary = _sweep(settings, T14)
    assert summary.delivery.sent == 2 and summary.delivery.given_up == 1
    with transaction(engine_for(settings)) as session:
        flagged = session.execute(
            select(Contact).where(Contact.target == "chat-unknown")
        ).scalar_one()
    assert flagged.flagged_at is not None and "chat not found" in (flagged.flag_reason or "")
    [alert] = [m for m in smtp_server.messages if m.recipients == ("dauvmoi@ptdt.test",)]
    assert "Không gửi được thông báo" in alert.subject_text and "chat-unknown" in alert.body_text
    _sweep(settings, dt.datetime(2026, 12, 2, 8, 30, tzinfo=VN))
    assert [p["chat_id"] for p in zalo.posts].count("chat-unknown") == 1  # flagged: no more


def test_a_server_error_today_is_delivered_by_a_later_sweep(
    settings: Settings, zalo: ZaloStub
) -> None:
    zalo.behaviour["chat-hcm"] = (500, {"ok": False, "error_code": 500, "description": "oops"})
    first = _sweep(settings, T14)
    assert first.delivery.failed == 1
    zalo.behaviour.pop("chat-hcm")
    later = _sweep(settings, T14 + dt.timedelta(minutes=15))
    assert later.delivery.sent == 1
    assert [p["chat_id"] for p in zalo.posts].count("chat-hcm") == 2
    with transaction(engine_for(settings)) as session:
        statuses = set(session.execute(select(Notification.status)).scalars())
    assert statuses == {"sent"}


def test_a_throttled_chat_waits_for_the_next_sweep_and_the_rate_holds_across_workers(
    settings: Settings, zalo: ZaloStub
) -> None:
    fast = settings.model_copy(update={"zalo_rate": 20, "delivery_workers_zalo": 3})
    zalo.behaviour["chat-hcm"] = (429, {"ok": False, "error_code": 429, "description": "slow"})
    first = _sweep(fast, T14)
    assert first.delivery.sent == 2 and first.delivery.failed == 1
    assert [p["chat_id"] for p in zalo.posts].count("chat-hcm") == 1 + RETRIES
    starts = sorted(p["at"] for p in zalo.posts)
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.05 * 0.5
    assert starts[-1] - starts[0] >= (len(starts) - 1) * 0.05 * 0.9  # 20 a second at most
    zalo.behaviour.pop("chat-hcm")
    later = _sweep(fast, T14 + dt.timedelta(minutes=15))
    assert later.delivery.sent == 1 and later.delivery.messages == 1
    delivered = [p["chat_id"] for p in zalo.posts if p["chat_id"] != "chat-hcm"]
    assert sorted(delivered) == ["chat-hanoi", "chat-unknown"]  # nobody twice
    with transaction(engine_for(settings)) as session:
        statuses = set(session.execute(select(Notification.status)).scalars())
    assert statuses == {"sent"}


def test_leaders_are_copied_at_seven_days_overdue(settings: Settings, zalo: ZaloStub) -> None:
    _sweep(settings, dt.datetime(2026, 12, 10, 8, 30, tzinfo=VN))
    assert "chat-hanoi-leader" not in [p["chat_id"] for p in zalo.posts]
    _sweep(settings, dt.datetime(2026, 12, 17, 8, 30, tzinfo=VN))
    leader = [p for p in zalo.posts if p["chat_id"] == "chat-hanoi-leader"]
    assert len(leader) == 1 and "quá hạn" in leader[0]["text"]


def test_the_token_appears_nowhere(
    settings: Settings, zalo: ZaloStub, caplog: pytest.LogCaptureFixture
) -> None:
    zalo.behaviour["chat-hcm"] = (500, {"ok": False, "error_code": 500, "description": TOKEN})
    zalo.behaviour["chat-unknown"] = (
        403,
        {"ok": False, "error_code": 403, "description": "blocked"},
    )
    with caplog.at_level(logging.DEBUG):
        summary = _sweep(settings, T14)
    # The stand-in server's own access log (werkzeug) prints request paths; it is not dondoc.
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    assert SECRET not in ours
    assert SECRET not in json.dumps(summary.as_dict(), default=str)
    with transaction(engine_for(settings)) as session:
        for table in metadata.sorted_tables:
            dump = " ".join(str(r) for r in session.execute(text(f'SELECT * FROM "{table.name}"')))
            assert SECRET not in dump, table.name


def test_the_token_is_not_in_cli_output_or_artifacts(
    workdir: Path,
    cli: Any,
    httpserver: HTTPServer,
    zalo: ZaloStub,
    prefect_api: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio

    from prefect.client.orchestration import get_client

    from dondoc.config.settings import get_settings
    from dondoc.flows.sweep import sweep_flow

    monkeypatch.setenv("DONDOC_ZALO_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DONDOC_ZALO_API_BASE", httpserver.url_for("/").rstrip("/"))
    get_settings.cache_clear()
    zalo.behaviour["chat-hcm"] = (500, {"ok": False, "error_code": 500, "description": "down"})
    outputs = [cli("init", "--at", "2026-11-20T09:00+07:00")]
    (workdir / "c.csv").write_text(
        "agency,channel,target\n01,zalo,chat-hanoi\n79,zalo,chat-hcm\n", encoding="utf-8"
    )
    outputs += [cli("contacts", "import", "c.csv"), cli("sweep", "--at", "2026-11-25T08:30+07:00")]
    outputs += [cli("status", "--format", "json"), cli("sweep", "--dry-run")]
    assert all(o.code == 0 for o in outputs), [o.err for o in outputs]
    assert not any(SECRET in o.out + o.err for o in outputs)
    assert len(zalo.posts) == 2

    sweep_flow(at=dt.datetime(2026, 11, 25, 9, 30, tzinfo=VN))

    async def artifacts() -> list[Any]:
        async with get_client() as client:
            return list(await client.read_artifacts())

    dumped = json.dumps([a.model_dump(mode="json") for a in asyncio.run(artifacts())])
    assert "sweep-summary" in dumped and SECRET not in dumped
