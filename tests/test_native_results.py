"""Results written by the store that made them (kg.query.execute.execute_serialized, kg.stores.native).

On the Oxigraph store, every stored query in queries/ is answered in every format its form has by
pyoxigraph's own writers, in the store's sandboxed child; parsed, the rows must be those of the memory store
(numbers compared by value: the engines write 1.50 and 1.5 differently). The row cap and the truncation
header hold on the native path. A stored query on the (small) memory store is answered by its in-memory
Oxigraph mirror in one long-lived sandboxed child, with no fork per query; on a memory store too large to
mirror it runs in this process, under its own time limit; either way with the same timeout error as the
sandbox gives.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import XSD
from rdflib.query import Result
from web_fixtures import web_app

from kg.errors import QueryError
from kg.query import sandbox
from kg.query.catalogue import load_catalogue, parse_query, run
from kg.query.execute import execute_serialized, prepare
from kg.stores import mirror as mirror_module
from kg.stores.mirror import mirror
from kg.stores.store import open_store

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = load_catalogue(REPO / "queries", REPO)
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("ntriples", "turtle")
RDFLIB_FORMAT = {"ntriples": "nt", "turtle": "turtle"}
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}
RUNAWAY = """#+ title: Too slow
#+ description: A cartesian product no engine finishes.
SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }
"""


def _cases() -> list[tuple[str, str, dict[str, str]]]:
    cases = []
    for name, stored in CATALOGUE.items():
        example = {p.name: p.example for p in stored.params if p.example}
        args = example if any(p.required for p in stored.params) or example else {}
        graph = stored.kind in ("CONSTRUCT", "DESCRIBE")
        for fmt in GRAPH_FORMATS if graph else RESULT_FORMATS:
            cases.append((name, fmt, args))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def ox_kg(settings, kg, tmp_path_factory):
    directory = tmp_path_factory.mktemp("oxigraph") / "store"
    return open_store(settings.replace(store=f"oxigraph:{directory}"), kg)


# --- comparing bodies ---------------------------------------------------------------------------------------


def _key(node):
    if node is None:
        return None
    if isinstance(node, Literal) and node.datatype in NUMERIC:
        return ("number", Decimal(str(node)))
    if isinstance(node, BNode):
        return ("bnode",)
    return (type(node).__name__, str(node), getattr(node, "datatype", None), getattr(node, "language", None))


def _cell(text: str):
    try:
        return ("number", Decimal(text))
    except InvalidOperation:
        return ("text", "_:" if text.startswith("_:") else text)


def parsed(body: bytes, fmt: str):
    """The rows of a body as comparable values: (variables, multiset of rows), a boolean, or triples."""
    if fmt in GRAPH_FORMATS:
        graph = Graph().parse(data=body, format=RDFLIB_FORMAT[fmt])
        return Counter(tuple(_key(t) for t in triple) for triple in graph)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        return tuple(rows[0]), Counter(tuple(_cell(c) for c in row) for row in rows[1:])
    result = Result.parse(io.BytesIO(body), format=fmt)
    if result.type == "ASK":
        return result.askAnswer
    names = tuple(str(v) for v in result.vars)
    return names, Counter(tuple(_key(row[v]) for v in result.vars) for row in result)


# --- the same rows ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt", "args"), CASES, ids=[f"{n}.{f}" for n, f, _ in CASES])
def test_oxigraph_writes_the_rows_of_the_memory_store(kg, ox_kg, name, fmt, args):
    from kg.query.catalogue import bind

    stored = CATALOGUE[name]
    bindings = bind(stored, args)
    memory = execute_serialized(kg, stored.prepared, fmt, bindings=bindings, max_rows=10000)  # by rdflib
    native = execute_serialized(ox_kg, stored.prepared, fmt, bindings=bindings, stored=True, max_rows=10000)
    assert native.result is None, "the Oxigraph store wrote the bytes itself: no terms came back"
    assert (native.kind, native.fmt, native.truncated) == (memory.kind, fmt, False)
    assert parsed(native.body, fmt) == parsed(memory.body, fmt)


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_the_bytes_are_pyoxigraphs_own(ox_kg, fmt):
    import pyoxigraph as ox

    stored = CATALOGUE["professions"]
    native = execute_serialized(ox_kg, stored.prepared, fmt, stored=True)  # no row cap
    own = ox_kg.union.store._inner.query(stored.prepared.text, use_default_graph_as_union=True)
    assert native.body == own.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper()))


def test_json_is_compact_unless_pretty(kg, ox_kg):
    stored = CATALOGUE["professions"]
    for store in (kg, ox_kg):
        compact = execute_serialized(store, stored.prepared, "json", stored=True).body
        pretty = execute_serialized(store, stored.prepared, "json", stored=True, pretty=True).body
        head = b'{"head":{"vars":["profession","professionLabel","code","codeValue","codeName","codeSet",'
        head += b'"codeSetLabel"]},"results":{"bindings":[{'
        assert b"\n" not in compact and compact.startswith(head)
        assert pretty.startswith(b'{\n "head": {\n  "vars": [\n   "profession",\n   "professionLabel",\n')
        assert json.loads(pretty) == json.loads(compact)


# --- the row cap on the native path -------------------------------------------------------------------------

EVERYTHING = prepare("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
CONSTRUCTED = prepare("CONSTRUCT { ?s ?p ?o . ?s ?p ?o } WHERE { ?s ?p ?o }")  # every triple twice


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
@pytest.mark.parametrize(("cap", "rows", "truncated"), [(0, 0, True), (7, 7, True), (None, "all", False)])
def test_row_cap_on_the_native_path(ox_kg, fmt, cap, rows, truncated):
    answer = execute_serialized(ox_kg, EVERYTHING, fmt, max_rows=cap)
    names, found = parsed(answer.body, fmt)
    expected = ox_kg.triple_counts["union"] if rows == "all" else rows
    assert (names, sum(found.values()), answer.truncated) == (("s", "p", "o"), expected, truncated)
    assert answer.result is None


def test_a_cap_equal_to_the_rows_is_not_truncated(ox_kg):
    total = ox_kg.triple_counts["union"]
    answer = execute_serialized(ox_kg, EVERYTHING, "tsv", max_rows=total)
    assert (answer.body.count(b"\n") - 1, answer.truncated) == (total, False)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
@pytest.mark.parametrize(("cap", "triples", "truncated"), [(5, 5, True), (None, "all", False)])
def test_triple_cap_counts_distinct_triples_on_the_native_path(ox_kg, fmt, cap, triples, truncated):
    answer = execute_serialized(ox_kg, CONSTRUCTED, fmt, max_rows=cap)
    graph = Graph().parse(data=answer.body, format=RDFLIB_FORMAT[fmt])
    expected = ox_kg.triple_counts["union"] if triples == "all" else triples
    assert (len(graph), answer.truncated) == (expected, truncated)
    if fmt == "ntriples":
        lines = answer.body.splitlines()
        assert len(lines) == len(set(lines)) == expected and lines == sorted(lines)


def test_truncation_header_on_the_native_path(settings, ox_kg):
    client = web_app(settings.replace(max_rows=2), ox_kg).test_client()
    reply = client.get("/queries/stats-above.json?minimum=0")
    assert reply.headers["X-Result-Truncated"] == "true"
    assert len(reply.get_json()["results"]["bindings"]) == 2
    whole = web_app(settings, ox_kg).test_client().get("/queries/stats-above.json?minimum=0")
    assert "X-Result-Truncated" not in whole.headers
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    sparql = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert (sparql.headers["X-Result-Truncated"], sparql.data.count(b"\r\n")) == ("true", 3)


# --- stored queries on the memory store: its mirror's long-lived child, or this process for a large graph --


def test_stored_queries_on_the_memory_store_do_not_fork_per_query(kg, monkeypatch):
    def no_fork(*args, **kwargs):
        raise AssertionError("a stored query forked a sandboxed child")

    monkeypatch.setattr(sandbox, "run", no_fork)
    result = run(kg, CATALOGUE["professions"], {}, timeout=10)
    pool = mirror(kg).query_pool
    spawned = pool.spawned
    for _ in range(20):
        assert run(kg, CATALOGUE["professions"], {}, timeout=10).rows == result.rows
    assert pool.spawned == spawned, "the mirror's child answers query after query"
    assert result.vars[:2] == ("profession", "professionLabel") and len(result.rows) == 11
    with pytest.raises(AssertionError, match="forked"):  # ad hoc text still goes to the sandbox
        execute_serialized(kg, "SELECT ?s WHERE { ?s ?p ?o }", "json", timeout=10)


def test_the_mirrors_child_runs_at_the_servers_priority(kg, ox_kg):
    """Stored queries ran in the worker before they ran in the mirror's child: same priority (a runaway is
    still demoted); a store that runs any text starts its children 5 lower."""
    run(kg, CATALOGUE["professions"], {}, timeout=10)
    run(ox_kg, CATALOGUE["professions"], {}, timeout=10)
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    mirror_children = mirror(kg).query_pool.children()
    store_children = ox_kg.union.store.query_pool.children()
    assert mirror_children and store_children
    assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in mirror_children} == {mine}
    assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in store_children} == {min(mine + 5, 19)}


@pytest.fixture(params=["mirror", "in-process"])
def engine(request, monkeypatch):
    """A stored query's two paths on the memory store: the mirror's child, or (a graph too large to mirror)
    rdflib in this process under `kg.query.deadline`."""
    if request.param == "in-process":
        monkeypatch.setattr(mirror_module, "MIRROR_MAX_TRIPLES", 0)
    return request.param


def test_a_graph_too_large_to_mirror_runs_stored_queries_in_process(kg, monkeypatch):
    monkeypatch.setattr(mirror_module, "MIRROR_MAX_TRIPLES", len(kg.union) - 1)
    monkeypatch.setattr(sandbox.Pool, "call", lambda *a, **k: pytest.fail("a child answered"))
    monkeypatch.setattr(sandbox, "run", lambda *a, **k: pytest.fail("a stored query forked"))
    assert mirror(kg) is None
    assert len(run(kg, CATALOGUE["professions"], {}, timeout=10).rows) == 11


def test_a_stored_query_past_its_time_limit_gets_the_sandbox_timeout_error(kg, engine):
    runaway = parse_query(RUNAWAY, "too-slow")
    with pytest.raises(QueryError) as stopped:
        run(kg, runaway, {}, timeout=1)
    assert (stopped.value.status, stopped.value.message) == (503, sandbox.timeout_message(1))
    assert stopped.value.message == "the query took longer than 1 s and was stopped"
    quick = run(kg, CATALOGUE["professions"], {}, timeout=0.5)  # its deadline must not fire later
    time.sleep(0.7)
    assert len(quick.rows) == 11


def test_a_stored_query_past_its_time_limit_is_503_over_http(settings, kg, tmp_path):
    (tmp_path / "too-slow.rq").write_text(RUNAWAY, encoding="utf-8")
    from kg.web import create_app

    client = create_app(settings.replace(queries_dir=tmp_path, query_timeout=1.0), kg).test_client()
    reply = client.get("/queries/too-slow.json", headers={"Cache-Control": "no-cache"})
    assert reply.status_code == 503
    assert reply.get_json()["message"] == "the query took longer than 1 s and was stopped"
    assert client.get("/healthz").status_code == 200


def test_pretty_is_not_a_parameter_name():
    from kg.errors import QueryLoadError

    text = "#+ title: T\n#+ params:\n#+   pretty: {type: string}\nSELECT ?pretty WHERE { ?s ?p ?pretty }\n"
    with pytest.raises(QueryLoadError) as refused:
        parse_query(text, "uses-pretty")
    assert refused.value.message == (
        "uses-pretty.rq: parameter name 'pretty' is reserved (?pretty=1 asks for indented JSON results)"
    )


def test_pretty_json_over_http(settings, kg):
    client = web_app(settings, kg).test_client()
    compact = client.get("/queries/has-professions.json")
    pretty = client.get("/queries/has-professions.json?pretty=1")
    assert compact.data == b'{"head":{},"boolean":true}'
    assert pretty.data == b'{\n "head": {},\n "boolean": true\n}\n'
