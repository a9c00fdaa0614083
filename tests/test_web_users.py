"""`dondoc users add|list|disable`: the web board's accounts (issue #14). The password comes
from standard input, is stored as an argon2 hash only, and a disabled account cannot log in."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient

from tests.conftest import run_dondoc

INIT_AT = "2026-11-27T09:00+07:00"


def users(
    workdir: Path, *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "users", *args],
        input=password,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ),
        cwd=workdir,
        timeout=120,
        check=False,
    )


@pytest.fixture
def initialised(workdir: Path) -> Path:
    done = run_dondoc("init", "--at", INIT_AT, cwd=workdir)
    assert done.code == 0, done.err
    return workdir


def rows(workdir: Path) -> list[tuple[str, str, str, object]]:
    engine = create_engine(os.environ["DONDOC_DATABASE_URL"])
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT name, password_hash, role, disabled_at FROM app_user ORDER BY name")
        ).all()
    engine.dispose()
    return [tuple(r) for r in found]  # type: ignore[misc]


def test_add_reads_the_password_from_stdin_and_stores_an_argon2_hash(initialised: Path) -> None:
    added = users(initialised, "add", "lan", "--role", "coordinator", password="mật-khẩu-dài\n")
    assert added.returncode == 0, added.stderr
    [(name, hashed, role, disabled)] = rows(initialised)
    assert (name, role, disabled) == ("lan", "coordinator", None)
    assert hashed.startswith("$argon2id$") and "mật-khẩu-dài" not in hashed
    listed = users(initialised, "list")
    assert listed.returncode == 0 and "lan\tcoordinator" in listed.stdout
    assert "active" in listed.stdout


@pytest.mark.parametrize("password", ["", "\n", "ngan\n"])
def test_an_empty_or_short_password_is_refused_and_nothing_is_stored(
    initialised: Path, password: str
) -> None:
    added = users(initialised, "add", "lan", "--role", "viewer", password=password)
    assert added.returncode == 2
    assert "at least 8 characters" in added.stderr
    assert rows(initialised) == []


def test_the_password_is_never_an_argument(initialised: Path) -> None:
    added = users(initialised, "add", "lan", "--role", "viewer", "--password", "mat-khau-dai")
    assert added.returncode == 2
    assert rows(initialised) == []


def test_a_bad_role_a_bad_name_and_a_duplicate_are_refused(initialised: Path) -> None:
    assert (
        users(initialised, "add", "lan", "--role", "admin", password="mat-khau-dai\n").returncode
        == 2
    )
    assert (
        users(initialised, "add", "a b", "--role", "viewer", password="mat-khau-dai\n").returncode
        == 2
    )
    assert (
        users(initialised, "add", "lan", "--role", "viewer", password="mat-khau-dai\n").returncode
        == 0
    )
    again = users(initialised, "add", "lan", "--role", "coordinator", password="khac-hoan-toan\n")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert [(r[0], r[2]) for r in rows(initialised)] == [("lan", "viewer")]


def test_disable_marks_the_account_and_an_unknown_name_is_refused(initialised: Path) -> None:
    assert (
        users(initialised, "add", "lan", "--role", "viewer", password="mat-khau-dai\n").returncode
        == 0
    )
    done = users(initialised, "disable", "lan")
    assert done.returncode == 0, done.stderr
    [(_, _, _, disabled)] = rows(initialised)
    assert disabled is not None
    assert "disabled" in users(initialised, "list").stdout
    assert users(initialised, "disable", "nobody").returncode == 2


def test_users_refuses_an_uninitialised_database(workdir: Path) -> None:
    added = users(workdir, "add", "lan", "--role", "viewer", password="mat-khau-dai\n")
    assert added.returncode == 2 and "dondoc init" in added.stderr


# --- the first account, the login's way back, the session secret -------------------------------

COMMAND = re.compile(r"^  echo 'MAT-KHAU' \| (\S*dondoc) users add TEN --role coordinator$")


def test_without_an_account_the_board_says_how_to_make_the_first_one(no_account: Path) -> None:
    from tests.prefect_server import _free_port, _start, _stop, _tail

    port = _free_port()
    log = no_account / "web.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = _start(
        [sys.executable, "-m", "dondoc.cli", "web", "--port", str(port)], env, no_account, log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        page = _login_page_when_up(url, proc, log)
        lines = log.read_text(encoding="utf-8").splitlines()
        assert lines[0] == f"Bảng theo dõi: {url}/", _tail(log)
        assert "Chưa có tài khoản nào" in lines[1], _tail(log)
        found = COMMAND.match(lines[2])
        assert found, lines[2]
        assert Path(found.group(1)).name == "dondoc"
        assert "Chưa có tài khoản nào" in page and "users add TÊN --role coordinator" in page

        # The very command (with a real password for the placeholder) makes the first account,
        # and the login page no longer says there is none.
        added = users(
            no_account, "add", "lan", "--role", "coordinator", password="dai-du-8-ky-tu\n"
        )
        assert added.returncode == 0, added.stderr
        assert "Chưa có tài khoản nào" not in httpx.get(f"{url}/dang-nhap").text
    finally:
        _stop(proc)


def _login_page_when_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        try:
            got = httpx.get(f"{url}/dang-nhap", timeout=2)
            if got.status_code == 200:
                return got.text
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer:\n{log.read_text(errors='replace')}")


def _client(secret: str | None = "s" * 48) -> TestClient:
    from dondoc.config.settings import Settings
    from dondoc.web.app import create_app

    return TestClient(
        create_app(Settings(), secret=secret), base_url="http://127.0.0.1", follow_redirects=False
    )


def _log_in(client: TestClient, next_path: str | None = None) -> httpx.Response:
    form = client.get("/dang-nhap")
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
    assert token, form.text
    data = {"username": "lan", "password": "mat-khau-dai", "csrftoken": token.group(1)}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/dang-nhap", data=data)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `dondoc init`, no account yet, for the tests below; each works on a copy."""
    folder = tmp_path_factory.mktemp("users-web")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    url = f"sqlite:///{folder / 'dondoc.db'}"
    done = run_dondoc("init", "--at", INIT_AT, env={**env, "DONDOC_DATABASE_URL": url}, cwd=folder)
    assert done.code == 0, done.err
    return folder / "dondoc.db"


