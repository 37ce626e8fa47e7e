"""kg.views.describe: one entity as a value, on the real built graph (expected values from the seed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rdflib import RDF, SKOS, Literal, URIRef
from rdflib.namespace import XSD

from kg.rdf.namespaces import CKG, ID, SCHEMA
from kg.views.describe import describe, entity_graph, format_number
from kg.views.provenance import age_years

TODAY = date(2026, 11, 27)
CMA = ID["certified-medical-assistant"]
CODER = ID["medical-coder"]
MRHIT = ID["medical-records-and-health-information-technician"]
MEDICAL_ASSISTANTS = ID["medical-assistant"]


@pytest.fixture(scope="module")
def cma(kg):
    return describe(kg, CMA, today=TODAY)


def _group(groups, predicate):
    return next(g for g in groups if g.predicate == str(predicate))


def test_header(cma):
    assert cma.iri == str(CMA)
    assert cma.label == "Certified Medical Assistant"
    assert cma.description.startswith("A medical assistant certified through the AAMA")
    assert cma.alt_labels == ("CMA",)
    assert cma.is_profession is True


def test_types_asserted_and_inferred(cma):
    types = {(t.value, t.label, t.inferred) for t in cma.types}
    assert (str(CKG.Profession), "Profession", False) in types
    assert (str(SCHEMA.Occupation), "Occupation", True) in types
    assert not any(t.value.endswith("#Thing") for t in cma.types)


def test_statistics_table_row_for_median_annual_pay(cma):
    row = next(s for s in cma.statistics if s.variable.value == str(ID["var-median-annual-wage"]))
    assert row.value == "31,540"
    assert row.number == "31540"
    assert row.unit == "US dollars per year"
    assert row.currency == "USD"
    assert row.ref_period == "2016-05"
    assert row.published == "2017-03-31"
    assert (row.age_years, row.age_from) == (9, "publication")  # published 31 March 2017, seen 27 Nov 2026
    assert row.about.value == str(MEDICAL_ASSISTANTS)  # all medical assistants, not CMAs
    (source,) = row.sources
    assert source.label == "BLS Occupational Employment Statistics, May 2016"
    assert source.url == "https://www.bls.gov/oes/2016/may/oes_nat.htm"
    assert source.publisher == "Bureau of Labor Statistics"
    assert source.published == "2017-03-31"


def test_the_figures_are_reported_under_medical_assistants(cma):
    (under,) = cma.reported_under
    assert (under.iri, under.label, under.codes, under.scope) == (
        str(MEDICAL_ASSISTANTS),
        "Medical Assistants",
        "SOC 31-9092",
        "All medical assistants, certified or not.",
    )
    assert under.text() == "Medical Assistants (SOC 31-9092): All medical assistants, certified or not."


def test_projection_ages_count_from_publication_never_from_the_end_of_the_period(cma):
    growth, new_positions = cma.statistics[5], cma.statistics[6]
    assert (growth.ref_period, growth.published, growth.age_years, growth.age_from) == (
        "2014–2024",
        "2015-12",
        10,
        "publication",
    )
    # the seed cites nobody for this row: its source (the seed) has no known publication date, so the age
    # counts from the start of the reference period
    assert (new_positions.ref_period, new_positions.published, new_positions.age_years) == (
        "2014–2024",
        None,
        12,
    )
    assert new_positions.age_from == "reference period"
    assert [s.label for s in new_positions.sources] == [
        "Seed article: Certified Medical Assistant (CMA) vs. Medical Coder"
    ]
    assert new_positions.sources[0].undated == "The article states no publication date."
    assert new_positions.sources[0].not_before == "2019-12"


def test_statistics_in_seed_order(cma):
    assert [s.value for s in cma.statistics][:7] == [
        "623,560",
        "15.17",
        "31,540",
        "15.79",
        "32,850",
        "23",
        "138,900",
    ]
    growth = cma.statistics[5]
    assert growth.ref_period == "2014–2024"
    assert growth.unit == "percent"


def test_coder_statistics_follow_reported_under(kg):
    coder = describe(kg, CODER, today=TODAY)
    values = {s.variable.label: s.value for s in coder.statistics if s.setting is None}
    assert values["Median annual wage"] == "38,040"
    assert values["Employment"] == "200,140"
    assert {s.about.value for s in coder.statistics} == {str(MRHIT)}
    shares = sorted((s.setting.label, s.value) for s in coder.statistics if s.setting is not None)
    assert ("Hospitals", "38") in shares


def test_claims_name_the_source_of_each_value(kg, cma):
    duties = _group(cma.properties, CKG.hasDuty)
    cited = {v.label: [s.label for s in v.sources] for v in duties.values}
    assert cited["Drawing blood"] == ["AAMA, as cited in the seed"]
    assert cited["Supporting patients and healthcare personnel"] == []  # the CMA's own source, the seed
    coder = describe(kg, CODER, today=TODAY)
    skills = {v.label: [s.label for s in v.sources] for v in _group(coder.properties, CKG.hasSkill).values}
    assert skills["Integrity"] == ["BLS, qualities of medical coders, as cited in the seed"]
    cma_skills = {v.label: v.sources for v in _group(cma.properties, CKG.hasSkill).values}
    assert cma_skills["Attention to detail"] == ()


def test_a_source_page_lists_the_claims_it_makes(kg):
    source = describe(kg, ID["source-bls-coder-qualities"], today=TODAY)
    assert [(c.subject.label, c.predicate.label, c.object.label) for c in source.cited_claims] == [
        ("Medical Coder", "has skill", "Analytical skills"),
        ("Medical Coder", "has skill", "Attention to detail"),
        ("Medical Coder", "has skill", "Integrity"),
        ("Medical Coder", "has skill", "Interpersonal skills"),
        ("Medical Coder", "has skill", "Technical skills"),
    ]


def test_properties_grouped_labelled_and_marked(cma):
    path = _group(cma.properties, CKG.educationPath)
    assert path.label == "education path"
    assert [v.label for v in path.values] == [
        "Associate degree program in medical assisting",
        "Bachelor's degree program in medical assisting",
        "Master's degree (optional for CMAs)",
    ]
    assert not any(v.inferred for v in path.values)
    inferred = _group(cma.properties, SCHEMA.educationRequirements)
    assert all(v.inferred for v in inferred.values)
    assert len(inferred.values) == 3
    # header properties are not repeated; asserted groups come before all-inferred ones
    assert str(SKOS.prefLabel) not in [g.predicate for g in cma.properties]
    flags = [all(v.inferred for v in g.values) for g in cma.properties]
    assert flags == sorted(flags)


def test_same_label_properties_are_told_apart(cma):
    labels = [g.label for g in cma.properties]
    assert "source (ckg:source)" in labels
    assert "source (dct:source)" in labels


def test_incoming_links(cma):
    related = _group(cma.incoming, CKG.relatedProfession)
    assert "Medical Coder" in [v.label for v in related.values]
    assert str(CKG.about) not in [g.predicate for g in cma.incoming]  # statistics are in their own table


def test_shacl_status(cma):
    assert cma.shacl.conforms is True
    assert cma.shacl.results == ()


def test_unknown_entity_is_none(kg):
    assert describe(kg, ID["no-such-thing"]) is None


def test_as_dict_is_plain_data(cma):
    data = cma.as_dict()
    assert data["label"] == "Certified Medical Assistant"
    assert data["statistics"][2]["value"] == "31,540"
    assert data["statistics"][2]["sources"][0]["label"] == "BLS Occupational Employment Statistics, May 2016"


def test_entity_graph_has_statements_statistics_and_incoming(kg):
    g = entity_graph(kg, CMA)
    assert (CMA, RDF.type, CKG.Profession) in g
    assert (CMA, SKOS.prefLabel, Literal("Certified Medical Assistant", lang="en")) in g
    assert (CMA, CKG.reportedUnder, MEDICAL_ASSISTANTS) in g
    claims = {g.value(c, RDF.object) for c in g.subjects(RDF.subject, CMA)}
    assert ID["duty-draw-blood"] in claims and ID["isco-08-3256"] in claims
    occupation = entity_graph(kg, MEDICAL_ASSISTANTS)
    stat = ID["stat-medical-assistants-median-annual-wage-2016-05"]
    assert (stat, CKG.about, MEDICAL_ASSISTANTS) in occupation
    assert (stat, CKG.value, Literal("31540", datatype=XSD.decimal)) in occupation
    assert (CODER, CKG.relatedProfession, CMA) in g
    assert (CMA, URIRef("http://www.w3.org/2002/07/owl#sameAs"), CMA) not in g


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2016-05", 10),
        ("2016-11-27", 10),
        ("2016-11-28", 9),
        ("2016-12", 9),
        ("2015", 11),
        ("2027", 0),
        (None, None),
    ],
)
def test_age_years(when, expected):
    assert age_years(when, TODAY) == expected


def test_age_years_of_typed_literal():
    assert age_years(Literal("2015-12", datatype=XSD.gYearMonth), TODAY) == 10


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Literal(31540), "31,540"),
        (Literal(Decimal("15.17")), "15.17"),
        (Literal("623560", datatype=XSD.integer), "623,560"),
        (Literal("abc"), "abc"),
        (None, ""),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text
