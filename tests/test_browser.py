"""The web app in a real browser: Playwright (sync API) driving Debian's Chromium, headless, against the live
server. Flows: the home page, a search typed into the header's search box, a result followed to its page, a
stored query run through its form, the compare picker, the skip link reached by keyboard, and the layout on a
phone-sized screen. Every page must load nothing from other hosts and log no console errors (the CSP would
report a blocked resource there). Screenshots go to test-artifacts/ (see them after a run).

Without /usr/bin/chromium the tests are skipped, with the reason shown, unless CI=true: then they fail.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["live", "browsing"]
pytestmark = [pytest.mark.browser, pytest.mark.live]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); with CI=true this is a failure")


@dataclass
class Tab:
    """A page in a fresh browser context, with every request URL and console error it saw."""

    page: Any
    base: str
    artifacts: Path
    urls: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path

    def path(self) -> str:
        """The current URL without the server part."""
        return self.page.url.removeprefix(self.base)

    def shot(self, name: str, full_page: bool = True) -> Path:
        target = self.artifacts / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=full_page)
        assert target.stat().st_size > 1000
        return target

    def console(self, message: Any) -> None:
        url = message.location.get("url", "")
        # Chromium asks every site for /favicon.ico on its own; a 404 there is not the page's doing.
        if message.type == "error" and url != self.base + "/favicon.ico":
            self.errors.append(f"{message.text} ({url})")

    def assert_clean(self) -> None:
        """Nothing fetched from another host; no console error (failed load, CSP violation, script error)."""
        foreign = [u for u in self.urls if not u.startswith((self.base + "/", "data:"))]
        assert foreign == []
        assert self.errors == []


def open_tab(browser: Any, base: str, artifacts: Path, viewport: dict[str, int]) -> Iterator[Tab]:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        tab = Tab(context.new_page(), base, artifacts)
        tab.page.on("request", lambda request: tab.urls.append(request.url))
        tab.page.on("console", lambda message: tab.console(message))
        tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
        yield tab
    finally:
        context.close()


def texts(locator: Any) -> list[str]:
    return [text.strip() for text in locator.all_inner_texts()]


# ------------------------------------------------------------------------------------------------ flows


def test_home_page(tab):
    tab.goto("/")
    page = tab.page
    assert page.title() == "Careers KG — an open knowledge graph of healthcare careers · Careers KG"
    assert texts(page.locator("h1")) == ["Careers KG"]
    for landmark in ("header", "nav[aria-label=Main]", "main#main", "footer", "form[role=search]"):
        assert page.locator(landmark).count() == 1, landmark
    assert texts(page.locator("#professions + ul.cards a")) == [
        "Cancer Registrar",
        "Certified Medical Assistant",
        "Licensed Clinician",
        "Medical Biller",
        "Medical Coder",
    ]
    assert page.locator("link[rel=stylesheet]").get_attribute("href") == "/static/style.css"
    tab.shot("home")
    tab.assert_clean()


def test_search_then_follow_the_first_result(tab):
    tab.goto("/")
    page = tab.page
    page.locator("#site-search").press_sequentially("coder")
    page.locator("#site-search").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=coder$"))
    assert texts(page.locator("h1")) == ["Search results for “coder”"]
    results = page.locator("main ol > li > a")
    assert texts(results)[:3] == ["Medical Coder", "Medical coder licensing", "Medical coder recertification"]
    tab.shot("search-coder")

    results.first.click()
    page.wait_for_url(re.compile(r"/id/medical-coder$"))
    assert texts(page.locator("h1")) == ["Medical Coder"]
    assert page.title() == "Medical Coder · Careers KG"
    annual = page.locator(
        "#statistics ~ div table tr", has=page.get_by_role("link", name="Median annual wage")
    )
    assert texts(annual.locator("td.num")) == ["$38,040"]
    markup = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert markup["@type"] == "Occupation"
    assert markup["name"] == "Medical Coder"
    tab.shot("entity-medical-coder")
    tab.assert_clean()


def test_run_a_stored_query_through_its_form(tab):
    tab.goto("/queries")
    page = tab.page
    page.get_by_role("link", name="Median pay of a profession").click()
    page.wait_for_url(re.compile(r"/queries/median-pay$"))
    assert texts(page.locator("h1")) == ["Median pay of a profession"]
    page.locator("#param-profession").select_option("certified-medical-assistant")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url(re.compile(r"/queries/median-pay\?profession=certified-medical-assistant$"))
    table = page.locator("section[aria-labelledby=results] table")
    assert texts(table.locator("thead th")) == ["variable", "value", "source"]
    rows = [texts(row.locator("td")) for row in table.locator("tbody tr").all()]
    source = "BLS Occupational Employment Statistics, May 2016\nhttps://w3id.org/careers-kg/id/source-bls-oes-may-2016"
    annual, hourly = (
        f"Median {p} wage\nhttps://w3id.org/careers-kg/id/var-median-{p}-wage" for p in ("annual", "hourly")
    )
    assert rows == [[annual, "31,540", source], [hourly, "15.17", source]]  # labels, each with its IRI
    tab.shot("query-median-pay")
    tab.assert_clean()


def test_compare_two_professions_with_the_picker(tab):
    tab.goto("/compare?a=cancer-registrar&b=medical-biller")
    page = tab.page
    assert texts(page.locator("h1")) == ["Cancer Registrar vs. Medical Biller"]
    page.locator("#pick-a").select_option("certified-medical-assistant")
    page.locator("#pick-b").select_option("medical-coder")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"/compare\?a=certified-medical-assistant&b=medical-coder$"))
    assert texts(page.locator("h1")) == ["Certified Medical Assistant vs. Medical Coder"]
    assert texts(page.locator("table.compare thead th")) == [
        "Aspect",
        "Certified Medical Assistant",
        "Medical Coder",
    ]
    cells = page.locator("tr#median_annual td")
    assert cells.count() == 2
    assert "31,540" in cells.nth(0).inner_text()
    assert "38,040" in cells.nth(1).inner_text()
    assert "38,040" not in cells.nth(0).inner_text()
    chart = page.locator("figure.chart svg")
    assert chart.get_attribute("role") == "img"
    assert page.locator("figure.chart svg rect").count() == 6  # 3 figures x 2 professions
    tab.shot("compare-cma-coder")
    tab.assert_clean()


def test_tab_reaches_the_skip_link_first_and_focus_is_visible(tab):
    tab.goto("/")
    page = tab.page
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
            return {cls: el.className, text: el.textContent.trim(), href: el.getAttribute('href'),
                    outline: style.outlineStyle, width: style.outlineWidth,
                    x: box.left, y: box.top, w: box.width, h: box.height,
                    focusVisible: el.matches(':focus-visible')};
        }"""
    )
    assert focused["cls"] == "skip-link"
    assert focused["text"] == "Skip to main content"
    assert focused["href"] == "#main"
    assert focused["focusVisible"] is True
    assert (focused["outline"], focused["width"]) == ("solid", "3px")
    assert 0 <= focused["x"] < DESKTOP["width"] and 0 <= focused["y"] < DESKTOP["height"]  # on screen
    assert focused["w"] > 0 and focused["h"] > 0
    tab.shot("focus-skip-link", full_page=False)
    page.keyboard.press("Enter")
    assert page.evaluate("() => [location.hash, document.activeElement.id]") == ["#main", "main"]
    tab.assert_clean()


