"""The OWL-RL closure: only what was inferred, without trivia, identical to plain owlrl's where it matters."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal
from rdflib.namespace import DCTERMS, PROV

from kg.pipeline.load import load_files
from kg.pipeline.reason import infer, keep
from kg.rdf.namespaces import CKG, ID, SCHEMA

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def inputs() -> tuple[Graph, Graph]:
    return load_files([FIXTURES / "data" / "careers.ttl"]), load_files(
        [FIXTURES / "ontology" / "careers.ttl"]
    )


@pytest.fixture(scope="module")
def closure(inputs):
    return infer(*inputs)


def test_entailments_of_the_ontology_are_inferred(closure):
    g = closure.inferred
    expected = [
        (ID["medical-coder"], RDF.type, SCHEMA.Occupation),  # subClassOf
        (ID["cpc-certification"], RDF.type, CKG.Credential),  # subClassOf, two steps to schema
        (ID["cpc-certification"], RDF.type, SCHEMA.EducationalOccupationalCredential),
        (ID["medical-coder"], CKG.relatedCredential, ID["cpc-certification"]),  # subPropertyOf
        (ID["medical-coder"], SCHEMA.qualifications, ID["cpc-certification"]),
        (ID["cpc-certification"], CKG.credentialFor, ID["medical-coder"]),  # inverseOf
        (ID["certified-medical-assistant"], CKG.relatedProfession, ID["medical-coder"]),  # symmetric
        (ID["stat-coder-growth"], DCTERMS.source, ID["source-bls-ep-dec-2015"]),
        (ID["stat-coder-growth"], PROV.wasDerivedFrom, ID["source-bls-ep-dec-2015"]),
        (CKG.Certification, RDFS.subClassOf, SCHEMA.EducationalOccupationalCredential),  # transitive
    ]
    for triple in expected:
        assert triple in g, triple
    assert len(g) == 35


def test_nothing_asserted_and_no_trivia(closure, inputs):
    data, ontology = inputs
    for s, p, o in closure.inferred:
        assert (s, p, o) not in data and (s, p, o) not in ontology
        assert not isinstance(s, Literal)
        assert not (p in (OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass) and s == o)
        assert o != OWL.Thing
        assert not str(s).startswith((str(OWL), str(XSD), str(RDFS)))
    assert closure.inconsistencies == ()


def test_same_result_as_plain_owlrl_minus_the_documented_trivia(closure, inputs):
    import owlrl

    data, ontology = inputs
    work = Graph()
    for triple in (*data, *ontology):
        work.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(work)
    plain = {t for t in work if t not in data and t not in ontology and keep(*t)}
    assert set(closure.inferred) == plain


def test_inputs_are_not_modified(inputs):
    data, ontology = inputs
    before = (len(data), len(ontology))
    infer(data, ontology)
    assert (len(data), len(ontology)) == before


def test_inconsistencies_are_returned_as_messages_not_triples(inputs):
    _, ontology = inputs
    bad = load_files([FIXTURES / "broken" / "inconsistent.ttl"])
    closure = infer(bad, ontology)
    assert closure.inconsistencies == (
        "Lexical value of the literal 'not a date' does not match its datatype "
        "(http://www.w3.org/2001/XMLSchema#date)",
    )
    assert not any("daml.org" in str(p) for _, p, _ in closure.inferred)