@pytest.fixture
def no_account(template_db: Path, workdir: Path) -> Path:
    """The working directory over a copy of the initialised database (no account)."""
    (workdir / "data").mkdir(exist_ok=True)
    shutil.copy(template_db, workdir / "data" / "dondoc.db")
    return workdir


@pytest.fixture
def one_coordinator(no_account: Path) -> Path:
    from dondoc.db import get_engine, transaction
    from dondoc.web.accounts import add_user

    url = os.environ["DONDOC_DATABASE_URL"]
    with transaction(get_engine(url)) as session:
        add_user(session, name="lan", password="mat-khau-dai", role="coordinator", actor="test")
    get_engine(url).dispose()
    return no_account


def test_the_login_leads_back_to_the_page_asked_for(one_coordinator: Path) -> None:
    client = _client()
    asked = "/bang-theo-doi?directive=24%2FCT-TTg&period=2026&q=ha+noi"
    sent = client.get(asked)
    assert sent.status_code == 303
    login_page = client.get(sent.headers["location"])
    assert login_page.status_code == 200
    kept = re.search(r'name="next" value="([^"]+)"', login_page.text)
    assert kept and html.unescape(kept.group(1)) == asked
    back = _log_in(client, html.unescape(kept.group(1)))
    assert back.status_code == 303 and back.headers["location"] == asked
    assert "Hà Nội" in client.get(back.headers["location"]).text


# Each would send the browser to another host (or nowhere): "//x" and "/\\x" are read as
# another host, browsers drop tabs and newlines ("/\t/x" becomes "//x").
OFF_SITE = (
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    "evil.example",
    "",
)


def test_the_login_never_leads_off_the_site(one_coordinator: Path) -> None:
    for evil in OFF_SITE:
        client = _client()
        shown = client.get("/dang-nhap", params={"next": evil})
        assert 'name="next"' not in shown.text, evil
        back = _log_in(client, evil)
        assert back.status_code == 303 and back.headers["location"] == "/", evil


def test_the_web_secret_is_read_from_dotenv_and_never_shown(one_coordinator: Path) -> None:
    from dondoc.config.settings import Settings
    from dondoc.errors import InputError
    from dondoc.web.app import web_secret

    secret = "bi-mat-rat-dai-" + "x" * 40
    (one_coordinator / ".env").write_text(f"DONDOC_WEB_SECRET={secret}\n", encoding="utf-8")
    settings = Settings()
    assert secret not in repr(settings) and secret not in str(settings.model_dump())
    assert web_secret(settings) == secret

    # A session signed by one board process is valid in the next one (same .env): the
    # coordinator stays logged in across a restart, and no data/web_secret is made.
    first = _client(secret=None)
    assert _log_in(first).status_code == 303
    second = _client(secret=None)
    second.cookies = first.cookies
    assert second.get("/").status_code == 200
    assert not (one_coordinator / "data" / "web_secret").exists()

    short = "ngan-qua"
    with pytest.raises(InputError) as refused:
        web_secret(Settings(web_secret=short))
    assert "32" in str(refused.value) and short not in str(refused.value)
    (one_coordinator / ".env").write_text(f"DONDOC_WEB_SECRET={short}\n", encoding="utf-8")
    started = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "web", "--port", "9"],
        capture_output=True, text=True, env=dict(os.environ), cwd=one_coordinator, timeout=60,
        check=False,
    )  # fmt: skip
    assert started.returncode == 2, started.stdout + started.stderr
    assert "DONDOC_WEB_SECRET" in started.stderr and short not in started.stdout + started.stderr
