"""kg.stores.wire: result terms survive the trip from the sandbox child exactly."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.stores import wire

TERMS = [
    URIRef("http://example.org/a#b"),
    URIRef("urn:x:\u00e9\U0001f600"),
    BNode("b0"),
    Literal("plain"),
    Literal("chat", lang="fr"),
    Literal("42", datatype=XSD.integer),
    Literal("2016-05-01", datatype=XSD.date),
    Literal("P60M", datatype=XSD.duration),
    Literal("not a number", datatype=XSD.integer),
    Literal("<b>x</b>", datatype=RDF.XMLLiteral),
    Literal('quote " backslash \\ newline \n emoji \U0001f600 lone \ud800 surrogate'),
    None,
]


def test_terms_round_trip():
    doc = wire.decode(wire.encode("SELECT", vars=["x"], rows=[[t] for t in TERMS]))
    assert [row[0] for row in doc["rows"]] == TERMS
    for sent, got in zip(TERMS, (row[0] for row in doc["rows"]), strict=True):
        assert type(got) is type(sent)
        if isinstance(sent, Literal):
            assert (str(got), got.language, got.datatype) == (str(sent), sent.language, sent.datatype)


def test_graph_round_trip():
    triples = [
        (URIRef("http://example.org/s"), RDF.type, URIRef("http://example.org/C")),
        (BNode("n1"), RDF.value, Literal(1.5)),
    ]
    doc = wire.decode(wire.encode("CONSTRUCT", triples=triples, truncated=True))
    assert doc["kind"] == "CONSTRUCT" and doc["truncated"] is True
    assert set(wire.to_graph(doc["triples"])) == set(triples)
