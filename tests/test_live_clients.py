"""Real SPARQL clients against a live server: SPARQLWrapper in every result format, rdflib's SPARQLStore used
as a Graph, and the /export downloads compared as graphs (JSON-LD read with pyld, Turtle with rdflib).

SPARQLWrapper is run two ways: content negotiation only (``setOnlyConneg(True)``: the Accept header chooses
the format) and as it comes (it also sends ``format``/``output``/``results`` parameters, for TSV, JSON-LD and
RDF/XML both a short name and a media type, e.g. ``format=tsv&format=text/tab-separated-values``), each with
GET, URL-encoded POST and direct POST. Expected values are the seed's: the certified medical assistant's
median annual wage is 31540 (BLS OES, May 2016).
"""

from __future__ import annotations

import json
import urllib.request
import warnings
from collections.abc import Iterator
from decimal import Decimal
from xml.dom.minidom import Document

import pytest
import requests
from rdflib import RDF, SKOS, XSD, Graph, Literal, Namespace
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

pytest_plugins = ["live"]
pytestmark = pytest.mark.live

CKG = Namespace("https://w3id.org/careers-kg/ontology#")
ID = Namespace("https://w3id.org/careers-kg/id/")
STAT = ID["stat-medical-assistants-median-annual-wage-2016-05"]
PREFIXES = (
    "PREFIX ckg: <https://w3id.org/careers-kg/ontology#>\nPREFIX id: <https://w3id.org/careers-kg/id/>\n"
)
WHERE = "?s ckg:about id:medical-assistant ; ckg:variable id:var-median-annual-wage ; ckg:value ?v"
SELECT = PREFIXES + f"SELECT ?s ?v WHERE {{ {WHERE} }}"
ASK_TRUE = PREFIXES + "ASK { id:medical-coder a ckg:Profession }"
ASK_FALSE = PREFIXES + "ASK { id:medical-coder a ckg:Statistic }"
CONSTRUCT = PREFIXES + f"CONSTRUCT {{ ?s ckg:value ?v }} WHERE {{ {WHERE} }}"
DESCRIBE = PREFIXES + "DESCRIBE id:stat-medical-assistants-median-annual-wage-2016-05"
WAGE = Literal("31540", datatype=XSD.decimal)
PROFESSIONS = sorted(
    ID[slug]
    for slug in (
        "cancer-registrar",
        "certified-medical-assistant",
        "licensed-clinician",
        "medical-biller",
        "medical-coder",
    )
)
METHODS = {"get": (GET, URLENCODED), "post-form": (POST, URLENCODED), "post-direct": (POST, POSTDIRECTLY)}
MODES = {"conneg": True, "default": False}  # setOnlyConneg(...)


def wrapper(endpoint: str, query: str, fmt: str, method: str, conneg: bool) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    http_method, request_method = METHODS[method]
    client.setMethod(http_method)
    client.setRequestMethod(request_method)
    client.setOnlyConneg(conneg)
    client.setTimeout(30)
    return client


def run(client: SPARQLWrapper) -> tuple[str, object]:
    """(the response's media type, SPARQLWrapper's converted result); the response is closed."""
    result = client.query()
    try:
        media = result.info()["content-type"].split(";")[0]
        with warnings.catch_warnings():  # SPARQLWrapper converts RDF/XML and JSON-LD into a ConjunctiveGraph
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            return media, result.convert()
    finally:
        result.response.close()


def parse(data: bytes, fmt: str) -> Graph:
    with warnings.catch_warnings():  # rdflib's JSON-LD parser builds a (deprecated) ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=data, format=fmt)


@pytest.fixture(scope="module")
def endpoint(live_server) -> str:
    return live_server.url("/sparql")


@pytest.fixture(scope="module")
def health(live_server) -> dict:
    with urllib.request.urlopen(live_server.url("/healthz"), timeout=10) as response:
        return json.loads(response.read())


