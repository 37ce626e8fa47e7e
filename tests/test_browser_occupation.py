"""The occupation, state and occupation-compare pages in a real browser (Debian's Chromium through
Playwright) against a live server (real gunicorn) over the seed plus the OEWS excerpt
(tests/fixtures/oews/excerpt.sql, imported by `careers-kg import oews`).

The career-site engineer's task: from Chromium, the compare page's CSV link and an occupation's JSON-LD
(schema.org markup and the .jsonld twin), and /export.jsonld on the seed, with content types and exact
values of the release and the seed.

At 390 px no element reaches past the viewport's right edge and the page does not scroll sideways; the wide
tables become stacked cards. Screenshots at 390 and 1280 px go to test-artifacts/ (occupation-*.png).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from oews_excerpt import import_excerpt
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
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


FETCH = """async (href) => {
  const r = await fetch(href);
  return {status: r.status, type: r.headers.get("content-type"), body: await r.text()};
}"""  # the page's own fetch: Chromium's network stack, under the page's Content-Security-Policy


def read_jsonld(body: str) -> Graph:
    """The triples of a JSON-LD document as pyld (an independent processor) reads them, offline."""
    from pyld import jsonld

    def no_remote_context(url: str, options: Any = None) -> None:
        raise AssertionError(f"the document needs a remote context: {url}")

    nquads = jsonld.to_rdf(
        json.loads(body), {"format": "application/n-quads", "documentLoader": no_remote_context}
    )
    return Graph().parse(data=nquads, format="nt")  # the default graph only: N-Triples lines


def fetch_link(tab: Tab, link: Any) -> dict[str, Any]:
    """GET the href of *link* (an element of the page) from the page itself."""
    return tab.page.evaluate(FETCH, link.get_attribute("href"))


def test_career_site_engineer_fetches_compare_csv_and_occupation_jsonld(tab):
    """The career-site engineer: picks two occupations in a state on the compare form, takes the CSV link,
    follows the first occupation's link and reads its schema.org JSON-LD and its JSON-LD twin."""
    tab.goto("/compare?a=soc2018-31-9092&b=soc2018-29-2072")
    page = tab.page
    for picker in ("#pick-area", "#pick-b-area"):  # labels shown, slugs submitted
        page.locator(picker).select_option(label="California")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare?a=31-9092&area=us-ca&b=29-2072&b_area=us-ca")
    tab.shot("career-site-compare")
    csv_link = page.locator("p.formats a[type='text/csv']")
    assert csv_link.inner_text() == "csv"
    got = fetch_link(tab, csv_link)
    assert (got["status"], got["type"]) == (200, "text/csv; charset=utf-8")
    rows = list(csv.DictReader(io.StringIO(got["body"])))
    median = {r["side"]: r for r in rows if r["measure"] == "median_annual"}
    # BLS OEWS May 2025, California: 31-9092 $49,660, 29-2072 $61,810 (data/oews-2025)
    assert {s: (r["soc_code"], r["area"], r["value"], r["unit"]) for s, r in median.items()} == {
        "a": ("31-9092", "California", "49660", "USD per year"),
        "b": ("29-2072", "California", "61810", "USD per year"),
    }
    assert {(r["reference_period"], r["published"], r["source_url"]) for r in rows} == {
        ("2025-05", "2026-05-15", "https://www.bls.gov/oes/")
    }
    assert {r["source_title"] for r in rows} == {
        "Occupational Employment and Wage Statistics (OEWS), May 2025 estimates"
    }

    page.locator("table.compare-occupations thead a", has_text="Medical Assistants").click()
    page.wait_for_url("**/id/soc2018-31-9092")
    tab.shot("career-site-occupation")
    markup = json.loads(page.locator("script[type='application/ld+json']").text_content() or "")
    annual = next(s for s in markup["estimatedSalary"] if s["duration"] == "P1Y")
    assert (annual["@type"], annual["currency"], annual["median"], annual["percentile90"]) == (
        "MonetaryAmountDistribution", "USD", 45690, 59310,
    )  # fmt: skip
    assert markup["occupationalCategory"]["codeValue"] == "31-9092"
    assert markup["mainEntityOfPage"]["lastReviewed"] == "2026-05-15"
    twin = page.locator("p.formats a[type='application/ld+json']")
    got = fetch_link(tab, twin)
    assert (got["status"], got["type"]) == (200, "application/ld+json; charset=utf-8")
    graph = read_jsonld(got["body"])
    occupation = URIRef("https://w3id.org/careers-kg/id/soc2018-31-9092")
    assert graph.value(occupation, SKOS.notation) == Literal("31-9092")
    assert graph.value(occupation, SKOS.prefLabel) == Literal("Medical Assistants", lang="en")
    tab.assert_clean()


@pytest.fixture
def seed_tab(browser, live_server, artifacts) -> Iterator[Tab]:
    yield from open_tab(browser, live_server.base, artifacts, DESKTOP)


def test_career_site_engineer_fetches_the_seed_export_jsonld(seed_tab):
    seed_tab.goto("/")
    link = seed_tab.page.get_by_role("link", name="Asserted data (jsonld)")
    assert link.get_attribute("href") == "/export.jsonld"
    seed_tab.shot("career-site-downloads")
    got = fetch_link(seed_tab, link)
    assert (got["status"], got["type"]) == (200, "application/ld+json; charset=utf-8")
    graph = read_jsonld(got["body"])
    coder = URIRef("https://w3id.org/careers-kg/id/medical-coder")
    assert graph.value(coder, SKOS.prefLabel) == Literal("Medical Coder", lang="en")  # data/careers.ttl
    seed_tab.assert_clean()
