"""/sparql: the SPARQL 1.1 Protocol query operation (read-only) and the browser query page."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from rdflib import RDF, Graph, URIRef
from web_fixtures import HTML, web_client

from kg.rdf.namespaces import sparql_prologue

SELECT = sparql_prologue() + "SELECT ?label WHERE { id:certified-medical-assistant skos:prefLabel ?label }"
ASK = sparql_prologue() + "ASK { id:medical-coder a ckg:Profession }"
CONSTRUCT = sparql_prologue() + "CONSTRUCT { id:medical-coder a ckg:Profession } WHERE {}"
KASEI = "http://kasei.us/2009/09/sparql/data/"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


def _get(client, query, accept="*/*", extra=""):
    return client.get(f"/sparql?query={quote(query)}{extra}", headers={"Accept": accept})


@pytest.fixture(scope="module")
def w3c_client(settings, kg):
    """An app whose dataset also holds the W3C protocol tests' three one-triple graphs."""
    graphs = []
    for n in (1, 2, 3):
        g = Graph()
        g.add((URIRef(f"{KASEI}data{n}.rdf"), RDF.type, URIRef("http://xmlns.com/foaf/0.1/Document")))
        graphs.append((f"{KASEI}data{n}.rdf", g))
    return web_client(settings, kg.with_named_graphs(graphs))


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_in_every_result_format(client, accept, media):
    r = _get(client, SELECT, accept)
    assert r.status_code == 200
    assert r.content_type == f"{media}; charset=utf-8"
    assert "Certified Medical Assistant" in r.get_data(as_text=True)


def test_select_json_body(client):
    data = json.loads(_get(client, SELECT).data)
    assert data["head"]["vars"] == ["label"]
    assert data["results"]["bindings"] == [
        {"label": {"type": "literal", "value": "Certified Medical Assistant", "xml:lang": "en"}}
    ]


def test_ask(client):
    assert json.loads(_get(client, ASK).data)["boolean"] is True
    xml = _get(client, ASK, "application/sparql-results+xml").get_data(as_text=True)
    assert "<boolean>true</boolean>" in xml


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", None),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("*/*", "text/turtle", "turtle"),
    ],
)
def test_construct_in_every_graph_format(client, accept, media, fmt):
    r = _get(client, CONSTRUCT, accept)
    assert r.status_code == 200
    assert r.content_type == f"{media}; charset=utf-8"
    if fmt:
        g = Graph().parse(data=r.get_data(as_text=True), format=fmt)
        assert len(g) == 1


def test_post_form_and_direct_post_and_trailing_slash(client):
    r = client.post("/sparql", data={"query": ASK}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and json.loads(r.data)["boolean"] is True
    r = client.post("/sparql/", data=ASK.encode(), content_type="application/sparql-query")
    assert r.status_code == 200 and json.loads(r.data)["boolean"] is True
    r = client.post("/sparql", data=ASK.encode(), content_type="application/sparql-query; charset=utf-8")
    assert r.status_code == 200


def test_format_parameter_overrides_accept(client):
    r = _get(client, SELECT, "text/html", "&format=csv")
    assert r.content_type == "text/csv; charset=utf-8"
    # Unknown hints are ignored (as other endpoints do) and Accept decides; SPARQLWrapper's paired hints work.
    r = _get(client, SELECT, "text/csv", "&format=png")
    assert (r.status_code, r.content_type) == (200, "text/csv; charset=utf-8")
    r = _get(client, SELECT, "*/*", "&format=tsv&format=text/tab-separated-values&output=tsv")
    assert (r.status_code, r.content_type) == (200, "text/tab-separated-values; charset=utf-8")
    r = _get(client, CONSTRUCT, "*/*", "&format=json-ld&format=application/ld+json")
    assert (r.status_code, r.content_type) == (200, "application/ld+json; charset=utf-8")


def test_protocol_dataset_parameters(w3c_client):
    both = f"ASK {{ <{KASEI}data1.rdf> a ?type . <{KASEI}data2.rdf> a ?type . }}"
    dg = f"&default-graph-uri={quote(KASEI + 'data1.rdf')}&default-graph-uri={quote(KASEI + 'data2.rdf')}"
    assert json.loads(_get(w3c_client, both, extra=dg).data)["boolean"] is True
    only1 = f"&default-graph-uri={quote(KASEI + 'data1.rdf')}"
    assert json.loads(_get(w3c_client, both, extra=only1).data)["boolean"] is False
    named = f"ASK {{ GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?t }} GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?t }} }}"
    ng = dg.replace("default-graph-uri", "named-graph-uri")
    assert json.loads(_get(w3c_client, named, extra=ng).data)["boolean"] is True
    r = w3c_client.post(f"/sparql?{dg[1:]}", data=both.encode(), content_type="application/sparql-query")
    assert json.loads(r.data)["boolean"] is True
    # a graph not held locally is empty (never fetched)
    empty = "&default-graph-uri=" + quote("http://example.org/not-here")
    assert json.loads(_get(w3c_client, "ASK { ?s ?p ?o }", extra=empty).data)["boolean"] is False


