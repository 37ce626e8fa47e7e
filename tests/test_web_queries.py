"""/queries, /queries/<name> in every format, parameter errors, and /openapi.json (tests/web_queries)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import RDF, Graph, Literal
from web_fixtures import HTML, web_client

from kg.rdf import formats
from kg.rdf.namespaces import ID, SCHEMA

PAY = "/queries/median-pay"
CMA = "profession=certified-medical-assistant"


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


def test_catalogue_page_and_json(client):
    html = client.get("/queries", headers=HTML).get_data(as_text=True)
    assert '<a href="/queries/median-pay">Median pay of a profession</a>' in html
    assert "<code>profession</code> (profession, required)" in html
    assert "<code>minimum</code> (decimal)" in html
    data = client.get("/queries.json").get_json()
    entry = next(q for q in data["queries"] if q["name"] == "median-pay")
    assert entry == {
        "name": "median-pay",
        "title": "Median pay of a profession",
        "description": (
            "Median hourly and annual pay of one profession (or of its reported-under occupation), with the "
            "source."
        ),
        "tags": ["pay"],
        "kind": "SELECT",
        "url": "/queries/median-pay",
        "formats": {
            "json": "/queries/median-pay.json",
            "csv": "/queries/median-pay.csv",
            "tsv": "/queries/median-pay.tsv",
            "xml": "/queries/median-pay.xml",
        },
        "params": [
            {
                "name": "profession",
                "type": "iri",
                "required": True,
                "default": None,
                "example": "certified-medical-assistant",
                "description": "The profession",
                "class": "https://w3id.org/careers-kg/ontology#Profession",
            }
        ],
    }
    assert [q["name"] for q in data["queries"]] == [
        "has-professions",
        "labelled",
        "median-pay",
        "occupation",
        "stats-above",
    ]


def test_select_json(client):
    r = client.get(f"{PAY}.json?{CMA}")
    assert r.status_code == 200
    assert r.content_type == "application/sparql-results+json; charset=utf-8"
    rows = json.loads(r.data)["results"]["bindings"]
    assert sorted(b["value"]["value"] for b in rows) == ["15.17", "31540"]
    assert {b["source"]["value"] for b in rows} == {str(ID["source-bls-oes-may-2016"])}


def test_select_csv_tsv_xml(client):
    text = client.get(f"{PAY}.csv?{CMA}").get_data(as_text=True)
    assert text.startswith("# Careers KG 0.1.0+")  # the citation: a comment line before the header
    rows = list(csv.reader(line for line in io.StringIO(text) if not line.startswith("#")))
    assert rows[0] == ["variable", "value", "source"]
    assert sorted(r[1] for r in rows[1:]) == ["15.17", "31540"]
    r = client.get(f"{PAY}.tsv?{CMA}")
    assert r.content_type == "text/tab-separated-values; charset=utf-8"
    assert "31540" in r.get_data(as_text=True)
    r = client.get(f"{PAY}.xml?{CMA}")
    assert r.content_type == "application/sparql-results+xml; charset=utf-8"
    assert "31540" in r.get_data(as_text=True)


def test_proxy_is_followed_by_the_query(client):
    rows = json.loads(client.get(f"{PAY}.json?profession=medical-coder").data)["results"]["bindings"]
    assert sorted(b["value"]["value"] for b in rows) == ["18.29", "38040"]


def test_by_accept_and_link_header(client):
    r = client.get(f"{PAY}?{CMA}", headers={"Accept": "text/csv"})
    assert r.content_type == "text/csv; charset=utf-8"
    assert f'<{PAY}.json?{CMA}>; rel="alternate"; type="application/sparql-results+json"' in r.headers["Link"]
    assert "Accept" in r.headers["Vary"]


def test_html_form_and_results(client):
    r = client.get(PAY, headers=HTML)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    # A profession parameter (class: ckg:Profession) is a list of the professions, by label.
    assert '<select id="param-profession" name="profession" required>' in html
    assert '<option value="cancer-registrar">Cancer Registrar</option>' in html
    assert "<table" not in html  # no parameters given: the form only
    html = client.get(f"{PAY}?{CMA}", headers=HTML).get_data(as_text=True)
    assert "31,540" in html and "15.17" in html
    assert '<a href="/id/var-median-annual-wage">Median annual wage</a>' in html
    assert (
        '<a href="/id/source-bls-oes-may-2016">BLS Occupational Employment Statistics, May 2016</a>' in html
    )


def test_ask_and_defaults(client):
    assert json.loads(client.get("/queries/has-professions.json").data)["boolean"] is True
    values = [
        b["value"]["value"]
        for b in json.loads(client.get("/queries/stats-above.json").data)["results"]["bindings"]
    ]
    assert values == ["623560", "200140", "138900"]  # default minimum 100000
    values = [
        b["value"]["value"]
        for b in json.loads(client.get("/queries/stats-above.json?minimum=150000").data)["results"][
            "bindings"
        ]
    ]
    assert values == ["623560", "200140"]


def test_string_parameter_is_a_literal_not_text(client):
    rows = json.loads(client.get("/queries/labelled.json?text=Medical Coder").data)["results"]["bindings"]
    assert [b["thing"]["value"] for b in rows] == [str(ID["medical-coder"])]
    hostile = '" ) } SELECT * WHERE { ?s ?p ?o } #'
    rows = json.loads(client.get("/queries/labelled.json", query_string={"text": hostile}).data)
    assert rows["results"]["bindings"] == []


def test_construct_formats(client):
    r = client.get("/queries/occupation.ttl?profession=medical-coder")
    assert r.content_type == "text/turtle; charset=utf-8"
    g = Graph().parse(data=r.get_data(as_text=True), format="turtle")
    assert (ID["medical-coder"], RDF.type, SCHEMA.Occupation) in g
    assert client.get("/queries/occupation.jsonld?profession=medical-coder").content_type.startswith(
        "application/ld+json"
    )
    assert client.get("/queries/occupation.csv?profession=medical-coder").status_code == 404
    # every graph format of kg.rdf.formats, as /sparql and the entity pages offer them
    expected = {(ID["medical-coder"], RDF.type, SCHEMA.Occupation), (ID["medical-coder"], SCHEMA.name, None)}
    for ext, rdflib_name in ((".nt", "nt"), (".rdf", "xml")):
        r = client.get(f"/queries/occupation{ext}?profession=medical-coder")
        assert r.status_code == 200
        g = Graph().parse(data=r.get_data(as_text=True), format=rdflib_name)
        assert {(s, p, None if p == SCHEMA.name else o) for s, p, o in g} == expected
        assert g.value(ID["medical-coder"], SCHEMA.name) == Literal("Medical Coder", lang="en")


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        (f"{PAY}.json", 400, "parameter 'profession' (iri) is required"),
        (f"{PAY}.json?profession=not%20an%20iri", 400, "parameter 'profession' must be an IRI"),
        (f"{PAY}.json?profession=javascript:alert(1)", 400, "parameter 'profession' must be an IRI"),
        (f"{PAY}.json?{CMA}&bogus=1", 400, "unknown parameter 'bogus'"),
        (f"{PAY}.json?{CMA}&profession=medical-coder", 400, "parameter 'profession' is given more than once"),
        ("/queries/stats-above.json?minimum=lots", 400, "parameter 'minimum' must be a decimal number"),
        ("/queries/no-such-query", 404, "there is no stored query called 'no-such-query'; see /queries"),
        (f"{PAY}.ttl?{CMA}", 404, "a SELECT query has no .ttl format"),
    ],
)
def test_errors_name_the_problem(client, url, status, message):
    r = client.get(url, headers={"Accept": "application/json"})
    assert r.status_code == status
    assert r.get_json()["message"].startswith(message)


def test_html_error_names_the_parameter_and_keeps_the_form(client):
    r = client.get(f"{PAY}?profession=a%20b", headers=HTML)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "parameter &#39;profession&#39; must be an IRI" in html
    assert '<select id="param-profession" name="profession" required>' in html
    assert '<option value="a b" selected>a b (not in the list)</option>' in html


def test_openapi(client):
    doc = client.get("/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert {path for path in doc["paths"] if path.startswith("/queries/")} == {
        "/queries/has-professions",
        "/queries/has-professions.json",
        "/queries/has-professions.csv",
        "/queries/has-professions.tsv",
        "/queries/has-professions.xml",
        "/queries/labelled",
        "/queries/labelled.json",
        "/queries/labelled.csv",
        "/queries/labelled.tsv",
        "/queries/labelled.xml",
        "/queries/median-pay",
        "/queries/median-pay.json",
        "/queries/median-pay.csv",
        "/queries/median-pay.tsv",
        "/queries/median-pay.xml",
        "/queries/occupation",
        "/queries/occupation.ttl",
        "/queries/occupation.jsonld",
        "/queries/occupation.nt",
        "/queries/occupation.rdf",
        "/queries/stats-above",
        "/queries/stats-above.json",
        "/queries/stats-above.csv",
        "/queries/stats-above.tsv",
        "/queries/stats-above.xml",
    }
    assert "/sparql" in doc["paths"]
    op = doc["paths"]["/queries/median-pay"]["get"]
    assert op["operationId"] == "median_pay"
    assert op["summary"] == "Median pay of a profession"
    (param,) = op["parameters"]
    assert (param["name"], param["in"], param["required"], param["schema"]["type"]) == (
        "profession",
        "query",
        True,
        "string",
    )
    assert param["example"] == "certified-medical-assistant"
    assert "text/csv" in op["responses"]["200"]["content"]
    minimum = doc["paths"]["/queries/stats-above"]["get"]["parameters"][0]
    assert minimum["schema"] == {"type": "number", "default": 100000.0}
    construct = doc["paths"]["/queries/occupation"]["get"]["responses"]["200"]["content"]
    assert "text/turtle" in construct and "text/csv" not in construct
    sparql = doc["paths"]["/sparql"]
    assert set(sparql) == {"get", "post"}
    assert "application/sparql-query" in sparql["post"]["requestBody"]["content"]


def test_every_shipped_stored_query_answers_its_examples_in_every_format(settings, kg):
    from kg.web import create_app
    from kg.web.views_queries import formats_for

    shipped = create_app(settings, kg).test_client()  # the real queries/ catalogue
    catalogue = shipped.application.extensions["careers_kg"].catalogue
    if not len(catalogue):
        pytest.skip("queries/ holds no stored queries yet")
    for query in catalogue.values():
        args = {p.name: p.example for p in query.params if p.example is not None}
        assert all(p.name in args for p in query.params if p.required), (
            f"{query.name}: a required param lacks an example"
        )
        for fmt in formats_for(query):
            ext = "" if fmt == "html" else formats.BY_NAME[fmt].extension
            r = shipped.get(f"/queries/{query.name}{ext}", query_string=args, headers=HTML)
            assert r.status_code == 200, (query.name, fmt, r.get_data(as_text=True)[:300])
    html = shipped.get("/sparql", headers=HTML).get_data(as_text=True)
    assert all(f'href="/queries/{name}"' in html for name in catalogue)
