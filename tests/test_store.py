"""The store seam (kg/stores/store.py): the same answers from the rdflib memory store, an on-disk Oxigraph
store
and a real remote SPARQL store (Virtuoso on loopback).

Every stored query in queries/ is run on its example parameters (and without parameters when it takes none
required) by rdflib's engine on the memory store, and the other stores must give the identical result set;
the memory store's own in-memory Oxigraph mirror (where its stored queries run, kg/stores/mirror.py) must give
the identical result, row for row and term for term; describe, compare, search and a few routes through the
Flask test client must give identical values.

The Virtuoso tests skip with a visible reason when `virtuoso-t` is not installed; with CI=true a missing
Virtuoso is a failure (`.ci/run` installs the Debian package `virtuoso-opensource`).
"""

from __future__ import annotations

import json
import os
import socket
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import virtuoso
from rdflib import RDF, BNode, Literal
from rdflib.namespace import XSD
from web_fixtures import web_client

from kg.config import Settings
from kg.errors import ConfigError, QueryError
from kg.pipeline import build as build_module
from kg.query import execute as sparql_module
from kg.query import sandbox
from kg.query.catalogue import bind, load_catalogue, run
from kg.query.execute import execute
from kg.rdf.namespaces import CKG, ID
from kg.stores.mirror import mirror
from kg.stores.store import AUTO_OXIGRAPH_BYTES, StoreSpec, open_kg, open_store, parse_store, resolve_store
from kg.views.compare import compare, professions
from kg.views.describe import describe
from kg.views.search import search

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = load_catalogue(REPO / "queries", REPO)
IN_CI = os.environ.get("CI", "").lower() == "true"


def _cases() -> list[tuple[str, dict[str, str]]]:
    cases = []
    for name, stored in CATALOGUE.items():
        if "oews" in stored.tags:  # over imported OEWS data: tests/test_store_oews.py compares the stores
            continue
        example = {p.name: p.example for p in stored.params if p.example}
        if not any(p.required for p in stored.params):
            cases.append((name, {}))
        if example:
            cases.append((name, example))
    return cases


CASES = _cases()
IDS = [
    name + ("(" + ",".join(f"{k}={v}" for k, v in params.items()) + ")" if params else "")
    for name, params in CASES
]


# --- fixtures -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ox_kg(settings, kg, tmp_path_factory):
    directory = tmp_path_factory.mktemp("oxigraph") / "store"
    return open_store(settings.replace(store=f"oxigraph:{directory}"), kg)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory, kg):
    if not virtuoso.installed():
        if IN_CI:
            pytest.fail("virtuoso-t is not installed: CI must install the Debian package virtuoso-opensource")
        pytest.skip(
            "virtuoso-t is not installed (Debian package virtuoso-opensource): remote-store tests skipped"
        )
    server = virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.load(kg)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def remote_kg(settings, kg, virtuoso_server):
    return open_store(settings.replace(store=f"sparql:{virtuoso_server.endpoint}"), kg)


@pytest.fixture(params=["oxigraph", "sparql"])
def other(request):
    """The KG on each non-memory store."""
    return request.getfixturevalue("ox_kg" if request.param == "oxigraph" else "remote_kg")


# --- comparing answers --------------------------------------------------------------------------------------

_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}


def _key(node):
    """A term as a comparable value: numbers by value (engines write 1.50 and 1.5 differently), the rest as
    terms."""
    if isinstance(node, Literal) and node.datatype in _NUMERIC:
        return ("number", Decimal(str(node.toPython())))
    return (
        "term",
        type(node).__name__,
        str(node),
        getattr(node, "datatype", None),
        getattr(node, "language", None),
    )


def _answer(result):
    if result.kind == "SELECT":
        return result.vars, Counter(tuple(_key(v) for v in row) for row in result.rows), result.truncated
    if result.kind == "ASK":
        return result.boolean
    return Counter(tuple(_key(t) for t in triple) for triple in result.graph)


# --- stored queries -----------------------------------------------------------------------------------------


