"""The fast reasoner (kg.pipeline.rules) infers exactly what owlrl (kg.pipeline.reason) infers, and refuses
what it can't do."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace

from kg.importers import synth
from kg.pipeline import reason, rules
from kg.pipeline.load import load_files
from kg.rdf.namespaces import CKG, ID, SCHEMA

REPO = Path(__file__).resolve().parent.parent
T = Namespace("https://example.org/t#")

# Every rule kg.pipeline.rules implements, with the cases that are easy to get wrong: cycles (equivalences), a
# transitive property under sub- and inverse properties, a symmetric super-inverse, a chain through a literal
# subject (x lit "v" ⊢ "v" litinv x ⊢ "v" litup x ⊢ x litback "v"), owl:Thing, an ill-typed literal.
TRICKY = """
@prefix : <https://example.org/t#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

:A a owl:Class ; rdfs:subClassOf :B .
:B a owl:Class ; rdfs:subClassOf :C , owl:Thing .
:C rdfs:subClassOf :A , :D .
:E owl:equivalentClass :F .
:F rdfs:subClassOf :G .

:p a owl:ObjectProperty ; rdfs:subPropertyOf :q ; owl:inverseOf :pinv .
:q a owl:ObjectProperty , owl:TransitiveProperty ; rdfs:subPropertyOf :r .
:r owl:inverseOf :rinv .
:rinv rdfs:subPropertyOf :s .
:s a owl:SymmetricProperty .
:t owl:equivalentProperty :u .
:u rdfs:subPropertyOf :t2 .
:t2 rdfs:subPropertyOf :u .
:lit owl:inverseOf :litinv .
:litinv rdfs:subPropertyOf :litup .
:litup owl:inverseOf :litback .

:x1 a :A ; :p :x2 ; :t :x9 ; :lit "v" , 5 , "not a number"^^xsd:integer .
:x2 a :E ; :p :x3 .
:x3 :q :x4 .
:x4 :q :x5 ; :s :x1 .
:x6 :pinv :x7 .
:x8 a :F .
"""


def same_as_owlrl(data: Graph, ontology: Graph) -> reason.Closure:
    """Assert that both reasoners give the same inferred triples and messages; return the fast result."""
    expected = reason.infer(data, ontology)
    fast = rules.infer(data, ontology, fallback=False)
    assert set(fast.inferred) == set(expected.inferred)
    assert fast.inconsistencies == expected.inconsistencies
    return fast


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_files([REPO / "ontology" / "careers.ttl"])


def test_same_as_owlrl_on_the_seed(ontology):
    fast = same_as_owlrl(load_files([REPO / "data" / "careers.ttl"]), ontology)
    assert (ID["medical-coder"], RDF.type, SCHEMA.Occupation) in fast.inferred
    assert (ID["cma-certification"], CKG.credentialFor, ID["certified-medical-assistant"]) in fast.inferred


def test_same_as_owlrl_on_ten_thousand_synthetic_triples(ontology):
    data = synth.generate(synth.professions_for(10_000), seed=1)
    assert 10_000 <= len(data) < 10_100
    fast = same_as_owlrl(data, ontology)
    assert len(fast.inferred) > 9_000


def test_same_as_owlrl_on_every_rule_and_edge_case():
    data = Graph().parse(data=TRICKY, format="turtle")
    fast = same_as_owlrl(data, Graph())
    g = fast.inferred
    expected = [
        (T.A, OWL.equivalentClass, T.C),  # scm-sco + scm-eqc2 on a cycle
        (T.A, RDFS.subClassOf, T.D),
        (T.E, RDFS.subClassOf, T.G),  # scm-eqc then scm-sco
        (T.x2, RDF.type, T.G),  # cax-eqc as cax-sco
        (T.t2, OWL.equivalentProperty, T.t),
        (T.x1, T.t2, T.x9),
        (T.x1, T.q, T.x5),  # prp-trp over prp-spo1
        (T.x5, T.rinv, T.x1),  # … then inverse and sub-property
        (T.x1, T.s, T.x5),  # … then symmetric
        (T.x7, T.p, T.x6),  # prp-inv2
        (T.x1, T.litback, Literal("v")),  # through a literal subject
    ]
    for triple in expected:
        assert triple in g, triple
    assert not any(isinstance(s, Literal) for s, _, _ in g)
    assert (T.x1, RDF.type, OWL.Thing) not in g
    assert fast.inconsistencies == (
        "Lexical value of the literal 'not a number' does not match its datatype "
        "(http://www.w3.org/2001/XMLSchema#integer)",
    )
    assert len(g) == 92


def test_inputs_are_not_modified(ontology):
    data = synth.generate(3)
    before = (set(data), len(ontology))
    rules.infer(data, ontology)
    assert (set(data), len(ontology)) == before


@pytest.mark.parametrize(
    "axiom",
    [
        ":p rdfs:domain :A .",
        ":p rdfs:range :A .",
        ":p a owl:FunctionalProperty .",
        ":x1 owl:sameAs :x2 .",
        ":A owl:disjointWith :B .",
        ":x1 a owl:Nothing .",
        ":R a owl:Restriction ; owl:onProperty :p ; owl:someValuesFrom :A .",
        "[] owl:inverseOf :p .",
        ":A rdfs:subClassOf rdfs:Resource .",
        "rdf:type rdfs:subPropertyOf :p .",
        ":x1 a xsd:integer .",
    ],
)
def test_unsupported_axioms_are_refused_or_left_to_owlrl(axiom):
    prefixes = (
        "@prefix : <https://example.org/t#> . @prefix owl: <http://www.w3.org/2002/07/owl#> ."
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ."
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."
    )
    data = Graph().parse(data=prefixes + ":x1 :p :x2 . :x2 a :A . " + axiom, format="turtle")
    with pytest.raises(rules.UnsupportedAxioms):
        rules.infer(data, Graph(), fallback=False)
    fallen_back = rules.infer(data, Graph())  # falls back to owlrl
    assert set(fallen_back.inferred) == set(reason.infer(data, Graph()).inferred)


def test_the_compiled_rules_of_the_ontology(ontology):
    compiled = rules.compile_rules(ontology)
    assert compiled.transitive == frozenset()
    assert set(compiled.superclasses[CKG.Certification]) == {
        CKG.Credential,
        SCHEMA.EducationalOccupationalCredential,
    }
    assert set(compiled.entails[CKG.requiredCredential]) == {
        (CKG.relatedCredential, False),
        (SCHEMA.qualifications, False),
        (CKG.credentialFor, True),
    }
    assert set(compiled.entails[CKG.relatedProfession]) == {(CKG.relatedProfession, True)}
