"""Đăng ký văn bản on the board (issue #15) against the real app and a real SQLite database
made by `dondoc init --no-bundled`: paste or upload a dispatch, review the draft in its form,
save it, register it in one transaction; refusals (CSRF, viewers, bad values, duplicates, files
that are too large or not documents) write nothing."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from sqlalchemy import create_engine, func, select
from sqlmodel import Session
from starlette.testclient import TestClient

if TYPE_CHECKING:
    from dondoc.models import DraftRecord

from tests.conftest import run_dondoc
from tests.test_web_app import make_client

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_23d49a1576b57a2d.txt"
BUNDLED_TEXT = ROOT / "config" / "data" / "directives" / "351-BXD-PTDT.txt"
INIT_AT = "2026-11-27T09:00+07:00"
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PASSWORD = "mat-khau-dai-1"
PAGE = "/dang-ky-van-ban"


def dispatch_text() -> str:
    """The seed dispatch (../shared/seeds), or the bundled copy of the same dispatch."""
    return (SEED if SEED.exists() else BUNDLED_TEXT).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dondoc.config.settings import Settings
    from dondoc.db import get_engine, transaction
    from dondoc.web.accounts import add_user

    folder = tmp_path_factory.mktemp("registering")
    url = f"sqlite:///{folder / 'dondoc.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    done = run_dondoc(
        "init", "--no-bundled", "--at", INIT_AT, env={**env, "DONDOC_DATABASE_URL": url},
        cwd=folder,
    )  # fmt: skip
    assert done.code == 0, done.err
    with transaction(get_engine(url)) as session:
        add_user(session, name="lan", password=PASSWORD, role="coordinator", actor="test")
        add_user(session, name="minh", password=PASSWORD, role="viewer", actor="test")
    del Settings
    get_engine(url).dispose()
    get_engine.cache_clear()
    return folder / "dondoc.db"


@pytest.fixture
def db_url(template_db: Path, workdir: Path) -> str:
    target = workdir / "data" / "dondoc.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template_db, target)
    return f"sqlite:///{target}"


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with time_machine.travel(NOW, tick=True):
        yield make_client(db_url)


def token(client: TestClient, page: str = "/dang-nhap") -> str:
    got = client.get(page)
    assert got.status_code == 200, got.text
    found = re.search(r'name="csrftoken" value="([^"]+)"', got.text)
    assert found
    return found.group(1)


def login(client: TestClient, name: str = "lan") -> None:
    got = client.post(
        "/dang-nhap", data={"username": name, "password": PASSWORD, "csrftoken": token(client)}
    )
    assert got.status_code == 303


class _Form(HTMLParser):
    """The fields a browser would post from the page's draft form (no button yet)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "")))
        elif tag == "select":
            self._select, self._first = name, None
        elif tag == "option" and self._select is not None:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._select = None
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            self.fields.append((self._select, self._first or ""))
            self._select = None
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data


def form_of(html: str) -> dict[str, list[str]]:
    parser = _Form()
    parser.feed(html)
    out: dict[str, list[str]] = {}
    for name, value in parser.fields:
        out.setdefault(name, []).append(value)
    return out


def post_form(
    client: TestClient, draft: int, action: str, changes: dict[str, str | list[str]] | None = None
) -> httpx.Response:
    fields = form_of(client.get(f"{PAGE}/{draft}").text)
    for name, value in (changes or {}).items():
        fields[name] = value if isinstance(value, list) else [value]
    fields["action"] = [action]
    return client.post(f"{PAGE}/{draft}", data=fields)


def new_draft(client: TestClient, text: str | None = None) -> int:
    got = client.post(
        PAGE,
        data={"csrftoken": token(client, PAGE), "text": text or dispatch_text()},
        files={"file": ("", b"")},
    )
    assert got.status_code == 303, got.text
    found = re.fullmatch(rf"{PAGE}/(\d+)", got.headers["location"])
    assert found
    return int(found.group(1))


