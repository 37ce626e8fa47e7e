"""The exports of a graph on an Oxigraph store, streamed from pyoxigraph's own writers (kg/stores/native.py
`jsonld_document`, `graph_document`, `quads_document`; kg/views/exports.py): JSON-LD that pyld expands, and
Turtle and N-Triples that rapper reads, to exactly the graph's triples plus the release's citation (JSON-LD
under the shipped context with compact IRIs; Turtle and N-Triples under the citation comment, Turtle with the
project prefixes declared once); the same bytes from a store loaded again from the same inputs, from the
command line, from the web export (sent from a file, conditional GETs answered), and the size and checksum
/void.ttl gives for each download. The memory store keeps its own path (tests/test_standards.py,
tests/test_formats.py)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from web_fixtures import web_client

from kg.rdf.formats import jsonld_context
from kg.stores import native
from kg.stores.oxigraph import to_ox
from kg.stores.store import open_store, quads
from kg.views.dataset import SPDX
from kg.views.exports import export_bytes, export_graph, streamed
from kg.views.release import DATASET, dataset_version

CITATION = 5  # title, licence, citation, issue date and version of the dataset


def expand(body: bytes) -> Graph:
    """The triples pyld reads from a JSON-LD document."""
    nquads = jsonld.to_rdf(json.loads(body), {"format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nt")


@pytest.fixture(scope="module")
def ox_kg(settings, kg, tmp_path_factory):
    directory = tmp_path_factory.mktemp("oxigraph-export") / "store"
    return open_store(settings.replace(store=f"oxigraph:{directory}"), kg)


@pytest.fixture(scope="module")
def ox_kg_again(settings, kg, tmp_path_factory):
    """Another Oxigraph store, loaded again from the same build."""
    directory = tmp_path_factory.mktemp("oxigraph-export-again") / "store"
    return open_store(settings.replace(store=f"oxigraph:{directory}"), kg)


@pytest.mark.parametrize("inferred", [False, True])
def test_the_streamed_export_expands_to_exactly_the_graphs_triples(kg, ox_kg, inferred):
    assert streamed(ox_kg, "jsonld") and not streamed(kg, "jsonld") and not streamed(ox_kg, "rdfxml")
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


# --- Turtle and N-Triples ---------------------------------------------------------------------------------

PREFIX_LINES = {  # the project prefixes (kg/rdf/namespaces.py), as the Turtle export declares them
    b"@prefix ckg: <https://w3id.org/careers-kg/ontology#> .",
    b"@prefix id: <https://w3id.org/careers-kg/id/> .",
    b"@prefix schema: <http://schema.org/> .",
    b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
    b"@prefix prov: <http://www.w3.org/ns/prov#> .",
    b"@prefix dct: <http://purl.org/dc/terms/> .",
    b"@prefix owl: <http://www.w3.org/2002/07/owl#> .",
    b"@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .",
    b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    b"@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    b"@prefix sh: <http://www.w3.org/ns/shacl#> .",
    b"@prefix void: <http://rdfs.org/ns/void#> .",
    b"@prefix dcat: <http://www.w3.org/ns/dcat#> .",
}


def rapper(body: bytes, syntax: str) -> Graph:
    """The triples rapper (Raptor) reads from *body* in *syntax*, re-read from its N-Triples; rapper must
    not warn."""
    done = subprocess.run(
        ["rapper", "-q", "-i", syntax, "-o", "ntriples", "-", "urn:x-test:base"],
        input=body, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, b"")
    return Graph().parse(data=done.stdout.decode("utf-8"), format="nt")


@pytest.mark.parametrize("inferred", [False, True])
@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_a_streamed_graph_export_reads_as_exactly_the_graphs_triples(kg, ox_kg, ox_kg_again, fmt, inferred):
    assert streamed(ox_kg, fmt) and not streamed(kg, fmt)
    body = export_bytes(ox_kg, fmt, inferred)
    back = rapper(body, fmt)
    assert set(back) == set(export_graph(kg, inferred))  # the data (and closure) and the citation
    parts = ("data", "inferred") if inferred else ("data",)
    assert len(back) == sum(kg.triple_counts[p] for p in parts) + CITATION
    assert body == export_bytes(ox_kg, fmt, inferred)  # the same store, the same bytes
    assert body == export_bytes(ox_kg_again, fmt, inferred)  # a store loaded again, the same bytes


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_a_streamed_graph_export_opens_with_the_citation_comment(kg, ox_kg, fmt):
    first, rest = export_bytes(ox_kg, fmt, inferred=True).split(b"\n", 1)
    assert first.startswith(
        f"# Careers KG 0.1.0+{kg.version}. Cite as: Careers KG contributors (2026). ".encode()
    )
    assert first.endswith(b"Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).")
    assert first == export_bytes(kg, fmt).split(b"\n", 1)[0]  # the memory store's export says the same
    assert not rest.startswith(b"#") and b"\n#" not in rest  # one comment line


def test_the_turtle_export_declares_the_prefixes_once(ox_kg):
    lines = export_bytes(ox_kg, "turtle", inferred=True).split(b"\n")  # data, inferred, citation: 3 dumps
    declared = [line for line in lines if line.startswith(b"@")]
    assert set(declared) == PREFIX_LINES and len(declared) == len(PREFIX_LINES)
    assert set(lines[1 : 1 + len(declared)]) == PREFIX_LINES  # right after the comment
    body = b"\n".join(lines)
    assert b"id:medical-coder " in body and b" ckg:Profession " in body  # written as prefixed names
    assert b"<https://w3id.org/careers-kg/id/medical-coder>" not in body


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
    "@prefix ckg: <urn:x-test:not-a-prefix> .\n",
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
    """A pyoxigraph store whose writer's output reaches the sink *size* bytes at a time."""

    def __init__(self, store: ox.Store, size: int) -> None:
        self.store, self.size = store, size

    def dump(self, sink, format, from_graph, prefixes=None):  # noqa: A002 - pyoxigraph's keyword
        body = self.store.dump(format=format, from_graph=from_graph, prefixes=prefixes)
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


