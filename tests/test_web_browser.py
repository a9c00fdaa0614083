"""The coordinator's web board in headless Chromium, as its users meet it: `dondoc web` started as
a user starts it (tests/web_harness.py), every page shot at 1440×900 and on a phone (390×844) and
checked by axe-core, and the issue's scenario: log in, find who is overdue, search without
accents, record a report and see at once whether it closed on time, download the synthesis, log
out; a viewer cannot record, and a form without its CSRF token is refused.

Chromium is Debian's (`make browser`), axe-core comes from npm (`make axe`); Playwright only
drives the browser and never downloads one of its own. Screenshots go to build/screenshots/
(the path is printed; `pytest -s` shows it)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.chromium import launched_chromium
from tests.web_harness import (
    COORDINATOR,
    DIRECTIVE,
    PERIOD,
    VIEWER,
    Account,
    WebBoard,
    running_board,
)

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "build" / "screenshots"
TIMEOUT_MS = 20_000
VIEWPORTS = {"1440x900": (1440, 900), "390x844": (390, 844)}
BOARD_QUERY = f"directive={DIRECTIVE}&period={PERIOD}"


@pytest.fixture(scope="module")
def board() -> Iterator[WebBoard]:
    # A folder of its own, not pytest's tmp_path: another pytest session started meanwhile
    # prunes old basetemps, and the server works in this one for the whole module.
    workdir = Path(tempfile.mkdtemp(prefix="dondoc-web-"))
    try:
        with running_board(workdir) as running:
            yield running
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_chromium(TIMEOUT_MS) as launched:  # the first load is the slowest
        yield launched


@pytest.fixture(scope="module")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {SHOTS}")
    return SHOTS


def new_context(browser: Browser, board: WebBoard, size: str = "1440x900") -> BrowserContext:
    width, height = VIEWPORTS[size]
    context = browser.new_context(
        base_url=board.url,
        viewport={"width": width, "height": height},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser: Browser, board: WebBoard) -> Iterator[BrowserContext]:
    context = new_context(browser, board)
    try:
        yield context
    finally:
        context.close()


def log_in(page: Page, account: Account) -> None:
    page.goto("/dang-nhap")
    page.locator("input[name=username]").fill(account.name)
    page.locator("input[name=password]").fill(account.password)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page as it is now."""
    assert AXE.exists(), f"{AXE} is missing: run `make axe`"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP (no inline script) still holds.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}x: {targets})")
    return "\n".join(lines)


