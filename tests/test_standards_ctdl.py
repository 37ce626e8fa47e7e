"""The CTDL export against the published CTDL schema and context (vendored in tests/fixtures/ctdl/): classes,
properties, domains and ranges; the same triples as the mapping's CONSTRUCT once expanded with the published
context (pyld, offline); what the data states about credentials and organizations, and nothing else. When the
``ctdl-validate`` command (PyPI, Python >= 3.12) is found, the export also passes its checks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import RDF, Graph
from rdflib.compare import isomorphic
from web_fixtures import web_client

from kg.rdf.namespaces import CKG

CTDL = Path(__file__).resolve().parent / "fixtures" / "ctdl"
CONTEXT_URL = "https://credreg.net/ctdl/schema/context/json"
ID = "https://w3id.org/careers-kg/id/"
DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
CTDL_VALIDATE = os.environ.get("CTDL_VALIDATE") or shutil.which("ctdl-validate")


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


@pytest.fixture(scope="module")
def document(client):
    r = client.get("/export.ctdl.jsonld")
    assert r.status_code == 200 and r.content_type == "application/ld+json; charset=utf-8"
    return json.loads(r.data)


@pytest.fixture(scope="module")
def schema():
    """@id -> the vendored schema entry, and each class's superclasses (itself included)."""
    entries = {n["@id"]: n for n in json.loads((CTDL / "schema-excerpt.json").read_text())["@graph"]}

    def supers(cls: str) -> set[str]:
        out = {cls}
        for parent in entries.get(cls, {}).get("rdfs:subClassOf", []):
            out |= supers(parent)
        return out

    return entries, {c: supers(c) for c, n in entries.items() if n["@type"] == "rdfs:Class"}


def _nodes(value, out=None):
    """Every node object of the document, nested ones included."""
    out = [] if out is None else out
    if isinstance(value, dict):
        if "@type" in value and "@value" not in value:  # a node, not a typed value
            out.append(value)
        for v in value.values():
            _nodes(v, out)
    elif isinstance(value, list):
        for v in value:
            _nodes(v, out)
    return out


def _types(node) -> list[str]:
    t = node.get("@type", [])
    return t if isinstance(t, list) else [t]


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def test_every_class_and_property_is_declared_and_used_within_its_domain_and_range(document, schema):
    entries, supers = schema
    by_id = {n["@id"]: n for n in _nodes(document)}
    checked = 0
    for node in _nodes(document):
        classes = set().union(*(supers[t] for t in _types(node)))  # KeyError: a class the schema lacks
        for key, raw in node.items():
            if not key.startswith("ceterms:"):
                continue
            prop = entries[key]
            assert prop["@type"] == "rdf:Property" and prop["vs:term_status"] != "vs:deprecated", key
            assert classes & set(prop["schema:domainIncludes"]), (node["@id"], key)
            ranges = set(prop["schema:rangeIncludes"])
            for value in _values(raw):
                _check_range(key, value, ranges, by_id, supers)
                checked += 1
    assert checked > 200


def _check_range(key, value, ranges, by_id, supers):
    if ranges == {"rdf:langString"}:
        assert isinstance(value, dict) and set(value) == {"en"}, (key, value)  # a language map
    elif ranges == {"xsd:string"}:
        assert isinstance(value, str), (key, value)
    elif ranges == {"xsd:anyURI"}:
        assert value.startswith("https://"), (key, value)
    elif ranges == {"schema:Duration"}:
        assert DURATION.match(value), (key, value)
    else:  # a reference: to a node of the document, nested or not, of a class in the range
        target = value if isinstance(value, dict) else by_id[value]
        assert set().union(*(supers[t] for t in _types(target))) & ranges, (key, value)


def test_the_mapping_uses_only_declared_ctdl_terms(schema):
    entries, _ = schema
    text = (Path(__file__).resolve().parent.parent / "queries" / "ctdl.rq").read_text(encoding="utf-8")
    terms = set(re.findall(r"\bceterms:(\w+)", text))
    assert len(terms) == 30  # 10 classes, 20 properties
    assert {f"ceterms:{t}" for t in terms} - set(entries) == set()


