"""The web board (issue #14) against the real app on a real SQLite database made by
`dondoc init`: login, the login gate, CSRF, roles, recording and withdrawing through the same
service as the CLI, the board's filters, search and CSV, security headers."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from sqlalchemy import create_engine, func, select
from sqlmodel import Session, col
from starlette.testclient import TestClient

from tests.conftest import run_dondoc

INIT_AT = "2026-11-27T09:00+07:00"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=HCM)  # the 2026 annual report is due 09/12/2026
PASSWORD = "mat-khau-dai-1"


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `dondoc init` per module with three accounts; each test works on a copy."""
    from dondoc.db import get_engine, transaction
    from dondoc.web.accounts import add_user, disable_user

    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder / 'dondoc.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    done = run_dondoc("init", "--at", INIT_AT, env={**env, "DONDOC_DATABASE_URL": url}, cwd=folder)
    assert done.code == 0, done.err
    with transaction(get_engine(url)) as session:
        add_user(session, name="lan", password=PASSWORD, role="coordinator", actor="test")
        add_user(session, name="minh", password=PASSWORD, role="viewer", actor="test")
        add_user(session, name="cu", password=PASSWORD, role="coordinator", actor="test")
        disable_user(session, name="cu", actor="test")
    contacts = folder / "contacts.csv"
    contacts.write_text(
        "agency,channel,target,role,name\n79,email,vanthu@hochiminhcity.gov.vn,focal,Văn thư\n",
        encoding="utf-8",
    )
    from dondoc.config.settings import Settings
    from dondoc.service import import_contacts_file

    import_contacts_file(Settings(database_url=url), contacts, replace=False)
    get_engine(url).dispose()
    get_engine.cache_clear()
    return folder / "dondoc.db"


@pytest.fixture
def db_url(template_db: Path, workdir: Path) -> str:
    target = workdir / "data" / "dondoc.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template_db, target)
    return f"sqlite:///{target}"


def make_client(url: str) -> TestClient:
    from dondoc.config.settings import Settings
    from dondoc.web.app import create_app

    return TestClient(
        create_app(Settings(database_url=url), secret="s" * 48),
        base_url="http://127.0.0.1:8080",
        follow_redirects=False,
    )


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def client(db_url: str, clock: None) -> TestClient:
    return make_client(db_url)


def token(client: TestClient, page: str = "/dang-nhap") -> str:
    got = client.get(page)
    assert got.status_code == 200, got.text
    found = re.search(r'name="csrftoken" value="([^"]+)"', got.text)
    assert found
    return found.group(1)


def login(client: TestClient, name: str = "lan", password: str = PASSWORD) -> httpx.Response:
    return client.post(
        "/dang-nhap", data={"username": name, "password": password, "csrftoken": token(client)}
    )


def task_id(url: str, agency: str, obligation: str = "annual-report", period: str = "2026") -> int:
    from dondoc.models import Agency, Obligation, Task

    engine = create_engine(url)
    with Session(engine) as session:
        found = session.execute(
            select(col(Task.id))
            .join(Agency, col(Agency.id) == col(Task.origin_agency_id))
            .join(Obligation, col(Obligation.id) == col(Task.obligation_id))
            .where(
                col(Agency.code) == agency,
                col(Obligation.code) == obligation,
                col(Task.period) == period,
            )
        ).scalar_one()
    engine.dispose()
    return int(found)


def snapshot(url: str) -> tuple[int, int, list[str]]:
    """Submissions, events and task statuses: what a refused request must leave as it was."""
    from dondoc.models import Event, Submission, Task

    engine = create_engine(url)
    with Session(engine) as session:
        subs = session.execute(select(func.count()).select_from(Submission)).scalar_one()
        events = session.execute(
            select(func.count()).select_from(Event).where(col(Event.kind) != "login")
        ).scalar_one()
        statuses = list(session.execute(select(col(Task.status)).order_by(col(Task.id))).scalars())
    engine.dispose()
    return int(subs), int(events), statuses


def events(url: str, kind: str) -> list[tuple[str, str | None]]:
    from dondoc.models import Event

    engine = create_engine(url)
    with Session(engine) as session:
        found = session.execute(
            select(col(Event.actor), col(Event.new_status)).where(col(Event.kind) == kind)
        ).all()
    engine.dispose()
    return [(a, s) for a, s in found]


