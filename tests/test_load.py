"""Loading files: each failure is a DataError naming the file (relative to the root) and the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef

from kg.errors import DataError
from kg.pipeline.load import display_name, load_files, new_graph, parse_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_fixture_data_parses_with_project_prefixes():
    g = load_files([FIXTURES / "data" / "careers.ttl"])
    assert len(g) == 38
    assert dict(g.namespaces())["id"].toPython() == "https://w3id.org/careers-kg/id/"
    assert str(dict(g.namespaces())["schema"]) == "http://schema.org/"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.ttl", b'@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d foo:e ex:f .\n',
         'data/a.ttl line 3: Prefix "foo:" not bound'),
        ("b.ttl", b'@prefix ex: <http://ex/> .\n\nex:a ex:b "unterminated .\nex:c ex:d ex:e .\n',
         "data/b.ttl line 3: newline found in string literal"),
        ("c.nt", b"<http://a> <http://b> <http://c> .\n\n<http://a> <http://b> .\n",
         "data/c.nt line 3: The object of a triple must be an IRI, a blank node or a literal"),
        ("d.rdf", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
         b"<rdf:Description>\n</rdf:RDF>\n", "data/d.rdf line 4: mismatched tag"),
        ("e.jsonld", b'{\n "@id": "http://a",\n "http://b": \n}\n', "data/e.jsonld line 4: Expecting value"),
        ("f.ttl", b'<http://a> <http://b> "caf\xc3\xa9" .\n<http://a> <http://b> "\xff" .\n',
         "data/f.ttl line 2: the file is not valid UTF-8"),
        ("g.csv", b"a,b\n", "data/g.csv: unsupported file type (use .ttl, .nt, .rdf or .jsonld)"),
    ],
)  # fmt: skip
def test_parse_errors_name_file_and_line(tmp_path, name, content, message):
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / name
    path.write_bytes(content)
    with pytest.raises(DataError) as err:
        load_files([path], root=tmp_path)
    assert err.value.message == message
    assert str(err.value) == message


def test_unreadable_files_are_data_errors(tmp_path):
    with pytest.raises(DataError) as err:
        load_files([tmp_path / "missing.ttl"], root=tmp_path)
    assert err.value.message == "missing.ttl: cannot read the file: No such file or directory"
    with pytest.raises(DataError) as err:
        load_files([tmp_path], root=tmp_path.parent)
    assert err.value.message == f"{tmp_path.name}: cannot read the file: Is a directory"


def test_display_name_is_relative_to_root_when_inside(tmp_path):
    assert display_name(tmp_path / "data" / "x.ttl", tmp_path) == "data/x.ttl"
    assert display_name(Path("/elsewhere/x.ttl"), tmp_path) == "/elsewhere/x.ttl"


def test_relative_iris_resolve_against_the_project_base(tmp_path):
    path = tmp_path / "rel.ttl"
    path.write_text("<id/x> <ontology#p> <id/y> .\n", encoding="utf-8")
    ((s, p, o),) = load_files([path])
    assert str(s) == "https://w3id.org/careers-kg/id/x"  # never a file:// IRI that depends on the checkout


def test_ntriples_are_read_as_rdflib_reads_them_and_kept_native_only_when_exact():
    """pyoxigraph parses N-Triples; the terms are rdflib's (literals normalised by rdflib); a document is
    offered for loading as it is only when that changed nothing (no blank node, no normalised literal)."""
    exact = (
        b'<http://a.example/s> <http://a.example/p> "45690"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    )
    normalised = (
        b'<http://a.example/s> <http://a.example/q> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    )
    blank = b'_:x <http://a.example/p> "Medical Assistants"@en .\n'
    for name, content, offered in (("e.nt", exact, True), ("n.nt", normalised, False)):
        native: dict[str, bytes] = {}
        graph = parse_bytes(content, name, native=native)
        assert set(graph) == set(Graph().parse(data=content.decode(), format="nt"))
        assert native == ({name: content} if offered else {})
    assert list(parse_bytes(normalised, "n.nt").objects()) == [Literal("1", datatype=XSD.integer)]
    native = {}
    graph = parse_bytes(blank, "b.nt", native=native)
    assert native == {}
    assert [(type(s), o) for s, _, o in graph] == [(BNode, Literal("Medical Assistants", lang="en"))]


def test_blank_nodes_are_fresh_for_each_ntriples_document():
    doc = b'_:b0 <http://a.example/p> "x" .\n'
    graph = parse_bytes(doc, "one.nt")
    parse_bytes(doc, "two.nt", graph)
    assert len(graph) == 2 and len(set(graph.subjects())) == 2


def test_light_graphs_keep_their_size_right():
    graph = new_graph("light")
    graph.add((URIRef("http://a.example/s"), URIRef("http://a.example/p"), Literal(1)))
    graph.add((URIRef("http://a.example/s"), URIRef("http://a.example/p"), Literal(1)))
    assert len(graph) == 1
    graph.add((URIRef("http://a.example/s"), URIRef("http://a.example/p"), Literal(2)))
    graph.remove((None, None, Literal(1)))
    assert len(graph) == 1 and list(graph.objects()) == [Literal(2)]
