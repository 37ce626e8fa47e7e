"""Issue 14: the dataset speaks its neighbours' standards. Versioned, byte-identical exports with the licence
and citation inside (read back with rdflib, pyld and rapper); the DCAT-AP description, valid against the
vendored DCAT-AP 3.0.1 shapes, whose checksums are those of the bytes served; the SPARQL 1.1 Service
Description, checked against the vendored SD vocabulary; the licence Link header on every data response."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, XSD
from web_fixtures import web_client

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_LINK = f'<{LICENSE}>; rel="license"'
DATASET = URIRef("https://w3id.org/careers-kg/dataset")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RAPPER = shutil.which("rapper")
needs_rapper = pytest.mark.skipif(
    RAPPER is None and os.environ.get("CI") != "true",
    reason="rapper (Debian raptor2-utils) is not installed; .ci/run installs it",
)


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


@pytest.fixture(scope="module")
def version(kg):
    return f"0.1.0+{kg.version}"


def _parse(body: bytes, syntax: str) -> Graph:
    """RDF in *syntax*; JSON-LD through pyld (rdflib's JSON-LD reader warns of its own deprecations)."""
    if syntax != "json-ld":
        return Graph().parse(data=body, format=syntax)
    from pyld import jsonld

    return Graph().parse(data=jsonld.to_rdf(json.loads(body), {"format": "application/n-quads"}), format="nt")


def cite(version: str) -> str:
    return (
        "Careers KG contributors (2026). Careers KG: an open knowledge graph of healthcare careers, version "
        f"{version} [data set], released 2026-12-06. https://w3id.org/careers-kg/. Licence: CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/)."
    )


# --- the release: CITATION.cff is the one place -------------------------------------------------------------


def test_citation_file_names_the_release_the_package_has():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert (cff["version"], cff["date-released"], cff["license"]) == ("0.1.0", "2026-12-06", "CC-BY-4.0")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{cff["version"]}"' in pyproject  # one version, in both files


def test_the_same_citation_on_healthz_pages_void_and_exports(client, kg, version):
    health = client.get("/healthz").get_json()
    assert (health["dataset_version"], health["license"], health["cite_as"]) == (
        version,
        LICENSE,
        cite(version),
    )
    for path in ("/", "/id/medical-coder"):
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert f"dataset version <code>{version}</code>" in html
        assert f"Cite as: {cite(version)}" in html
    void = Graph().parse(data=client.get("/void.ttl").data, format="turtle")
    assert void.value(DATASET, DCTERMS.bibliographicCitation) == Literal(cite(version), lang="en")
    export = Graph().parse(data=client.get("/export.ttl").data, format="turtle")
    assert set(export.predicate_objects(DATASET)) == {
        (DCTERMS.title, Literal("Careers KG: an open knowledge graph of healthcare careers", lang="en")),
        (DCTERMS.license, URIRef(LICENSE)),
        (DCTERMS.bibliographicCitation, Literal(cite(version), lang="en")),
        (DCTERMS.issued, Literal("2026-12-06", datatype=XSD.date)),
        (OWL.versionInfo, Literal(version)),
    }


# --- exports: versioned, byte-identical, readable by independent parsers ------------------------------------


def _run(seed: str, *args: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    run = subprocess.run([sys.executable, *args], capture_output=True, env=env, cwd=REPO)
    assert run.returncode == 0, run.stderr
    return run.stdout


DIGESTS = """
import hashlib, json
from kg.pipeline.build import build
from kg.config import Settings
from kg.views.exports import export_bytes
kg = build(Settings.from_env())
fmts = [(f, i) for f in ("turtle", "jsonld", "ntriples", "rdfxml") for i in (False, True)] + [("ctdl", False)]
print(json.dumps({f"{f}:{i}": hashlib.sha256(export_bytes(kg, f, i)).hexdigest() for f, i in fmts}))
"""


def test_exports_are_byte_identical_across_runs(client):
    """Two processes with different hash seeds (set and dict orders differ) export the same bytes."""
    first, second = (json.loads(_run(seed, "-c", DIGESTS)) for seed in ("1", "2"))
    assert len(first) == 9 and first == second
    cli = _run("3", "-m", "kg", "export", "--format", "jsonld")
    assert cli == _run("4", "-m", "kg", "export", "--format", "jsonld")
    assert hashlib.sha256(cli).hexdigest() == first["jsonld:False"]
    for path, key in (("/export.ttl", "turtle:False"), ("/export.nt?inferred=true", "ntriples:True"),
                      ("/export.ctdl.jsonld", "ctdl:False")):  # fmt: skip
        assert hashlib.sha256(client.get(path).data).hexdigest() == first[key]  # the server sends them


def test_versioned_urls_serve_the_current_version_and_refuse_others(client, version):
    for ext in (".ttl", ".jsonld", ".nt", ".ctdl.jsonld"):
        assert client.get(f"/export/{version}{ext}").data == client.get(f"/export{ext}").data
    inferred = client.get(f"/export/{version}.nt?inferred=true")
    assert inferred.data == client.get("/export.nt?inferred=true").data
    r = client.get("/export/0.0.9+000000000000.ttl")
    assert r.status_code == 404
    assert r.get_json()["message"] == (
        f"version '0.0.9+000000000000' is not served here; the current version is {version} "
        f"(/export/{version}.ttl)."
    )
    assert client.get(f"/export/{version}.zip").status_code == 404
    assert client.get("/export.ctdl.jsonld?inferred=true").status_code == 400


def test_turtle_and_ntriples_open_with_the_citation_comment(client, version):
    for path in ("/export.ttl", "/export.nt"):
        first = client.get(path).get_data(as_text=True).splitlines()[0]
        assert first == f"# Careers KG {version}. Cite as: {cite(version)}"


def test_jsonld_export_reads_back_with_pyld(client, kg):
    body = client.get("/export.jsonld").data
    back = _parse(body, "json-ld")
    assert len(list(back.triples((DATASET, None, None)))) == 5  # the citation
    back.remove((DATASET, None, None))
    assert isomorphic(back, kg.data)


@needs_rapper
@pytest.mark.parametrize(("path", "syntax"), [("/export.ttl", "turtle"), ("/export.nt", "ntriples")])
def test_exports_with_their_comment_read_back_with_rapper(client, tmp_path, path, syntax):
    assert RAPPER is not None, "CI must have rapper (raptor2-utils)"
    body = client.get(path).data
    (tmp_path / "export").write_bytes(body)
    out = subprocess.run(
        [
            RAPPER,
            "-q",
            "-i",
            syntax,
            "-o",
            "ntriples",
            str(tmp_path / "export"),
            "https://w3id.org/careers-kg/",
        ],
        capture_output=True,
        check=True,
    )
    assert isomorphic(Graph().parse(data=out.stdout, format="nt"), Graph().parse(data=body, format=syntax))


def test_csv_and_tsv_downloads_carry_the_citation_and_still_parse(client, version):
    decimal = "^^<http://www.w3.org/2001/XMLSchema#decimal>"
    for ext, quoting, values in (
        (".csv", csv.QUOTE_MINIMAL, ["15.17", "31540"]),  # BLS May 2016, as the seed cites it
        (".tsv", csv.QUOTE_NONE, [f'"15.17"{decimal}', f'"31540"{decimal}']),
    ):
        path = f"/queries/median-pay{ext}?profession=certified-medical-assistant"
        text = client.get(path).get_data(as_text=True)
        assert text.splitlines()[0] == f"# Careers KG {version}. Cite as: {cite(version)}"
        lines = (line for line in io.StringIO(text) if not line.startswith("#"))
        rows = list(csv.reader(lines, delimiter="," if ext == ".csv" else "\t", quoting=quoting))
        assert rows[0] == (
            ["variable", "value", "source"] if ext == ".csv" else ["?variable", "?value", "?source"]
        )
        assert sorted(row[1] for row in rows[1:]) == values


def test_sparql_protocol_csv_has_no_comment_line(client):
    """SPARQL 1.1 CSV/TSV results start with the header row; a comment line would be read as the header, so
    protocol responses carry the licence in the Link header only."""
    from rdflib.query import Result

    query = "SELECT ?n WHERE { VALUES ?n { 1 2 } }"
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert r.data == b"n\r\n1\r\n2\r\n"
    assert [str(row.n) for row in Result.parse(io.BytesIO(r.data), format="csv")] == ["1", "2"]
    assert LICENSE_LINK in r.headers["Link"]


# --- the DCAT description -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def void(client):
    return Graph().parse(data=client.get("/void.ttl").data, format="turtle")


def test_void_is_valid_dcat_ap(void):
    import pyshacl

    shapes = Graph().parse(FIXTURES / "dcat" / "dcat-ap-SHACL.ttl")
    conforms, _, text = pyshacl.validate(void, shacl_graph=shapes, inference="none")
    assert conforms, text
    broken = Graph() + void
    broken.remove((None, DCAT.accessURL, None))  # the shapes really apply: a missing accessURL is a violation
    assert not pyshacl.validate(broken, shacl_graph=shapes, inference="none")[0]


def test_every_distribution_checksum_and_size_match_the_bytes_served(client, void, version):
    dists = sorted(void.objects(DATASET, DCAT.distribution))
    expected = {f"careers-kg{kind}{ext}" for kind in ("", "-inferred") for ext in (".ttl", ".jsonld", ".nt")}
    assert {str(d).rsplit("/", 1)[1] for d in dists} == expected | {"careers-kg.ctdl.jsonld"}
    for dist in dists:
        url = str(void.value(dist, DCAT.downloadURL))
        assert url.startswith(f"http://localhost/export/{version}.")
        body = client.get(url.removeprefix("http://localhost")).data
        assert int(void.value(dist, DCAT.byteSize)) == len(body)
        checksum = void.value(dist, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert void.value(checksum, SPDX.checksumValue) == Literal(
            hashlib.sha256(body).hexdigest(), datatype=XSD.hexBinary
        )
        assert void.value(dist, DCTERMS.license) == URIRef(LICENSE)


def test_the_dataset_states_licence_dates_and_every_source(void, kg, version):
    assert void.value(DATASET, DCTERMS.license) == URIRef(LICENSE)
    assert void.value(DATASET, DCTERMS.issued) == Literal("2026-12-06", datatype=XSD.date)
    assert void.value(DATASET, DCTERMS.modified) == Literal("2026-12-06", datatype=XSD.date)
    assert str(void.value(DATASET, URIRef(str(DCAT) + "version"))) == version
    ckg_source = URIRef("https://w3id.org/careers-kg/ontology#Source")
    assert set(void.objects(DATASET, DCTERMS.source)) == set(kg.union.subjects(RDF.type, ckg_source))
    oes = URIRef("https://w3id.org/careers-kg/id/source-bls-oes-may-2016")
    assert str(void.value(oes, DCTERMS.title)) == (
        "May 2016 National Occupational Employment and Wage Estimates, United States"
    )
    assert void.value(oes, DCAT.landingPage) == URIRef("https://www.bls.gov/oes/2016/may/oes_nat.htm")


# --- the service description --------------------------------------------------------------------------------


def test_service_description_by_accept(client, kg):
    for accept, parser in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                           ("application/n-triples", "nt"), ("*/*", "turtle"), (None, "turtle")):  # fmt: skip
        r = client.get("/sparql", headers={"Accept": accept} if accept else {})
        assert r.status_code == 200, accept
        g = _parse(r.data, parser)
        (service,) = g.subjects(RDF.type, SD.Service)
        assert g.value(service, SD.endpoint) == URIRef("http://localhost/sparql")
        assert g.value(service, SD.supportedLanguage) == SD.SPARQL11Query
        assert g.value(service, SD.feature) == SD.UnionDefaultGraph
        formats_ns = "http://www.w3.org/ns/formats/"
        assert {str(f).removeprefix(formats_ns) for f in g.objects(service, SD.resultFormat)} == {
            "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "JSON-LD", "N-Triples", "RDF_XML",
        }  # fmt: skip
        dataset = g.value(service, SD.defaultDataset)
        void_triples = URIRef("http://rdfs.org/ns/void#triples")
        assert int(g.value(g.value(dataset, SD.defaultGraph), void_triples)) == len(kg.union)
        named = {str(g.value(n, SD.name)): int(g.value(g.value(n, SD.graph), void_triples))
                 for n in g.objects(dataset, SD.namedGraph)}  # fmt: skip
        graph = "https://w3id.org/careers-kg/graph/"
        assert named == {graph + "data": len(kg.data), graph + "ontology": len(kg.ontology),
                         graph + "inferred": len(kg.inferred)}  # fmt: skip
    assert client.get("/sparql", headers={"Accept": "text/html"}).content_type.startswith("text/html")
    assert client.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400


@needs_rapper
def test_service_description_parses_with_rapper(client, tmp_path):
    assert RAPPER is not None, "CI must have rapper (raptor2-utils)"
    (tmp_path / "sd.ttl").write_bytes(client.get("/sparql", headers={"Accept": "text/turtle"}).data)
    out = subprocess.run(
        [RAPPER, "-q", "-i", "turtle", "-c", str(tmp_path / "sd.ttl")], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_service_description_uses_the_sd_vocabulary_as_declared(client):
    vocab = Graph().parse(FIXTURES / "sd" / "sparql-service-description.ttl")
    g = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    sd_terms = {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(str(SD))}
    assert sd_terms and all((t, None, None) in vocab for t in sd_terms), sd_terms - set(vocab.subjects())

    def types(node):  # with rdfs:subClassOf from the vocabulary
        out = set(g.objects(node, RDF.type)) | set(vocab.objects(node, RDF.type))
        return out | {sup for t in out for sup in vocab.transitive_objects(t, RDFS.subClassOf)}

    for s, p, o in g:
        if not p.startswith(str(SD)):
            continue
        for domain in vocab.objects(p, RDFS.domain):
            assert domain in types(s), (s, p, domain)
        for range_ in vocab.objects(p, RDFS.range):
            if str(range_).startswith(str(SD)):
                assert range_ in types(o), (o, p, range_)


# --- the licence on every data response ---------------------------------------------------------------------


def test_every_data_response_links_its_licence_and_version(client, version):
    query = "ASK { ?s ?p ?o }"
    paths = [
        "/", "/healthz", "/void.ttl", "/shapes.ttl", "/ontology.ttl", "/openapi.json", "/queries.json",
        "/export.ttl", "/export.jsonld", "/export.nt", "/export.ctdl.jsonld", "/export.nt?inferred=true",
        f"/export/{version}.ttl", "/id/medical-coder", "/id/medical-coder.ttl", "/id/medical-coder.jsonld",
        "/id/medical-coder.json", "/id/cma-certification.ctdl.jsonld", "/search.json?q=coder",
        "/queries/median-pay.json?profession=medical-coder",
        "/queries/median-pay.csv?profession=medical-coder",
        "/compare.json?a=certified-medical-assistant&b=medical-coder", f"/sparql?query={query}", "/sparql",
    ]  # fmt: skip
    for path in paths:
        r = client.get(path)
        assert r.status_code == 200, path
        assert LICENSE_LINK in r.headers.get("Link", ""), path
        assert r.headers["X-Dataset-Version"] == version, path
    assert "X-Dataset-Version" in client.get("/sparql").headers["Access-Control-Expose-Headers"]
