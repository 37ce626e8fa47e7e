"""The format table, content negotiation, result writers, and exports that independent parsers read back."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from kg.query.execute import QueryResult
from kg.rdf import formats
from kg.rdf.formats import negotiate, resolve, serialize_graph, serialize_result
from kg.rdf.namespaces import CKG

pytestmark = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)  # rdflib's JSON-LD
REPO = Path(__file__).resolve().parent.parent
GRAPHS = ("turtle", "jsonld", "ntriples", "rdfxml")
RESULTS = ("json", "xml", "csv", "tsv", "table")


@pytest.mark.parametrize(
    ("accept", "candidates", "expected"),
    [
        (None, GRAPHS, "turtle"),
        ("", GRAPHS, "turtle"),
        ("text/turtle", ("jsonld", "turtle"), "turtle"),
        ("TEXT/Turtle", ("jsonld", "turtle"), "turtle"),
        ("application/ld+json;q=0.9, text/turtle;q=0.5", GRAPHS, "jsonld"),
        ("application/ld+json, text/turtle", ("turtle", "jsonld"), "turtle"),  # a tie: the server's order
        ("*/*", ("jsonld", "turtle"), "jsonld"),
        ("text/*", ("jsonld", "turtle"), "turtle"),
        ("text/*;q=0.5, text/turtle;q=0", ("turtle",), None),  # the specific range wins; q=0 means "not this"
        ("text/*;q=0.5, text/turtle;q=0", GRAPHS, "rdfxml"),  # text/xml is an alias of RDF/XML
        ("text/turtle;q=0, */*;q=0.1", ("turtle", "ntriples"), "ntriples"),
        ("text/html", GRAPHS, None),
        ("application/json", ("turtle", "jsonld"), "jsonld"),
        ("application/json", RESULTS, "json"),
        ("application/sparql-results+xml", RESULTS, "xml"),
        ("text/plain", RESULTS, "table"),
        ("text/csv;charset=utf-8;q=0.8, text/tab-separated-values", RESULTS, "tsv"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ("html", "json"), "html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ("json", "xml"), "xml"),
        ("garbage", GRAPHS, "turtle"),  # nothing readable: as if absent
        ("text/turtle;q=abc", ("jsonld", "turtle"), "jsonld"),  # an unreadable q-value drops its range
        ("text/turtle;q=2", ("jsonld", "turtle"), "jsonld"),
        ("*/turtle, ;;;, =, /, text/", ("jsonld", "turtle"), "jsonld"),
        ("text/turtle; q = 0.5 ; foo=bar", ("jsonld", "turtle"), "turtle"),
        ("application/ld+json", (), None),
        ("\u00e9/\u00e9, \x00/\x00, text/turtle", ("jsonld", "turtle"), "turtle"),
    ],
)  # fmt: skip
def test_negotiate(accept, candidates, expected):
    assert negotiate(accept, candidates) == expected


def test_negotiate_bounds_hostile_headers():
    start = time.perf_counter()
    long_header = "a/b;q=0.1," * 200_000 + "text/turtle"
    assert negotiate(long_header, ("jsonld", "turtle")) is None  # the tail beyond the limit is not read
    assert negotiate(";" * 100_000, GRAPHS) == "turtle"
    assert time.perf_counter() - start < 5  # generous: it must not be quadratic


@pytest.mark.parametrize(
    ("value", "candidates", "expected"),
    [("turtle", GRAPHS, "turtle"), ("ttl", GRAPHS, "turtle"), (".jsonld", GRAPHS, "jsonld"),
     ("application/n-triples", GRAPHS, "ntriples"), ("rdf", GRAPHS, "rdfxml"), ("nope", GRAPHS, None),
     ("table", RESULTS, "table"), ("txt", RESULTS, "table"), ("turtle", RESULTS, None)],
)  # fmt: skip
def test_resolve(value, candidates, expected):
    assert resolve(value, candidates) == expected


def test_format_table_is_consistent():
    names = [f.name for f in formats.FORMATS]
    assert len(names) == len(set(names))
    assert formats.GRAPH_FORMATS == GRAPHS and formats.RESULT_FORMATS == RESULTS
    assert formats.WEB_RESULT_FORMATS == ("json", "xml", "csv", "tsv")  # not the terminal's table
    assert formats.answer_formats("ASK") == formats.answer_formats("SELECT") == formats.WEB_RESULT_FORMATS
    assert formats.answer_formats("DESCRIBE") == formats.answer_formats("CONSTRUCT") == GRAPHS
    assert formats.get("turtle").content_type == "text/turtle; charset=utf-8"
    assert formats.graph_format_for_path("x.OWL").name == "rdfxml"
    with pytest.raises(ValueError, match="unknown format 'nope'"):
        formats.get("nope")


@pytest.fixture(scope="module")
def result() -> QueryResult:
    rows = (
        (URIRef("https://w3id.org/careers-kg/id/a"), Literal('tab\there, "q"\nnl', lang="en"), None),
        (BNode("b0"), Literal(5), Literal("1.50", datatype=XSD.decimal)),
    )
    return QueryResult(kind="SELECT", vars=("s", "v", "x"), rows=rows)


def test_csv_tsv_and_table_output(result):
    assert serialize_result(result, "csv") == (
        b's,v,x\r\nhttps://w3id.org/careers-kg/id/a,"tab\there, ""q""\nnl",\r\n_:b0,5,1.50\r\n'
    )
    assert serialize_result(result, "tsv").decode() == (
        "?s\t?v\t?x\n"
        '<https://w3id.org/careers-kg/id/a>\t"tab\\there, \\"q\\"\\nnl"@en\t\n'
        '_:b0\t5\t"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>\n'
    )
    assert serialize_result(result, "table").decode() == (
        "s     v                 x\n"
        "----  ----------------  ----\n"
        'id:a  tab here, "q" nl\n'
        "_:b0  5                 1.50\n"
        "(2 rows)\n"
    )
    labelled = serialize_result(result, "table", labels=lambda n: "Thing A" if isinstance(n, URIRef) else "b")
    assert labelled.decode().splitlines()[2] == 'Thing A  tab here, "q" nl'


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_lossless_result_formats_read_back_with_rdflib(result, fmt):
    back = Result.parse(io.BytesIO(serialize_result(result, fmt)), format=fmt)
    assert [str(v) for v in back.vars] == ["s", "v", "x"]
    rows = [tuple(b.get(v) for v in back.vars) for b in back.bindings]
    assert rows == [tuple(r) for r in result.rows]


def test_ask_results():
    yes = QueryResult(kind="ASK", boolean=True)
    assert json.loads(serialize_result(yes, "json")) == {"head": {}, "boolean": True}
    assert Result.parse(io.BytesIO(serialize_result(yes, "xml")), format="xml").askAnswer is True
    assert serialize_result(QueryResult(kind="ASK", boolean=False), "table") == b"no\n"
    assert serialize_result(yes, "csv") == b"boolean\r\ntrue\r\n"


def test_decimals_keep_their_lexical_form_in_turtle():
    g = Graph()
    for text in ("31540", "15.17", "-.5", "7."):
        g.add((URIRef("urn:x:s"), URIRef("urn:x:p"), Literal(text, datatype=XSD.decimal)))
    body = serialize_graph(g, "turtle").decode()
    assert '"31540"^^xsd:decimal' in body and "15.17" in body
    assert isomorphic(Graph().parse(data=body, format="turtle"), g)


def test_graph_results_in_graph_and_result_formats():
    g = Graph()
    g.add((URIRef("https://w3id.org/careers-kg/id/a"), RDF.type, CKG.Profession))
    construct = QueryResult(kind="CONSTRUCT", graph=g)
    assert isomorphic(Graph().parse(data=serialize_result(construct, "turtle"), format="turtle"), g)
    assert serialize_result(construct, "table").decode().splitlines()[-1] == "(1 triple)"
    with pytest.raises(ValueError, match="a SELECT query has no graph"):
        serialize_result(QueryResult(kind="SELECT"), "turtle")
    with pytest.raises(ValueError, match="not a graph format"):
        serialize_graph(g, "csv")


def test_truncated_results_say_so_in_the_table():
    cut = QueryResult(kind="SELECT", vars=("n",), rows=((Literal(1),),), truncated=True)
    assert serialize_result(cut, "table").decode().endswith("(1 row, truncated: more rows matched)\n")


def test_turtle_uses_the_project_prefixes(kg):
    text = serialize_graph(kg.data, "turtle").decode()
    for line in (
        "@prefix ckg: <https://w3id.org/careers-kg/ontology#> .",
        "@prefix id: <https://w3id.org/careers-kg/id/> .",
        "@prefix schema: <http://schema.org/> .",
    ):
        assert line in text
    assert "schema1:" not in text and "ns1:" not in text


def test_jsonld_uses_short_keys_from_the_shipped_context(kg):
    doc = json.loads(serialize_graph(kg.data, "jsonld"))
    context = doc["@context"]
    assert (
        context["ckg"] == "https://w3id.org/careers-kg/ontology#"
        and context["schema"] == "http://schema.org/"
    )
    assert "@vocab" not in context
    keys = {k for node in doc["@graph"] for k in node}
    assert {"prefLabel", "source"} <= keys
    assert not any(k.startswith("https://w3id.org/careers-kg/ontology#") for k in keys)


def test_context_has_a_short_key_for_every_ontology_term():
    ontology = Graph().parse(REPO / "ontology" / "careers.ttl")
    context = json.loads((REPO / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    mapped = {(v if isinstance(v, str) else v["@id"]).removeprefix("ckg:") for v in context.values()}
    terms = {str(s).removeprefix(str(CKG)) for s in ontology.subjects() if str(s).startswith(str(CKG))}
    assert sorted(terms - mapped) == []


def export_graphs(kg):
    return {"asserted": kg.export_graph(), "with inferred": kg.export_graph(inferred=True)}


@pytest.mark.parametrize("fmt", GRAPHS)
@pytest.mark.parametrize("which", ["asserted", "with inferred"])
def test_exports_read_back_with_rdflib(kg, fmt, which):
    graph = export_graphs(kg)[which]
    body = serialize_graph(graph, fmt)
    back = Graph().parse(data=body, format=formats.get(fmt).rdflib_name)
    assert len(back) == len(graph)
    assert isomorphic(back, graph)


def test_jsonld_export_reads_back_with_pyld(kg):
    from pyld import jsonld

    nquads = jsonld.to_rdf(json.loads(serialize_graph(kg.data, "jsonld")), {"format": "application/n-quads"})
    back = Graph().parse(data=nquads, format="nt")
    assert len(back) == len(kg.data)
    assert isomorphic(back, kg.data)


RAPPER = shutil.which("rapper")


@pytest.mark.skipif(
    RAPPER is None and os.environ.get("CI") != "true",
    reason="rapper (Debian raptor2-utils) is not installed; .ci/run installs it",
)
@pytest.mark.parametrize(
    ("fmt", "syntax"), [("turtle", "turtle"), ("ntriples", "ntriples"), ("rdfxml", "rdfxml")]
)
def test_exports_read_back_with_rapper(kg, tmp_path, fmt, syntax):
    assert RAPPER is not None, "CI must have rapper (raptor2-utils)"
    path = tmp_path / f"export{formats.get(fmt).extension}"
    path.write_bytes(serialize_graph(kg.data, fmt))
    out = subprocess.run(
        [RAPPER, "-q", "-i", syntax, "-o", "ntriples", str(path), "https://w3id.org/careers-kg/"],
        capture_output=True,
        check=True,
    )
    back = Graph().parse(data=out.stdout, format="nt")
    assert len(back) == len(kg.data)
    assert isomorphic(back, kg.data)
