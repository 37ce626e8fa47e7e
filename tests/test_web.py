"""The web pages and their data twins, through Flask's test client over the real built KG."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings

import pytest
from rdflib import RDF, Graph, URIRef
from web_fixtures import HTML, web_client

from kg.rdf.namespaces import CKG, ID, SCHEMA

CMA_PATH = "/id/certified-medical-assistant"
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def _parse(body: bytes, fmt: str) -> Graph:
    with warnings.catch_warnings():  # rdflib's JSON-LD parser builds a (deprecated) ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=body.decode("utf-8"), format=fmt)


def test_home(client):
    r = client.get("/", headers=HTML)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert html.count("<h1>") == 1
    for link in (
        'href="/id/certified-medical-assistant"',
        'href="/id/medical-coder"',
        'href="/compare"',
        'href="/queries"',
        'href="/sparql"',
        'href="/ontology"',
        'href="/export.ttl"',
        'href="/void.ttl"',
    ):
        assert link in html
    assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
    # ten-year-old figures do not pass for current ones; sources show when they were published, or that
    # they are undated
    assert "sources were published between 2015-12 and 2019-12" in html
    oes = "BLS Occupational Employment Statistics, May 2016</a> — Bureau of Labor Statistics"
    assert f"{oes}, published 2017-03-31" in html
    seed = "(not named in the document), undated (published no earlier than 2019-12)"
    assert f"Medical Coder</a> — Publisher of the seed article {seed}" in html
    assert "2026-11-27" not in html


def test_entity_page_shows_the_median_pay_with_its_source(client):
    r = client.get(CMA_PATH, headers=HTML)
    assert r.status_code == 200
    assert r.content_type == "text/html; charset=utf-8"
    html = r.get_data(as_text=True)
    assert "<h1>Certified Medical Assistant</h1>" in html
    assert html.count("<h1") == 1
    assert "$31,540" in html and "31,540" in html
    assert "623,560" in html
    assert "BLS Occupational Employment Statistics, May 2016" in html
    assert 'href="https://www.bls.gov/oes/2016/may/oes_nat.htm"' in html
    assert "9 years old" in html  # published 2017-03-31
    assert '<th scope="col">Reference period</th><th scope="col">Published</th>' in html
    assert (
        '<td class="date" data-label="Reference period">2016-05</td>\n'
        '<td class="date" data-label="Published">2017-03-31</td>' in html
    )
    assert '<th scope="col">Source</th>' in html
    # whose figures these are, said once above the table
    assert html.count("the occupation official statistics count") == 1
    assert (
        'Figures for Certified Medical Assistant are those of <a href="/id/medical-assistant">Medical '
        "Assistants</a> (SOC 31-9092), the occupation official statistics count. All medical assistants, "
        "certified or not." in html
    )
    # the projection published in 2015 for 2014–2024 is not "2 years old"
    assert (
        '<td class="date" data-label="Reference period">2014–2024</td>\n'
        '<td class="date" data-label="Published">2015-12</td>' in html
    )
    assert (
        '<td data-label="Age">2 years old' not in html
        and '<td data-label="Age">12 years old (counted from the start of its reference period)' in html
    )
    # each claim's own source beside the value
    aama = '<cite><a href="/id/source-aama">AAMA, as cited in the seed</a>, undated</cite>'
    assert f'Drawing blood</a> <span class="muted claim-source">(source: {aama})</span>' in html
    assert 'href="/id/medical-coder"' in html  # a labelled link, not a raw IRI
    # asserted facts in plain words first; IRIs, inferred statements and validation only for data users
    people, data_users = html.split('<details class="data-users">')
    for heading in ("The work", "Training, certification and licence", "Related careers"):
        assert f">{heading}</h2>" in people
    assert "<h3>Duties</h3>" in people and "<h3>Skills</h3>" in people
    for jargon in ("inferred", "SHACL", "https://w3id.org/careers-kg/id/certified-medical-assistant<"):
        assert jargon not in people, jargon
    assert "<h3>Responsibilities</h3>" not in people  # schema:responsibilities restates the duties
    # the entity's source once (not again as dct:source and prov:wasDerivedFrom), besides a figure's citation
    assert people.count('<li><a href="/id/source-seed-article">') == 1
    assert "<summary>For data users</summary>" in data_users
    assert '<code class="iri">https://w3id.org/careers-kg/id/certified-medical-assistant</code>' in data_users
    assert 'class="badge inferred"' in data_users and "conforms to the SHACL shapes" in data_users
    assert '<code class="iri">http://schema.org/responsibilities</code>' in data_users
    assert (
        '<a href="/compare?a=certified-medical-assistant&amp;b=medical-coder">Compare with another career</a>'
        in people
    )
    # the four answers first
    assert '<dd id="glance-licence"><strong>License required</strong>' in people
    assert (
        '<dd id="glance-schooling"><strong>Associate degree or Bachelor&#39;s degree required</strong>'
        '<span class="answer-detail">shortest: associate degree, about 2 years</span>'
    ) in people


def test_profession_page_embeds_schema_org_occupation(client):
    doc = _jsonld(client.get(CMA_PATH, headers=HTML).get_data(as_text=True))
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == "Occupation"
    assert doc["name"] == "Certified Medical Assistant"
    salaries = {s["duration"]: s for s in doc["estimatedSalary"]}
    assert salaries["P1Y"]["@type"] == "MonetaryAmountDistribution"
    assert salaries["P1Y"]["median"] == 31540
    assert salaries["P1Y"]["currency"] == "USD"
    assert salaries["PT1H"]["median"] == 15.17
    assert salaries["P1Y"]["description"] == (
        "BLS Occupational Employment Statistics, May 2016; reference period 2016-05; published 2017-03-31; "
        "figures for Medical Assistants (SOC 31-9092): All medical assistants, certified or not."
    )
    assert "31-9092" in [c["codeValue"] for c in doc["occupationalCategory"]]
    assert "Associate degree" in [e.get("credentialCategory") for e in doc["educationRequirements"]]
    assert doc["qualifications"][0]["name"] == "Certified Medical Assistant (CMA) certification"
    assert doc["qualifications"][0]["credentialCategory"] == "certification"


def test_coder_markup_uses_the_proxy_figures(client):
    doc = _jsonld(client.get("/id/medical-coder", headers=HTML).get_data(as_text=True))
    annual = next(s for s in doc["estimatedSalary"] if s["duration"] == "P1Y")
    assert annual["median"] == 38040
    assert annual["description"] == (
        "BLS Occupational Employment Statistics, May 2016; reference period 2016-05; "
        "published 2017-03-31; figures for Medical Records and Health Information Technicians (SOC 2010 "
        "29-2071): An occupational category closely related to coding: all medical records and health "
        "information technicians, not medical coders alone."
    )


def test_non_profession_page_has_no_markup(client):
    html = client.get("/id/aama", headers=HTML).get_data(as_text=True)
    assert "application/ld+json" not in html.split("</head>")[0].replace(
        'type="application/ld+json" href', ""
    )


def test_entity_link_header_lists_every_twin(client):
    link = client.get(CMA_PATH, headers=HTML).headers["Link"]
    for ext, media in (
        (".ttl", "text/turtle"),
        (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"),
        (".rdf", "application/rdf+xml"),
        (".json", "application/json"),
    ):
        assert f'<{CMA_PATH}{ext}>; rel="alternate"; type="{media}"' in link


def test_entity_twins_by_suffix(client):
    for ext, media, fmt in (
        (".ttl", "text/turtle", "turtle"),
        (".nt", "application/n-triples", "nt"),
        (".rdf", "application/rdf+xml", "xml"),
        (".jsonld", "application/ld+json", "json-ld"),
    ):
        r = client.get(CMA_PATH + ext)
        assert r.status_code == 200, ext
        assert r.content_type == f"{media}; charset=utf-8"
        g = _parse(r.data, fmt)
        assert (ID["certified-medical-assistant"], RDF.type, CKG.Profession) in g, ext
        assert "Link" in r.headers


def test_entity_json_twin(client):
    r = client.get(CMA_PATH + ".json")
    assert r.content_type == "application/json; charset=utf-8"
    data = r.get_json()
    assert data["label"] == "Certified Medical Assistant"
    assert data["statistics"][2]["value"] == "31,540"


def test_entity_content_negotiation(client):
    assert client.get(CMA_PATH, headers={"Accept": "text/turtle"}).content_type.startswith("text/turtle")
    assert client.get(CMA_PATH, headers={"Accept": "application/ld+json"}).content_type.startswith(
        "application/ld+json"
    )
    assert client.get(CMA_PATH, headers={"Accept": "application/n-triples"}).content_type.startswith(
        "application/n-triples"
    )
    assert client.get(CMA_PATH, headers={"Accept": "*/*"}).content_type.startswith("text/html")
    assert client.get(CMA_PATH).content_type.startswith("text/html")
    assert client.get(CMA_PATH, headers={"Accept": "image/png"}).status_code == 406


def test_unknown_entity_is_a_404_page(client):
    r = client.get("/id/no-such-entity", headers=HTML)
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert "<h1>Not found</h1>" in html
    assert "there is no entity called &#39;no-such-entity&#39;" in html
    r = client.get("/id/no-such-entity.ttl")
    assert r.status_code == 404
    assert r.get_json() == {
        "error": "Not found",
        "status": 404,
        "message": "there is no entity called 'no-such-entity' in Careers KG",
    }


def test_compare_default_shows_both_median_pays(client):
    r = client.get("/compare", headers=HTML)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<h1>Certified Medical Assistant vs. Medical Coder</h1>" in html
    assert "$31,540 per year" in html and "$38,040 per year" in html
    assert "$15.17 per hour" in html and "$18.29 per hour" in html
    assert "Reference period 2016-05 · published 2017-03-31 · " in html
    assert "Reference period 2014–2024 · published 2015-12 · " in html  # growth: not "As of 2024"
    assert "As of" not in html and "as of" not in html
    # whose figures they are: once for each side, not on every row
    assert html.count("the occupation official statistics count") == 2
    assert "All medical assistants, certified or not." in html
    assert "Medical Records and Health Information Technicians</a> (SOC 2010 29-2071)" in html
    assert "Figure for" not in html
    assert "<svg" in html and 'role="img"' in html
    assert '<select id="pick-a" name="a">' in html
    assert '<option value="medical-coder" selected>' in html
    assert '<th scope="row">Median pay, annual</th>' in html


def test_compare_explicit_pair_and_twins(client):
    html = client.get("/compare?a=medical-coder&b=cancer-registrar", headers=HTML).get_data(as_text=True)
    assert "<h1>Medical Coder vs. Cancer Registrar</h1>" in html
    data = client.get("/compare.json?a=certified-medical-assistant&b=medical-coder").get_json()
    median = next(r for r in data["rows"] if r["key"] == "median_annual")
    assert median["a"]["values"] == ["$31,540 per year"]
    assert median["b"]["values"] == ["$38,040 per year"]
    assert (median["a"]["ref_period"], median["a"]["published"]) == ("2016-05", "2017-03-31")
    assert median["a"]["age_years"] >= 9
    assert data["a"]["reported_under"][0]["label"] == "Medical Assistants"
    r = client.get("/compare.csv?a=certified-medical-assistant&b=medical-coder")
    assert r.content_type == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    annual = [row for row in rows if row["row_key"] == "median_annual"]
    assert [(row["profession"], row["number"], row["unit"], row["currency"]) for row in annual] == [
        ("Certified Medical Assistant", "31540", "US dollars per year", "USD"),
        ("Medical Coder", "38040", "US dollars per year", "USD"),
    ]
    assert {(row["reference_period"], row["published"]) for row in annual} == {("2016-05", "2017-03-31")}
    assert {row["source_title"] for row in annual} == {"BLS Occupational Employment Statistics, May 2016"}
    assert {row["source_url"] for row in annual} == {"https://www.bls.gov/oes/2016/may/oes_nat.htm"}
    assert annual[0]["figures_for"] == "Medical Assistants"
    link = client.get("/compare", headers=HTML).headers["Link"]
    assert '</compare.json?a=certified-medical-assistant&b=medical-coder>; rel="alternate"' in link


def test_compare_errors(client):
    r = client.get("/compare?a=medical-coder", headers=JSON)
    assert r.status_code == 400
    assert r.get_json()["message"].startswith("missing parameter 'b'")
    r = client.get("/compare?a=nobody&b=medical-coder", headers=JSON)
    assert r.status_code == 400
    assert r.get_json()["message"] == "parameter 'a': there is no profession called 'nobody'"
    r = client.get("/compare?a=medical-codr&b=medical-coder", headers=JSON)
    assert (r.status_code, r.get_json()["parameter"]) == (400, "a")
    assert r.get_json()["suggestions"][0] == {"value": "medical-coder", "label": "Medical Coder"}
    r = client.get("/compare?a=aama&b=medical-coder", headers=JSON)
    assert r.status_code == 400
    assert r.get_json()["message"] == "parameter 'a': 'aama' is not a profession"
    assert client.get("/compare?a=medical-coder&a=aama&b=x", headers=JSON).status_code == 400
    assert client.get("/compare.xml").status_code == 404


def test_search_page_and_json(client):
    html = client.get("/search?q=coder", headers=HTML).get_data(as_text=True)
    assert "Search results for “coder”" in html
    assert '<a href="/id/medical-coder">Medical Coder</a>' in html
    data = client.get("/search.json?q=CAAHEP").get_json()
    assert data["q"] == "CAAHEP"
    first = data["results"][0]
    assert first["iri"] == str(ID["caahep"])
    assert first["label"] == "Commission on Accreditation of Allied Health Education Programs"
    assert first["url"] == "/id/caahep"
    assert first["match"] == "exact"
    assert client.get("/search", headers=HTML).status_code == 200  # the empty form
    r = client.get("/search.json")
    assert r.status_code == 400
    assert "missing parameter 'q'" in r.get_json()["message"]
    assert client.get("/search.json?q=" + "x" * 201).status_code == 400


def test_ontology_page_and_turtle(client):
    html = client.get("/ontology", headers=HTML).get_data(as_text=True)
    assert '<section id="Profession"' in html
    assert '<section id="educationPath"' in html
    assert '<a href="http://schema.org/Occupation">' in html
    assert html.count("<h1>") == 1
    g = _parse(client.get("/ontology.ttl").data, "turtle")
    assert (CKG.Profession, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in g
    assert client.get("/ontology", headers={"Accept": "text/turtle"}).content_type.startswith("text/turtle")


def test_shapes(client):
    r = client.get("/shapes.ttl")
    assert r.status_code == 200 and r.content_type == "text/turtle; charset=utf-8"
    assert len(_parse(r.data, "turtle")) > 10


CITATION_TRIPLES = 5  # every export also states the dataset's title, licence, citation, release date, version


def test_exports(client, kg):
    g = _parse(client.get("/export.ttl").data, "turtle")
    assert len(g) == len(kg.data) + CITATION_TRIPLES
    assert (ID["medical-coder"], RDF.type, CKG.Profession) in g
    assert (ID["medical-coder"], RDF.type, SCHEMA.Occupation) not in g
    full = _parse(client.get("/export.nt?inferred=true").data, "nt")
    assert len(full) == len(kg.export_graph(inferred=True)) + CITATION_TRIPLES
    assert (ID["medical-coder"], RDF.type, SCHEMA.Occupation) in full
    assert len(_parse(client.get("/export.jsonld").data, "json-ld")) == len(kg.data) + CITATION_TRIPLES
    assert client.get("/export.ttl?inferred=maybe").status_code == 400
    assert client.get("/export.xyz").status_code == 404


def test_void(client, kg):
    r = client.get("/void.ttl")
    g = _parse(r.data, "turtle")
    void = "http://rdfs.org/ns/void#"
    dataset = URIRef("https://w3id.org/careers-kg/dataset")
    assert int(g.value(dataset, URIRef(void + "triples"))) == len(kg.data)
    assert str(g.value(dataset, URIRef(void + "sparqlEndpoint"))) == "http://localhost/sparql"
    assert len(list(g.objects(dataset, URIRef(void + "dataDump")))) == 3
    assert str(g.value(dataset, URIRef("http://purl.org/dc/terms/license"))).startswith(
        "https://creativecommons.org/licenses/by/4.0"
    )
    assert str(g.value(dataset, URIRef("http://www.w3.org/2002/07/owl#versionInfo"))) == f"0.1.0+{kg.version}"
    assert ID["source-bls-oes-may-2016"] in set(g.objects(dataset, URIRef("http://purl.org/dc/terms/source")))


def test_healthz(client, kg):
    r = client.get("/healthz")
    assert r.status_code == 200
    data = r.get_json()
    assert data["status"] == "ok"
    assert data["version"] == kg.version
    assert data["conforms"] is True
    assert data["triples"]["data"] == len(kg.data)