# ----------------------------------------------------------------------------------- SPARQLWrapper, SELECT


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(endpoint, fmt, method, mode):
    media, result = run(wrapper(endpoint, SELECT, fmt, method, MODES[mode]))
    if fmt == JSON:
        assert media == "application/sparql-results+json"
        assert result["head"] == {"vars": ["s", "v"]}
        assert result["results"]["bindings"] == [
            {
                "s": {"type": "uri", "value": str(STAT)},
                "v": {"type": "literal", "value": "31540", "datatype": str(XSD.decimal)},
            }
        ]
    elif fmt == XML:
        assert media == "application/sparql-results+xml"
        assert isinstance(result, Document)
        (binding_s, binding_v) = result.getElementsByTagName("binding")
        assert binding_s.getAttribute("name") == "s"
        assert binding_s.getElementsByTagName("uri")[0].firstChild.data == str(STAT)
        literal = binding_v.getElementsByTagName("literal")[0]
        assert binding_v.getAttribute("name") == "v"
        assert literal.getAttribute("datatype") == str(XSD.decimal)
        assert literal.firstChild.data == "31540"
    elif fmt == CSV:
        assert media == "text/csv"
        assert result == f"s,v\r\n{STAT},31540\r\n".encode()
    else:
        assert media == "text/tab-separated-values"
        assert result == f'?s\t?v\n<{STAT}>\t"31540"^^<{XSD.decimal}>\n'.encode()


# -------------------------------------------------------------------------------------- SPARQLWrapper, ASK


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML])
@pytest.mark.parametrize(("query", "expected"), [(ASK_TRUE, True), (ASK_FALSE, False)], ids=["true", "false"])
def test_sparqlwrapper_ask(endpoint, query, expected, fmt, method, mode):
    media, result = run(wrapper(endpoint, query, fmt, method, MODES[mode]))
    if fmt == JSON:
        assert media == "application/sparql-results+json"
        assert result == {"head": {}, "boolean": expected}
    else:
        assert media == "application/sparql-results+xml"
        (boolean,) = result.getElementsByTagName("boolean")
        assert boolean.firstChild.data == ("true" if expected else "false")


# ------------------------------------------------------------------------ SPARQLWrapper, CONSTRUCT/DESCRIBE

RDF_FORMATS = {  # SPARQLWrapper return format -> the media type served
    TURTLE: "text/turtle",
    JSONLD: "application/ld+json",
    RDFXML: "application/rdf+xml",
}


def as_graph(result: object, media: str) -> Graph:
    if isinstance(result, Graph):  # RDF/XML and JSON-LD: SPARQLWrapper parsed it
        graph = Graph()
        graph += result.triples((None, None, None))
        return graph
    assert isinstance(result, bytes)  # Turtle and N-Triples: the raw text
    return parse(result, {"text/turtle": "turtle", "application/n-triples": "nt"}[media])


def assert_wage_triple(graph: Graph) -> None:
    (value,) = graph.objects(STAT, CKG.value)
    assert value.datatype == XSD.decimal
    assert value.toPython() == Decimal("31540")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_sparqlwrapper_construct(endpoint, fmt, method, mode):
    media, result = run(wrapper(endpoint, CONSTRUCT, fmt, method, MODES[mode]))
    assert media == RDF_FORMATS[fmt]
    graph = as_graph(result, media)
    assert len(graph) == 1
    assert_wage_triple(graph)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_sparqlwrapper_describe(endpoint, fmt, method, mode):
    media, result = run(wrapper(endpoint, DESCRIBE, fmt, method, MODES[mode]))
    assert media == RDF_FORMATS[fmt]
    graph = as_graph(result, media)
    assert_wage_triple(graph)
    assert (STAT, CKG.about, ID["medical-assistant"]) in graph
    assert (STAT, CKG.variable, ID["var-median-annual-wage"]) in graph
    assert (STAT, CKG.source, ID["source-bls-oes-may-2016"]) in graph
    assert (STAT, RDF.type, CKG.Statistic) in graph


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_sparqlwrapper_ntriples(endpoint, query, method):
    """SPARQLWrapper has no N-Triples format: a client asks for it with its own Accept header."""
    client = wrapper(endpoint, query, N3, method, conneg=True)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    media, result = run(client)
    assert media == "application/n-triples"
    assert f'<{STAT}> <{CKG.value}> "31540"^^<{XSD.decimal}> .'.encode() in result.splitlines()
    assert_wage_triple(as_graph(result, media))