def beside(html: str, field: str) -> str:
    """What the form shows with one field: from its input to the next field."""
    start = html.index(f'id="f-{field}"')
    end = html.find('<div class="field', start)
    return html[start : end if end > 0 else len(html)]


@contextmanager
def stored_draft(url: str, draft: int) -> Iterator[DraftRecord]:
    """The draft's stored row, in one transaction: what the test changes in it is saved."""
    from dondoc.db import get_engine, transaction
    from dondoc.models import DraftRecord

    with transaction(get_engine(url)) as session:
        row = session.get(DraftRecord, draft)
        assert row is not None
        yield row


def counts(url: str) -> tuple[int, int, int, int]:
    """Documents, tasks, drafts, registered drafts."""
    from dondoc.db import get_engine
    from dondoc.models import Document, DraftRecord, Task

    engine = get_engine(url)
    with Session(engine) as session:
        docs = session.execute(select(func.count()).select_from(Document)).scalar_one()
        tasks = session.execute(select(func.count()).select_from(Task)).scalar_one()
        drafts = session.execute(select(func.count()).select_from(DraftRecord)).scalar_one()
        registered = session.execute(
            select(func.count())
            .select_from(DraftRecord)
            .where(DraftRecord.registered_at.is_not(None))  # type: ignore[union-attr]
        ).scalar_one()
    return int(docs), int(tasks), int(drafts), int(registered)


def source_of(url: str, number: str) -> str | None:
    from dondoc.db import get_engine
    from dondoc.models import Document

    with Session(get_engine(url)) as session:
        found = session.execute(
            select(Document.source_text).where(Document.number == number)
        ).scalar_one()
    return str(found) if found is not None else None


