"""The W3C SPARQL 1.1 Protocol test suite, re-implemented against a live server (real HTTP, `requests`).

Every entry of the manifest (w3c/rdf-tests, ``sparql/sparql11/protocol/manifest.ttl``) is carried below as
a `Case`: method, path and query string (as the manifest writes them, after ``/sparql/``), content type, body
and the expected result. The manifest's expectations are kept (status class, result format, boolean); the
exact status this server gives is asserted too. Careers KG is read-only: every ``update_*`` case must be
refused with a 4xx where the manifest (for a writable store) expects a 2xx, and its follow-up ASK, true on a
writable store, must be false, with the data unchanged (triple counts per graph, via /healthz and a SELECT,
before and after).

The dataset cases need the three one-triple graphs ``http://kasei.us/2009/09/sparql/data/data{1,2,3}.rdf``,
which the live server loads as named graphs (tests/data/protocol). Each case runs against ``/sparql`` (the
documented route) and ``/sparql/`` (the manifest's path).
"""

from __future__ import annotations

import csv
import io
import json
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import requests
from rdflib import Graph, Literal, URIRef

pytest_plugins = ["live"]
pytestmark = pytest.mark.live

SRX = "{http://www.w3.org/2005/sparql-results#}"
D = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata"  # + "1.rdf": a graph IRI, URL-encoded
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
KASEI = "http://kasei.us/2009/09/sparql/data/"
FOAF_DOCUMENT = URIRef("http://xmlns.com/foaf/0.1/Document")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = BOOLEAN_TYPES + ("text/csv", "text/tab-separated-values")
RDF_TYPES = {  # manifest: RDF/XML, Turtle, N-Triples (or RDFa); JSON-LD is offered too
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # after the endpoint: "?query=…" or ""
    content_type: str | None = None
    body: bytes | None = None
    status: int = 200  # the exact status this (read-only) server gives
    manifest_status: str = "2xx"  # the manifest's class: "2xx" (2xx or 3xx) or "4xx"
    fmt: str | None = None  # the manifest's mf:expectedFormat: "boolean", "tabular" or "RDF"
    boolean: bool | None = None  # mf:expectedBoolean (for this server: see `Case.then`)


@dataclass(frozen=True)
class Case:
    name: str
    request: Request
    then: tuple[Request, ...] = field(default=())  # follow-up requests (the update tests' checks)


def post(path: str, content_type: str | None, body: str | bytes, **expect) -> Request:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Request("POST", path, content_type, data, **expect)


def get(path: str, **expect) -> Request:
    return Request("GET", path, **expect)


def ask_false(query: str) -> Request:
    """An update test's follow-up ASK: true on a writable store after the update, false here (no change)."""
    return post("", DIRECT, query, fmt="boolean", boolean=False)


def refused(request: Request) -> Request:
    """An update the manifest expects to succeed (2xx) that this read-only endpoint refuses with 403."""
    return Request(request.method, request.path, request.content_type, request.body, 403, "2xx")


def bad(request: Request, status: int) -> Request:
    return Request(request.method, request.path, request.content_type, request.body, status, "4xx")


ASK_DATA1_DATA2 = (
    "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
    "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }"
)
ASK_GRAPHS_DATA1_DATA2 = (
    "ASK { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
    "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }"
)
DROP_ALL_INSERT_THREE = """PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DROP ALL ;
INSERT DATA {
    GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document }
    GRAPH <http://kasei.us/2009/09/sparql/data/data2.rdf> { <http://kasei.us/2009/09/sparql/data/data2.rdf> a foaf:Document }
    GRAPH <http://kasei.us/2009/09/sparql/data/data3.rdf> { <http://kasei.us/2009/09/sparql/data/data3.rdf> a foaf:Document }
} ;
"""  # noqa: E501 (the manifest's text, verbatim)


def _graphs_test_check(graph: str) -> str:
    return f"""ASK {{
    GRAPH <{graph}> {{
        <http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://purl.org/dc/terms/BibliographicResource> .
        <http://kasei.us/2009/09/sparql/data/data2.rdf> a <http://purl.org/dc/terms/BibliographicResource> .
    }}
    FILTER NOT EXISTS {{
        GRAPH <{graph}> {{
            <http://kasei.us/2009/09/sparql/data/data3.rdf> a <http://purl.org/dc/terms/BibliographicResource> .
        }}
    }}
}}"""  # noqa: E501 (the manifest's text, verbatim)


CASES: tuple[Case, ...] = (
    Case(
        "query_post_form",
        post(f"?default-graph-uri={D}0.rdf", FORM, "query=ASK%20%7B%7D", fmt="boolean", boolean=True),
    ),
    Case(
        "query_dataset_default_graphs_get",
        get(
            "?query=ASK%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf%3E%20a%20%3F"
            "type%20.%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20.%20"
            f"%7D&default-graph-uri={D}1.rdf&default-graph-uri={D}2.rdf",
            fmt="boolean",
            boolean=True,
        ),
    ),
    Case(
        "query_dataset_default_graphs_post",
        post(
            f"?default-graph-uri={D}1.rdf&default-graph-uri={D}2.rdf",
            DIRECT,
            ASK_DATA1_DATA2,
            fmt="boolean",
            boolean=True,
        ),
    ),
    Case(
        "query_dataset_named_graphs_post",
        post(
            f"?named-graph-uri={D}1.rdf&named-graph-uri={D}2.rdf",
            DIRECT,
            ASK_GRAPHS_DATA1_DATA2,
            fmt="boolean",
            boolean=True,
        ),
    ),
    Case(
        "query_dataset_named_graphs_get",
        get(
            "?query=ASK%20%7B%20GRAPH%20%3Fg1%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2F"
            "data1.rdf%3E%20a%20%3Ftype%20%7D%20GRAPH%20%3Fg2%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2F"
            "sparql%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20%7D%20%7D"
            f"&named-graph-uri={D}1.rdf&named-graph-uri={D}2.rdf",
            fmt="boolean",
            boolean=True,
        ),
    ),
    Case(
        "query_dataset_full",
        post(
            f"?default-graph-uri={D}3.rdf&named-graph-uri={D}1.rdf&named-graph-uri={D}2.rdf",
            DIRECT,
            """ASK {
  <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type
  GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type }
  GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }
}""",
            fmt="boolean",
            boolean=True,
        ),
    ),
    Case(
        "query_multiple_dataset",
        post(
            f"?named-graph-uri={D}1.rdf&named-graph-uri={D}2.rdf",
            DIRECT,
            "ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> { "
            "GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
            "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }",
            fmt="boolean",
            boolean=True,
        ),
    ),
    Case("query_get", get(f"?query=ASK%20%7B%7D&default-graph-uri={D}0.rdf", fmt="boolean", boolean=True)),
    Case(
        "query_content_type_select",
        post(f"?default-graph-uri={D}0.rdf", DIRECT, "SELECT (1 AS ?value) {}", fmt="tabular"),
    ),
    Case("query_content_type_ask", post(f"?default-graph-uri={D}0.rdf", DIRECT, "ASK {}", fmt="boolean")),
    Case(
        "query_content_type_describe",
        post(f"?default-graph-uri={D}0.rdf", DIRECT, "DESCRIBE <http://example.org/>", fmt="RDF"),
    ),
    Case(
        "query_content_type_construct",
        post(f"?default-graph-uri={D}0.rdf", DIRECT, "CONSTRUCT { <s> <p> 1 } WHERE {}", fmt="RDF"),
    ),
    Case(
        "update_dataset_default_graph",
        refused(
            post(
                f"?using-graph-uri={D}1.rdf",
                UPDATE,
                """PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
CLEAR ALL ;
INSERT DATA {
    GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> {
        <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document
    }
} ;
INSERT {
    GRAPH <http://example.org/protocol-update-dataset-test/> {
        ?s a dc:BibliographicResource
    }
}
WHERE {
    ?s a foaf:Document
}""",
            )
        ),
        then=(
            ask_false(
                """ASK {
    GRAPH <http://example.org/protocol-update-dataset-test/> {
        <http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://purl.org/dc/terms/BibliographicResource>
    }
}"""
            ),
        ),
    ),
    Case(
        "update_dataset_default_graphs",
        refused(
            post(
                f"?using-graph-uri={D}1.rdf&using-graph-uri={D}2.rdf",
                UPDATE,
                DROP_ALL_INSERT_THREE
                + """INSERT {
    GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {
        ?s a dc:BibliographicResource
    }
}
WHERE {
    ?s a foaf:Document
}""",
            )
        ),
        then=(ask_false(_graphs_test_check("http://example.org/protocol-update-dataset-graphs-test/")),),
    ),
    Case(
        "update_dataset_named_graphs",
        refused(
            post(
                f"?using-named-graph-uri={D}1.rdf&using-named-graph-uri={D}2.rdf",
                UPDATE,
                DROP_ALL_INSERT_THREE
                + """INSERT {
    GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {
        ?s a dc:BibliographicResource
    }
}
WHERE {
    GRAPH ?g {
        ?s a foaf:Document
    }
}""",
            )
        ),
        then=(
            ask_false(_graphs_test_check("http://example.org/protocol-update-dataset-named-graphs-test/")),
        ),
    ),
    Case(
        "update_dataset_full",
        refused(
            post(
                f"?using-graph-uri={D}1.rdf&using-named-graph-uri={D}2.rdf",
                UPDATE,
                DROP_ALL_INSERT_THREE
                + """INSERT {
    GRAPH <http://example.org/protocol-update-dataset-full-test/> {
        ?s <http://example.org/in> ?in
    }
}
WHERE {
    {
        GRAPH ?g { ?s a foaf:Document }
        BIND(?g AS ?in)
    }
    UNION
    {
        ?s a foaf:Document .
        BIND("default" AS ?in)
    }
}""",
            )
        ),
        then=(
            ask_false(
                """ASK {
    GRAPH <http://example.org/protocol-update-dataset-full-test/> {
        <http://kasei.us/2009/09/sparql/data/data1.rdf> <http://example.org/in> "default" .
        <http://kasei.us/2009/09/sparql/data/data2.rdf> <http://example.org/in> <http://kasei.us/2009/09/sparql/data/data2.rdf> .
    }
    FILTER NOT EXISTS {
        GRAPH <http://example.org/protocol-update-dataset-full-test/> {
            <http://kasei.us/2009/09/sparql/data/data3.rdf> ?p ?o
        }
    }
}"""  # noqa: E501 (the manifest's text, verbatim)
            ),
        ),
    ),
    Case("update_post_form", refused(post("", FORM, "update=CLEAR+ALL"))),
    Case("update_post_direct", refused(post("", UPDATE, "CLEAR ALL"))),
    Case(
        "update_base_uri",
        refused(
            post(
                "",
                UPDATE,
                """CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;
INSERT DATA { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }""",  # noqa: E501
            )
        ),
        then=(
            ask_false(
                """ASK {
    GRAPH <http://example.org/protocol-base-test/> {
        <http://example.org/s> <http://example.org/p> ?o
        FILTER (isIRI(?o) && STR(?o) != "test")
    }
}"""
            ),
        ),
    ),
    Case("query_post_direct", post("", DIRECT, "ASK {}", fmt="boolean", boolean=True)),
    Case(
        "bad_query_method", bad(Request("PUT", f"?query=ASK%20%7B%7D&default-graph-uri={D}0.rdf", FORM), 405)
    ),
    Case("bad_multiple_queries", bad(get("?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D"), 400)),
    Case("bad_query_wrong_media_type", bad(post("", "text/plain", "ASK {}"), 415)),
    Case("bad_query_missing_form_type", bad(post("", None, "query=ASK%20%7B%7D"), 415)),
    Case("bad_query_missing_direct_type", bad(post("", None, "ASK {}"), 415)),
    Case(
        "bad_query_non_utf8",
        bad(post("", "application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16")), 415),
    ),
    Case("bad_query_syntax", bad(get("?query=ASK%20%7B"), 400)),
    Case("bad_update_get", bad(get("?update=CLEAR%20ALL"), 403)),
    Case("bad_multiple_updates", bad(post("", FORM, "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"), 403)),
    Case("bad_update_wrong_media_type", bad(post("", "text/plain", "CLEAR NAMED"), 415)),
    Case("bad_update_missing_form_type", bad(post("", None, "update=CLEAR%20NAMED"), 415)),
    Case(
        "bad_update_non_utf8",
        bad(post("", "application/sparql-update; charset=UTF-16", "CLEAR NAMED".encode("utf-16")), 415),
    ),
    Case("bad_update_syntax", bad(post("", FORM, "update=CLEAR%20XYZ"), 403)),
    Case(
        "bad_update_dataset_conflict",
        bad(
            post(
                "?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
                UPDATE,
                """PREFIX foaf:  <http://xmlns.com/foaf/0.1/>
WITH <http://example/addresses>
DELETE { ?person foaf:givenName 'Bill' }
INSERT { ?person foaf:givenName 'William' }
WHERE {
    ?person foaf:givenName 'Bill'
}""",
            ),
            403,
        ),
    ),
)
MANIFEST_ENTRIES = (  # mf:entries, in the manifest's order
    "query_post_form query_dataset_default_graphs_get query_dataset_default_graphs_post "
    "query_dataset_named_graphs_post query_dataset_named_graphs_get query_dataset_full "
    "query_multiple_dataset "
    "query_get query_content_type_select query_content_type_ask query_content_type_describe "
    "query_content_type_construct update_dataset_default_graph update_dataset_default_graphs "
    "update_dataset_named_graphs update_dataset_full update_post_form update_post_direct update_base_uri "
    "query_post_direct bad_query_method bad_multiple_queries bad_query_wrong_media_type "
    "bad_query_missing_form_type bad_query_missing_direct_type bad_query_non_utf8 bad_query_syntax "
    "bad_update_get bad_multiple_updates bad_update_wrong_media_type bad_update_missing_form_type "
    "bad_update_non_utf8 bad_update_syntax bad_update_dataset_conflict"
).split()
ENDPOINTS = ("/sparql", "/sparql/")
COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