def test_union_default_graph_includes_extra_graphs(w3c_client):
    assert json.loads(_get(w3c_client, f"ASK {{ <{KASEI}data3.rdf> ?p ?o }}").data)["boolean"] is True


def test_protocol_errors(client):
    r = client.get(f"/sparql?query={quote(ASK)}&query={quote(SELECT)}")
    assert r.status_code == 400
    assert r.get_json()["message"] == "the request has more than one 'query' parameter"
    r = client.get("/sparql?query=ASK%20%7B", headers={"Accept": "application/json"})
    assert r.status_code == 400
    assert r.get_json()["status"] == 400
    r = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 400
    assert "missing parameter 'query'" in r.get_json()["message"]
    assert client.put(f"/sparql?query={quote(ASK)}", data="x", content_type=FORM).status_code == 405
    assert client.post("/sparql", data=ASK, content_type="text/plain").status_code == 415
    r = client.post("/sparql", data=b"query=" + quote(ASK).encode(), headers={"Content-Type": ""})
    assert r.status_code == 415
    r = client.post(
        "/sparql", data=ASK.encode("utf-16"), content_type="application/sparql-query; charset=UTF-16"
    )
    assert r.status_code == 415
    r = client.post("/sparql", data=b"ASK { \xff }", content_type="application/sparql-query")
    assert r.status_code == 400 and "UTF-8" in r.get_json()["message"]
    assert client.get("/sparql?query=ASK%20%7B%7D%FF").status_code == 400
    assert client.post("/sparql", data=b"query=%FF", content_type=FORM).status_code == 400


@pytest.mark.parametrize(
    "request_args",
    [
        {
            "method": "POST",
            "data": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            "content_type": "application/sparql-update",
        },
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {"method": "GET", "query_string": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": {"query": ASK, "update": "CLEAR ALL"}},
    ],
)
def test_updates_are_refused(client, kg, request_args):
    before = len(kg.union)
    r = client.open("/sparql", **request_args)
    assert r.status_code == 403
    assert "read-only" in r.get_json()["message"]
    assert len(kg.union) == before


def test_update_as_a_query_is_refused(client, kg):
    before = len(kg.union)
    r = _get(client, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert 400 <= r.status_code < 500
    assert len(kg.union) == before


def test_cors_and_headers(client):
    r = _get(client, SELECT)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in r.headers["Vary"]
    assert r.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    pre = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]


def test_browser_without_query_gets_the_query_page(client):
    r = client.get("/sparql", headers=HTML)
    assert r.status_code == 200 and r.content_type == "text/html; charset=utf-8"
    html = r.get_data(as_text=True)
    assert html.count("<h1>") == 1
    assert '<textarea id="query" name="query"' in html
    # Works without JavaScript: the form is shown, the editor's box is hidden until its script shows it.
    assert '<form id="plain-editor" class="stack" action="/sparql" method="get">' in html
    assert '<div id="editor" class="editor" hidden>' in html
    assert "Median pay of a profession" in html  # a stored query as an example
    assert 'href="/queries/median-pay"' in html


def test_browser_results_as_a_labelled_table(client):
    query = sparql_prologue() + "SELECT ?p WHERE { ?p a ckg:Profession } ORDER BY ?p"
    html = _get(client, query, HTML["Accept"]).get_data(as_text=True)
    assert '<th scope="col">p</th>' in html
    assert '<a href="/id/certified-medical-assistant">Certified Medical Assistant</a>' in html
    assert "5 rows" in html


def test_not_acceptable(client):
    assert _get(client, SELECT, "image/png").status_code == 406


def test_literal_results_are_escaped_on_the_page(client):
    html = _get(client, 'SELECT ?x WHERE { BIND("<b>hi</b>" AS ?x) }', HTML["Accept"]).get_data(as_text=True)
    assert "&lt;b&gt;hi&lt;/b&gt;" in html
    assert "<b>hi</b>" not in html


def test_runaway_query_is_stopped_with_503(settings, kg):
    import time

    slow = web_client(settings.replace(query_timeout=0.5), kg)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    r = _get(slow, query)
    assert time.monotonic() - started < 2.5
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "5"
    assert "0.5 s" in r.get_json()["message"]
    assert slow.get("/healthz").status_code == 200