@pytest.mark.parametrize(
    "path",
    ["/", "/compare?a=certified-medical-assistant&b=medical-coder", "/id/certified-medical-assistant"],
    ids=["home", "compare", "entity"],
)
def test_readable_on_a_phone(phone, path):
    phone.goto(path)
    page = phone.page
    name = {"/": "home"}.get(path, path.strip("/").split("?")[0].replace("/", "-"))
    phone.shot(f"phone-{name}")
    assert page.locator("h1").count() == 1
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the phone's screen"
    phone.assert_clean()


# ---------------------------------------------------------------------- what the figures are, and how old

CMA_FIGURES = (
    "Figures for Certified Medical Assistant are those of Medical Assistants (SOC 31-9092), the occupation "
    "official statistics count. All medical assistants, certified or not."
)
CODER_FIGURES = (
    "Figures for Medical Coder are those of Medical Records and Health Information Technicians (SOC 2010 "
    "29-2071), the occupation official statistics count. An occupational category closely related to coding: "
    "all medical records and health information technicians, not medical coders alone."
)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_compare_says_once_whose_figures_and_how_old(browser, live_server, artifacts, viewport):
    """/compare names the occupation each side's figures are about once (not on every row), and dates each
    figure by its reference period and publication, never by the end of a projection period."""
    for tab in open_tab(browser, live_server.base, artifacts, viewport):
        tab.goto("/compare?a=certified-medical-assistant&b=medical-coder")
        page = tab.page
        notes = texts(page.locator("p.reported-under"))
        assert notes == [CMA_FIGURES, CODER_FIGURES]
        assert page.locator("p.reported-under").first.is_visible()
        median = page.locator("tr#median_annual td").nth(0).inner_text()
        assert "$31,540 per year" in median
        assert "Reference period 2016-05 · published 2017-03-31" in median
        growth = page.locator("tr#growth td").nth(0).inner_text()
        assert "Reference period 2014–2024 · published 2015-12" in growth
        new_positions = page.locator("tr#new_positions td").nth(0).inner_text()
        assert "publication date unknown" in new_positions and "As of 2024" not in new_positions
        assert "as of" not in page.locator("table caption").inner_text().lower()
        assert page.get_by_text("Figure for", exact=False).count() == 0
        tab.shot(f"truth-compare-{viewport['width']}")
        tab.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_entity_page_shows_dates_and_the_source_of_each_claim(browser, live_server, artifacts, viewport):
    """The CMA page: the figures are those of all medical assistants, each with reference period, publication
    date and age; the AAMA's claims (duties) and the seed's own are cited apart."""
    for tab in open_tab(browser, live_server.base, artifacts, viewport):
        tab.goto("/id/certified-medical-assistant")
        page = tab.page
        assert texts(page.locator("#statistics ~ p.reported-under")) == [CMA_FIGURES]
        head = texts(page.locator("#statistics ~ div table thead th"))
        assert head == ["Figure", "Value", "Unit", "Reference period", "Published", "Age", "Source"]
        annual = page.locator(
            "#statistics ~ div table tr", has=page.get_by_role("link", name="Median annual wage")
        )
        cells = texts(annual.locator("td"))
        assert cells[:4] == ["$31,540", "US dollars per year", "2016-05", "2017-03-31"]
        assert cells[4].endswith(" years old")  # counted from 2017-03-31 to the day the test runs
        assert int(cells[4].split()[0]) >= 9
        duty = page.locator("section.facts li", has=page.get_by_role("link", name="Drawing blood"))
        assert "(source: AAMA, as cited in the seed, undated)" in duty.first.inner_text()
        tab.shot(f"truth-entity-cma-{viewport['width']}")
        tab.assert_clean()