# ---------------------------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def send(http: requests.Session, base: str, endpoint: str, req: Request) -> requests.Response:
    headers = {"Content-Type": req.content_type} if req.content_type else {}
    return http.request(req.method, base + endpoint + req.path, data=req.body, headers=headers, timeout=30)


def media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def boolean_of(response: requests.Response) -> bool:
    """The boolean of an ASK result in SPARQL Results JSON or XML."""
    kind = media_type(response)
    assert kind in BOOLEAN_TYPES, f"not a boolean result format: {kind}"
    if kind.endswith("+json"):
        doc = response.json()
        assert set(doc) == {"head", "boolean"}
        return doc["boolean"]
    root = ET.fromstring(response.content)
    text = root.find(f"{SRX}boolean").text
    assert text in ("true", "false")
    return text == "true"


def rows_of(response: requests.Response) -> list[dict[str, str]]:
    """The rows of a SELECT result (JSON, XML, CSV or TSV) as {variable: lexical form}."""
    kind = media_type(response)
    assert kind in TABULAR_TYPES, f"not a tabular result format: {kind}"
    if kind.endswith("+json"):
        return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]
    if kind.endswith("+xml"):
        root = ET.fromstring(response.content)
        return [
            {b.get("name"): b[0].text for b in result}
            for result in root.find(f"{SRX}results").findall(f"{SRX}result")
        ]
    text = response.content.decode("utf-8")
    if kind == "text/csv":
        return list(csv.DictReader(io.StringIO(text)))
    lines = text.rstrip("\n").split("\n")
    names = [name.lstrip("?") for name in lines[0].split("\t")]
    return [dict(zip(names, map(tsv_lexical, line.split("\t")), strict=True)) for line in lines[1:]]


