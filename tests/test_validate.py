"""SHACL validation as a plain Report value."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.pipeline import validate as validation
from kg.pipeline.load import load_files
from kg.pipeline.reason import infer
from kg.pipeline.report import Report, ValidationResult, inconsistency_results
from kg.pipeline.validate import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ID = "https://w3id.org/careers-kg/id/"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_files([FIXTURES / "ontology" / "careers.ttl"])


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_files([FIXTURES / "ontology" / "shapes.ttl"])


def check(files: list[Path], shapes: Graph, ontology: Graph) -> Report:
    data = load_files(files)
    return validate([data, infer(data, ontology).inferred], shapes, ontology)


def test_valid_data_conforms_with_a_warning(shapes, ontology):
    report = check([FIXTURES / "data" / "careers.ttl"], shapes, ontology)
    assert report.conforms
    assert report.results == (
        ValidationResult(
            focus=ID + "certified-medical-assistant",
            focus_label="Certified medical assistant",
            path="http://purl.org/dc/terms/description",
            path_label="dct:description",
            message="a profession should have a description",
            severity="Warning",
            shape=report.results[0].shape,
        ),
    )
    assert report.count("Warning") == 1 and report.count() == 0


def test_violations_are_listed_with_labels(shapes, ontology):
    report = check([FIXTURES / "broken" / "invalid.ttl"], shapes, ontology)
    assert not report.conforms
    assert report.text() == (
        "A negative figure — (node) — a statistic value must not be negative\n"
        "Orphan certification — issued by — a credential needs an issuing organization"
    )
    negative, orphan = report.results
    assert (negative.focus, negative.path, negative.severity) == (ID + "stat-negative", "", "Violation")
    assert (orphan.focus, orphan.path) == (
        ID + "orphan-certification",
        "https://w3id.org/careers-kg/ontology#issuedBy",
    )


def test_input_graphs_are_not_modified(shapes, ontology):
    data = load_files([FIXTURES / "data" / "careers.ttl"])
    validate(data, shapes, ontology)
    assert len(data) == 38


def test_sparql_constraints_are_parsed_once_with_the_same_results(shapes, ontology, monkeypatch):
    data = load_files([FIXTURES / "broken" / "invalid.ttl", FIXTURES / "data" / "careers.ttl"])
    fast = validate(data, shapes, ontology)
    monkeypatch.setattr(validation, "_PreparingGraph", Graph)
    plain = validate(data, shapes, ontology)

    def key(r: Report) -> list[tuple[str, ...]]:
        return [(x.focus, x.path, x.message, x.severity) for x in r.results]

    assert (fast.conforms, key(fast)) == (plain.conforms, key(plain))


def test_reasoner_inconsistencies_join_the_report():
    report = Report(True, ()).with_results(inconsistency_results(["bad literal"]))
    assert not report.conforms
    assert report.text() == "OWL-RL reasoning — (node) — bad literal"
    assert report.as_dict()["results"][0]["shape"] == "owl-rl"
    assert Report(True, ()).with_results([]).conforms