def bundled_tasks(tmp: Path) -> set[tuple[str, str, str, str]]:
    """(agency, obligation, period, due date) of a database initialised with the bundled spec."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    url = f"sqlite:///{tmp / 'bundled.db'}"
    done = run_dondoc("init", "--at", INIT_AT, env={**env, "DONDOC_DATABASE_URL": url}, cwd=tmp)
    assert done.code == 0, done.err
    return task_set(url)


def task_set(url: str) -> set[tuple[str, str, str, str]]:
    from dondoc.models import Agency, Obligation, Task

    engine = create_engine(url)
    with Session(engine) as session:
        rows = session.execute(
            select(Agency.code, Obligation.code, Task.period, Task.due_day)
            .join(Obligation, Obligation.id == Task.obligation_id)  # type: ignore[arg-type]
            .join(Agency, Agency.id == Task.origin_agency_id)  # type: ignore[arg-type]
        ).all()
    engine.dispose()
    return {(a, o, p, f"{d:%d/%m/%Y}" if d else "") for a, o, p, d in rows}


# --- the scenario -----------------------------------------------------------------------------


def test_paste_review_save_and_register_makes_the_bundled_specs_tasks(
    client: TestClient, db_url: str, tmp_path: Path
) -> None:
    login(client)
    draft = new_draft(client)
    page = client.get(f"{PAGE}/{draft}").text
    assert "Cần xem lại:" in page
    assert 'value="351/BXD-PTĐT"' in page and 'value="27/02/2017"' in page
    saved = post_form(client, draft, "luu-nhap", {"dispatch.unit": "Cục Phát triển đô thị (PTĐT)"})
    assert saved.status_code == 303
    assert counts(db_url)[:2] == (0, 0)  # a saved draft loads nothing
    again = client.get(f"{PAGE}/{draft}").text
    assert 'value="Cục Phát triển đô thị (PTĐT)"' in again
    assert re.search(r"lưu lần cuối bởi lan lúc 27/11/2026", again)
    listing = client.get(PAGE).text
    assert f'href="{PAGE}/{draft}"' in listing and "351/BXD-PTĐT" in listing

    done = post_form(client, draft, "dang-ky")
    assert done.status_code == 303, done.text
    result = client.get(done.headers["location"]).text
    assert "Đã đăng ký văn bản 24/CT-TTg: 3 nhiệm vụ giao cho 50 cơ quan" in result
    assert 'id="tasks-made"' in result and "09/12/2026" in result
    assert "Nhắc lần đầu" in result and "09/11/2026" in result  # 30 days before 09/12/2026
    assert "/bang-theo-doi?directive=24/CT-TTg&amp;year=2016" in result
    docs, tasks, drafts, registered = counts(db_url)
    assert (docs, drafts, registered) == (2, 1, 1) and tasks > 0
    assert task_set(db_url) == bundled_tasks(tmp_path)
    assert source_of(db_url, "351/BXD-PTĐT") == dispatch_text()  # kept as the dispatch's text
    board = client.get("/bang-theo-doi?directive=24/CT-TTg&period=2026").text
    assert 'data-agency="79"' in board


def test_a_second_register_of_the_same_draft_or_directive_is_refused(
    client: TestClient, db_url: str
) -> None:
    login(client)
    first = new_draft(client)
    assert post_form(client, first, "dang-ky").status_code == 303
    before = counts(db_url)
    again = post_form(client, first, "dang-ky")
    assert again.status_code == 400 and "đã được đăng ký" in again.text
    second = new_draft(client)
    refused = post_form(client, second, "dang-ky")
    assert refused.status_code == 400
    assert "Văn bản số 24/CT-TTg năm 2016 đã được đăng ký trước đó" in refused.text
    assert counts(db_url) == (before[0], before[1], before[2] + 1, before[3])


def test_bad_values_are_refused_beside_their_field_and_nothing_is_written(
    client: TestClient, db_url: str
) -> None:
    login(client)
    draft = new_draft(client)
    before = counts(db_url)
    got = post_form(
        client,
        draft,
        "dang-ky",
        {
            "directive.issued_on": "31/02/2016",
            "obligations[2].deadline.month": "13",
            "obligations[0].code": "Kế hoạch",
            "addressees": [],
        },
    )
    assert got.status_code == 400
    html = got.text
    assert "Bản nháp còn lỗi" in html
    listed = html[
        html.index("Cần sửa trước khi đăng ký") : html.index("</nav>", html.index("Cần sửa"))
    ]
    assert 'href="#f-directive-issued_on-ghi-chu">Văn bản, ngày ban hành</a>' in listed
    assert 'href="#f-obligations-0-code-ghi-chu">Nhiệm vụ 1, mã nhiệm vụ</a>' in listed
    assert 'id="f-directive-issued_on-ghi-chu"' in html
    for field, said in (
        ("directive-issued_on", "không phải là ngày"),
        ("obligations-0-code", "chữ thường không dấu"),
    ):
        assert said in beside(html, field), field
    assert counts(db_url) == before
    fixed_date = post_form(
        client, draft, "dang-ky", {"obligations[2].deadline.month": "13", "addressees": []}
    ).text
    assert "tối đa là 12" in beside(fixed_date, "obligations-2-deadline-month")
    assert "Chọn hoặc ghi ít nhất một" in fixed_date
    assert counts(db_url) == before


def test_each_review_point_is_beside_its_field_with_its_sentence(
    client: TestClient, db_url: str
) -> None:
    import json

    login(client)
    draft = new_draft(client)
    sentence = "Báo cáo gửi về Bộ Xây dựng trước ngày 10 tháng 12 hàng năm."
    with stored_draft(db_url, draft) as row:
        points = json.loads(row.review)
        points.append(
            {"where": "obligations[2].deadline", "message": "read from the paragraph after "
             "the list", "sentence": sentence}
        )  # fmt: skip
        points.append(
            {"where": "obligations[9].title", "message": "no such field", "sentence": None}
        )
        row.review = json.dumps(points, ensure_ascii=False)
    page = client.get(f"{PAGE}/{draft}").text
    deadline = page[page.index('id="nhiem-vu-2"') :]
    deadline = deadline[
        deadline.index("<legend>Thời hạn</legend>") : deadline.index("Chốt số liệu")
    ]
    assert "Cần xem lại:</strong> read from the paragraph after the list" in deadline
    assert f"«{sentence}»" in deadline
    assert "không thấy thời hạn" not in deadline  # the plan's point, beside the plan
    others = page[page.index("Các điểm khác cần xem lại") :]
    assert "obligations[9].title" in others and "no such field" in others


def test_the_seed_dispatchs_review_points_are_shown_in_vietnamese(
    client: TestClient, db_url: str
) -> None:
    import json

    login(client)
    draft = new_draft(client)
    with stored_draft(db_url, draft) as row:
        points = json.loads(row.review)
    assert points
    page = client.get(f"{PAGE}/{draft}").text
    shown = re.findall(r"Cần xem lại:</strong> ([^<]*)", page)
    assert len(shown) == len(points)
    for point in points:
        assert point["message_vi"], point["message"]
        assert point["message"] not in shown  # no point falls back to the reader's English
    assert all(re.search(r"[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữđ]", m) for m in shown)


def test_a_deadline_the_reader_could_not_read_must_be_written_before_registering(
    client: TestClient, db_url: str
) -> None:
    import json

    login(client)
    draft = new_draft(client)
    with stored_draft(db_url, draft) as row:
        content = json.loads(row.content)
        content["obligations"][2]["deadline"] = "UNREAD"  # what the draft YAML says then
        row.content = json.dumps(content, ensure_ascii=False)
    page = client.get(f"{PAGE}/{draft}").text
    assert "văn bản có nêu thời hạn nhưng chưa đọc được" in page
    before = counts(db_url)
    refused = post_form(client, draft, "dang-ky")
    assert refused.status_code == 400
    assert "cần ngày hạn trong tháng" in beside(refused.text, "obligations-2-deadline-day")
    assert counts(db_url) == before
    written = {
        "obligations[2].deadline.month": "12",
        "obligations[2].deadline.day": "10",
        "obligations[2].deadline.inclusive": "false",
    }
    assert post_form(client, draft, "dang-ky", written).status_code == 303
    assert counts(db_url)[3] == 1


def test_an_unknown_agency_code_is_refused_beside_the_addressees(
    client: TestClient, db_url: str
) -> None:
    login(client)
    draft = new_draft(client)
    before = counts(db_url)
    got = post_form(client, draft, "dang-ky", {"addressees_more": "BXD, KHONG-CO"})
    assert got.status_code == 400
    shown = got.text[got.text.index('id="f-addressees-ghi-chu"') :]
    assert "Không có nhóm hoặc mã cơ quan «KHONG-CO»" in shown[: shown.index("Các bộ (14)")]
    assert counts(db_url) == before


def test_a_first_period_more_than_ten_years_back_is_refused_beside_it(
    client: TestClient, db_url: str
) -> None:
    login(client)
    draft = new_draft(client)
    before = counts(db_url)
    got = post_form(client, draft, "dang-ky", {"obligations[2].first_period": "2010"})
    assert got.status_code == 400
    assert "hơn 10 năm" in beside(got.text, "obligations-2-first_period")
    assert counts(db_url) == before


def test_add_and_remove_an_obligation_with_the_forms_buttons(client: TestClient) -> None:
    login(client)
    draft = new_draft(client)

    def codes() -> list[str]:
        fields = form_of(client.get(f"{PAGE}/{draft}").text)
        return [v for k, vs in fields.items() if k.endswith("].code") for v in vs]

    assert codes() == ["plan", "inspection", "annual-report"]
    assert post_form(client, draft, "them-nhiem-vu").status_code == 303
    assert codes() == ["plan", "inspection", "annual-report", "nhiem-vu-4"]
    assert post_form(client, draft, "xoa-nhiem-vu-0").status_code == 303
    assert codes() == ["inspection", "annual-report", "nhiem-vu-4"]
    page = client.get(f"{PAGE}/{draft}").text
    # The reader's review points moved with their obligations: the report's first period is
    # now flagged on the second obligation.
    second = re.search(r'id="nhiem-vu-1".*?</fieldset>', page, re.S)
    assert second and "theo dõi bắt đầu từ kỳ 2026" in second.group(0)


def test_a_registration_that_fails_midway_writes_nothing_and_leaves_the_draft_open(
    client: TestClient, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dondoc.tracking.planning as planning

    login(client)
    draft = new_draft(client)
    before = counts(db_url)

    def broken(**_: object) -> int:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patched:
        # After the directive and its obligations are written, in the same transaction.
        patched.setattr(planning, "ensure_tasks", broken)
        with pytest.raises(RuntimeError, match="the disk is full"):
            post_form(client, draft, "dang-ky")
    assert counts(db_url) == before
    assert post_form(client, draft, "dang-ky").status_code == 303
    assert counts(db_url)[0] == 2 and counts(db_url)[3] == 1


@pytest.mark.postgres
def test_register_and_the_duplicate_refusal_on_postgresql(postgres_url: str, workdir: Path) -> None:
    from dondoc.db import get_engine, transaction
    from dondoc.web.accounts import add_user

    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    made = run_dondoc(
        "init", "--no-bundled", "--at", INIT_AT, env={**env, "DONDOC_DATABASE_URL": postgres_url},
        cwd=workdir,
    )  # fmt: skip
    assert made.code == 0, made.err
    with transaction(get_engine(postgres_url)) as session:
        add_user(session, name="lan", password=PASSWORD, role="coordinator", actor="test")
    with time_machine.travel(NOW, tick=True):
        client = make_client(postgres_url)
        login(client)
        first, second = new_draft(client), new_draft(client)
        assert post_form(client, first, "dang-ky").status_code == 303
        registered = counts(postgres_url)
        refused = post_form(client, second, "dang-ky")
        assert refused.status_code == 400 and "đã được đăng ký trước đó" in refused.text
    assert counts(postgres_url) == registered and registered[1] > 0


# --- refusals -------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, db_url: str) -> None:
    login(client)
    draft = new_draft(client)
    before = counts(db_url)
    plain = client.post(PAGE, data={"text": dispatch_text()})
    assert plain.status_code == 403
    upload = client.post(
        PAGE, data={"csrftoken": "forged"}, files={"file": ("cv.txt", dispatch_text().encode())}
    )
    assert upload.status_code == 403
    fields = form_of(client.get(f"{PAGE}/{draft}").text)
    del fields["csrftoken"]
    fields["action"] = ["dang-ky"]
    assert client.post(f"{PAGE}/{draft}", data=fields).status_code == 403
    assert counts(db_url) == before


def test_a_viewer_sees_why_and_cannot_create_save_or_register(
    client: TestClient, db_url: str
) -> None:
    login(client)
    draft = new_draft(client)
    client.cookies.clear()
    login(client, "minh")
    page = client.get(PAGE)
    assert page.status_code == 200 and "Tài khoản chỉ xem" in page.text
    assert 'name="text"' not in page.text
    form = client.get(f"{PAGE}/{draft}").text
    assert "Tài khoản chỉ xem" in form and 'value="dang-ky"' not in form
    before = counts(db_url)
    refused = client.post(
        PAGE, data={"csrftoken": token(client, PAGE), "text": dispatch_text()},
        files={"file": ("", b"")},
    )  # fmt: skip
    assert refused.status_code == 403 and "Tài khoản chỉ xem" in refused.text
    data = {"csrftoken": token(client, PAGE), "action": "dang-ky", "obligation_count": "0"}
    assert client.post(f"{PAGE}/{draft}", data=data).status_code == 403
    assert counts(db_url) == before


def test_an_upload_too_large_or_not_a_document_is_refused(client: TestClient, db_url: str) -> None:
    from dondoc.web.registering import MAX_UPLOAD

    login(client)
    before = counts(db_url)

    def upload(name: str, data: bytes) -> httpx.Response:
        return client.post(
            PAGE, data={"csrftoken": token(client, PAGE), "text": ""}, files={"file": (name, data)}
        )

    big = upload("cv.txt", b"a" * (MAX_UPLOAD + 10))
    assert big.status_code == 400 and "lớn hơn 5 MB" in big.text
    binary = upload("anh.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert binary.status_code == 400 and "«anh.png» không đọc được" in binary.text
    prose = upload("thu.txt", "Chào anh, hẹn gặp lại vào tuần sau.".encode())
    assert prose.status_code == 400 and "không giống một văn bản hành chính" in prose.text
    nothing = upload("", b"")
    assert nothing.status_code == 400 and "Hãy dán nội dung văn bản" in nothing.text
    assert counts(db_url) == before


def test_an_uploaded_text_file_makes_a_draft_named_after_it(client: TestClient) -> None:
    login(client)
    got = client.post(
        PAGE,
        data={"csrftoken": token(client, PAGE), "text": ""},
        files={"file": ("351-BXD-PTDT.txt", dispatch_text().encode("utf-8"))},
    )
    assert got.status_code == 303
    page = client.get(got.headers["location"]).text
    assert "Đọc từ 351-BXD-PTDT.txt" in page and 'value="351/BXD-PTĐT"' in page


# --- the import-dispatch flow keeps its draft for the board -----------------------------------


def test_the_import_dispatch_flow_keeps_its_draft_and_links_to_its_review_page(
    prefect_api: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from prefect.client.orchestration import get_client

    from dondoc.config.settings import Settings, get_settings
    from dondoc.flows.importing import import_dispatch_flow
    from dondoc.registration import get_draft

    monkeypatch.setenv("DONDOC_WEB_URL", "https://dondoc.example.gov.vn/")
    get_settings.cache_clear()
    assert run_dondoc("init", "--no-bundled", "--at", INIT_AT, cwd=workdir).code == 0
    at = dt.datetime(2026, 11, 20, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    out = import_dispatch_flow(text=dispatch_text(), filename="cv-351.txt", at=at)
    assert out["review_page"] == "https://dondoc.example.gov.vn/dang-ky-van-ban/1"
    kept = get_draft(Settings(), 1)
    assert kept is not None and kept.number == "351/BXD-PTĐT"
    assert kept.source_name == "cv-351.txt" and kept.registered_at is None

    async def latest() -> dict[str, str]:
        async with get_client() as client:
            found = await client.read_latest_artifacts()
        return {str(a.key): f"{a.description}\n{a.data}" for a in found}

    artifact = asyncio.run(latest())["import-dispatch-351-bxd-ptdt"]
    assert "(https://dondoc.example.gov.vn/dang-ky-van-ban/1)" in artifact


def test_the_flow_without_a_database_still_writes_its_draft_file(
    prefect_api: None, workdir: Path
) -> None:
    from dondoc.flows.importing import import_dispatch_flow

    at = dt.datetime(2026, 11, 20, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    out = import_dispatch_flow(text=dispatch_text(), filename="cv-351.txt", at=at)
    assert out["review_page"] is None and Path(str(out["path"])).exists()


def test_an_uploaded_word_file_makes_a_draft_read_from_its_tables(client: TestClient) -> None:
    """A .docx as the ministry's office saves it (the header a two-column table) is read by its
    content, whatever its name says."""
    from tests.test_reading_sources import _docx

    login(client)
    got = client.post(
        PAGE,
        data={"csrftoken": token(client, PAGE), "text": ""},
        files={"file": ("cong-van-215.docx", _docx())},
    )
    assert got.status_code == 303, got.text
    page = client.get(got.headers["location"]).text
    assert "Đọc từ cong-van-215.docx" in page and 'value="215/PTĐT-QHKT"' in page
    assert "Cục Phát triển đô thị" in page