@pytest.mark.parametrize("size", [1, 2, 7, 64, 10**6])
def test_the_turtle_sink_declares_the_prefixes_once_whatever_the_chunks(size):
    store, extra = awkward_store(), ox.Store()
    extra.add(ox.Quad(ox.NamedNode(EX + "e"), ox.NamedNode(CKG + "x"), ox.Literal("e"), ox.DefaultGraph()))
    graphs = ["urn:x-test:nothing", "urn:x-test:g", "urn:x-test:bare"]  # the second dump declares them
    out = io.BytesIO()
    native.graph_document(Trickle(store, size), graphs, out, "turtle", extra=Trickle(extra, size))
    body = out.getvalue()
    back = ox.Store()
    back.load(body, ox.RdfFormat.TURTLE)
    expected = {(q.subject, q.predicate, q.object) for source in (store, extra) for q in source}
    got = {(q.subject, q.predicate, q.object) for q in back}
    assert _blank(got) == _blank(expected)
    assert len(got) == 2 * len(AWKWARD) + 5
    declared = [line for line in body.split(b"\n") if line.startswith(b"@")]
    assert set(declared) == PREFIX_LINES and len(declared) == len(PREFIX_LINES)
    assert body.startswith(b"@prefix ")


def _blank(triples):
    """Triples with every blank node the same (pyld names them anew)."""
    return {tuple("_" if isinstance(t, ox.BlankNode) else t for t in triple) for triple in triples}


# --- the command line and the web -------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "option"), [("jsonld", "jsonld"), ("turtle", "ttl"), ("ntriples", "nt")])
def test_the_command_line_streams_the_same_bytes(
    ox_kg, settings, tmp_path, monkeypatch, capsysbinary, fmt, option
):
    from kg.cli import main

    store = ox_kg.union.store.directory
    monkeypatch.setenv("CAREERS_KG_CACHE", str(settings.cache_dir))
    out = tmp_path / "kg.out"
    assert main(["export", "--format", option, "--store", f"oxigraph:{store}", "-o", str(out)]) == 0
    assert out.read_bytes() == export_bytes(ox_kg, fmt)
    assert not list(tmp_path.glob("*.tmp"))
    capsysbinary.readouterr()
    assert main(["export", "--format", option, "--inferred", "--store", f"oxigraph:{store}"]) == 0
    assert capsysbinary.readouterr().out == export_bytes(ox_kg, fmt, inferred=True)


