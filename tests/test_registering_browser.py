"""Đăng ký văn bản in headless Chromium (issue #15's acceptance): paste the seed dispatch's
text, correct a flagged field, register; the board then shows the same tasks and due dates as a
database initialised with the bundled spec of that dispatch. Screenshots of the empty page, the
form with its review points and the result, at 1440×900 and on a phone (390×844), each checked
by axe-core (build/screenshots/dang-ky-*.png)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.chromium import launched_chromium
from tests.test_web_browser import (
    SHOTS,
    TIMEOUT_MS,
    VIEWPORTS,
    describe,
    log_in,
    no_page_scroll_sideways,
    serious_violations,
)
from tests.web_harness import (
    COORDINATOR,
    VIEWER,
    WebBoard,
    _wait_until_serving,
    board_env,
    dondoc_in,
    free_port,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_23d49a1576b57a2d.txt"
BUNDLED_TEXT = ROOT / "config" / "data" / "directives" / "351-BXD-PTDT.txt"
Row = tuple[str, str, str, str]


def seed_text() -> str:
    return (SEED if SEED.exists() else BUNDLED_TEXT).read_text(encoding="utf-8")


@contextmanager
def empty_board(workdir: Path) -> Iterator[WebBoard]:
    """`dondoc web` over a database with the agencies and two accounts, no directive."""
    env = board_env(workdir)
    assert dondoc_in(workdir, env, "init", "--no-bundled").code == 0
    for account in (COORDINATOR, VIEWER):
        added = dondoc_in(
            workdir, env, "users", "add", account.name, "--role", account.role,
            stdin=account.password + "\n",
        )  # fmt: skip
        assert added.code == 0, added.err
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / "web.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "dondoc.cli", "web", "--port", str(port), "--workers", "1"],
            cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_serving(process, log, url)
        yield WebBoard(url=url, workdir=workdir, env=env, process=process, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def board() -> Iterator[WebBoard]:
    workdir = Path(tempfile.mkdtemp(prefix="dondoc-register-"))
    try:
        with empty_board(workdir) as running:
            yield running
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_chromium(TIMEOUT_MS) as launched:
        yield launched


def rows_of(csv_text: str) -> set[Row]:
    """(agency, obligation, period, due date) of the board's CSV."""
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    return {(r["agency"], r["obligation"], r["period"], r["due_date"]) for r in reader}


def bundled_rows(folder: Path) -> set[Row]:
    """The same rows from a database initialised with the bundled spec of the dispatch."""
    env = board_env(folder)
    assert dondoc_in(folder, env, "init").code == 0
    shown = dondoc_in(folder, env, "status", "--directive", "24/CT-TTg", "--format", "csv")
    assert shown.code == 0, shown.err
    return rows_of(shown.out)


