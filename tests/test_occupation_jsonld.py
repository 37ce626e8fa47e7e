"""schema.org markup of SOC occupation pages (issue 13, item 8), read by pyld, an independent JSON-LD
processor, offline: an Occupation whose estimatedSalary is the national wage distribution of BLS OEWS May 2025
(the exact figures of data/oews-2025 and of the excerpt, tests/fixtures/oews), dated by its release, in the
United States, coded SOC 2018, with sameAs only where the seed cites a page of that very occupation."""

from __future__ import annotations

import pytest
from oews_excerpt import excerpt_settings
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from web_fixtures import jsonld_graph, web_app

from kg.rdf.namespaces import ID, SCHEMA

RELEASE = ID["source-bls-oews-may-2025"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from kg.pipeline.build import build

    settings = excerpt_settings(tmp_path_factory.mktemp("oews-jsonld"))
    return web_app(settings, build(settings)).test_client()


def occupation_of(g, slug):
    found = list(g.subjects(RDF.type, SCHEMA.Occupation))
    assert found == [URIRef(ID[slug] + "#occupation")]
    return found[0]


def salaries(g, occupation):
    return {str(g.value(s, SCHEMA.duration)): s for s in g.objects(occupation, SCHEMA.estimatedSalary)}


def numbers(g, node):
    keys = ("percentile10", "percentile25", "median", "percentile75", "percentile90")
    return {k: g.value(node, SCHEMA[k]).toPython() for k in keys if g.value(node, SCHEMA[k]) is not None}


def test_medical_assistants_national_wage_distribution(client):
    g = jsonld_graph(client, "/id/soc2018-31-9092")
    occ = occupation_of(g, "soc2018-31-9092")
    assert g.value(occ, SCHEMA.name) == Literal("Medical Assistants")
    found = salaries(g, occ)
    assert set(found) == {"P1Y", "PT1H"}
    annual, hourly = found["P1Y"], found["PT1H"]
    assert (annual, RDF.type, SCHEMA.MonetaryAmountDistribution) in g
    # BLS OEWS May 2025, national, cross-industry, SOC 31-9092 (data/oews-2025: oews-2025-us-31-9092)
    assert numbers(g, annual) == {
        "percentile10": 36050, "percentile25": 38470, "median": 45690, "percentile75": 49180,
        "percentile90": 59310,
    }  # fmt: skip
    assert g.value(annual, SCHEMA.median) == Literal(45690, datatype=XSD.integer)
    assert numbers(g, hourly) == {
        "percentile10": 17.33, "percentile25": 18.5, "median": 21.97, "percentile75": 23.65,
        "percentile90": 28.52,
    }  # fmt: skip
    for salary in (annual, hourly):
        assert g.value(salary, SCHEMA.currency) == Literal("USD")
        assert g.value(salary, SCHEMA.subjectOf) == RELEASE
    assert g.value(annual, SCHEMA.name) == Literal("Annual wage, United States, May 2025")
    assert (RELEASE, RDF.type, SCHEMA.Dataset) in g
    assert g.value(RELEASE, SCHEMA.datePublished) == Literal("2026-05-15")
    assert g.value(RELEASE, SCHEMA.temporalCoverage) == Literal("2025-05")
    assert g.value(RELEASE, SCHEMA.url) == URIRef("https://www.bls.gov/oes/")
    page = g.value(occ, SCHEMA.mainEntityOfPage)  # where Google reads the salary's date
    assert page == URIRef("http://localhost/id/soc2018-31-9092")
    assert g.value(page, SCHEMA.lastReviewed) == Literal("2026-05-15")


def test_location_code_and_no_invented_same_as(client):
    g = jsonld_graph(client, "/id/soc2018-31-9092")
    occ = occupation_of(g, "soc2018-31-9092")
    places = list(g.objects(occ, SCHEMA.occupationLocation))
    assert places == [ID["us"]]
    assert (ID["us"], RDF.type, SCHEMA.Country) in g
    assert g.value(ID["us"], SCHEMA.name) == Literal("United States")
    code = g.value(occ, SCHEMA.occupationalCategory)
    assert code == ID["soc2018-31-9092"]
    assert (code, RDF.type, SCHEMA.CategoryCode) in g
    assert g.value(code, SCHEMA.codeValue) == Literal("31-9092")
    assert g.value(code, SCHEMA.inCodeSet) == ID["soc-2018"]
    assert (ID["soc-2018"], RDF.type, SCHEMA.CategoryCodeSet) in g
    assert g.value(ID["soc-2018"], SCHEMA.name) == Literal("Standard Occupational Classification 2018")
    assert list(g.objects(occ, SCHEMA.sameAs)) == []  # the seed cites no page of SOC 31-9092


def test_same_as_is_the_onet_page_the_seed_cites(client):
    g = jsonld_graph(client, "/id/soc2018-29-2072")
    occ = occupation_of(g, "soc2018-29-2072")
    # data/careers.ttl: id:source-onet-29-2072, schema:url <https://www.onetonline.org/link/summary/29-2072.00>
    assert list(g.objects(occ, SCHEMA.sameAs)) == [
        URIRef("https://www.onetonline.org/link/summary/29-2072.00")
    ]


def test_a_wage_paid_annually_only_has_no_hourly_distribution(client):
    g = jsonld_graph(client, "/id/soc2018-25-2021")  # Elementary School Teachers: BLS footnote 4 for hourly
    found = salaries(g, occupation_of(g, "soc2018-25-2021"))
    assert set(found) == {"P1Y"}
    assert g.value(found["P1Y"], SCHEMA.median) == Literal(63970, datatype=XSD.integer)
