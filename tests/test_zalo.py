"""The Zalo Bot Platform and ZNS plugins against a real HTTP server on loopback: payloads,
classification of failures, the ZNS token store and its refresh, and that no secret leaks."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import apprise
import pytest
import pytest_httpserver.httpserver
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response
from werkzeug.serving import WSGIRequestHandler, make_server

from dondoc.config.settings import Settings
from dondoc.notifications import zalo, zns
from dondoc.notifications.channels import apprise_url_for, configured_secrets, privacy_url
from dondoc.notifications.deliver import DeliveryResult, deliver
from dondoc.notifications.message import MessageContext, RenderedMessage, TaskLine
from dondoc.notifications.render import render_message
from dondoc.notifications.zns_tokens import Tokens, TokenStore, fingerprint

HANOI = "Ủy ban nhân dân thành phố Hà Nội"
TITLE = "Báo cáo kết quả thực hiện Chỉ thị số 24/CT-TTg"
BOT_ID, BOT_SECRET = "4711", "Zb0t-S3cr3t-Value"
TOKEN = f"{BOT_ID}:{BOT_SECRET}"
CHAT = "chat-hanoi"
APP_ID, SECRET_KEY, TEMPLATE = "3141592653", "Zns-SecretKey-0042", "271828"
PHONE = "84912345678"
RT0, RT1, RT2, RT3 = (f"refresh-token-{n}-xyzzy" for n in range(4))
AT_OLD, AT1, AT2, AT3 = (f"access-token-{n}-plugh" for n in ("old", 1, 2, 3))
ALL_SECRETS = (TOKEN, BOT_SECRET, SECRET_KEY, RT0, RT1, RT2, RT3, AT_OLD, AT1, AT2, AT3)
OAUTH, TEMPLATE_PATH = "/v4/oa/access_token", "/message/template"


class _KeepUnderscoreHeaders(WSGIRequestHandler):
    """Werkzeug's server drops header names with "_" (a proxy-spoofing guard), but the Zalo APIs
    use them (``access_token``, ``secret_key``); this test server keeps them."""

    def make_environ(self) -> Any:
        environ = super().make_environ()
        for key, value in self.headers.items():
            if "_" in key:
                environ["HTTP_" + key.upper().replace("-", "_")] = value
        return environ


@pytest.fixture(scope="module")
def zalo_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    keep = functools.partial(make_server, request_handler=_KeepUnderscoreHeaders)
    with mock.patch.object(pytest_httpserver.httpserver, "make_server", keep):
        server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def api(zalo_server: HTTPServer) -> Iterator[HTTPServer]:
    zalo_server.clear()
    yield zalo_server
    zalo_server.clear()


def message() -> RenderedMessage:
    line = TaskLine(
        obligation_code="annual-report",
        obligation_title=TITLE,
        directive_number="24/CT-TTg",
        dispatch_number="351/BXD-PTĐT",
        dispatch_date=dt.date(2017, 2, 27),
        period_label="2026",
        due_day=dt.date(2026, 12, 9),
        days_left=14,
        phrase="trước ngày 10 tháng 12 hàng năm",
        report_to="Bộ Xây dựng (Cục Phát triển đô thị)",
    )
    ctx = MessageContext(
        agency_code="01",
        agency_name=HANOI,
        recipient_name="Văn thư",
        lines=(line,),
        today=dt.date(2026, 11, 25),
        sender_name="Cục Phát triển đô thị - Bộ Xây dựng",
    )
    return render_message(ctx)


def settings(tmp_path: Path, server: HTTPServer, **changes: Any) -> Settings:
    base = server.url_for("/").rstrip("/")
    values: dict[str, Any] = {
        "outbox_dir": tmp_path / "outbox",
        "zalo_bot_token": TOKEN,
        "zalo_api_base": base,
        "zns_app_id": APP_ID,
        "zns_secret_key": SECRET_KEY,
        "zns_refresh_token": RT0,
        "zns_template_id": TEMPLATE,
        "zns_api_base": base,
        "zns_oauth_base": base,
        "zns_token_file": tmp_path / "data" / "zns_tokens.json",
        "zalo_timeout_seconds": 2,
    }
    values.update(changes)
    return Settings(_env_file=None, **values)


def send(conf: Settings, channel: str, target: str) -> DeliveryResult:
    url = apprise_url_for(channel, target, conf)
    return deliver(url, message(), secrets=configured_secrets(conf))


def assert_no_secret(*texts: str | None) -> None:
    for text in texts:
        for secret in ALL_SECRETS:
            assert secret not in (text or ""), f"{secret!r} leaked"


# --- Zalo Bot Platform -----------------------------------------------------------------


def test_zalo_sends_the_compact_vietnamese_text(tmp_path: Path, api: HTTPServer) -> None:
    sent = message()
    api.expect_oneshot_request(
        f"/bot{TOKEN}/sendMessage", method="POST", json={"chat_id": CHAT, "text": sent.compact}
    ).respond_with_json({"ok": True, "result": {"message_id": "m-1"}})
    result = send(settings(tmp_path, api), "zalo", CHAT)
    assert result == DeliveryResult(ok=True, error=None, transient=False)
    api.check_assertions()
    [(request, _)] = api.log
    body = request.get_json()
    assert body["chat_id"] == CHAT and len(body["text"]) <= 2000
    assert f"Kính gửi: {HANOI}" in body["text"] and "hạn 09/12/2026" in body["text"]
    assert "còn 14 ngày" in body["text"]


@pytest.mark.parametrize(
    ("status", "code", "description", "about_target"),
    [
        (400, 400, "Bad Request: chat not found", True),
        (403, 403, "Forbidden: the user has blocked the bot", True),
        (404, 404, "Not Found", True),
        (200, 400, "Bad Request: chat not found", True),
        (401, 401, "Unauthorized", False),
        (400, 400, "Bad Request: text is too long", False),
    ],
)
def test_zalo_refusals_are_permanent(
    tmp_path: Path, api: HTTPServer, status: int, code: int, description: str, about_target: bool
) -> None:
    reply = {"ok": False, "error_code": code, "description": description}
    api.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_json(reply, status=status)
    result = send(settings(tmp_path, api), "zalo", CHAT)
    assert not result.ok and not result.transient
    assert result.permanent_target is about_target
    assert result.error and description in result.error and CHAT in result.error
    assert_no_secret(result.error)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, {"ok": False, "error_code": 500, "description": f"oops {TOKEN}"}),
        (502, "<html>Bad Gateway</html>"),
    ],
)
def test_zalo_throttling_and_server_errors_are_transient(
    tmp_path: Path, api: HTTPServer, status: int, body: Any
) -> None:
    handler = api.expect_oneshot_request(f"/bot{TOKEN}/sendMessage")
    if isinstance(body, dict):
        handler.respond_with_json(body, status=status)
    else:
        handler.respond_with_data(body, status=status, content_type="text/html")
    result = send(settings(tmp_path, api), "zalo", CHAT)
    assert not result.ok and result.transient and not result.permanent_target
    assert result.error and str(status) in result.error
    assert_no_secret(result.error)


def test_zalo_timeout_is_transient(tmp_path: Path, api: HTTPServer) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(timeout=5)  # longer than the plugin waits
        return Response(json.dumps({"ok": True}), content_type="application/json")

    api.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_handler(slow)
    conf = settings(tmp_path, api, zalo_timeout_seconds=0.3)
    started = time.monotonic()
    try:
        result = send(conf, "zalo", CHAT)
    finally:
        release.set()
    assert time.monotonic() - started < 3
    assert not result.ok and result.transient and "timed out" in (result.error or "")
    assert_no_secret(result.error)


def test_zalo_unreachable_is_transient_and_masked(tmp_path: Path, api: HTTPServer) -> None:
    conf = settings(tmp_path, api, zalo_api_base="http://127.0.0.1:9")  # discard port: refused
    result = send(conf, "zalo", CHAT)
    assert not result.ok and result.transient and "refused" in (result.error or "").lower()
    assert_no_secret(result.error)


def test_one_failing_chat_does_not_stop_the_others(api: HTTPServer) -> None:
    path = f"/bot{TOKEN}/sendMessage"
    api.expect_ordered_request(
        path, json={"chat_id": "chat-gone", "text": "Nhắc hạn"}
    ).respond_with_json(
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}, status=400
    )
    api.expect_ordered_request(path, json={"chat_id": CHAT, "text": "Nhắc hạn"}).respond_with_json(
        {"ok": True, "result": {}}
    )
    base = quote(api.url_for("/").rstrip("/"), safe="")
    url = f"zalo://{TOKEN}/chat-gone/{CHAT}?base={base}"  # two chats in one URL
    result = deliver(url, RenderedMessage("Nhắc hạn", "Nhắc hạn", "<p>Nhắc hạn</p>", "Nhắc hạn"))
    api.check_assertions()
    assert not result.ok and not result.transient and result.permanent_target
    assert "chat-gone" in (result.error or "") and len(api.log) == 2


def test_zalo_url_forms_and_privacy(tmp_path: Path, api: HTTPServer) -> None:
    conf = settings(tmp_path, api, zalo_api_base=None, zalo_timeout_seconds=None)
    url = apprise_url_for("zalo", CHAT, conf)
    assert url == f"zalo://{BOT_ID}:{BOT_SECRET}/{CHAT}?rate=5&backoff=1"
    plugin = apprise.Apprise.instantiate(url)
    assert plugin.base == "https://bot-api.zaloplatforms.com" and plugin.targets == [CHAT]
    assert plugin.pacing.pacer.interval == 0.2 and plugin.pacing.backoff == 1
    proxied = apprise_url_for("zalo", CHAT, settings(tmp_path, api, zalo_timeout_seconds=1.5))
    assert "base=http%3A%2F%2F127.0.0.1" in proxied and "rto=1.5" in proxied
    shown = privacy_url(proxied)
    assert shown.startswith(f"zalo://****/{CHAT}?") and "127.0.0.1" in shown
    assert_no_secret(shown)
    assert BOT_SECRET in configured_secrets(conf) and TOKEN in configured_secrets(conf)
    unset = settings(tmp_path, api, zalo_bot_token=None)
    assert apprise_url_for("zalo", CHAT, unset).startswith("dondocoutbox://")


class FakeRegistry:
    """Stands in for Apprise's NotificationManager: which schemas it knows, what was added."""

    def __init__(self, *schemas: str) -> None:
        self.schemas = set(schemas)
        self.added: list[tuple[Any, str]] = []

    def __contains__(self, schema: object) -> bool:
        return schema in self.schemas

    def add(self, plugin: Any, schemas: str) -> bool:
        self.added.append((plugin, schemas))
        return True