def tsv_lexical(cell: str) -> str:
    """The lexical form of a TSV term: 1, "x"^^<dt>, "x"@en or <iri>."""
    if cell.startswith("<") and cell.endswith(">"):
        return cell[1:-1]
    if cell.startswith('"'):
        return json.loads(cell[: cell.rindex('"') + 1])
    return cell


def graph_of(response: requests.Response, base: str) -> Graph:
    kind = media_type(response)
    assert kind in RDF_TYPES, f"not an RDF format: {kind}"
    return parse_rdf(response.content, RDF_TYPES[kind], base)


def parse_rdf(data: bytes, fmt: str, base: str) -> Graph:
    with warnings.catch_warnings():  # rdflib's JSON-LD parser builds a (deprecated) ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=data, format=fmt, publicID=base)


def counts(http: requests.Session, base: str) -> tuple[dict, dict[str, str], str]:
    """(/healthz triple counts, SELECT count per named graph, SELECT count of the default graph); the SELECTs
    are POSTed, so that no response cache can answer them."""
    health = http.get(base + "/healthz", timeout=10)
    assert health.status_code == 200
    per_graph = http.post(base + "/sparql", data=COUNT_PER_GRAPH.encode(), headers={"Content-Type": DIRECT})
    default = http.post(base + "/sparql", data=COUNT_DEFAULT.encode(), headers={"Content-Type": DIRECT})
    assert per_graph.status_code == default.status_code == 200
    graphs = {row["g"]: row["n"] for row in rows_of(per_graph)}
    return health.json()["triples"], graphs, rows_of(default)[0]["n"]


