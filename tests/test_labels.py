"""The one label resolver."""

from __future__ import annotations

import pytest
from rdflib import RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.rdf.labels import explicit_label, label, local_name
from kg.rdf.namespaces import ID, SCHEMA

X = ID["medical-coder"]


def graph(*triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def test_preflabel_wins_over_the_other_properties():
    g = graph(
        (X, DCTERMS.title, Literal("title", lang="en")),
        (X, SCHEMA.name, Literal("name", lang="en")),
        (X, RDFS.label, Literal("label", lang="en")),
        (X, SKOS.prefLabel, Literal("Medical coder", lang="en")),
    )
    assert label(g, X) == "Medical coder"


@pytest.mark.parametrize(
    ("prop", "text"), [(RDFS.label, "label"), (SCHEMA.name, "name"), (DCTERMS.title, "title")]
)
def test_fallback_order(prop, text):
    props = [RDFS.label, SCHEMA.name, DCTERMS.title]
    g = graph(*[(X, p, Literal(p.split("/")[-1].split("#")[-1])) for p in props[props.index(prop) :]])
    assert label(g, X) == text


def test_language_preference():
    g = graph(
        (X, SKOS.prefLabel, Literal("Codeur médical", lang="fr")),
        (X, SKOS.prefLabel, Literal("Medical coder", lang="en")),
    )
    assert label(g, X) == "Medical coder"
    assert label(g, X, lang="fr") == "Codeur médical"
    assert label(g, X, lang="de") == "Medical coder"  # English is the project's language
    g.add((X, SKOS.prefLabel, Literal("Zeta", lang="it")))
    g.remove((X, SKOS.prefLabel, Literal("Medical coder", lang="en")))
    assert label(g, X, lang="de") == "Codeur médical"  # otherwise the smallest text, whatever the order
    g.add((X, SKOS.prefLabel, Literal("plain")))
    assert label(g, X, lang="de") == "plain"  # no tag beats another language


def test_language_tag_match_ignores_case():
    g = graph((X, SKOS.prefLabel, Literal("Coder", lang="EN")))
    assert label(g, X) == "Coder"


def test_readable_local_names_without_a_label():
    g = Graph()
    assert label(g, X) == "medical coder"
    assert (
        label(g, URIRef("https://w3id.org/careers-kg/ontology#requiredCredential")) == "required credential"
    )
    assert label(g, URIRef("https://w3id.org/careers-kg/ontology#OccupationCode")) == "Occupation code"
    assert local_name("https://example.org/SOC-31-9092") == "SOC 31 9092"
    assert local_name("http://schema.org/") == "schema.org"
    assert explicit_label(g, X) is None


def test_literals_and_blank_nodes():
    g = Graph()
    assert label(g, Literal("42")) == "42"
    b = BNode("b1")
    assert label(g, b) == "_:b1"
    g.add((b, RDFS.label, Literal("a blank node")))
    assert label(g, b) == "a blank node"
