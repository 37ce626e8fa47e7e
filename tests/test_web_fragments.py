"""kg.web.fragments: the HTML of terms, citations and comparison cells, written in Python for the templates.

A view's value (a frozen dataclass) is written once and remembered; a mapping with the same fields is written
afresh each time: both give the same bytes. The pages' bytes before and after these filters replaced the
Jinja macros were compared for every entity page and every comparison pair of the seed (bench notes in
docs/architecture.md); these tests hold the filters to the markup the macros wrote."""

from __future__ import annotations

import dataclasses
from datetime import date

from kg.rdf.namespaces import ID
from kg.views.compare import compare
from kg.views.describe import describe
from kg.web.fragments import age_html, cell_html, citation_html, cited_term_html

MEDICAL_CODING = (
    '<a href="/id/medical-coding">Medical coding</a> <span class="muted claim-source">(source: '
    '<cite><a href="/id/source-aapc-2017">AAPC, 2017</a>, published 2017</cite>)</span>'
)


def _term(kg, predicate_label: str, slug: str):
    entity = describe(kg, ID["medical-coder"])
    group = next(g for g in entity.properties if g.label == predicate_label)
    return next(v for v in group.values if v.value == str(ID[slug]))


def test_a_term_with_its_own_source(kg):
    term = _term(kg, "has duty", "medical-coding")
    assert cited_term_html(term) == MEDICAL_CODING
    assert cited_term_html(term) is cited_term_html(term)  # remembered
    assert cited_term_html(dataclasses.asdict(term)) == MEDICAL_CODING  # a mapping: written afresh


def test_an_undated_source(kg):
    source = _term(kg, "has skill", "skill-analytical").sources[0]
    assert citation_html(source) == (
        '<cite><a href="/id/source-bls-coder-qualities">BLS, qualities of medical coders, as cited in the '
        "seed</a>, undated</cite>"
    )


def test_ages():
    assert age_html(1, "publication") == "1 year old"
    assert age_html(9, "reference period") == "9 years old (counted from the start of its reference period)"
    assert age_html(None, "publication") == ""


def test_a_comparison_cell(kg):
    """The seed: "623,560 medical assistants employed throughout the country" (BLS, May 2016)."""
    cmp = compare(kg, ID["certified-medical-assistant"], ID["medical-coder"], today=date(2026, 1, 1))
    cell = next(r for r in cmp.rows if r.key == "employment").a
    expected = (
        '<ul class="values"><li>623,560</li></ul><p class="muted dates">Reference period 2016-05 · published '
        '2017-03-31 · 8 years old.</p><p class="cell-source">Source: <cite><a href="https://www.bls.gov/oes/'
        '2016/may/oes_nat.htm">BLS Occupational Employment Statistics, May 2016</a>, published 2017-03-31'
        "</cite></p>"
    )
    assert cell_html(cell) == expected
    assert cell_html(dataclasses.asdict(cell)) == expected