def by_rdflib(kg, stored, params):
    """*stored*'s answer by rdflib's engine on the memory store (the path of ad hoc text: `run` on the memory
    store asks its Oxigraph mirror)."""
    return execute(kg, stored.prepared, bindings=bind(stored, params), stored=False)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_stored_query_mirror(kg, name, params):
    """The mirror answers exactly as rdflib does: same variables, same rows in the same order, same terms
    (lexical forms, datatypes and languages), same triples."""
    expected = by_rdflib(kg, CATALOGUE[name], params)
    answer = run(kg, CATALOGUE[name], params)
    assert mirror(kg).query_pool.spawned >= 1, "the mirror's sandboxed child answered"
    assert answer.rows or answer.graph or answer.boolean is not None
    got = (answer.kind, answer.vars, answer.rows, answer.boolean, answer.truncated)
    assert got == (expected.kind, expected.vars, expected.rows, expected.boolean, expected.truncated)
    if expected.graph is not None:
        assert set(answer.graph) == set(expected.graph)
        assert not any(isinstance(term, BNode) for triple in expected.graph for term in triple)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_stored_query_oxigraph(kg, ox_kg, name, params):
    expected = by_rdflib(kg, CATALOGUE[name], params)
    assert expected.rows or expected.graph or expected.boolean is not None  # the examples find something
    assert _answer(run(ox_kg, CATALOGUE[name], params)) == _answer(expected)


# Where Virtuoso 7.2 departs from SPARQL 1.1, written out (the other stores need no exception):
# EXISTS evaluates to the integer 0 or 1, not to an xsd:boolean.
VIRTUOSO_EXISTS_AS_INTEGER = {"related-professions": ("sometimesTrainedTogether",)}


def _booleans_as_integers(result, columns):
    at = [result.vars.index(c) for c in columns]
    rows = tuple(
        tuple(
            Literal(int(v.toPython()), datatype=XSD.integer)
            if i in at and isinstance(v, Literal) and v.datatype == XSD.boolean
            else v
            for i, v in enumerate(row)
        )
        for row in result.rows
    )
    return type(result)(kind=result.kind, vars=result.vars, rows=rows, truncated=result.truncated)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_stored_query_remote(kg, remote_kg, name, params):
    expected = by_rdflib(kg, CATALOGUE[name], params)
    if name in VIRTUOSO_EXISTS_AS_INTEGER:
        expected = _booleans_as_integers(expected, VIRTUOSO_EXISTS_AS_INTEGER[name])
    assert _answer(run(remote_kg, CATALOGUE[name], params)) == _answer(expected)


def test_every_stored_query_is_compared():
    assert {name for name, _ in CASES} == {n for n, q in CATALOGUE.items() if "oews" not in q.tags}


# --- the pages' values -------------------------------------------------------------------------------------

TODAY = __import__("datetime").date(2026, 1, 1)
ENTITIES = ("certified-medical-assistant", "medical-coder", "source-bls-oes-may-2016", "abhes", "soc-31-9092")


@pytest.mark.parametrize("slug", ENTITIES)
def test_describe_is_identical(kg, other, slug):
    expected = describe(kg, ID[slug], today=TODAY)
    assert expected is not None
    assert describe(other, ID[slug], today=TODAY).as_dict() == expected.as_dict()


def test_describe_every_profession(kg, other):
    for iri in sorted(kg.union.subjects(RDF.type, CKG.Profession)):
        assert describe(other, iri, today=TODAY).as_dict() == describe(kg, iri, today=TODAY).as_dict(), iri


def test_compare_is_identical(kg, other):
    sides = professions(kg)
    assert professions(other) == sides
    for a in sides:
        for b in sides:
            if a != b:
                left = compare(other, a.iri, b.iri, today=TODAY).as_dict()
                assert left == compare(kg, a.iri, b.iri, today=TODAY).as_dict(), (a.slug, b.slug)


@pytest.mark.parametrize("q", ["medical", "coder", "CMA", "accreditation", "bureau of labor", "zzz-nothing"])
def test_search_is_identical(kg, other, q):
    """The same hits in the same ranking; hits of equal rank come in the store's order."""
    got, expected = search(other, q), search(kg, q)
    assert Counter(got) == Counter(expected)
    assert [(h.match, h.field) for h in got] == [(h.match, h.field) for h in expected]


# --- routes -------------------------------------------------------------------------------------------------

ROUTES = (
    "/",
    "/id/certified-medical-assistant",
    "/id/certified-medical-assistant.json",
    "/id/medical-coder.ttl",
    "/compare.json?a=certified-medical-assistant&b=medical-coder",
    "/search.json?q=coder",
    "/queries/median-pay.json?profession=medical-coder",
    "/void.ttl",
    "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
)


@pytest.fixture(scope="module")
def memory_client(settings, kg):
    return web_client(settings, kg)