def test_the_command_line_streams_the_named_graphs(kg, ox_kg, settings, tmp_path, monkeypatch):
    from kg.cli import main

    monkeypatch.setenv("CAREERS_KG_CACHE", str(settings.cache_dir))
    streamed_out, memory_out = tmp_path / "oxigraph.nq", tmp_path / "memory.nq"
    store = ox_kg.union.store.directory
    assert main(["export", "--named-graphs", "--store", f"oxigraph:{store}", "-o", str(streamed_out)]) == 0
    assert main(["export", "--named-graphs", "--store", "memory", "-o", str(memory_out)]) == 0
    expected = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(g)) for s, p, o, g in quads(kg)}
    assert len(expected) == sum(kg.triple_counts[p] for p in ("data", "ontology", "inferred"))
    for out in (streamed_out, memory_out):
        assert set(ox.parse(path=out, format=ox.RdfFormat.N_QUADS)) == expected
    assert not list(tmp_path.glob("*.tmp"))


def test_the_web_exports_are_sent_from_files(settings, ox_kg, tmp_path):
    client = web_client(settings.replace(cache_dir=tmp_path / "cache"), ox_kg)

    def get(path: str, **headers: str):
        with client.get(path, headers=headers) as response:  # closes the file it was read from
            return response.status_code, response.headers, response.data

    for fmt, ext, media_type in [
        ("jsonld", ".jsonld", "application/ld+json"),
        ("turtle", ".ttl", "text/turtle"),
        ("ntriples", ".nt", "application/n-triples"),
    ]:
        expected = export_bytes(ox_kg, fmt)
        status, headers, body = get(f"/export{ext}")
        assert (status, body) == (200, expected)
        assert headers["Content-Type"] == f"{media_type}; charset=utf-8"
        assert headers["Content-Disposition"] == f'inline; filename="careers-kg{ext}"'
        assert "X-Careers-KG-Stream" not in headers
        assert get(f"/export{ext}", **{"If-None-Match": headers["ETag"]})[::2] == (304, b"")
        assert get(f"/export/{dataset_version(ox_kg)}{ext}")[2] == expected
        assert get(f"/export{ext}?inferred=true")[2] == export_bytes(ox_kg, fmt, inferred=True)
    files = sorted(f.name for f in (tmp_path / "cache" / "exports").iterdir())
    name = f"export-{dataset_version(ox_kg)}-v1"
    assert files == sorted(
        f"{name}{inferred}{ext}" for inferred in ("", "-inferred") for ext in (".jsonld", ".nt", ".ttl")
    )


def test_void_gives_the_size_and_checksum_of_each_download_served(settings, ox_kg, tmp_path):
    client = web_client(settings.replace(cache_dir=tmp_path / "cache"), ox_kg)
    void = Graph().parse(data=client.get("/void.ttl").data, format="turtle")
    names = {str(d).rsplit("/", 1)[1]: d for d in void.subjects(RDF.type, DCAT.Distribution)}
    assert sorted(names) == sorted(
        [f"careers-kg{inferred}{ext}" for inferred in ("", "-inferred") for ext in (".jsonld", ".nt", ".ttl")]
        + ["careers-kg.ctdl.jsonld"]
    )
    for dist in names.values():
        url = urlsplit(str(void.value(dist, DCAT.downloadURL)))
        with client.get(url.path + (f"?{url.query}" if url.query else "")) as response:
            assert response.status_code == 200
            body = response.data
        assert void.value(dist, DCAT.byteSize) == Literal(len(body), datatype=XSD.nonNegativeInteger)
        checksum = void.value(void.value(dist, SPDX.checksum), SPDX.checksumValue)
        assert checksum == Literal(hashlib.sha256(body).hexdigest(), datatype=XSD.hexBinary)