def no_page_scroll_sideways(page: Page) -> None:
    """Nothing cut off or pushing the page sideways: wide tables scroll inside their own box."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{page.url}: the page is {overflow}px wider than the window"


def task_link(page: Page, agency: str) -> str:
    """The address of the annual report task of ``agency`` on the board."""
    page.goto(f"/bang-theo-doi?{BOARD_QUERY}&obligation=annual-report")
    link = page.locator(f'#board tr[data-agency="{agency}"] a[href*="/nhiem-vu/"]').first
    href = link.get_attribute("href")
    assert href, f"no task link in the board row of {agency}"
    return href


# --- every page: screenshots at both sizes, no serious accessibility violation ----------------

PAGES = {
    "dang-nhap": "/dang-nhap",
    "tong-quan": "/",
    "bang-theo-doi": f"/bang-theo-doi?{BOARD_QUERY}",
    "co-quan-79": "/co-quan/79",
    "nhiem-vu-48": "task:48",  # overdue: the record form
    "nhiem-vu-79": "task:79",  # on time, recorded by the CLI: the withdraw form
    "tai-ve": "/tai-ve",
    "nhiem-vu-48-nguoi-xem": "task:48",  # a viewer's page: no forms
}
VIEWER_PAGES = {"nhiem-vu-48-nguoi-xem"}


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_looks_right_and_passes_axe(
    browser: Browser, board: WebBoard, shots: Path, name: str, size: str
) -> None:
    context = new_context(browser, board, size)
    try:
        page = context.new_page()
        if name != "dang-nhap":
            account = VIEWER if name in VIEWER_PAGES else COORDINATOR
            log_in(page, account)
        target = PAGES[name]
        if target.startswith("task:"):
            target = task_link(page, target.removeprefix("task:"))
        response = page.goto(target)
        assert response is not None and response.status == 200, f"{target}: {response}"
        page.wait_for_load_state("networkidle")
        path = shots / f"{name}-{size}.png"
        page.screenshot(path=str(path), full_page=True)
        page.screenshot(path=str(shots / f"{name}-{size}-first-screen.png"))

        expect(page.locator("main")).to_have_count(1)
        expect(page.locator("h1")).to_have_count(1)
        assert page.evaluate("document.documentElement.lang") == "vi"
        if name != "dang-nhap":
            nav = page.get_by_role("navigation")
            for label in ("Tổng quan", "Bảng theo dõi", "Tải về"):
                expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
            expect(page.get_by_role("banner")).to_contain_text(account.name)
        no_page_scroll_sideways(page)
        if name.startswith(("bang-theo-doi", "co-quan", "nhiem-vu")) and size == "390x844":
            # Tables read as one card per row on a phone: nothing hidden to the right.
            for box in page.locator(".scroll:has(table.stack)").all():
                assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), "cut off on a phone"
        violations = serious_violations(page)
        assert not violations, f"{target} at {size} ({path}):\n{describe(violations)}"
    finally:
        context.close()


# --- access -------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login_page(context: BrowserContext) -> None:
    page = context.new_page()
    for path in ("/", f"/bang-theo-doi?{BOARD_QUERY}", "/co-quan/79", "/tai-ve"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/dang-nhap"))
        expect(page.locator("input[name=username]")).to_be_visible()

    # Logging in leads back to the page asked for, not to the first page.
    page.goto(f"/bang-theo-doi?{BOARD_QUERY}&q=da+nang")
    expect(page).to_have_url(re.compile(r"/dang-nhap\?next="))
    page.locator("input[name=username]").fill(COORDINATOR.name)
    page.locator("input[name=password]").fill(COORDINATOR.password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/bang-theo-doi\?.*q=da\+nang"))
    expect(page.locator("#board tbody tr[data-agency]")).to_have_count(1)
    expect(page.locator('#board tr[data-agency="48"]')).to_contain_text("Đà Nẵng")


def test_wrong_password_is_refused_in_vietnamese(context: BrowserContext) -> None:
    page = context.new_page()
    page.goto("/dang-nhap")
    page.locator("input[name=username]").fill(COORDINATOR.name)
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/dang-nhap" in page.url
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("mật khẩu", ignore_case=True)


# --- the scenario -------------------------------------------------------------------------


def board_status(board: WebBoard, agency: str) -> str:
    """The annual report's status of ``agency`` as the CLI reads it from the database."""
    shown = board.cli(
        "status", "--period", PERIOD, "--obligation", "annual-report", "--format", "json"
    )
    assert shown.code == 0, shown.err
    rows = [r for r in json.loads(shown.out) if r["agency"] == agency]
    assert len(rows) == 1, rows
    return str(rows[0]["status"])