@pytest.mark.parametrize("path", ROUTES)
def test_routes_identical(settings, memory_client, other, path):
    client = web_client(settings, other)
    expected = memory_client.get(path, headers={"Accept": "application/json"})
    got = client.get(path, headers={"Accept": "application/json"})
    assert got.status_code == expected.status_code == 200, got.get_data(as_text=True)[:500]
    if path.split("?")[0].endswith(".ttl"):
        assert _turtle(got.data) == _turtle(expected.data)
    elif got.mimetype.endswith("json"):
        assert _canon(got.get_json()) == _canon(expected.get_json())
    else:
        assert got.data == expected.data


def _canon(value):
    """JSON with every array sorted: the order of equal-ranked items (JSON-LD's @graph) is the store's."""
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_canon(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


# --- the Oxigraph store -------------------------------------------------------------------------------------


def test_oxigraph_queries_are_evaluated_by_oxigraph(kg, ox_kg, monkeypatch):
    """With rdflib's evaluator broken, the memory store fails and the Oxigraph store still answers."""

    def broken(*args, **kwargs):
        raise RuntimeError("rdflib's engine was used")

    ox_kg.union.store.query_pool.close()  # the next child is forked after the patch, so it inherits it
    monkeypatch.setattr(sparql_module, "evalPart", broken)  # inherited by the forked child
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }"
    with pytest.raises(QueryError):
        sparql_module.execute(kg, query)
    assert sparql_module.execute(ox_kg, query).rows[0][0].value > 0


def test_oxigraph_queries_reuse_a_long_lived_child_and_a_runaway_is_stopped(ox_kg):
    """One sandboxed child answers query after query; a runaway gets 503 at the limit, its child is killed,
    and the next query is answered by a new child."""
    pool = ox_kg.union.store.query_pool
    pool.close()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    first = [sparql_module.execute(ox_kg, count, timeout=10).rows[0][0].value for _ in range(3)]
    assert first == [ox_kg.triple_counts["union"]] * 3
    child = pool.children()
    assert len(child) == 1
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryError) as stopped:
        sparql_module.execute(ox_kg, runaway, timeout=1)
    assert (stopped.value.status, stopped.value.message) == (
        503,
        "the query took longer than 1 s and was stopped",
    )
    assert pool.children() == []
    assert sparql_module.execute(ox_kg, count, timeout=10).rows[0][0].value == ox_kg.triple_counts["union"]
    assert len(pool.children()) == 1 and pool.children() != child


def test_service_is_refused_before_the_store_sees_it(kg, ox_kg):
    """pyoxigraph's SERVICE makes HTTP requests from native code (measured: it connects), which the audit
    hook cannot see: the text the store parses is checked for SERVICE too, not only rdflib's parse."""
    from kg.stores.base import refuse_service

    with pytest.raises(QueryError) as refused:
        refuse_service("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert refused.value.status == 400
    refuse_service('PREFIX ex: <http://example.org/> SELECT * { ?s ex:service "SERVICE" } # SERVICE')
    with pytest.raises(QueryError):
        sparql_module.execute(ox_kg, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_oxigraph_restart_does_not_reload(settings, tmp_path, monkeypatch):
    s = settings.replace(store=f"oxigraph:{tmp_path / 'ox'}")
    first = open_kg(s)
    monkeypatch.setattr(
        build_module, "build", lambda *a, **k: pytest.fail("rebuilt although the store is loaded")
    )
    second = open_kg(s)
    assert second.version == first.version
    assert dict(second.triple_counts) == dict(first.triple_counts)
    assert (tmp_path / "ox" / "careers-kg-store.json").exists()
    assert len(second.union) == first.triple_counts["union"]


def test_oxigraph_default_directory_is_per_version(settings, kg):
    ox = open_store(settings.replace(store="oxigraph"), kg)
    assert ox.union.store.directory == str(Path(settings.cache_dir) / f"oxigraph-{kg.version}")


def test_oxigraph_refuses_a_foreign_directory(settings, kg, tmp_path):
    (tmp_path / "precious.txt").write_text("not a store")
    with pytest.raises(ConfigError, match="not empty"):
        open_store(settings.replace(store=f"oxigraph:{tmp_path}"), kg)
    assert (tmp_path / "precious.txt").exists()


def test_oxigraph_overlapping_graphs_keep_a_set_union(settings, tmp_path):
    """A named graph repeating triples of the data: the union is still a set (Oxigraph's own union default
    graph would repeat them, so the store keeps the union in its default graph)."""
    from kg.pipeline.build import build
    from kg.query.execute import execute

    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/careers-kg/id/medical-coder> skos:prefLabel "Medical Coder"@en ;\n'
        '  skos:note "from the extra graph" .\n',
        encoding="utf-8",
    )
    s = settings.replace(cache_dir=tmp_path / "cache", named_graphs=(("urn:x-test:extra", extra),))
    memory = build(s)
    ox = open_store(s.replace(store="oxigraph"), memory)
    assert ox.union.store.union_in_default
    assert len(ox.union) == memory.triple_counts["union"] == len(memory.union)
    for query in (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "SELECT ?o WHERE { <https://w3id.org/careers-kg/id/medical-coder> ?p ?o }",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "SELECT (COUNT(*) AS ?n) FROM <urn:x-arq:UnionGraph> WHERE { ?s ?p ?o }",
    ):
        assert _answer(execute(ox, query)) == _answer(execute(memory, query)), query
    iri = ID["medical-coder"]
    assert describe(ox, iri, today=TODAY).as_dict() == describe(memory, iri, today=TODAY).as_dict()


def test_oxigraph_store_is_read_only(ox_kg):
    with pytest.raises(TypeError):
        ox_kg.data.add((ID.x, RDF.type, CKG.Profession))


def test_oxigraph_dataset_clauses(kg, ox_kg):
    from kg.query.execute import execute

    for query, kwargs in (
        ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/careers-kg/graph/data> WHERE { ?s ?p ?o }", {}),
        ("SELECT (COUNT(*) AS ?n) FROM <urn:x-arq:UnionGraph> WHERE { ?s ?p ?o }", {}),
        ("SELECT (COUNT(*) AS ?n) FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }", {}),
        ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}),
        (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            {"named_graph_uris": ["https://w3id.org/careers-kg/graph/ontology"]},
        ),
        ("ASK { ?s ?p ?o }", {"default_graph_uris": ["http://example.org/none"]}),
    ):
        assert _answer(execute(ox_kg, query, **kwargs)) == _answer(execute(kg, query, **kwargs)), query


