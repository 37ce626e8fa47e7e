"""The pages people read (/id/* and /compare) in a real browser (Debian's Chromium through Playwright,
against the live server; set-up shared with tests/test_browser.py and tests/test_browser_pages.py).

* At 390 px nothing reaches past the screen's right edge and the page does not scroll sideways; the wide
  tables are cards. Screenshots at 390 and 1280 px go to test-artifacts/ (people-*.png).
* A student on a phone finds, on the compare page's first screen (844 px), which pays more, how long the
  schooling is, whether a licence is needed and how current the figures are.
* The chart's text stays readable on a phone; a pair without figures says so instead of drawing empty bars.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_browser import (
    PHONE,
    texts,
)
from test_browser_pages import OVERFLOWING

pytest_plugins = ["live", "browsing"]
pytestmark = [pytest.mark.browser, pytest.mark.live]

PAGES = {
    "cma": "/id/certified-medical-assistant",
    "coder": "/id/medical-coder",
    "cma-certification": "/id/cma-certification",
    "compare": "/compare?a=certified-medical-assistant&b=medical-coder",
    "compare-no-figures": "/compare?a=medical-biller&b=cancer-registrar",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_pages_fit_the_screen(phone, name):
    phone.goto(PAGES[name])
    phone.shot(f"people-phone-{name}")
    assert phone.page.evaluate(OVERFLOWING) == {"scroll": 0, "elements": []}
    phone.assert_clean()


@pytest.mark.parametrize("name", list(PAGES))
def test_desktop_screenshots(tab, name):
    tab.goto(PAGES[name])
    tab.shot(f"people-desktop-{name}")
    assert tab.page.evaluate(OVERFLOWING) == {"scroll": 0, "elements": []}
    tab.assert_clean()


def _bottom(page: Any, selector: str) -> float:
    return page.locator(selector).evaluate("e => e.getBoundingClientRect().bottom + window.scrollY")


def test_student_answers_are_on_the_first_screen(phone):
    """Which pays more, how long is the schooling, do I need a licence, how current is this?"""
    phone.goto(PAGES["compare"])
    page = phone.page
    phone.shot("people-phone-compare-first-screen", full_page=False)
    pay = texts(page.locator("#glance-pay td"))
    assert pay == [
        "$31,540 a year\nmedian; all Medical Assistants",
        "$38,040 a year\nmedian; all Medical Records and Health Information Technicians",
    ]
    schooling = texts(page.locator("#glance-schooling td strong"))
    assert schooling == ["Associate degree or Bachelor's degree required", "No degree required"]
    assert texts(page.locator("#glance-licence td strong")) == ["License required", "No license required"]
    assert texts(page.locator("#glance-certification td strong")) == [
        "Required: Certified Medical Assistant (CMA) certification",
        "Optional: Medical coding certification",
    ]
    currency = page.locator("p.currency").inner_text()
    assert currency.startswith(
        "Medical Coder pays more (by $6,500 a year at the median). Pay figures: 2016-05, "
    )
    assert "published 2017-03-31" in currency
    for selector in ("#glance-pay", "#glance-schooling", "#glance-licence", "#glance-certification"):
        assert _bottom(page, selector) <= PHONE["height"], selector
    assert _bottom(page, "p.currency") <= PHONE["height"]
    phone.assert_clean()


def test_phone_compare_table_is_cards_and_chart_text_is_readable(phone):
    phone.goto(PAGES["compare"])
    page = phone.page
    table = page.locator("table.compare")
    assert table.locator("thead").evaluate("e => e.getBoundingClientRect().height") <= 1
    row = table.locator("tr#median_annual")
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    labels = [c.evaluate("e => getComputedStyle(e, '::before').content") for c in row.locator("td").all()]
    assert labels == ['"Certified Medical Assistant"', '"Medical Coder"']
    heights = page.locator("figure.chart svg text").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert len(heights) == 9 and min(heights) >= 12  # 3 titles + 6 bar labels, none smaller than 12 px
    assert texts(page.locator(".chart-sources li")) == [
        "Median pay per hour (2016-05): BLS Occupational Employment Statistics, May 2016, "
        "published 2017-03-31",
        "Median pay per year (2016-05): BLS Occupational Employment Statistics, May 2016, "
        "published 2017-03-31",
        "Projected job growth (2014–2024): BLS Employment Projections, December 2015, published 2015-12",
    ]
    phone.assert_clean()


def test_a_pair_without_figures_says_so(phone):
    phone.goto(PAGES["compare-no-figures"])
    page = phone.page
    assert page.locator("figure.chart").count() == 0
    assert texts(page.locator("p.no-figures")) == [
        "No pay or growth figures are recorded for Medical Biller or Cancer Registrar, so there is nothing "
        "to chart."
    ]
    assert texts(page.locator("#glance-licence td strong")) == ["Not recorded", "Depends on your state"]
    assert page.locator("p.currency").inner_text() == "No pay figures are recorded for either."
    phone.assert_clean()


def test_entity_page_keeps_data_users_details_closed(phone):
    phone.goto(PAGES["coder"])
    page = phone.page
    details = page.locator("details.data-users")
    assert details.evaluate("e => e.open") is False
    assert page.get_by_text("https://w3id.org/careers-kg/id/medical-coder", exact=True).is_hidden()
    details.locator("summary").click()
    assert page.get_by_text("https://w3id.org/careers-kg/id/medical-coder", exact=True).is_visible()
    phone.shot("people-phone-coder-data-users")
    assert page.evaluate(OVERFLOWING) == {"scroll": 0, "elements": []}
    stats = page.locator("table.statistics tbody tr").first
    assert stats.evaluate("e => getComputedStyle(e).display") == "grid"  # a card, not a wide row
    phone.assert_clean()
