"""Phone-first pages and the SPARQL editor in a real browser (Debian's Chromium through Playwright, against
the live server; see tests/test_browser.py for the set-up it shares).

* At 390 px, /, /queries, a stored query's page with results, and /sparql (editor and results) fit the
  screen: no element reaches past the viewport's right edge (elements clipped by an ancestor excepted), and
  the page does not scroll sideways. Screenshots at 390 and 1280 px go to test-artifacts/.
* A SPARQL user runs a query in YASGUI (typed into the editor), sorts and pages the results and downloads
  them as CSV; the file's rows are checked. The completion offers the project's prefixes without any request
  to another host.
* Without JavaScript, the plain form still runs a query and shows IRIs with their labels.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from test_browser import (
    DESKTOP,
    TIMEOUT_MS,
    Tab,
    texts,
)

pytest_plugins = ["live", "browsing"]
pytestmark = [pytest.mark.browser, pytest.mark.live]

PROFESSIONS = "PREFIX ckg: <https://w3id.org/careers-kg/ontology#>\nSELECT ?p WHERE { ?p a ckg:Profession }"
SHORT = [
    "id:cancer-registrar",
    "id:certified-medical-assistant",
    "id:licensed-clinician",
    "id:medical-biller",
    "id:medical-coder",
]
LABELS = [
    "Cancer Registrar",
    "Certified Medical Assistant",
    "Licensed Clinician",
    "Medical Biller",
    "Medical Coder",
]
PAGES = {
    "home": "/",
    "queries": "/queries",
    "query-median-pay": "/queries/median-pay?profession=certified-medical-assistant",
    "sparql": "/sparql",
    "sparql-results": "/sparql?query=" + quote(PROFESSIONS),  # the editor runs a query from the address
}
# Elements past the right edge of the viewport, unless an ancestor clips them (overflow hidden/clip).
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth, out = [];
    const clipped = el => {
        for (let a = el.parentElement; a; a = a.parentElement) {
            const s = getComputedStyle(a);
            if (['hidden', 'clip'].includes(s.overflowX) || s.clip !== 'auto') return true;
        }
        return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect(), s = getComputedStyle(el);
        if (!box.width || s.visibility === 'hidden' || s.position === 'fixed') continue;
        if (box.right > width + 1 && !clipped(el))
            out.push(`${el.tagName.toLowerCase()}.${el.className}: right ${Math.round(box.right)}`);
    }
    return {scroll: document.documentElement.scrollWidth - width, elements: out.slice(0, 10)};
}"""


def _settle(tab: Tab, name: str) -> None:
    """Wait for what the page draws after loading (the editor, its results)."""
    if name.startswith("sparql"):
        tab.page.locator(".CodeMirror").first.wait_for()
    if name == "sparql-results":
        tab.page.locator(".yasr .dataTable tbody tr").first.wait_for()


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_pages_fit_the_screen(phone, name):
    phone.goto(PAGES[name])
    _settle(phone, name)
    phone.shot(f"phone-{name}")
    found = phone.page.evaluate(OVERFLOWING)
    assert found == {"scroll": 0, "elements": []}
    phone.assert_clean()


@pytest.mark.parametrize("name", list(PAGES))
def test_desktop_screenshots(tab, name):
    tab.goto(PAGES[name])
    _settle(tab, name)
    tab.shot(f"desktop-{name}")
    assert tab.page.evaluate(OVERFLOWING) == {"scroll": 0, "elements": []}
    tab.assert_clean()


def test_phone_results_are_cards(phone):
    phone.goto(PAGES["query-median-pay"])
    page = phone.page
    table = page.locator("section[aria-labelledby=results] table")
    assert (
        page.locator("section[aria-labelledby=results] thead").evaluate(
            "e => e.getBoundingClientRect().height"
        )
        <= 1
    )
    first = table.locator("tbody tr").first
    assert first.evaluate("e => getComputedStyle(e).display") == "block"
    cells = first.locator("td")
    assert [c.evaluate("e => getComputedStyle(e, '::before').content") for c in cells.all()] == [
        '"variable"',
        '"value"',
        '"source"',
    ]
    phone.assert_clean()


def _run_in_editor(tab: Tab, query: str) -> None:
    page = tab.page
    page.locator(".CodeMirror").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(query)
    page.locator(".yasqe_queryButton").first.click()
    page.locator(".yasr .dataTable tbody tr").first.wait_for()


def test_sparql_user_runs_sorts_pages_and_downloads(tab):
    tab.goto("/sparql")
    page = tab.page
    assert page.locator("#plain-editor").is_hidden()
    _run_in_editor(tab, PROFESSIONS)
    assert page.locator(".yasr .yasr_response_chip").inner_text().startswith("5 results in ")
    column = page.locator(".yasr .dataTable tbody td:nth-child(2)")
    assert sorted(texts(column)) == SHORT  # the project prefixes abbreviate the IRIs
    header = page.locator(".yasr .dataTable thead th", has_text=re.compile(r"^p$"))
    header.click()
    assert texts(column) == SHORT  # sorted by ?p
    header.click()
    assert texts(column) == SHORT[::-1]  # and the other way
    assert texts(page.locator(".yasr select.tableSizer option")) == ["10", "50", "100", "1000", "All"]
    page.locator(".yasr select.tableSizer").select_option("10")
    assert len(texts(column)) == 5
    tab.shot("sparql-results", full_page=False)

    with page.expect_download() as download_info:
        page.locator(".yasr .yasr_downloadIcon").click()
    download = download_info.value
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["p"]
    assert sorted(r[0] for r in rows[1:]) == [
        s.replace("id:", "https://w3id.org/careers-kg/id/") for s in SHORT
    ]
    assert download.suggested_filename.endswith(".csv")
    tab.assert_clean()


def test_an_example_opens_in_a_new_tab_and_prefixes_complete_offline(tab):
    tab.goto("/sparql")
    page = tab.page
    page.locator(".CodeMirror").first.wait_for()
    page.get_by_role("link", name="Median pay of a profession").click()
    tabs = [name.split("\n")[0] for name in texts(page.locator(".yasgui .tabsList .tab a[role=tab]"))]
    assert tabs == ["Query", "Median pay of a profession"]
    assert page.url.endswith("/sparql")  # no page load: the example opened as a tab
    value = page.evaluate("() => window.careersKgEditor.getTab().getYasqe().getValue()")
    assert value.startswith("PREFIX ckg: <https://w3id.org/careers-kg/ontology#>")
    assert "?profession" in value
    # Completion of a prefix declaration from the project's own list.
    page.locator(".yasgui .tabPanel.active .CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("PREFIX sch")
    page.locator(".CodeMirror-hints").wait_for()
    assert texts(page.locator(".CodeMirror-hints li")) == ["schema: <http://schema.org/>"]
    tab.assert_clean()


def test_the_plain_form_works_without_javascript(browser, live_server, artifacts):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(live_server.base + "/sparql")
        assert page.locator("#editor").is_hidden()
        page.locator("#query").fill(PROFESSIONS)
        page.get_by_role("button", name="Run query").click()
        page.wait_for_url(re.compile(r"/sparql\?query="))
        cells = texts(page.locator("#plain-results tbody td"))
        assert sorted(cells) == [
            f"{label}\nhttps://w3id.org/careers-kg/id/{slug[3:]}"
            for label, slug in zip(LABELS, SHORT, strict=True)
        ]
        page.screenshot(path=str(artifacts / "sparql-no-javascript.png"), full_page=True)
    finally:
        context.close()