def board_agencies(html: str, table: str = "board") -> list[str]:
    start = html.find(f'id="{table}"')
    if start < 0:
        return []
    body = html[start : html.find("</table>", start)]
    return re.findall(r'<tr data-agency="([^"]+)"', body)


def record(
    client: TestClient, task: int, received: str, *, confirm: bool = False, csrf: bool = True
) -> httpx.Response:
    data = {"document": "123/BC-UBND", "received_on": received, "note": ""}
    if confirm:
        data["confirm"] = "1"
    if csrf:
        data["csrftoken"] = token(client, f"/nhiem-vu/{task}")
    return client.post(f"/nhiem-vu/{task}/bao-cao", data=data)


# --- login and the gate ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["/", "/bang-theo-doi", "/bang-theo-doi?format=csv", "/nhiem-vu/1"]
)
def test_every_page_redirects_to_the_login_form_when_logged_out(
    client: TestClient, page: str
) -> None:
    got = client.get(page)
    assert got.status_code == 303 and got.headers["location"].startswith("/dang-nhap")
    assert client.get("/dang-nhap").status_code == 200
    assert client.get("/static/dondoc.css").status_code == 200


def test_login_opens_the_board_and_is_an_event_with_the_users_name(
    client: TestClient, db_url: str
) -> None:
    got = login(client)
    assert got.status_code == 303 and got.headers["location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "<h1>Tổng quan</h1>" in page.text and "lan" in page.text and "Đăng xuất" in page.text
    for label in ("Tổng quan", "Bảng theo dõi", "Tải về"):
        assert f">{label}</a>" in page.text
    assert ("lan", None) in events(db_url, "login")
    session = next(h for h in got.headers.get_list("set-cookie") if "dondoc_session=" in h)
    assert "httponly" in session.lower() and "samesite=lax" in session.lower()
    assert "max-age=28800" in session.lower()  # 8 hours


@pytest.mark.parametrize(
    ("name", "password"), [("lan", "sai-mat-khau"), ("ai-do", PASSWORD), ("cu", PASSWORD)]
)
def test_a_wrong_password_an_unknown_or_disabled_user_cannot_log_in(
    client: TestClient, db_url: str, name: str, password: str
) -> None:
    got = login(client, name, password)
    assert got.status_code == 400
    assert "không đúng" in got.text
    assert client.get("/").status_code == 303
    assert events(db_url, "login") == []


def test_disabling_an_account_ends_its_open_session(client: TestClient, db_url: str) -> None:
    from dondoc.db import get_engine, transaction
    from dondoc.web.accounts import disable_user

    login(client)
    assert client.get("/bang-theo-doi").status_code == 200
    with transaction(get_engine(db_url)) as session:
        disable_user(session, name="lan", actor="test")
    got = client.get("/bang-theo-doi")
    assert got.status_code == 303 and got.headers["location"].startswith("/dang-nhap")


def test_logout_ends_the_session(client: TestClient) -> None:
    login(client)
    got = client.post("/dang-xuat", data={"csrftoken": token(client, "/")})
    assert got.status_code == 303 and got.headers["location"] == "/dang-nhap"
    assert client.get("/").status_code == 303


# --- CSRF, roles, security headers ----------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    client: TestClient, db_url: str
) -> None:
    login(client)
    task = task_id(db_url, "79")
    before = snapshot(db_url)
    got = record(client, task, "27/11/2026", csrf=False)
    assert got.status_code == 403
    forged = client.post(
        f"/nhiem-vu/{task}/bao-cao",
        data={"document": "1/BC", "received_on": "27/11/2026", "csrftoken": "forged"},
    )
    assert forged.status_code == 403
    assert snapshot(db_url) == before


def test_a_login_post_without_the_token_is_refused_even_without_cookies(
    db_url: str, clock: None
) -> None:
    fresh = make_client(db_url)
    got = fresh.post("/dang-nhap", data={"username": "lan", "password": PASSWORD})
    assert got.status_code == 403