@pytest.mark.parametrize(
    ("module", "schema", "plugin"),
    [(zalo, "zalo", zalo.NotifyZaloBot), (zns, "zns", zns.NotifyZNS)],
)
def test_register_only_when_apprise_lacks_the_schema(module: Any, schema: str, plugin: Any) -> None:
    built_in = FakeRegistry(schema, "mailto")  # a newer Apprise that ships its own
    assert module.register(built_in) is False and built_in.added == []
    older = FakeRegistry("mailto")
    assert module.register(older) is True and older.added == [(plugin, schema)]
    assert schema in apprise.NotificationManager()  # the real registry knows it either way


# --- Zalo Notification Service -----------------------------------------------------------

LATER = dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)


def store_for(conf: Settings) -> TokenStore:
    seed = conf.zns_refresh_token
    return TokenStore(conf.zns_token_file, seed.get_secret_value() if seed else None)


def stored(conf: Settings, access: str, refresh: str) -> None:
    """The store as a previous run left it: a valid access token and the latest refresh token."""
    store_for(conf).save(Tokens(access, LATER, refresh, seed=fingerprint(RT0)))


def template_ok(api: HTTPServer, access: str) -> None:
    api.expect_ordered_request(
        TEMPLATE_PATH, method="POST", headers={"access_token": access}
    ).respond_with_json({"error": 0, "message": "Success", "data": {"msg_id": "z-1"}})