# --- the remote store ---------------------------------------------------------------------------------------


def test_remote_dataset_clauses(kg, remote_kg):
    from kg.query.execute import execute

    for query, kwargs in (
        ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/careers-kg/graph/data> WHERE { ?s ?p ?o }", {}),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}),
        ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}),
        ("ASK { ?s ?p ?o }", {"default_graph_uris": ["http://example.org/none"]}),
    ):
        assert _answer(execute(remote_kg, query, **kwargs)) == _answer(execute(kg, query, **kwargs)), query


def test_remote_child_reaches_only_its_endpoint(virtuoso_server):
    """The sandboxed child may connect to the configured endpoint and nowhere else."""
    allowed = frozenset({("127.0.0.1", virtuoso_server.http_port)})

    def connect(port):
        def task():
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                return b"connected"

        return task

    assert sandbox.run(connect(virtuoso_server.http_port), timeout=10, connect=allowed) == b"connected"
    with pytest.raises(QueryError) as refused:
        sandbox.run(connect(virtuoso_server.sql_port), timeout=10, connect=allowed)
    assert refused.value.message == sandbox.MSG_OUTSIDE
    with pytest.raises(QueryError):  # without the allowance (the memory store), no connection at all
        sandbox.run(connect(virtuoso_server.http_port), timeout=10)


def test_remote_parameters_are_terms_not_text(remote_kg):
    """An injection payload in a parameter is just a literal that matches nothing."""
    result = run(remote_kg, CATALOGUE["search-label"], {"text": '"} } DROP ALL ; SELECT * { ?s ?p ?o } #'})
    assert result.rows == ()


# --- parsing the setting ------------------------------------------------------------------------------------


def test_parse_store():
    assert parse_store("memory") == StoreSpec("memory")
    assert parse_store("auto") == StoreSpec("auto")
    assert parse_store("oxigraph") == StoreSpec("oxigraph", "")
    assert parse_store("oxigraph:/var/kg") == StoreSpec("oxigraph", "/var/kg")
    assert parse_store("sparql:http://127.0.0.1:8890/sparql") == StoreSpec(
        "sparql", "http://127.0.0.1:8890/sparql"
    )
    for bad in ("postgres", "sparql:ftp://x/sparql", "sparql:", "memory:x"):
        with pytest.raises(ConfigError):
            parse_store(bad)