def test_coordinator_finds_the_overdue_records_a_report_downloads_and_logs_out(
    context: BrowserContext, board: WebBoard, shots: Path
) -> None:
    page = context.new_page()

    # Not logged in: the first page sends to the login form.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dang-nhap"))
    log_in(page, COORDINATOR)
    expect(page.locator("h1")).to_contain_text("Tổng quan")

    # From the first page, to the overdue agencies of 24/CT-TTg 2026.
    overdue = page.locator("main a[href*='status=overdue']").first
    overdue.click()
    expect(page).to_have_url(re.compile(r"/bang-theo-doi\?.*status=overdue"))
    rows = page.locator("#board tbody tr[data-agency]")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 40, rows.count()
    expect(rows.locator(".status-overdue")).to_have_count(rows.count())
    expect(page.locator('#board tr[data-agency="79"]')).to_have_count(0)  # on time, by the CLI

    # An unaccented search finds Hà Nội, and the URL keeps the view.
    page.locator("input[name=q]").fill("ha noi")
    page.locator("input[name=q]").press("Enter")
    expect(page).to_have_url(re.compile(r"q=ha(\+|%20)noi"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-agency", "01")
    expect(rows.first).to_contain_text("Hà Nội")
    page.screenshot(path=str(shots / "scenario-1-search.png"), full_page=True)

    # The same view as CSV: Hà Nội's row only, under the header.
    csv_href = page.locator("main a[href*='format=csv']").first.get_attribute("href")
    assert csv_href and "q=ha" in csv_href, csv_href
    csv = context.request.get(csv_href)
    assert csv.ok, csv.status
    lines = [line for line in csv.text().lstrip("\ufeff").splitlines() if line.strip()]
    assert len(lines) == 2 and "Hà Nội" in lines[1], lines[:5]

    # The task's page: record the report; it closes on time at once, without a sweep.
    rows.first.locator("a[href*='/nhiem-vu/']").first.click()
    expect(page).to_have_url(re.compile(r"/nhiem-vu/\d+"))
    task_url = page.url
    page.locator("input[name=document]").fill("125/BC-UBND")
    page.locator("input[name=received_on]").fill("20/11/2026")
    page.locator("form[action$='/bao-cao'] [type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main .status-done_on_time").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Hoàn thành đúng hạn")
    expect(page.locator("main")).to_contain_text("125/BC-UBND")
    received = page.locator("#received")
    expect(received).to_contain_text("125/BC-UBND")
    expect(received).to_contain_text("20/11/2026")
    expect(received).to_contain_text("Đúng hạn")
    expect(received).to_contain_text(COORDINATOR.name)
    page.screenshot(path=str(shots / "scenario-2-recorded.png"), full_page=True)
    assert board_status(board, "01") == "done_on_time"

    # The board says so too.
    page.goto(f"/bang-theo-doi?{BOARD_QUERY}&obligation=annual-report&q=ha+noi")
    expect(page.locator('#board tr[data-agency="01"] .status-done_on_time')).to_be_visible()

    # The synthesis workbook: a real XLSX with Hà Nội's report in it.
    page.get_by_role("navigation").get_by_role("link", name="Tải về", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Tải về")
    # Each directive is offered with its year (24/CT-TTg of 2012 is another directive).
    page.get_by_label("Chỉ thị", exact=True).select_option(label=f"{DIRECTIVE} (2016)")
    page.get_by_label("Kỳ", exact=True).select_option(PERIOD)
    page.get_by_role("button", name="Chọn").click()
    expect(page.locator("main h2").first).to_contain_text(
        f"{DIRECTIVE} ngày 02/08/2016 · kỳ {PERIOD}"
    )
    with page.expect_download() as download_info:
        page.locator("main a[href*='xlsx']").first.click()
    download = download_info.value
    saved = shots.parent / "downloads" / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    assert data[:4] == b"PK\x03\x04", data[:16]
    assert zipfile.is_zipfile(io.BytesIO(data))
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    assert "125/BC-UBND" in cells, sorted(cells)[:50]

    # Log out: the pages are closed again.
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap"))
    page.goto(task_url)
    expect(page).to_have_url(re.compile(r"/dang-nhap"))


def csrf_cookie(context: BrowserContext) -> str:
    tokens = [c.get("value", "") for c in context.cookies() if c.get("name") == "csrftoken"]
    assert tokens and tokens[0], f"no csrftoken cookie: {context.cookies()}"
    return tokens[0]


def test_viewer_sees_no_record_form_and_a_direct_post_is_refused(
    context: BrowserContext, board: WebBoard
) -> None:
    page = context.new_page()
    log_in(page, VIEWER)
    task = task_link(page, "48")
    page.goto(task)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("form[action$='/bao-cao']")).to_have_count(0)
    expect(page.locator("input[name=document]")).to_have_count(0)
    expect(page.locator("#read-only")).to_contain_text("Tài khoản chỉ xem")

    # With a valid CSRF token, the role alone refuses it.
    response = context.request.post(
        f"{task}/bao-cao",
        form={
            "csrftoken": csrf_cookie(context),
            "document": "9/BC-UBND",
            "received_on": "20/11/2026",
        },
        max_redirects=0,
    )
    assert response.status == 403, (response.status, response.text()[:500])
    assert board_status(board, "48") == "overdue"


def test_a_form_without_its_csrf_token_is_refused(context: BrowserContext, board: WebBoard) -> None:
    page = context.new_page()
    log_in(page, COORDINATOR)
    task = task_link(page, "48")
    response = context.request.post(
        f"{task}/bao-cao",
        form={"document": "9/BC-UBND", "received_on": "20/11/2026"},
        max_redirects=0,
    )
    assert response.status == 403, (response.status, response.text()[:500])
    assert board_status(board, "48") == "overdue"

    # Nor can a login be forced without the token.
    anonymous = context.browser.new_context(base_url=board.url) if context.browser else None
    assert anonymous is not None
    try:
        refused = anonymous.request.post(
            "/dang-nhap",
            form={"username": COORDINATOR.name, "password": COORDINATOR.password},
            max_redirects=0,
        )
        assert refused.status == 403, (refused.status, refused.text()[:500])
    finally:
        anonymous.close()


def test_a_future_received_date_is_refused_in_vietnamese_and_nothing_changes(
    context: BrowserContext, board: WebBoard
) -> None:
    page = context.new_page()
    log_in(page, COORDINATOR)
    page.goto(task_link(page, "48"))
    page.locator("input[name=document]").fill("77/BC-UBND")
    page.locator("input[name=received_on]").fill("31/12/2030")
    page.locator("form[action$='/bao-cao'] [type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("main .notice.error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("31/12/2030")
    expect(error).to_contain_text("Ngày nhận")
    expect(page.locator("main .status-overdue").first).to_be_visible()
    assert board_status(board, "48") == "overdue"


def test_coordinator_withdraws_a_report_with_a_reason_and_the_task_reopens(
    context: BrowserContext, board: WebBoard
) -> None:
    page = context.new_page()
    log_in(page, COORDINATOR)
    page.goto(task_link(page, "31"))  # late, recorded by the CLI
    expect(page.locator("main .status-done_late").first).to_be_visible()
    received = page.locator("#received")  # received 11/12, due 09/12
    expect(received).to_contain_text("56/BC-UBND")
    expect(received).to_contain_text("11/12/2026")
    expect(received).to_contain_text("Quá hạn 2 ngày")
    expect(received).to_contain_text("dòng lệnh")
    page.locator("form[action$='/rut-bao-cao'] [name=reason]").fill("Nhập nhầm số văn bản")
    page.locator("form[action$='/rut-bao-cao'] [type=submit]").click()
    page.wait_for_load_state()
    # Open again, as of today (the deadline 09/12 may still be ahead of the real clock).
    expect(page.get_by_role("status")).to_contain_text("Đã rút báo cáo")
    expect(page.locator("main .status-done_late")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Nhập nhầm số văn bản")
    assert board_status(board, "31") in {"pending", "due_soon", "overdue"}


def test_an_overdue_task_made_late_shows_when_it_was_assigned_and_its_reminders(
    context: BrowserContext,
) -> None:
    """`dondoc init` on 12/12 made Đà Nẵng's task already overdue (due 09/12): no status event
    exists, yet the page says when it was assigned, since when it has its status, and that no
    reminder went out."""
    page = context.new_page()
    log_in(page, COORDINATOR)
    page.goto(task_link(page, "48"))
    expect(page.locator("h1")).to_contain_text("Đà Nẵng")
    facts = page.locator("main dl.facts").first
    expect(facts).to_contain_text("Giao nhiệm vụ")
    expect(facts).to_contain_text("12/12/2026")
    expect(facts).to_contain_text("Chưa gửi tin nhắc nào")
    history = page.locator("#task-history tbody tr")
    expect(history.first).to_contain_text("Giao nhiệm vụ")
    expect(history.first).to_contain_text("Quá hạn")
    expect(page.locator("main")).not_to_contain_text("Chưa có sự kiện nào")
    expect(page.locator("#received")).to_have_count(0)


def test_downloads_list_each_current_agency_once_and_the_current_period_first(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    log_in(page, COORDINATOR)
    page.goto("/tai-ve")
    feeds = page.locator("main li[data-agency]")
    codes = [feeds.nth(i).get_attribute("data-agency") for i in range(feeds.count())]
    assert codes and len(codes) == len(set(codes)), codes
    assert "64" not in codes and "02" not in codes, codes  # old Gia Lai, Hà Giang: dissolved
    names = [feeds.nth(i).locator("a").inner_text() for i in range(feeds.count())]
    assert sum("Gia Lai" in n for n in names) == 1, names
    provinces = [c for c in codes if c and c.isdigit()]
    assert provinces == sorted(provinces) and len(provinces) == 34, provinces
    periods = page.locator("#d-period option")
    values = [periods.nth(i).get_attribute("value") for i in range(periods.count())]
    this_year = str(dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year)
    if this_year in values:
        assert values[0] == this_year, values
    expect(page.locator("#d-period option:checked")).to_have_attribute("value", values[0] or "")


def test_keyboard_user_skips_to_the_content(context: BrowserContext) -> None:
    page = context.new_page()
    log_in(page, COORDINATOR)
    page.goto(f"/bang-theo-doi?{BOARD_QUERY}")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Bỏ qua, tới nội dung chính")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#noi-dung$"))