def oauth_grants(api: HTTPServer, refresh: str, access: str, new_refresh: str) -> None:
    api.expect_ordered_request(
        OAUTH, method="POST", headers={"secret_key": SECRET_KEY}
    ).respond_with_json(
        {"access_token": access, "refresh_token": new_refresh, "expires_in": "90000"}
    )


def forms(api: HTTPServer) -> list[dict[str, str]]:
    return [dict(request.form) for request, _ in api.log if request.path == OAUTH]


def test_zns_sends_the_template_data(tmp_path: Path, api: HTTPServer) -> None:
    conf = settings(tmp_path, api)
    stored(conf, AT1, RT1)
    template_ok(api, AT1)
    result = send(conf, "zns", "0912 345 678")
    assert result == DeliveryResult(ok=True, error=None, transient=False), result.error
    api.check_assertions()
    [(request, _)] = api.log
    body = request.get_json()
    assert body["phone"] == PHONE and body["template_id"] == TEMPLATE
    assert body["template_data"] == {
        "agency_name": HANOI,
        "obligation": TITLE,
        "period": "2026",
        "due_date": "09/12/2026",
        "days_left": "14",
        "status_text": "còn 14 ngày",
    }
    assert len(body["tracking_id"]) == 32


def test_zns_first_send_refreshes_from_the_seed(tmp_path: Path, api: HTTPServer) -> None:
    conf = settings(tmp_path, api)
    assert not conf.zns_token_file.exists()
    oauth_grants(api, RT0, AT1, RT1)
    template_ok(api, AT1)
    assert send(conf, "zns", PHONE).ok
    api.check_assertions()
    assert forms(api) == [{"refresh_token": RT0, "app_id": APP_ID, "grant_type": "refresh_token"}]
    tokens = store_for(conf).load()
    assert (tokens.access_token, tokens.refresh_token) == (AT1, RT1)
    assert tokens.expires_at is not None and tokens.expires_at > LATER
    assert stat.S_IMODE(conf.zns_token_file.stat().st_mode) == 0o600
    assert [p.name for p in conf.zns_token_file.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    ("code", "about_target"), [(-108, True), (-109, False)], ids=["invalid-phone", "template"]
)
def test_zns_invalid_phone_or_template_is_permanent(
    tmp_path: Path, api: HTTPServer, code: int, about_target: bool
) -> None:
    conf = settings(tmp_path, api)
    stored(conf, AT1, RT1)
    api.expect_oneshot_request(TEMPLATE_PATH).respond_with_json({"error": code, "message": "no"})
    result = send(conf, "zns", PHONE)
    assert not result.ok and not result.transient and result.permanent_target is about_target
    assert f"ZNS error {code}" in (result.error or "") and PHONE in (result.error or "")


