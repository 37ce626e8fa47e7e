"""Browser fixtures shared by the browser test modules (a plugin: ``pytest_plugins = ["live", "browsing"]``):
one Chromium per module, and a fresh desktop (1280 px) or phone (390 px) tab per test on the live server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, Tab, open_tab, require_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def tab(browser, live_server, artifacts) -> Iterator[Tab]:
    yield from open_tab(browser, live_server.base, artifacts, DESKTOP)


@pytest.fixture
def phone(browser, live_server, artifacts) -> Iterator[Tab]:
    yield from open_tab(browser, live_server.base, artifacts, PHONE)