# ------------------------------------------------------------------------------------ rdflib's SPARQLStore


@pytest.fixture(params=["xml", "json"])
def store_graph(request, endpoint) -> Iterator[Graph]:
    store = SPARQLStore(query_endpoint=endpoint, returnFormat=request.param)
    graph = Graph(store=store)
    try:
        yield graph
    finally:
        graph.close()


def test_sparqlstore_query(store_graph):
    rows = list(store_graph.query(SELECT))
    assert [(row.s, row.v) for row in rows] == [(STAT, WAGE)]
    assert store_graph.query(ASK_TRUE).askAnswer is True
    assert store_graph.query(ASK_FALSE).askAnswer is False


def test_sparqlstore_triples(store_graph, health):
    assert list(store_graph.triples((STAT, CKG.value, None))) == [(STAT, CKG.value, WAGE)]
    assert store_graph.value(ID["medical-coder"], SKOS.prefLabel) == Literal("Medical Coder", lang="en")
    assert (ID["medical-coder"], RDF.type, CKG.Profession) in store_graph
    assert (ID["medical-coder"], RDF.type, CKG.Statistic) not in store_graph
    assert sorted(store_graph.subjects(RDF.type, CKG.Profession)) == PROFESSIONS
    assert len(store_graph) == health["triples"]["union"]


def test_sparqlstore_is_read_only(store_graph):
    with pytest.raises(TypeError):
        store_graph.add((STAT, CKG.value, Literal(1)))


# ------------------------------------------------------------------------------------------ the downloads


@pytest.fixture(scope="module")
def exports(live_server) -> Iterator[dict[str, requests.Response]]:
    with requests.Session() as session:
        yield {
            ext: session.get(live_server.url(f"/export.{ext}"), timeout=30) for ext in ("jsonld", "ttl", "nt")
        }


def _no_remote_documents(url: str, options: dict | None = None) -> dict:
    raise AssertionError(f"the JSON-LD export needs a remote document: {url}")


def pyld_graph(response: requests.Response) -> Graph:
    """The JSON-LD document read by pyld (no remote documents), as an rdflib Graph (via N-Quads)."""
    from pyld import jsonld

    nquads = jsonld.to_rdf(
        response.json(), {"format": "application/n-quads", "documentLoader": _no_remote_documents}
    )
    return parse(nquads.encode("utf-8"), "nt")  # one default graph: N-Quads lines without a graph name


def assert_same_graph(left: Graph, right: Graph) -> None:
    only_left, only_right = graph_diff(to_isomorphic(left), to_isomorphic(right))[1:]
    shown = sorted(only_left)[:4], sorted(only_right)[:4]
    assert isomorphic(left, right), f"{len(only_left)} + {len(only_right)} triples differ, e.g. {shown}"


CITATION_TRIPLES = 5  # every export also states the dataset's title, licence, citation, release date, version


def test_export_formats_are_served(exports):
    assert {ext: r.status_code for ext, r in exports.items()} == {"jsonld": 200, "ttl": 200, "nt": 200}
    assert exports["jsonld"].headers["Content-Type"] == "application/ld+json; charset=utf-8"
    assert exports["ttl"].headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert exports["nt"].headers["Content-Type"] == "application/n-triples; charset=utf-8"


def test_export_jsonld_read_by_pyld_is_the_asserted_data(exports, health):
    graph = pyld_graph(exports["jsonld"])
    assert len(graph) == health["triples"]["data"] + CITATION_TRIPLES
    assert list(graph.objects(STAT, CKG.value)) == [WAGE]
    assert_same_graph(graph, parse(exports["nt"].content, "nt"))


def test_export_jsonld_and_turtle_are_the_same_graph(exports, health):
    from_jsonld = pyld_graph(exports["jsonld"])
    from_turtle = parse(exports["ttl"].content, "turtle")
    assert len(from_turtle) == health["triples"]["data"] + CITATION_TRIPLES
    assert list(from_turtle.objects(STAT, CKG.value)) == [WAGE]  # the lexical form "31540", as in the data
    assert_same_graph(from_jsonld, from_turtle)