def test_a_viewer_sees_no_form_and_cannot_record(client: TestClient, db_url: str) -> None:
    login(client, "minh")
    task = task_id(db_url, "79")
    page = client.get(f"/nhiem-vu/{task}")
    assert page.status_code == 200 and "bao-cao" not in page.text
    before = snapshot(db_url)
    got = record(client, task, "27/11/2026")
    assert got.status_code == 403
    withdrawn = client.post(
        f"/nhiem-vu/{task}/rut-bao-cao",
        data={"reason": "x", "csrftoken": token(client, f"/nhiem-vu/{task}")},
    )
    assert withdrawn.status_code == 403
    assert snapshot(db_url) == before


@pytest.mark.parametrize("page", ["/dang-nhap", "/", "/bang-theo-doi"])
def test_security_headers_on_every_page(client: TestClient, page: str) -> None:
    login(client)
    got = client.get(page)
    assert got.status_code == 200
    assert got.headers["content-security-policy"].startswith("default-src 'self'")
    assert got.headers["x-frame-options"] == "DENY"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["referrer-policy"] == "same-origin"


def test_the_session_secret_is_kept_in_data_web_secret_mode_0600(workdir: Path) -> None:
    from dondoc.web.app import web_secret

    first = web_secret()
    path = workdir / "data" / "web_secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert web_secret() == first and len(first) >= 32


# --- record and withdraw --------------------------------------------------------------------


def test_recording_closes_the_row_on_time_at_once_without_a_sweep(
    client: TestClient, db_url: str
) -> None:
    login(client)
    task = task_id(db_url, "79")
    got = record(client, task, "27/11/2026")
    assert got.status_code == 303
    page = client.get(got.headers["location"])
    assert "Đã ghi nhận: hoàn thành đúng hạn" in page.text
    board = client.get("/bang-theo-doi?period=2026&obligation=annual-report&q=ho+chi+minh").text
    row = board[board.find('<tr data-agency="79"') :]
    assert 'status-done_on_time">Hoàn thành đúng hạn' in row[: row.find("</tr>")]
    assert "123/BC-UBND" in row[: row.find("</tr>")]
    assert ("lan", "done_on_time") in events(db_url, "submission")


def test_recording_after_the_deadline_closes_late(db_url: str) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, 0, tzinfo=HCM), tick=True):
        client = make_client(db_url)
        login(client)
        task = task_id(db_url, "01")
        got = record(client, task, "2026-12-15")
        assert got.status_code == 303
        said = "Đã ghi nhận: hoàn thành quá hạn (6 ngày sau hạn 09/12/2026)"
        assert said in client.get(got.headers["location"]).text


def test_a_future_received_date_is_refused_in_vietnamese_unless_confirmed(
    client: TestClient, db_url: str
) -> None:
    login(client)
    task = task_id(db_url, "79")
    before = snapshot(db_url)
    got = record(client, task, "01/12/2026")
    assert got.status_code == 400
    assert "Ngày nhận 01/12/2026 sau ngày hôm nay (27/11/2026)" in got.text
    assert snapshot(db_url) == before
    confirmed = record(client, task, "01/12/2026", confirm=True)
    assert confirmed.status_code == 303


@pytest.mark.parametrize(
    ("received", "message"),
    [
        ("01/01/2016", "Ngày nhận 01/01/2016 trước ngày ban hành chỉ thị (02/08/2016)"),
        ("31/02/2026", "Ngày nhận «31/02/2026» không phải là một ngày hợp lệ"),
    ],
)
def test_a_received_date_before_the_directive_or_not_a_date_is_refused(
    client: TestClient, db_url: str, received: str, message: str
) -> None:
    login(client)
    task = task_id(db_url, "79")
    before = snapshot(db_url)
    got = record(client, task, received, confirm=True)
    assert got.status_code == 400 and message in got.text
    assert snapshot(db_url) == before


