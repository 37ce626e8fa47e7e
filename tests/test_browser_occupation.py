"""The occupation, state and occupation-compare pages in a real browser (Debian's Chromium through
Playwright) against a live server (real gunicorn) over the seed plus the OEWS excerpt
(tests/fixtures/oews/excerpt.sql, imported by `careers-kg import oews`).

At 390 px no element reaches past the viewport's right edge and the page does not scroll sideways; the wide
tables become stacked cards. Screenshots at 390 and 1280 px go to test-artifacts/ (occupation-*.png).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from oews_excerpt import import_excerpt
from test_browser import DESKTOP, PHONE, Tab, open_tab
from test_browser_pages import OVERFLOWING

pytest_plugins = ["live", "browsing"]  # the shared Chromium (browser); tabs here open on the OEWS server
pytestmark = [pytest.mark.browser, pytest.mark.live]

PAGES = {
    "occupation": "/id/soc2018-31-9092",
    "occupation-top-coded": "/id/soc2018-29-1022",
    "state": "/id/us-ca?rank=median_annual",
    "compare-places": "/compare?a=soc2018-31-9092&area=us&b_area=us-ca",
    "compare-occupations": "/compare?a=soc2018-31-9092&b=soc2018-29-2072&area=us-ca",
}


@pytest.fixture(scope="module")
def oews_server(tmp_path_factory) -> Iterator[Any]:
    from live import start_server, stop_server  # the plugin module, loaded by pytest_plugins

    folder = tmp_path_factory.mktemp("oews-live")
    files = import_excerpt(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAREERS_KG_DATA", os.pathsep.join(str(f) for f in files))
        patch.setenv("CAREERS_KG_STORE", "memory")
        proc, server = start_server(folder, named_graphs=())
    try:
        yield server
    finally:
        stop_server(proc)


@pytest.fixture
def phone(browser, oews_server, artifacts) -> Iterator[Tab]:
    yield from open_tab(browser, oews_server.base, artifacts, PHONE)


@pytest.fixture
def tab(browser, oews_server, artifacts) -> Iterator[Tab]:
    yield from open_tab(browser, oews_server.base, artifacts, DESKTOP)


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_pages_fit_the_screen(phone, name):
    phone.goto(PAGES[name])
    phone.shot(f"occupation-phone-{name}")
    phone.shot(f"occupation-phone-{name}-top", full_page=False)  # what a phone shows first, at full size
    table = phone.page.locator("main table").last
    table.scroll_into_view_if_needed()
    phone.shot(f"occupation-phone-{name}-table", full_page=False)
    assert phone.page.evaluate(OVERFLOWING) == {"scroll": 0, "elements": []}
    phone.assert_clean()


@pytest.mark.parametrize("name", list(PAGES))
def test_desktop_pages(tab, name):
    tab.goto(PAGES[name])
    tab.shot(f"occupation-desktop-{name}")
    assert tab.page.evaluate(OVERFLOWING) == {"scroll": 0, "elements": []}
    tab.assert_clean()


def test_phone_state_table_is_cards_with_labels(phone):
    phone.goto(PAGES["occupation"])
    page = phone.page
    row = page.locator("table.states tbody tr").first
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    labels = [c.evaluate("e => getComputedStyle(e, '::before').content") for c in row.locator("td").all()]
    assert labels[:3] == ['"Jobs"', '"Per 1,000 jobs"', '"Location quotient"']
    assert row.locator("td").nth(4).inner_text().startswith("$49,660")
    phone.assert_clean()


def test_sorting_by_a_column_heading_reorders_without_javascript(browser, oews_server, artifacts):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(oews_server.base + PAGES["state"].split("?")[0])
        page.get_by_label("Rank by").select_option("median_annual")
        page.get_by_role("button", name="Show").click()
        codes = page.locator("table.ranked tbody tr th span.muted").all_inner_texts()
        assert codes == ["13-1074", "29-2072", "31-9092"]
        page.goto(oews_server.base + PAGES["occupation"])
        page.get_by_role("link", name="Median annual", exact=True).click()
        assert page.url.endswith("/id/soc2018-31-9092?sort=median_annual&order=desc#states")
    finally:
        context.close()
