"""The coordinator's view: the Prefect dashboard, in headless Chromium, shows the compliance
board that a sweep published, in Vietnamese.

Chromium is Debian's (`make browser` installs it); Playwright only drives it and never downloads
a browser of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.chromium import launched_chromium
from tests.prefect_server import BoardPublished, PrefectServer

BOARD_KEY = "board-24-ct-ttg-2016-2026"
HANOI = "Ủy ban nhân dân thành phố Hà Nội"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_chromium(TIMEOUT_MS) as launched:  # the first load is the slowest
        yield launched


@pytest.fixture
def page(browser: Browser, tmp_path: Path) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        page.screenshot(path=str(tmp_path / "last.png"), full_page=True)
        context.close()


def test_coordinator_finds_the_compliance_board_in_the_dashboard(
    prefect_server: PrefectServer, board_published: BoardPublished, page: Page, tmp_path: Path
) -> None:
    latest = prefect_server.api(
        "POST", "/artifacts/latest/filter", {"artifacts": {"key": {"any_": [BOARD_KEY]}}}
    )
    assert latest, f"no artifact {BOARD_KEY} on the server"
    artifact_id = str(latest[0]["latest_id"])

    # The artifacts page lists the board by its key, with its Vietnamese description.
    page.goto(f"{prefect_server.url}/artifacts")
    card = page.get_by_role("link").filter(has_text=BOARD_KEY)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Tình hình thực hiện 24/CT-TTg (2016), kỳ 2026")
    page.screenshot(path=str(tmp_path / "1-artifacts.png"), full_page=True)

    # The key's page: every version of the board; the newest is the sweep's.
    card.click()
    expect(page).to_have_url(f"{prefect_server.url}/artifacts/key/{BOARD_KEY}")
    newest = page.get_by_role("link", name=artifact_id[:8], exact=True)
    expect(newest).to_be_visible()
    page.screenshot(path=str(tmp_path / "2-key.png"), full_page=True)

    # The board itself, rendered as a table.
    newest.click()
    expect(page).to_have_url(f"{prefect_server.url}/artifacts/artifact/{artifact_id}")
    expect(page.get_by_role("columnheader", name="Tình trạng")).to_be_visible()
    hanoi = page.get_by_role("row").filter(has_text=HANOI).filter(has_text="annual-report")
    expect(hanoi).to_have_count(1)
    expect(hanoi).to_contain_text("Hoàn thành đúng hạn")
    expect(hanoi).to_contain_text("12/BC-UBND")
    page.screenshot(path=str(tmp_path / "3-board.png"), full_page=True)