def test_a_duplicate_is_refused_and_a_withdrawal_reopens_the_task(
    client: TestClient, db_url: str
) -> None:
    login(client)
    task = task_id(db_url, "79")
    assert record(client, task, "27/11/2026").status_code == 303
    # The page of a closed task offers only the withdrawal; a replayed record is refused.
    before = snapshot(db_url)
    again = record(client, task, "27/11/2026")
    assert again.status_code == 400 and "đã có báo cáo được ghi nhận" in again.text
    assert snapshot(db_url) == before
    got = client.post(
        f"/nhiem-vu/{task}/rut-bao-cao",
        data={"reason": "Nhầm cơ quan", "csrftoken": token(client, f"/nhiem-vu/{task}")},
    )
    assert got.status_code == 303
    assert "Đã rút báo cáo" in client.get(f"/nhiem-vu/{task}").text
    assert ("lan", "due_soon") in events(db_url, "withdrawal")


# --- the board ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["ho chi minh", "Hồ Chí Minh", "HO CHI MINH"])
def test_search_ignores_accents(client: TestClient, query: str) -> None:
    login(client)
    got = client.get("/bang-theo-doi", params={"period": "2026", "q": query})
    assert set(board_agencies(got.text)) == {"79"}


def test_search_folds_d_bar(client: TestClient) -> None:
    login(client)
    got = client.get("/bang-theo-doi", params={"period": "2026", "q": "da nang"})
    found = set(board_agencies(got.text))
    assert found == {"48"}


def test_filters_are_url_query_parameters(client: TestClient) -> None:
    login(client)
    every = board_agencies(client.get("/bang-theo-doi?period=2026&obligation=annual-report").text)
    assert len(every) == 50
    ministries = board_agencies(
        client.get("/bang-theo-doi?period=2026&obligation=annual-report&group=ministries").text
    )
    assert 0 < len(ministries) < 50 and "BXD" in ministries and "79" not in ministries
    none = client.get("/bang-theo-doi?period=2026&status=overdue").text
    assert board_agencies(none) == [] and "Không có nhiệm vụ nào phù hợp" in none
    soon = client.get("/bang-theo-doi?period=2026&status=due_soon").text
    assert len(board_agencies(soon)) == 50
    assert '<option value="due_soon" selected>' in soon  # the form shows the URL's filter


def test_sort_is_a_url_parameter_and_the_most_urgent_come_first(
    client: TestClient, db_url: str
) -> None:
    login(client)
    task = task_id(db_url, "79")
    assert record(client, task, "27/11/2026").status_code == 303
    urgent = board_agencies(client.get("/bang-theo-doi?period=2026&obligation=annual-report").text)
    assert urgent[-1] == "79"  # closed on time: after every open task
    by_name = board_agencies(
        client.get("/bang-theo-doi?period=2026&obligation=annual-report&sort=co-quan").text
    )
    assert by_name != urgent and sorted(by_name) == sorted(urgent)
    assert by_name[0] == "BCT"  # Bộ Công Thương, first by name


def test_undated_obligations_are_shown_apart(client: TestClient) -> None:
    login(client)
    html = client.get("/bang-theo-doi?period=2026").text
    assert "Nhiệm vụ không có thời hạn" in html
    assert len(board_agencies(html, "board-undated")) == 50
    dated = html[html.find('id="board"') : html.find('id="board-undated"')]
    # The dated table holds the annual report only; every one of its rows has a due date.
    assert len(board_agencies(html)) == 50
    assert dated.count('<td data-label="Hạn">09/12/2026</td>') == 50
    undated = html[html.find('id="board-undated"') :]
    assert undated.count('status-undated">Không có thời hạn') == 50
    assert "Chưa đến hạn" not in undated