def test_expanded_with_the_published_context_it_is_the_mappings_graph(document, kg):
    """pyld, offline: the published context (vendored, unmodified) expands the document to exactly the
    CONSTRUCT result of queries/ctdl.rq plus the citation."""
    from pyld import jsonld

    from kg.views.ctdl import ctdl_graph

    context = json.loads((CTDL / "context.json").read_text(encoding="utf-8"))

    def loader(url, options=None):
        assert url == CONTEXT_URL, url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    back = Graph().parse(data=nquads, format="nt")
    assert isomorphic(back, ctdl_graph(kg))


def test_credentials_and_organizations_are_those_the_data_states(document, kg):
    top = {n["@id"].removeprefix(ID): _types(n) for n in document["@graph"] if "@type" in n}
    assert {k for k, t in top.items() if t == ["ceterms:Certification"]} == {
        "cma-certification", "medical-coding-certification", "ctr-certification",
    }  # fmt: skip
    assert {k for k, t in top.items() if t == ["ceterms:CredentialOrganization"]} == {
        "aama", "aapc", "ahima", "pmi", "ncra", "state-licensing-agency",
    }  # fmt: skip
    assert {k for k, t in top.items() if t == ["ceterms:QACredentialOrganization"]} == {
        "caahep", "abhes", "cahiim", "chea",
    }  # fmt: skip
    assert {k for k, t in top.items() if t == ["ceterms:License"]} == {"cma-licensing"}
    programs = {str(p).removeprefix(ID) for p in kg.data.subjects(RDF.type, CKG.EducationProgram)}
    assert {k for k, t in top.items() if t == ["ceterms:LearningProgram"]} == programs
    nodes = {n["@id"]: n for n in document["@graph"]}
    for s, o in kg.data.subject_objects(CKG.recognizedBy):  # every recognition the data states, and no other
        assert str(o) in _values(nodes[str(s)]["ceterms:recognizedBy"])
    recognized = sum(len(_values(n.get("ceterms:recognizedBy", []))) for n in nodes.values())
    assert recognized == len(list(kg.data.subject_objects(CKG.recognizedBy)))


def test_the_cma_certification_in_ctdl(client):
    r = client.get("/id/cma-certification.ctdl.jsonld")
    assert r.status_code == 200 and r.content_type == "application/ld+json; charset=utf-8"
    doc = json.loads(r.data)
    assert doc["@context"] == CONTEXT_URL
    (cert,) = doc["@graph"]
    assert cert["@type"] == "ceterms:Certification"
    assert cert["ceterms:name"] == {"en": "Certified Medical Assistant (CMA) certification"}
    assert (cert["ceterms:ownedBy"], cert["ceterms:offeredBy"]) == (ID + "aama", ID + "aama")
    assert cert["ceterms:renewalFrequency"] == "P60M"  # 60 months, as the AAMA handbook states it
    renewal = cert["ceterms:renewal"]  # nested: the profile belongs to this credential
    assert renewal["@type"] == "ceterms:ConditionProfile"
    assert renewal["ceterms:description"] == {
        "en": "A CMA must recertify every 60 months with 60 points of continuing education in various "
        "educational categories."
    }
    soc = next(a for a in cert["ceterms:occupationType"] if a["ceterms:codedNotation"] == "31-9092"
               and a["ceterms:framework"] == ID + "soc-2018")  # fmt: skip
    assert soc["ceterms:targetNodeName"] == {"en": "Medical Assistants"}
    assert soc["ceterms:frameworkName"] == {"en": "Standard Occupational Classification 2018"}
    assert client.get("/id/medical-coder.ctdl.jsonld").status_code == 404  # a profession is not a credential
    assert client.get("/id/no-such-thing.ctdl.jsonld").status_code == 404


def test_the_cli_writes_the_same_ctdl(client, settings, tmp_path):
    from kg.cli import main

    out = tmp_path / "careers.ctdl.jsonld"
    assert main(["export", "--format", "ctdl", "-o", str(out)]) == 0
    assert out.read_bytes() == client.get("/export.ctdl.jsonld").data


@pytest.mark.skipif(
    CTDL_VALIDATE is None,
    reason="ctdl-validate (PyPI, needs Python >= 3.12) is not installed; set CTDL_VALIDATE to its path",
)
def test_ctdl_validate_finds_nothing(client, tmp_path):
    path = tmp_path / "careers.ctdl.jsonld"
    path.write_bytes(client.get("/export.ctdl.jsonld").data)
    run = subprocess.run([CTDL_VALIDATE, "--format", "json", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["findings"] == [], report