@pytest.fixture(scope="module")
def baseline(http, live_server) -> tuple[dict, dict[str, str], str]:
    return counts(http, live_server.base)


# ---------------------------------------------------------------------------------------------- the cases


def test_every_manifest_entry_is_carried():
    assert [case.name for case in CASES] == MANIFEST_ENTRIES
    assert len(CASES) == 34


def test_the_protocol_graphs_are_loaded(baseline):
    health, graphs, default = baseline
    for n in (1, 2, 3):
        assert health[f"{KASEI}data{n}.rdf"] == 1
        assert graphs[f"{KASEI}data{n}.rdf"] == "1"
    # /healthz and SPARQL agree: the protocol graphs, and the union default graph
    assert {iri: int(n) for iri, n in graphs.items() if iri.startswith(KASEI)} == {
        k: v for k, v in health.items() if k.startswith(KASEI)
    }
    assert int(default) == health["union"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_protocol_case(http, live_server, baseline, case, endpoint):
    base = live_server.base
    for req in (case.request, *case.then):
        response = send(http, base, endpoint, req)
        code = response.status_code
        if req.manifest_status == "4xx" or req.status >= 400:
            assert 400 <= code < 500, response.text
        else:
            assert 200 <= code < 400, response.text
        assert code == req.status, response.text
        if code >= 400:
            assert media_type(response) == "application/json"
            assert response.json()["status"] == code
            continue
        if req.fmt == "boolean":
            value = boolean_of(response)
            if req.boolean is not None:
                assert value is req.boolean
        elif req.fmt == "tabular":
            assert rows_of(response) == [{"value": "1"}]  # SELECT (1 AS ?value) {}
        elif req.fmt == "RDF":
            graph = graph_of(response, base + endpoint)
            if "CONSTRUCT" in req.body.decode():
                assert [o for _s, _p, o in graph] == [Literal(1)]
            else:  # DESCRIBE <http://example.org/>: nothing is known about it
                assert len(graph) == 0
    if case.name.startswith(("update_", "bad_update", "bad_multiple_updates")):
        assert counts(http, base) == baseline  # refused, and nothing changed


def test_updates_are_refused_with_a_message(http, live_server):
    response = http.post(live_server.url("/sparql"), data=b"CLEAR ALL", headers={"Content-Type": UPDATE})
    assert response.status_code == 403
    assert response.json() == {
        "error": "Forbidden",
        "status": 403,
        "message": "updates are not allowed: this endpoint is read-only (SPARQL 1.1 Update is not supported)",
    }


# ------------------------------------------------------------------ the dataset cases, in the other direction


def ask(http: requests.Session, base: str, query: str, path: str = "") -> bool:
    response = http.post(base + "/sparql" + path, data=query.encode(), headers={"Content-Type": DIRECT})
    assert response.status_code == 200, response.text
    return boolean_of(response)


def test_default_graph_uri_narrows_the_default_graph(http, live_server):
    base = live_server.base
    data1_data2 = f"?default-graph-uri={D}1.rdf&default-graph-uri={D}2.rdf"
    assert ask(http, base, ASK_DATA1_DATA2, data1_data2) is True
    assert ask(http, base, ASK_DATA1_DATA2, f"?default-graph-uri={D}1.rdf") is False
    assert ask(http, base, "ASK { ?s a ?t }", f"?default-graph-uri={D}0.rdf") is False  # not held: empty
    response = http.post(
        base + f"/sparql?default-graph-uri={D}3.rdf",
        data=b"SELECT * WHERE { ?s ?p ?o }",
        headers={"Content-Type": DIRECT, "Accept": "text/csv"},
    )
    assert response.content == (
        b"s,p,o\r\nhttp://kasei.us/2009/09/sparql/data/data3.rdf,"
        b"http://www.w3.org/1999/02/22-rdf-syntax-ns#type,http://xmlns.com/foaf/0.1/Document\r\n"
    )


def test_without_a_protocol_dataset_the_default_graph_is_the_union(http, live_server):
    assert ask(http, live_server.base, ASK_DATA1_DATA2) is True
    query = "ASK { <https://w3id.org/careers-kg/id/medical-coder> a ?t . " + ASK_DATA1_DATA2[6:]
    assert ask(http, live_server.base, query) is True


def test_named_graph_uri_lists_exactly_the_named_graphs(http, live_server):
    response = http.get(
        live_server.url("/sparql"),
        params={
            "query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
            "named-graph-uri": [f"{KASEI}data1.rdf", f"{KASEI}data2.rdf"],
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert rows_of(response) == [{"g": f"{KASEI}data1.rdf"}, {"g": f"{KASEI}data2.rdf"}]
    # a named-graph-uri alone leaves the default graph empty
    assert ask(http, live_server.base, "ASK { ?s ?p ?o }", f"?named-graph-uri={D}1.rdf") is False


def test_the_protocol_dataset_overrides_from(http, live_server):
    query = f"ASK FROM <{KASEI}data3.rdf> {{ <{KASEI}data3.rdf> a ?t }}"
    assert ask(http, live_server.base, query) is True  # FROM alone is honoured
    assert ask(http, live_server.base, query, f"?default-graph-uri={D}1.rdf") is False  # the protocol wins


# ------------------------------------------------------------------------ result formats, by Accept


SELECT_ACCEPT = {
    "application/sparql-results+json": "application/sparql-results+json",
    "application/sparql-results+xml": "application/sparql-results+xml",
    "text/csv": "text/csv",
    "text/tab-separated-values": "text/tab-separated-values",
}
RDF_ACCEPT = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


@pytest.mark.parametrize("accept", SELECT_ACCEPT)
def test_select_in_every_result_format(http, live_server, accept):
    response = http.post(
        live_server.url("/sparql"),
        data=b"SELECT (1 AS ?value) {}",
        headers={"Content-Type": DIRECT, "Accept": accept},
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f"{SELECT_ACCEPT[accept]}; charset=utf-8"
    assert "Accept" in response.headers["Vary"]
    assert rows_of(response) == [{"value": "1"}]


@pytest.mark.parametrize("accept", BOOLEAN_TYPES)
@pytest.mark.parametrize(("query", "expected"), [("ASK {}", True), ("ASK { <x:a> <x:b> <x:c> }", False)])
def test_ask_in_every_boolean_format(http, live_server, accept, query, expected):
    response = http.post(
        live_server.url("/sparql"), data=query.encode(), headers={"Content-Type": DIRECT, "Accept": accept}
    )
    assert response.status_code == 200
    assert media_type(response) == accept
    assert boolean_of(response) is expected


@pytest.mark.parametrize("accept", RDF_ACCEPT)
def test_construct_in_every_rdf_format(http, live_server, accept):
    response = http.post(
        live_server.url("/sparql"),
        data=b"CONSTRUCT { <http://example.org/s> <http://example.org/p> 1 } WHERE {}",
        headers={"Content-Type": DIRECT, "Accept": accept},
    )
    assert response.status_code == 200
    assert media_type(response) == accept
    graph = graph_of(response, live_server.url("/sparql"))
    assert set(graph) == {(URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(1))}


def test_default_format_when_the_client_accepts_anything(http, live_server):
    select = http.get(live_server.url("/sparql"), params={"query": "SELECT (1 AS ?value) {}"})
    assert select.headers["Content-Type"] == "application/sparql-results+json; charset=utf-8"
    construct = http.get(live_server.url("/sparql"), params={"query": "CONSTRUCT { <x:s> <x:p> 1 } {}"})
    assert construct.headers["Content-Type"] == "text/turtle; charset=utf-8"


def test_cors_is_allowed(http, live_server):
    preflight = http.options(
        live_server.url("/sparql"),
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    response = http.get(
        live_server.url("/sparql"), params={"query": "ASK {}"}, headers={"Origin": "https://x.org"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_foaf_document_triples_are_in_the_named_graphs(http, live_server):
    response = http.post(
        live_server.url("/sparql"),
        data=f"CONSTRUCT {{ ?s a ?t }} WHERE {{ GRAPH <{KASEI}data2.rdf> {{ ?s a ?t }} }}".encode(),
        headers={"Content-Type": DIRECT, "Accept": "application/n-triples"},
    )
    graph = graph_of(response, live_server.base)
    assert set(graph) == {(URIRef(f"{KASEI}data2.rdf"), RDF_TYPE, FOAF_DOCUMENT)}