def test_an_expired_token_is_refreshed_and_never_reused(tmp_path: Path, api: HTTPServer) -> None:
    conf = settings(tmp_path, api)
    stored(conf, AT_OLD, RT1)
    expired = {"error": -124, "message": "Access token is invalid"}
    api.expect_ordered_request(TEMPLATE_PATH, headers={"access_token": AT_OLD}).respond_with_json(
        expired
    )
    oauth_grants(api, RT1, AT2, RT2)
    template_ok(api, AT2)
    first = send(conf, "zns", PHONE)
    assert first.ok, first.error
    # The next access token expires too: the second refresh spends the rotated token.
    api.expect_ordered_request(TEMPLATE_PATH, headers={"access_token": AT2}).respond_with_json(
        expired
    )
    oauth_grants(api, RT2, AT3, RT3)
    template_ok(api, AT3)
    second = send(conf, "zns", PHONE)
    assert second.ok, second.error
    api.check_assertions()
    assert [form["refresh_token"] for form in forms(api)] == [RT1, RT2]
    oauth_calls = [request for request, _ in api.log if request.path == OAUTH]
    assert [request.headers.get("secret_key") for request in oauth_calls] == [SECRET_KEY] * 2
    sent_with = [r.headers.get("access_token") for r, _ in api.log if r.path == TEMPLATE_PATH]
    assert sent_with == [AT_OLD, AT2, AT2, AT3]
    assert all(
        form
        == {"refresh_token": form["refresh_token"], "app_id": APP_ID, "grant_type": "refresh_token"}
        for form in forms(api)
    )
    tokens = store_for(conf).load()
    assert (tokens.access_token, tokens.refresh_token) == (AT3, RT3)
    assert stat.S_IMODE(conf.zns_token_file.stat().st_mode) == 0o600


def test_a_refused_refresh_is_permanent(tmp_path: Path, api: HTTPServer) -> None:
    conf = settings(tmp_path, api)
    stored(conf, AT_OLD, RT1)
    api.expect_ordered_request(TEMPLATE_PATH).respond_with_json({"error": -124, "message": "x"})
    api.expect_ordered_request(OAUTH).respond_with_json(
        {"error": -14014, "error_name": "Invalid refresh token", "error_description": RT1}
    )
    result = send(conf, "zns", PHONE)
    api.check_assertions()
    assert not result.ok and not result.transient and not result.permanent_target
    assert "refresh refused" in (result.error or "") and "-14014" in (result.error or "")
    assert_no_secret(result.error)


