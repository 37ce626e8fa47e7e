"""schema.org markup of profession pages, read by an independent JSON-LD processor (pyld), offline: the
page's JSON-LD is expanded to RDF with a local excerpt of the schema.org context and the triples are checked
against the values written out from the seed and the sources it names."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from web_fixtures import jsonld_graph, web_client

from kg.rdf.namespaces import ID, SCHEMA

BLS_OES = URIRef("https://www.bls.gov/oes/2016/may/oes_nat.htm")


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


_graph = jsonld_graph


def _salaries(g: Graph, occupation: URIRef) -> dict[str, URIRef]:
    return {str(g.value(s, SCHEMA.duration)): s for s in g.objects(occupation, SCHEMA.estimatedSalary)}


def test_coder_salary_is_a_dated_distribution_for_the_united_states(client):
    g = _graph(client, "/id/medical-coder")
    coder = ID["medical-coder"]
    assert (coder, RDF.type, SCHEMA.Occupation) in g
    salaries = _salaries(g, coder)
    assert set(salaries) == {"P1Y", "PT1H"}
    annual, hourly = salaries["P1Y"], salaries["PT1H"]
    assert (annual, RDF.type, SCHEMA.MonetaryAmountDistribution) in g
    assert g.value(annual, SCHEMA.median) == Literal(38040, datatype=XSD.integer)
    assert g.value(hourly, SCHEMA.median).toPython() == 18.29
    assert {str(g.value(s, SCHEMA.currency)) for s in salaries.values()} == {"USD"}
    for salary in salaries.values():  # the figure's release, with the dates that say how current it is
        dataset = g.value(salary, SCHEMA.subjectOf)
        assert dataset == ID["source-bls-oes-may-2016"]
        assert (dataset, RDF.type, SCHEMA.Dataset) in g
        assert g.value(dataset, SCHEMA.datePublished) == Literal("2017-03-31")
        assert g.value(dataset, SCHEMA.temporalCoverage) == Literal("2016-05")
        assert g.value(dataset, SCHEMA.url) == BLS_OES
    places = list(g.objects(coder, SCHEMA.occupationLocation))
    assert len(places) == 1
    assert (places[0], RDF.type, SCHEMA.Country) in g
    assert g.value(places[0], SCHEMA.name) == Literal("United States")


def test_coder_soc_code_names_its_set_and_its_onet_page(client):
    g = _graph(client, "/id/medical-coder")
    codes = set(g.objects(ID["medical-coder"], SCHEMA.occupationalCategory))
    assert codes == {ID["soc-29-2072"], ID["isco-08-3252"]}
    soc = ID["soc-29-2072"]
    assert (soc, RDF.type, SCHEMA.CategoryCode) in g
    assert g.value(soc, SCHEMA.codeValue) == Literal("29-2072")
    assert set(g.objects(soc, SCHEMA.inCodeSet)) == {ID["soc-2018"]}
    assert (ID["soc-2018"], RDF.type, SCHEMA.CategoryCodeSet) in g
    assert set(g.objects(soc, SCHEMA.sameAs)) == {
        URIRef("https://www.onetonline.org/link/summary/29-2072.00")
    }
    assert set(g.objects(ID["isco-08-3252"], SCHEMA.sameAs)) == set()  # the data cites no page for it


def test_cma_markup(client):
    g = _graph(client, "/id/certified-medical-assistant")
    cma = ID["certified-medical-assistant"]
    salaries = _salaries(g, cma)
    assert g.value(salaries["P1Y"], SCHEMA.median) == Literal(31540, datatype=XSD.integer)
    assert g.value(salaries["PT1H"], SCHEMA.median).toPython() == 15.17
    soc = ID["soc-31-9092"]
    assert g.value(soc, SCHEMA.codeValue) == Literal("31-9092")
    assert set(g.objects(soc, SCHEMA.inCodeSet)) == {ID["soc-2010"], ID["soc-2018"]}
    assert set(g.objects(soc, SCHEMA.sameAs)) == set()  # cited to the SOC itself, not to an O*NET page


def test_no_salary_no_place_and_no_sameas_for_a_narrower_onet_occupation(client):
    g = _graph(client, "/id/medical-biller")
    biller = ID["medical-biller"]
    assert set(g.objects(biller, SCHEMA.estimatedSalary)) == set()
    assert set(g.objects(biller, SCHEMA.occupationLocation)) == set()
    # the data cites O*NET 43-3021.02 (a narrower occupation) for 43-3021: not the same thing
    assert g.value(ID["soc-43-3021"], SCHEMA.codeValue) == Literal("43-3021")
    assert set(g.objects(ID["soc-43-3021"], SCHEMA.sameAs)) == set()
