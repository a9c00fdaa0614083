"""Debian's Chromium (`make browser`) under Playwright, which only drives it and never downloads a
browser of its own: one launcher for every browser test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out of this closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def launched_chromium(timeout_ms: int) -> Iterator[Browser]:
    """Chromium with ``timeout_ms`` as the launch and `expect` timeout, closed afterwards."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make browser`"
    expect.set_options(timeout=timeout_ms)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=timeout_ms
        )
        try:
            yield browser
        finally:
            browser.close()