def test_the_csv_link_gives_the_same_view(client: TestClient) -> None:
    login(client)
    page = client.get("/bang-theo-doi?period=2026&q=ho+chi+minh").text
    assert "format=csv" in page
    got = client.get("/bang-theo-doi?period=2026&q=ho+chi+minh&format=csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    lines = got.text.strip().split("\n")
    assert lines[0].startswith("agency,agency_name,")
    assert len(lines) == 3 and all(line.startswith("79,") for line in lines[1:])


def test_too_many_tasks_ask_for_a_directive_and_period_with_links(db_url: str, clock: None) -> None:
    from dondoc.config.settings import Settings
    from dondoc.web.app import create_app

    app = create_app(Settings(database_url=db_url), secret="s" * 48, row_cap=60)
    client = TestClient(app, base_url="http://127.0.0.1:8080", follow_redirects=False)
    login(client)
    every = client.get("/bang-theo-doi").text
    assert "Có hơn 60 nhiệm vụ phù hợp" in every and board_agencies(every) == []
    assert "Tải CSV" not in every
    assert '<a href="/bang-theo-doi?directive=24%2FCT-TTg%2F2016">24/CT-TTg (2016)</a>' in every
    one = client.get("/bang-theo-doi?directive=24/CT-TTg").text
    assert "Vui lòng chọn kỳ báo cáo" in one
    # The number alone names the one directive loaded under it; links carry its year.
    assert (
        '<a href="/bang-theo-doi?directive=24%2FCT-TTg%2F2016&amp;period=2026">Kỳ 2026</a>' in one
    )
    narrow = "/bang-theo-doi?directive=24/CT-TTg&period=2026&obligation=annual-report"
    assert len(board_agencies(client.get(narrow).text)) == 50


def test_overview_leaves_periods_due_over_a_year_ago_to_the_board(db_url: str) -> None:
    with time_machine.travel(dt.datetime(2028, 6, 1, 10, 0, tzinfo=HCM), tick=True):
        client = make_client(db_url)
        login(client)
        html = client.get("/").text
    assert "24/CT-TTg (2016) · kỳ 2027" in html and "24/CT-TTg (2016) · kỳ 2026" not in html
    assert "Các kỳ có hạn trước ngày 02/06/2027 không hiện ở đây" in html


def test_overview_counts_by_status_and_links_to_the_board(client: TestClient) -> None:
    login(client)
    html = client.get("/").text
    assert "24/CT-TTg (2016) · kỳ 2026" in html
    assert 'status-due_soon">Sắp đến hạn</span>' in html
    assert "/bang-theo-doi?directive=24/CT-TTg/2016&amp;period=2026" in html
    # The period acted on now comes first; the next one, with nothing due yet, after it.
    later = html.index("Các kỳ chưa đến hạn")
    assert html.index("(2016) · kỳ 2026") < later < html.index("(2016) · kỳ 2027")


def test_the_boards_summary_counts_undated_tasks_apart(client: TestClient) -> None:
    login(client)
    page = client.get("/bang-theo-doi?directive=24/CT-TTg&period=2026").text
    summary = page[page.index('class="summary"') : page.index("Tải CSV của bảng này")]
    undated = page.count('<tr data-agency="', page.index('id="board-undated"'))
    assert undated > 0
    assert f'status-undated">Không có thời hạn</span> {undated}' in summary
    pending = re.search(r'status-pending">Chưa đến hạn</span> (\d+)', summary)
    dated = page.count('<tr data-agency="', 0, page.index('id="board-undated"'))
    assert pending is None or int(pending.group(1)) <= dated


@pytest.mark.postgres
def test_login_and_record_on_postgresql(postgres_url: str, workdir: Path) -> None:
    from dondoc.db import get_engine, transaction
    from dondoc.web.accounts import add_user

    env = {"DONDOC_DATABASE_URL": postgres_url}
    done = run_dondoc("init", "--at", INIT_AT, env=env, cwd=workdir)
    assert done.code == 0, done.err
    with transaction(get_engine(postgres_url)) as session:
        add_user(session, name="lan", password=PASSWORD, role="coordinator", actor="test")
    url = postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)
    with time_machine.travel(NOW, tick=True):
        client = make_client(postgres_url)
        assert login(client).status_code == 303
        task = task_id(url, "79")
        assert record(client, task, "27/11/2026").status_code == 303
        assert "status-done_on_time" in client.get("/bang-theo-doi?period=2026&q=ho chi minh").text


