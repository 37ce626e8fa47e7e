"""The JSON-LD export of a graph on an Oxigraph store, streamed from pyoxigraph's own writer
(kg/stores/native.py `jsonld_document`, kg/views/exports.py): valid JSON-LD that pyld expands to exactly the
graph's triples plus the release's citation, under the shipped context with compact IRIs; the same bytes from
the command line, the web export (sent from a file, conditional GETs answered) and the checksum /void.ttl
gives. The memory store keeps its own path (tests/test_standards.py, tests/test_formats.py)."""

from __future__ import annotations

import hashlib
import io
import json

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, XSD
from web_fixtures import web_client

from kg.rdf.formats import jsonld_context
from kg.stores import native
from kg.stores.store import open_store
from kg.views.dataset import SPDX
from kg.views.exports import export_bytes, export_graph, streamed
from kg.views.release import DATASET

CITATION = 5  # title, licence, citation, issue date and version of the dataset


def expand(body: bytes) -> Graph:
    """The triples pyld reads from a JSON-LD document."""
    nquads = jsonld.to_rdf(json.loads(body), {"format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nt")


@pytest.fixture(scope="module")
def ox_kg(settings, kg, tmp_path_factory):
    directory = tmp_path_factory.mktemp("oxigraph-export") / "store"
    return open_store(settings.replace(store=f"oxigraph:{directory}"), kg)


@pytest.mark.parametrize("inferred", [False, True])
def test_the_streamed_export_expands_to_exactly_the_graphs_triples(kg, ox_kg, inferred):
    assert streamed(ox_kg, "jsonld") and not streamed(kg, "jsonld") and not streamed(ox_kg, "turtle")
    body = export_bytes(ox_kg, "jsonld", inferred)
    back = expand(body)
    expected = export_graph(kg, inferred)  # the data (and closure) with the citation, from the memory store
    assert set(back) == set(expected)
    parts = ("data", "inferred") if inferred else ("data",)
    assert len(back) == sum(kg.triple_counts[p] for p in parts) + CITATION
    assert body == export_bytes(ox_kg, "jsonld", inferred)  # the same store, the same bytes


def test_the_streamed_export_keeps_the_context_and_the_citation(kg, ox_kg):
    doc = json.loads(export_bytes(ox_kg, "jsonld"))
    assert list(doc) == ["@context", "@graph"]
    assert doc["@context"] == jsonld_context()  # the shipped context
    keys = {key for node in doc["@graph"] for key in node}
    assert {"@id", "rdf:type", "skos:prefLabel", "ckg:source"} <= keys
    assert not any(
        key.startswith(("http://", "https://")) for key in keys - {"http://purl.org/linked-data/cube#dataSet"}
    )
    coder = next(node for node in doc["@graph"] if node["@id"] == "id:medical-coder")
    assert {"@id": "ckg:Profession"} in coder["rdf:type"]
    citation = expand(json.dumps({"@context": doc["@context"], "@graph": [
        node for node in doc["@graph"] if node["@id"] == str(DATASET)]}).encode())  # fmt: skip
    assert (DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in citation
    assert (DATASET, DCTERMS.issued, Literal("2026-12-06", datatype=XSD.date)) in citation
    assert len(citation) == CITATION


# --- the sink that takes pyoxigraph's writer apart ---------------------------------------------------------

EX = "https://w3id.org/careers-kg/id/"
CKG = "https://w3id.org/careers-kg/ontology#"
AWKWARD = (  # literals that look like the bytes the sink rewrites, and IRIs it must leave whole
    f'{{"{CKG}label":[{{"@id":"{EX}x"}}]}}',
    f',"@type":"{CKG}Profession"',
    f"{EX}looks-like-an-iri",
    'a "quoted" {brace} and a backslash \\',
    "\\",
    "",
    "line\nbreak\ttab \u00e9 \u2603",
)


def awkward_store() -> ox.Store:
    store = ox.Store()
    graph = ox.NamedNode("urn:x-test:g")
    subject, predicate = ox.NamedNode(EX + "s"), ox.NamedNode(CKG + "note")
    for n, text in enumerate(AWKWARD):
        store.add(ox.Quad(subject, predicate, ox.Literal(text), graph))
        store.add(ox.Quad(ox.NamedNode(f"{EX}n{n}"), predicate, ox.Literal(text, language="en"), graph))
    store.add(ox.Quad(subject, ox.NamedNode(CKG + "x"), ox.NamedNode(EX + "//not-a-compact-iri"), graph))
    store.add(ox.Quad(subject, ox.NamedNode("http://example.org/other#p"), ox.BlankNode("b1"), graph))
    store.add(ox.Quad(ox.BlankNode("b1"), ox.NamedNode(CKG + "x"), ox.Literal("1.50", datatype=ox.NamedNode(
        str(XSD.decimal))), graph))  # fmt: skip
    store.add(ox.Quad(subject, ox.NamedNode(CKG + "n"), ox.NamedNode(EX), ox.NamedNode("urn:x-test:bare")))
    return store


class Trickle:
    """A pyoxigraph store whose JSON-LD writer's output reaches the sink *size* bytes at a time."""

    def __init__(self, store: ox.Store, size: int) -> None:
        self.store, self.size = store, size

    def dump(self, sink, format, from_graph):  # noqa: A002 - pyoxigraph's keyword
        body = self.store.dump(format=format, from_graph=from_graph)
        for start in range(0, len(body), self.size):
            sink.write(body[start : start + self.size])


@pytest.mark.parametrize("size", [1, 2, 7, 64, 10**6])
def test_the_sink_keeps_every_literal_whatever_the_chunks(size):
    store = awkward_store()
    out = io.BytesIO()
    extra = ox.Store()
    extra.add(
        ox.Quad(ox.NamedNode(EX + "e"), ox.NamedNode(CKG + "x"), ox.Literal("extra"), ox.DefaultGraph())
    )
    graphs = ["urn:x-test:g", "urn:x-test:nothing", "urn:x-test:bare"]  # a graph without triples between
    native.jsonld_document(
        Trickle(store, size), graphs, out, context=jsonld_context(), extra=Trickle(extra, size)
    )
    expected = {(q.subject, q.predicate, q.object) for q in store} | {
        (q.subject, q.predicate, q.object) for q in extra
    }
    back = ox.Store()
    back.load(
        jsonld.to_rdf(json.loads(out.getvalue()), {"format": "application/n-quads"}), ox.RdfFormat.N_QUADS
    )
    got = {(q.subject, q.predicate, q.object) for q in back}
    assert _blank(got) == _blank(expected)
    assert len(got) == len(expected) == 2 * len(AWKWARD) + 5
    text = out.getvalue().decode()
    assert '"ckg:note":' in text and '"@id":"id:s"' in text  # compacted where it may be
    assert f'"@id":"{EX}//not-a-compact-iri"' in text  # "id://..." would read as an absolute IRI


def _blank(triples):
    """Triples with every blank node the same (pyld names them anew)."""
    return {tuple("_" if isinstance(t, ox.BlankNode) else t for t in triple) for triple in triples}


# --- the command line and the web -------------------------------------------------------------------------


def test_the_command_line_streams_the_same_bytes(ox_kg, settings, tmp_path, monkeypatch, capsysbinary):
    from kg.cli import main

    store = ox_kg.union.store.directory
    monkeypatch.setenv("CAREERS_KG_CACHE", str(settings.cache_dir))
    out = tmp_path / "kg.jsonld"
    assert main(["export", "--format", "jsonld", "--store", f"oxigraph:{store}", "-o", str(out)]) == 0
    assert out.read_bytes() == export_bytes(ox_kg, "jsonld")
    assert not list(tmp_path.glob("*.tmp"))
    capsysbinary.readouterr()
    assert main(["export", "--format", "jsonld", "--inferred", "--store", f"oxigraph:{store}"]) == 0
    assert capsysbinary.readouterr().out == export_bytes(ox_kg, "jsonld", inferred=True)


def test_the_web_export_is_sent_from_a_file(settings, ox_kg, tmp_path):
    from kg.views.release import dataset_version

    client = web_client(settings.replace(cache_dir=tmp_path / "cache"), ox_kg)
    expected = export_bytes(ox_kg, "jsonld")

    def get(path: str, **headers: str):
        with client.get(path, headers=headers) as response:  # closes the file it was read from
            return response.status_code, response.headers, response.data

    status, headers, body = get("/export.jsonld")
    assert (status, body) == (200, expected)
    assert headers["Content-Type"] == "application/ld+json; charset=utf-8"
    assert headers["Content-Disposition"] == 'inline; filename="careers-kg.jsonld"'
    assert "X-Careers-KG-Stream" not in headers
    files = list((tmp_path / "cache" / "exports").iterdir())
    assert [f.read_bytes() for f in files] == [expected]
    assert get("/export.jsonld", **{"If-None-Match": headers["ETag"]})[::2] == (304, b"")
    assert get(f"/export/{dataset_version(ox_kg)}.jsonld")[2] == expected
    assert get("/export.jsonld?inferred=true")[2] == export_bytes(ox_kg, "jsonld", inferred=True)
    void = Graph().parse(data=get("/void.ttl")[2], format="turtle")
    dist = URIRef("https://w3id.org/careers-kg/dataset/careers-kg.jsonld")
    assert void.value(dist, DCAT.byteSize) == Literal(len(expected), datatype=XSD.nonNegativeInteger)
    checksum = void.value(void.value(dist, SPDX.checksum), SPDX.checksumValue)
    assert checksum == Literal(hashlib.sha256(expected).hexdigest(), datatype=XSD.hexBinary)