def test_auto_is_the_default_and_picks_memory_for_the_seed(settings, kg):
    assert settings.store == "auto"
    assert resolve_store(settings) == StoreSpec("memory")  # data/careers.ttl: 72 KB
    assert open_store(settings, kg) is kg


def test_auto_picks_oxigraph_for_large_data(tmp_path):
    big = tmp_path / "big.nt"
    with big.open("wb") as out:
        out.truncate(AUTO_OXIGRAPH_BYTES)
    assert resolve_store(Settings.from_env(root=REPO, environ={}, data_files=(big,))) == StoreSpec("oxigraph")
    small = Settings.from_env(root=REPO, environ={}, data_files=(REPO / "data" / "careers.ttl",))
    assert resolve_store(small) == StoreSpec("memory")
    assert resolve_store(small.replace(store="oxigraph:/x")) == StoreSpec("oxigraph", "/x")
    # the shipped OEWS release: 6.6 MB gzipped, 158 MB of N-Triples (the gzip trailer says so)
    shipped = Settings.from_env(root=REPO, environ={})
    assert REPO / "data" / "oews-2025" / "oews-2025.nt.gz" in shipped.data_files
    assert resolve_store(shipped) == StoreSpec("oxigraph")


def test_cli_store_option(tmp_path, monkeypatch, capsys):
    from kg.cli import main

    monkeypatch.setenv("CAREERS_KG_CACHE", str(tmp_path / "cache"))
    assert main(["query", "professions", "--format", "csv"]) == 0
    memory = capsys.readouterr().out
    assert main(["query", "professions", "--format", "csv", "--store", f"oxigraph:{tmp_path / 'ox'}"]) == 0
    assert sorted(capsys.readouterr().out.splitlines()) == sorted(memory.splitlines())
    assert main(["query", "professions", "--store", "nosuch"]) == 2
    assert "unknown store" in capsys.readouterr().err


# --- a real server (gunicorn workers forked from a master holding the store) --------------------------------

LIVE_ROUTES = (
    "/id/certified-medical-assistant.json",
    "/compare.json?a=certified-medical-assistant&b=medical-coder",
    "/queries/median-pay.json?profession=medical-coder",
)
COUNT_ALL = "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"


def _live_answers(workdir, store, monkeypatch, named_graphs=()):
    import live

    monkeypatch.setenv("CAREERS_KG_STORE", store)
    proc, server = live.start_server(workdir, named_graphs=named_graphs)
    try:
        answers = {path: _canon(live.get_json(server.url(path))) for path in LIVE_ROUTES}
        count = live.get_json(server.url(COUNT_ALL))["results"]["bindings"][0]["n"]["value"]
        return answers, int(count)
    finally:
        live.stop_server(proc)


@pytest.mark.live
def test_live_server_on_each_store(memory_client, kg, virtuoso_server, tmp_path, monkeypatch):
    expected = {path: _canon(memory_client.get(path).get_json()) for path in LIVE_ROUTES}
    for store in ("oxigraph", f"sparql:{virtuoso_server.endpoint}"):
        workdir = tmp_path / store.split(":")[0]
        workdir.mkdir()
        answers, count = _live_answers(workdir, store, monkeypatch)
        assert answers == expected, store
        assert count == kg.triple_counts["union"], store


def test_export_named_graphs_for_a_remote_store(kg, tmp_path, monkeypatch):
    from kg.cli import main

    monkeypatch.setenv("CAREERS_KG_CACHE", str(tmp_path / "cache"))
    assert main(["export", "--named-graphs", "-o", str(tmp_path / "kg.nq")]) == 0
    counts = Counter(
        line.rsplit(" ", 2)[1].strip("<>") for line in (tmp_path / "kg.nq").read_text().splitlines()
    )
    assert counts == {
        "https://w3id.org/careers-kg/graph/data": kg.triple_counts["data"],
        "https://w3id.org/careers-kg/graph/ontology": kg.triple_counts["ontology"],
        "https://w3id.org/careers-kg/graph/inferred": kg.triple_counts["inferred"],
    }


def _turtle(body: bytes) -> set:
    """The triples of a Turtle body, but the byte sizes and checksums of downloads: an Oxigraph store writes
    its exports itself (tests/test_export_streamed.py checks them against the bytes served)."""
    from rdflib import Graph
    from rdflib.namespace import DCAT

    from kg.views.dataset import SPDX

    return {
        t
        for t in Graph().parse(data=body, format="turtle")
        if t[1] not in (DCAT.byteSize, SPDX.checksumValue)
    }