def shoot(page: Page, name: str, size: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"dang-ky-{name}-{size}.png"
    page.screenshot(path=str(path), full_page=True)
    no_page_scroll_sideways(page)
    violations = serious_violations(page)
    assert not violations, f"{page.url} at {size} ({path}):\n{describe(violations)}"


def test_paste_correct_register_and_the_board_matches_the_bundled_spec(
    browser: Browser, board: WebBoard, tmp_path: Path
) -> None:
    """At desktop width: paste, correct, register, compare with the bundled spec; then at phone
    width on the same board (one test, so that pytest-xdist never runs them apart): paste again,
    be refused as a duplicate, open the registered draft's result."""
    for size in VIEWPORTS:
        _paste_and_register(browser, board, size, tmp_path)


def _paste_and_register(browser: Browser, board: WebBoard, size: str, tmp_path: Path) -> None:
    width, height = VIEWPORTS[size]
    context = browser.new_context(
        base_url=board.url, viewport={"width": width, "height": height}, locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        log_in(page, COORDINATOR)
        page.get_by_role("navigation").get_by_role("link", name="Đăng ký văn bản").click()
        expect(page.locator("h1")).to_have_text("Đăng ký văn bản")
        shoot(page, "trang-dau", size)

        page.get_by_label("Dán toàn bộ nội dung văn bản").fill(seed_text())
        page.get_by_role("button", name="Đọc văn bản").click()
        expect(page).to_have_url(f"{board.url}/dang-ky-van-ban/{1 if size == '1440x900' else 2}")
        expect(page.locator(".review").first).to_contain_text("Cần xem lại:")
        unit = page.get_by_label("Đơn vị soạn thảo").last  # the dispatch's: flagged
        expect(page.locator(".field.has-review", has=unit)).to_have_count(1)
        assert unit.input_value() == "Cục Phát triển đô thị"
        shoot(page, "ban-nhap", size)

        if size == "390x844":
            # The same directive is loaded by now: registering again is refused, nothing written.
            page.get_by_role("button", name="Đăng ký", exact=True).click()
            expect(page.locator(".notice.error")).to_contain_text("đã được đăng ký trước đó")
            shoot(page, "trung-lap", size)
            page.goto("/dang-ky-van-ban")
            page.locator('#drafts tr[data-draft="1"] a').click()  # registered by the first run
            expect(page.locator("#summary")).to_contain_text("09/12/2026")
            shoot(page, "ket-qua", size)
            return

        unit.fill("Cục Phát triển đô thị, Bộ Xây dựng")
        # The reader starts tracking with today's period, the bundled spec with 2026: the same
        # first period on both sides keeps the comparison true in any year the suite runs.
        for first_period in page.locator("input[name$='.first_period']").all():
            if first_period.input_value():
                first_period.fill("2026")
        unit.press("Enter")  # saves, as "Lưu nháp" does: never the first "Xóa nhiệm vụ" button
        expect(page.locator(".notice.ok")).to_contain_text("Đã lưu nháp")
        expect(page.locator("fieldset.obligation")).to_have_count(3)
        expect(page.get_by_label("Đơn vị soạn thảo").last).to_have_value(
            "Cục Phát triển đô thị, Bộ Xây dựng"
        )
        issued = page.get_by_label("Ngày ban hành (dd/mm/yyyy)").first  # the directive's
        issued.fill("31/02/2016")
        page.get_by_role("button", name="Đăng ký", exact=True).click()
        expect(page.locator(".errors-list")).to_contain_text("Văn bản, ngày ban hành")
        beside = page.locator(".field.has-error", has=page.locator("#f-directive-issued_on"))
        expect(beside).to_contain_text("«31/02/2016» không phải là ngày")
        shoot(page, "loi", size)
        page.locator("#f-directive-issued_on").fill("02/08/2016")
        page.get_by_role("button", name="Đăng ký", exact=True).click()
        expect(page.locator(".notice.ok")).to_contain_text(
            "Đã đăng ký văn bản 24/CT-TTg: 3 nhiệm vụ giao cho 50 cơ quan"
        )
        expect(page.locator("#summary")).to_contain_text("09/12/2026")
        expect(page.locator("#tasks-made")).to_contain_text("Ủy ban nhân dân Thành phố Hồ Chí Minh")
        shoot(page, "ket-qua", size)

        page.locator("#board-link").click()
        expect(page.locator("h1")).to_contain_text("Bảng theo dõi")
        got = context.request.get("/bang-theo-doi?directive=24/CT-TTg&format=csv")
        assert got.ok, got.status
        registered = rows_of(got.text())
        expected = bundled_rows(tmp_path)
        assert registered == expected, registered ^ expected
        page.goto("/bang-theo-doi?directive=24/CT-TTg&period=2026&obligation=annual-report")
        dated = {r for r in expected if r[1] == "annual-report" and r[2] == "2026"}
        expect(page.locator("#board tbody tr[data-agency]")).to_have_count(len(dated))
        expect(page.locator('#board tr[data-agency="79"]')).to_contain_text("09/12/2026")
    finally:
        context.close()