def test_an_unreachable_oauth_server_is_transient(tmp_path: Path, api: HTTPServer) -> None:
    conf = settings(tmp_path, api)
    stored(conf, AT_OLD, RT1)
    api.expect_ordered_request(TEMPLATE_PATH).respond_with_json({"error": -124, "message": "x"})
    api.expect_ordered_request(OAUTH).respond_with_data("busy", status=503)
    result = send(conf, "zns", PHONE)
    assert not result.ok and result.transient and "503" in (result.error or "")
    assert store_for(conf).load().refresh_token == RT1  # kept for the retry


def test_two_processes_never_spend_the_same_refresh_token(tmp_path: Path) -> None:
    path = tmp_path / "zns_tokens.json"
    TokenStore(path).save(Tokens(None, None, RT1))
    spent: list[str] = []

    def exchange(refresh: str) -> Tokens:
        spent.append(refresh)
        time.sleep(0.2)  # a slow OAuth server: the other process waits on the lock meanwhile
        return Tokens(AT2, LATER, RT2)

    results: list[Tokens] = []
    workers = [
        threading.Thread(target=lambda: results.append(TokenStore(path).access_token(exchange)))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert spent == [RT1] and [t.access_token for t in results] == [AT2, AT2]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.with_name(path.name + ".lock").stat().st_mode) == 0o600


def test_the_seed_is_used_only_when_new(tmp_path: Path) -> None:
    path = tmp_path / "zns_tokens.json"
    assert TokenStore(path, RT0).load().refresh_token == RT0  # empty store: the seed
    TokenStore(path, RT0).save(Tokens(AT1, LATER, RT1, seed=fingerprint(RT0)))
    assert TokenStore(path, RT0).load().refresh_token == RT1  # the seed was spent long ago
    assert TokenStore(path, RT3).load().refresh_token == RT3  # authorised again: a new seed
    assert RT0 not in path.read_text() and RT1 in path.read_text()


def test_zns_url_forms_and_fallback(tmp_path: Path, api: HTTPServer) -> None:
    conf = settings(tmp_path, api)
    url = apprise_url_for("zns", "0912345678", conf)
    assert url.startswith(f"zns://{APP_ID}:{SECRET_KEY}@{TEMPLATE}/{PHONE}?state=")
    shown = privacy_url(url)
    assert (
        shown.startswith(f"zns://{APP_ID}:****@{TEMPLATE}/{PHONE}?") and "refresh_token=" in shown
    )
    assert_no_secret(shown)
    no_template = settings(tmp_path, api, zns_template_id=None)
    assert apprise_url_for("zns", PHONE, no_template).startswith("dondocoutbox://")
    unseeded = settings(tmp_path, api, zns_refresh_token=None)
    assert apprise_url_for("zns", PHONE, unseeded).startswith("dondocoutbox://")
    stored(conf, AT1, RT1)  # a token obtained earlier is enough without the setting
    assert apprise_url_for("zns", PHONE, unseeded).startswith("zns://")
    assert {SECRET_KEY, RT0, AT1, RT1} <= set(configured_secrets(conf))


# --- secrets never leak ----------------------------------------------------------------


def test_no_secret_in_results_urls_or_logs(
    tmp_path: Path, api: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    conf = settings(tmp_path, api)
    stored(conf, AT_OLD, RT1)
    caplog.set_level(logging.DEBUG)
    api.expect_ordered_request(f"/bot{TOKEN}/sendMessage").respond_with_json(
        {"ok": False, "error_code": 500, "description": f"echo {TOKEN} {BOT_SECRET}"}, status=500
    )
    api.expect_ordered_request(TEMPLATE_PATH).respond_with_json(
        {"error": -124, "message": f"bad token {AT_OLD}"}
    )
    oauth_grants(api, RT1, AT2, RT2)
    api.expect_ordered_request(TEMPLATE_PATH).respond_with_json(
        {"error": -131, "message": f"echo {AT2} {RT2} {SECRET_KEY}"}
    )
    results = [send(conf, "zalo", CHAT), send(conf, "zns", PHONE)]
    api.check_assertions()
    assert [r.ok for r in results] == [False, False]
    assert_no_secret(*(r.error for r in results))
    assert_no_secret(
        *(privacy_url(apprise_url_for(c, t, conf)) for c, t in [("zalo", CHAT), ("zns", PHONE)])
    )
    # Everything logged on dondoc's side; werkzeug's records are the stand-in Zalo server's.
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    assert "/bot****/sendMessage" in ours and "Zalo ZNS" in ours  # logged, and redacted
    assert_no_secret(ours)