def test_the_agency_page_shows_tasks_contacts_and_history(client: TestClient, db_url: str) -> None:
    login(client)
    task = task_id(db_url, "79")
    assert record(client, task, "27/11/2026").status_code == 303
    board = client.get("/bang-theo-doi?period=2026&q=ho chi minh").text
    assert 'href="/co-quan/79"' in board
    page = client.get("/co-quan/79")
    assert page.status_code == 200
    assert "<h1>Ủy ban nhân dân Thành phố Hồ Chí Minh</h1>" in page.text
    assert f'href="/nhiem-vu/{task}"' in page.text and "status-done_on_time" in page.text
    assert "vanthu@hochiminhcity.gov.vn" in page.text
    assert "123/BC-UBND, nhận ngày 27/11/2026" in page.text  # the audit trail, actor lan
    assert re.search(r"<td[^>]*>lan</td>", page.text)
    assert re.search(r"<td[^>]*>Ghi nhận báo cáo</td>", page.text)  # event kinds in Vietnamese
    assert re.search(r"<td[^>]*>27/11/2026 1\d:\d\d</td>", page.text)  # local time
    assert client.get("/co-quan/KHONG-CO").status_code == 404


# --- downloads and error pages --------------------------------------------------------------


def test_downloads_give_the_synthesis_xlsx_and_ics_feeds(client: TestClient) -> None:
    login(client)
    page = client.get("/tai-ve?directive=24/CT-TTg&period=2026")
    assert page.status_code == 200 and "<h1>Tải về</h1>" in page.text
    assert "/tai-ve/tong-hop.xlsx?directive=24/CT-TTg/2016&amp;period=2026" in page.text
    xlsx = client.get("/tai-ve/tong-hop.xlsx", params={"directive": "24/CT-TTg", "period": "2026"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "tong-hop-24-CT-TTg-2016-2026.xlsx" in xlsx.headers["content-disposition"]
    ics = client.get("/tai-ve/lich.ics", params={"agency": "79"})
    assert ics.status_code == 200 and ics.text.startswith("BEGIN:VCALENDAR")
    assert client.get("/tai-ve/lich.ics", params={"directive": "24/CT-TTg"}).status_code == 200
    missing = client.get("/tai-ve/tong-hop.xlsx", params={"directive": "99/XX", "period": "2026"})
    assert missing.status_code == 404 and "99/XX" in missing.text


def test_error_pages_are_vietnamese_pages_with_the_nav(client: TestClient) -> None:
    login(client, "minh")
    missing = client.get("/nhiem-vu/999999")
    assert missing.status_code == 404
    assert "<h1>Không tìm thấy</h1>" in missing.text and "999999" in missing.text
    refused = client.post(
        "/nhiem-vu/1/bao-cao", data={"csrftoken": token(client, "/"), "document": "1/BC"}
    )
    assert refused.status_code == 403 and "Chỉ điều phối viên" in refused.text


# --- dondoc web and dondoc up ---------------------------------------------------------------


def _wait_for(url: str, proc: object, log: Path, timeout: float = 90) -> httpx.Response:
    import subprocess
    import time

    from tests.prefect_server import _tail

    assert isinstance(proc, subprocess.Popen)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"exited {proc.returncode}:\n{_tail(log)}", pytrace=False)
        try:
            return httpx.get(url, timeout=2)
        except httpx.HTTPError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer:\n{_tail(log)}", pytrace=False)


def test_dondoc_web_prints_its_address_first_and_serves_on_loopback(
    template_db: Path, tmp_path: Path
) -> None:
    import sys

    from tests.prefect_server import _clean_env, _free_port, _start, _stop

    shutil.copy(template_db, tmp_path / "dondoc.db")
    env = {**_clean_env(), "DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'dondoc.db'}"}
    port = _free_port()
    log = tmp_path / "web.log"
    command = [sys.executable, "-m", "dondoc.cli", "web", "--port", str(port), "--workers", "2"]
    proc = _start(command, env, tmp_path, log)
    try:
        got = _wait_for(f"http://127.0.0.1:{port}/dang-nhap", proc, log)
        assert got.status_code == 200 and "<h1>Đăng nhập</h1>" in got.text
        assert got.headers["x-frame-options"] == "DENY"
        first = log.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"Bảng theo dõi: http://127.0.0.1:{port}/"
        assert stat.S_IMODE((tmp_path / "data" / "web_secret").stat().st_mode) == 0o600
        # Two worker processes, one secret: a session opened on one is good on either.
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as signer:
            page = signer.get("/dang-nhap").text
            found = re.search(r'name="csrftoken" value="([^"]+)"', page)
            assert found
            data = {"username": "lan", "password": PASSWORD, "csrftoken": found.group(1)}
            assert signer.post("/dang-nhap", data=data).status_code == 303
            cookies = signer.cookies
        for _ in range(6):  # a new connection each: either worker may answer
            board = httpx.get(f"http://127.0.0.1:{port}/bang-theo-doi", cookies=cookies)
            assert board.status_code == 200 and 'id="board"' in board.text
    finally:
        _stop(proc)


def test_dondoc_up_starts_the_board_and_prints_its_address_first(
    template_db: Path, tmp_path: Path
) -> None:
    import sys

    from tests.prefect_server import _clean_env, _free_port, _start, _stop, _tail

    shutil.copy(template_db, tmp_path / "dondoc.db")
    env = {
        **_clean_env(),
        "DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'dondoc.db'}",
        "PREFECT_HOME": str(tmp_path / "home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    }
    port, web_port = _free_port(), _free_port()
    cmd = [
        sys.executable,
        "-m",
        "dondoc.cli",
        "up",
        "--port",
        str(port),
        "--web-port",
        str(web_port),
    ]
    log = tmp_path / "up.log"
    proc = _start(cmd, env, tmp_path, log)
    try:
        got = _wait_for(f"http://127.0.0.1:{web_port}/dang-nhap", proc, log)
        assert got.status_code == 200
        lines = log.read_text(encoding="utf-8").splitlines()
        assert lines[0] == f"Bảng theo dõi: http://127.0.0.1:{web_port}/", _tail(log)
        import time

        deadline = time.monotonic() + 120
        while "dondoc is running" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline and proc.poll() is None, _tail(log)
            time.sleep(0.5)
        assert f"Bảng theo dõi: http://127.0.0.1:{web_port}/" in _tail(log)
    finally:
        _stop(proc)


def test_dondoc_up_refuses_an_uninitialised_database_before_starting(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.prefect_server import _clean_env

    env = {**_clean_env(), "DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'dondoc.db'}"}
    proc = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", "up", "--port", "4998", "--web-port", "4997"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "dondoc init" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # no .prefect, no data/web_secret


def test_a_report_recorded_by_another_process_shows_on_the_next_board_load(
    client: TestClient, db_url: str, workdir: Path
) -> None:
    # The board keeps its rendered view until the data changes (web/page_cache.py): a change
    # made elsewhere (the CLI, a sweep, another web worker) must still show at once.
    login(client)
    view = "/bang-theo-doi?directive=24%2FCT-TTg&period=2026&obligation=annual-report"

    def row_79() -> str:
        page = client.get(view).text
        row = page[page.find('<tr data-agency="79"') :]
        return row[: row.find("</tr>")]

    assert "status-done" not in row_79()
    assert row_79() == row_79()  # kept, and still the same
    done = run_dondoc(
        "submit", "--agency", "79", "--obligation", "annual-report", "--period", "2026",
        "--document", "88/BC-UBND", "--received-on", "2026-11-26",
        env={"DONDOC_DATABASE_URL": db_url}, cwd=workdir,
    )  # fmt: skip
    assert done.code == 0, done.err
    after = row_79()
    assert 'status-done_on_time">Hoàn thành đúng hạn' in after and "88/BC-UBND" in after


def test_a_kept_board_view_is_rendered_again_when_data_moves_or_it_is_old() -> None:
    from dondoc.web.page_cache import PageCache

    now = [100.0]
    cache = PageCache(max_age=10.0, clock=lambda: now[0])
    made: list[str] = []

    def render(text: str) -> str:
        made.append(text)
        return text

    assert cache.get_or_render("v", (1, 1), lambda: render("a")) == "a"
    assert cache.get_or_render("v", (1, 1), lambda: render("b")) == "a"  # kept
    assert cache.get_or_render("v", (2, 1), lambda: render("c")) == "c"  # an event was written
    now[0] += 10.0  # an edit no marker sees shows within MAX_AGE
    assert cache.get_or_render("v", (2, 1), lambda: render("d")) == "d"
    cache.forget()  # this process wrote
    assert cache.get_or_render("v", (2, 1), lambda: render("e")) == "e"
    assert made == ["a", "c", "d", "e"]
