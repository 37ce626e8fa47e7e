"""kg.sparql: query forms, bindings, datasets, and the guards of issue 5 (on small stand-in graphs)."""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, XSD

from kg import sandbox
from kg.sparql import QueryError, execute, is_update, prepare, query_kind

EX = Namespace("http://example.org/")
PFX = "PREFIX ex: <http://example.org/>\n"
MSG_UPDATE = "updates are not allowed: this endpoint is read-only"
MSG_SERVICE = "SERVICE is not allowed: queries can only use the graphs held by this endpoint"
MSG_NESTED = "the query is nested too deeply"
MSG_TIMEOUT_1S = "the query took longer than 1 s and was stopped"


class StandIn:
    """What kg.sparql needs of a KnowledgeGraph: ``union`` (a Graph) and ``dataset`` (named graphs)."""

    def __init__(self, graphs: dict[URIRef, list[tuple]]) -> None:
        self.dataset = Dataset()
        self.union = Graph()
        for name, triples in graphs.items():
            g = self.dataset.graph(name)
            for t in triples:
                g.add(t)
                self.union.add(t)


@pytest.fixture(scope="module")
def small():
    return StandIn({
        EX.g1: [(EX.a, EX.p, EX.b), (EX.a, RDFS.label, Literal("A", lang="en"))],
        EX.g2: [(EX.b, EX.p, EX.c), (EX.c, EX.n, Literal(3)), (EX.c, EX.q, BNode("x1")),
                (BNode("x1"), RDFS.label, Literal("blank"))],
    })


@pytest.fixture(scope="module")
def big():
    """A 2 500-node chain (ex:next) and a 2 000-node binary tree (ex:child): 4 500 triples."""
    chain = [(EX[f"n{i}"], EX.next, EX[f"n{i + 1}"]) for i in range(2500)]
    tree = [(EX[f"t{i // 2}"], EX.child, EX[f"t{i}"]) for i in range(1, 2000)]
    return StandIn({EX.chain: chain, EX.tree: tree})


@pytest.fixture
def canary():
    """A loopback listener that records every connection made to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    hits: list[tuple] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except TimeoutError:
                continue
            hits.append(addr)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    time.sleep(0.1)  # the child is gone: any connection it made is queued by now
    stop.set()
    thread.join()
    server.close()
    assert hits == []


def children() -> list[int]:
    """PIDs of this process's live or unreaped children."""
    pids = []
    for task in Path("/proc/self/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return pids


def rows(result) -> list[tuple]:
    return sorted(result.rows, key=str)


# --- query forms --------------------------------------------------------------------------------------------


def test_select(small):
    result = execute(small, PFX + "SELECT ?s ?o WHERE { ?s ex:p ?o } ORDER BY ?s", timeout=10)
    assert (result.kind, result.vars, result.truncated) == ("SELECT", ("s", "o"), False)
    assert result.rows == ((EX.a, EX.b), (EX.b, EX.c))
    assert result.boolean is None and result.graph is None


def test_select_terms_round_trip(small):
    q = PFX + 'SELECT ?l ?n ?b ?x WHERE { ex:a ?p ?l FILTER(isLiteral(?l)) ex:c ex:n ?n ; ex:q ?b ' \
              'OPTIONAL { ?b ex:none ?x } }'
    (row,) = execute(small, q, timeout=10).rows
    assert row[0] == Literal("A", lang="en")
    assert row[1] == Literal("3", datatype=XSD.integer)
    assert row[2] == BNode("x1") and row[3] is None


def test_select_star_columns_in_order_of_appearance(small):
    result = execute(small, PFX + "SELECT * WHERE { ?zeta ex:p ?alpha . ?alpha ?mid ?end }", timeout=10)
    assert result.vars == ("zeta", "alpha", "mid", "end")


def test_ask(small):
    assert execute(small, PFX + "ASK { ex:a ex:p ex:b }", timeout=10).boolean is True
    assert execute(small, PFX + "ASK { ex:b ex:p ex:a }", timeout=10).boolean is False


def test_construct(small):
    result = execute(small, PFX + "CONSTRUCT { ?o ex:inverse ?s } WHERE { ?s ex:p ?o }", timeout=10)
    assert result.kind == "CONSTRUCT" and not result.truncated
    assert set(result.graph) == {(EX.b, EX.inverse, EX.a), (EX.c, EX.inverse, EX.b)}


def test_construct_where(small):
    result = execute(small, PFX + "CONSTRUCT WHERE { ?s ex:p ?o }", timeout=10)
    assert set(result.graph) == {(EX.a, EX.p, EX.b), (EX.b, EX.p, EX.c)}


def test_describe(small):
    result = execute(small, PFX + "DESCRIBE ex:a", timeout=10)
    assert result.kind == "DESCRIBE"
    assert set(result.graph) == {(EX.a, EX.p, EX.b), (EX.a, RDFS.label, Literal("A", lang="en"))}


def test_bindings(small):
    result = execute(small, PFX + "SELECT ?s ?o WHERE { ?s ex:p ?o }", bindings={"s": EX.b}, timeout=10)
    assert result.rows == ((EX.b, EX.c),)
    prepared = prepare(PFX + "ASK { ?s ex:p ex:b }")
    assert execute(small, prepared, bindings={"s": EX.a}, timeout=10).boolean is True
    assert execute(small, prepared, bindings={"s": EX.b}, timeout=10).boolean is False


def test_prepared_runs_many_times(small):
    prepared = prepare(PFX + "SELECT ?o WHERE { ex:a ex:p ?o }")
    assert (prepared.kind, prepared.vars) == ("SELECT", ("o",))
    for _ in range(3):
        assert execute(small, prepared, timeout=10).rows == ((EX.b,),)


def test_no_timeout(small):
    assert execute(small, PFX + "ASK { ex:a ex:p ex:b }").boolean is True


# --- datasets: local graphs only ----------------------------------------------------------------------------


def test_graph_ranges_over_named_graphs(small):
    result = execute(small, PFX + "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", timeout=10)
    assert rows(result) == [(EX.g1,), (EX.g2,)]


def test_from_selects_local_graphs(small):
    q = PFX + "SELECT ?s ?o FROM ex:g2 WHERE { ?s ex:p ?o }"
    assert execute(small, q, timeout=10).rows == ((EX.b, EX.c),)
    q = PFX + "SELECT ?s ?o FROM ex:g1 FROM ex:g2 WHERE { ?s ex:p ?o }"
    assert rows(execute(small, q, timeout=10)) == [(EX.a, EX.b), (EX.b, EX.c)]


def test_from_named(small):
    q = PFX + "SELECT ?g ?s FROM NAMED ex:g1 WHERE { GRAPH ?g { ?s ex:p ?o } }"
    assert execute(small, q, timeout=10).rows == ((EX.g1, EX.a),)
    q = PFX + "SELECT ?s FROM NAMED ex:g1 WHERE { ?s ?p ?o }"  # FROM NAMED alone: empty default graph
    assert execute(small, q, timeout=10).rows == ()


def test_protocol_graphs_override_from(small):
    q = PFX + "SELECT ?s ?o FROM ex:g1 WHERE { ?s ex:p ?o }"
    result = execute(small, q, default_graph_uris=[str(EX.g2)], timeout=10)
    assert result.rows == ((EX.b, EX.c),)
    q = PFX + "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    result = execute(small, q, named_graph_uris=[str(EX.g2)], timeout=10)
    assert set(result.rows) == {(EX.g2,)}


def test_unknown_graph_is_empty(small):
    q = PFX + "SELECT ?s WHERE { GRAPH ex:nowhere { ?s ?p ?o } }"
    assert execute(small, q, timeout=10).rows == ()
    q = PFX + "SELECT ?s FROM ex:nowhere WHERE { ?s ?p ?o }"
    assert execute(small, q, timeout=10).rows == ()


@pytest.mark.parametrize("clause", ["FROM <{url}>", "FROM NAMED <{url}>"])
def test_from_loopback_is_never_fetched(small, canary, clause):
    port, _hits = canary
    url = f"http://127.0.0.1:{port}/x"
    q = f"SELECT ?s WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
    result = execute(small, q.replace("WHERE", clause.format(url=url) + " WHERE"), timeout=10)
    assert result.rows == ()


def test_default_graph_uri_loopback_is_never_fetched(small, canary):
    port, _hits = canary
    url = f"http://127.0.0.1:{port}/x"
    result = execute(small, "SELECT * WHERE { ?s ?p ?o }", default_graph_uris=[url], named_graph_uris=[url],
                     timeout=10)
    assert result.rows == ()


def test_file_iri_is_never_read(small):
    result = execute(small, "SELECT ?s ?p ?o FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", timeout=10)
    assert result.rows == ()
    result = execute(small, "SELECT * WHERE { ?s ?p ?o }", default_graph_uris=["file:///etc/passwd"], timeout=10)
    assert result.rows == ()


# --- refusals -----------------------------------------------------------------------------------------------

UPDATES = [
    "INSERT DATA { <http://example.org/a> <http://example.org/p> <http://example.org/z> }",
    "DELETE DATA { <http://example.org/a> <http://example.org/p> <http://example.org/b> }",
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR DEFAULT",
    "CLEAR ALL",
    "DROP GRAPH <http://example.org/g1>",
    "CREATE GRAPH <http://example.org/new>",
    "ADD <http://example.org/g1> TO <http://example.org/g2>",
    "MOVE DEFAULT TO <http://example.org/g3>",
    "COPY <http://example.org/g1> TO DEFAULT",
    "WITH <http://example.org/g1> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    PFX + "# a comment with SELECT in it\ninsert data { ex:a ex:p ex:z }",
    "\\u0049NSERT DATA { <http://example.org/a> <http://example.org/p> <http://example.org/z> }",
]


@pytest.mark.parametrize("text", UPDATES)
def test_updates_are_refused(small, text):
    before = len(small.union)
    with pytest.raises(QueryError) as err:
        execute(small, text, timeout=10)
    assert (err.value.status, err.value.message) == (400, MSG_UPDATE)
    with pytest.raises(QueryError) as err:
        prepare(text)
    assert (err.value.status, err.value.message) == (400, MSG_UPDATE)
    assert is_update(text) and query_kind(text) is None
    assert len(small.union) == before


SERVICES = {
    "top level": "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "filter exists": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "filter not exists": "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "bind exists": "SELECT * WHERE { BIND(EXISTS { SERVICE <{url}> { ?s ?p ?o } } AS ?x) }",
    "optional": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}> { ?s ?q ?v } } }",
    "union": "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{url}> { ?s ?p ?o } } }",
    "minus": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{url}> { ?s ?p ?o } } }",
    "graph": "SELECT * WHERE { GRAPH ?g { SERVICE <{url}> { ?s ?p ?o } } }",
    "variable": "SELECT * WHERE { BIND(<{url}> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "ask": "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "describe": "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("template", SERVICES.values(), ids=SERVICES.keys())
def test_service_is_refused(small, canary, template):
    port, _hits = canary
    text = template.replace("{url}", f"http://127.0.0.1:{port}/sparql")
    for run in (lambda: execute(small, text, timeout=10), lambda: prepare(text)):
        with pytest.raises(QueryError) as err:
            run()
        assert (err.value.status, err.value.message) == (400, MSG_SERVICE)


def test_syntax_error_names_line_and_column(small):
    with pytest.raises(QueryError) as err:
        execute(small, "SELECT ?s\nWHERE { ?s ?p ?o .\n  FILTER ( }", timeout=10)
    assert err.value.status == 400
    assert err.value.message == "SPARQL syntax error at line 3, column 3: Expected SelectQuery, found 'FILTER'"


def test_unknown_prefix(small):
    with pytest.raises(QueryError) as err:
        execute(small, "SELECT * WHERE { foo:a ?p ?o }", timeout=10)
    assert (err.value.status, err.value.message) == (400, "the query is invalid: Unknown namespace prefix : foo")


def test_bad_regex_is_400(small):
    with pytest.raises(QueryError) as err:
        execute(small, "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?s), '(')) }", timeout=10)
    assert err.value.status == 400
    assert err.value.message == "invalid regular expression in the query: missing ), unterminated subpattern " \
                                "at position 0"


def test_failure_detail_goes_to_the_log_not_the_client(caplog):
    def fail() -> bytes:
        raise ValueError("internal detail 1234")

    with pytest.raises(QueryError) as err:
        sandbox.run(fail, timeout=5)
    assert (err.value.status, err.value.message) == (400, "the query could not be evaluated")
    assert "1234" not in str(err.value)
    assert "ValueError: internal detail 1234" in caplog.text


def test_overlong_text_is_413(small):
    text = "SELECT * WHERE { ?s ?p ?o }" + "#" * 100_000
    for run in (lambda: execute(small, text, timeout=10), lambda: prepare(text)):
        with pytest.raises(QueryError) as err:
            run()
        assert (err.value.status, err.value.message) == (413, "the query text is longer than 100 KB")


def test_2000_nested_groups_is_400(small):
    text = "SELECT * WHERE " + "{" * 2000 + " ?s ?p ?o " + "}" * 2000
    for run in (lambda: execute(small, text, timeout=10), lambda: prepare(text)):
        with pytest.raises(QueryError) as err:
            run()
        assert (err.value.status, err.value.message) == (400, MSG_NESTED)


def test_nesting_within_the_limit_runs_in_the_sandbox(small):
    """150 groups are too deep for an in-process parse (RecursionError -> 400) but fine in the sandbox."""
    text = "SELECT * WHERE " + "{" * 150 + " ?s <http://example.org/p> ?o " + "}" * 150
    assert len(execute(small, text, timeout=30).rows) == 2
    with pytest.raises(QueryError) as err:
        prepare(text)
    assert (err.value.status, err.value.message) == (400, MSG_NESTED)


# --- size and shape -----------------------------------------------------------------------------------------


def test_2000_step_property_path_is_answered(big):
    text = PFX + "SELECT ?o WHERE { ex:n0 " + "/".join(["ex:next"] * 2000) + " ?o }"
    assert execute(big, text, timeout=30).rows == ((EX.n2000,),)


def test_20000_term_values_over_100kb_is_413(small):
    text = "SELECT ?x WHERE { VALUES ?x { " + " ".join(str(i) for i in range(20_000)) + " } }"
    with pytest.raises(QueryError) as err:
        execute(small, text, timeout=30)
    assert (err.value.status, err.value.message) == (413, "the query text is longer than 100 KB")


def test_20000_term_values_under_100kb_is_answered(small):
    text = "SELECT ?x WHERE { VALUES ?x { " + " 7" * 20_000 + " } }"
    result = execute(small, text, timeout=60, max_rows=50_000)
    assert len(result.rows) == 20_000 and not result.truncated
    assert result.rows[0] == (Literal(7),)


# --- time limit ---------------------------------------------------------------------------------------------

RUNAWAYS = {
    "cartesian product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "unbounded path": PFX + "SELECT (COUNT(*) AS ?n) WHERE { ?a (ex:child|^ex:child)* ?b }",
    "catastrophic regex": 'SELECT * WHERE { BIND("' + "a" * 40 + '!" AS ?s) FILTER(REGEX(?s, "^(a+)+$")) }',
    "streamed cartesian": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a",
}


@pytest.mark.parametrize("text", RUNAWAYS.values(), ids=RUNAWAYS.keys())
def test_runaway_query_is_stopped(big, text):
    sandbox.reap_exited(wait=True)
    assert children() == []
    start = time.monotonic()
    with pytest.raises(QueryError) as err:
        execute(big, text, timeout=1)
    assert time.monotonic() - start < 2.0  # the limit + 1 s
    assert (err.value.status, err.value.message) == (503, MSG_TIMEOUT_1S)
    assert children() == []  # killed and reaped, not left burning CPU


def test_other_queries_are_answered_during_a_runaway(big, small):
    with ThreadPoolExecutor(max_workers=6) as pool:
        runaway = pool.submit(execute, big, RUNAWAYS["cartesian product"], timeout=2)
        quick = [pool.submit(execute, small, PFX + "SELECT ?o WHERE { ex:a ex:p ?o }", timeout=10)
                 for _ in range(20)]
        assert [f.result().rows for f in quick] == [((EX.b,),)] * 20
        assert not runaway.done()
        with pytest.raises(QueryError) as err:
            runaway.result()
    assert err.value.status == 503
    sandbox.reap_exited(wait=True)
    assert children() == []


# --- row cap ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cap", "expected", "truncated"), [(0, 0, True), (3, 3, True), (6, 6, False),
                                                             (7, 6, False), (None, 6, False)])
def test_row_cap_select(small, cap, expected, truncated):
    result = execute(small, "SELECT * WHERE { ?s ?p ?o }", max_rows=cap, timeout=10)
    assert (len(result.rows), result.truncated) == (expected, truncated)


@pytest.mark.parametrize(("cap", "expected", "truncated"), [(2, 2, True), (6, 6, False)])
def test_row_cap_construct(small, cap, expected, truncated):
    result = execute(small, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=cap, timeout=10)
    assert (len(result.graph), result.truncated) == (expected, truncated)


def test_row_cap_stops_an_endless_stream(big):
    result = execute(big, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", max_rows=1000, timeout=10)
    assert (len(result.rows), result.truncated) == (1000, True)


def test_row_cap_describe(small):
    result = execute(small, PFX + "DESCRIBE ex:a ex:c", max_rows=2, timeout=10)
    assert (len(result.graph), result.truncated) == (2, True)


# --- query form from text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("  select * { ?s ?p ?o }", "SELECT"),
    (PFX + "BASE <http://example.org/#x>\n# CONSTRUCT in a comment\nASK { ?s ?p 'DESCRIBE' }", "ASK"),
    ("PREFIX : <http://example.org/#>\nPREFIX a-b: <urn:x>\nconstruct { ?s ?p ?o } where { ?s ?p ?o }",
     "CONSTRUCT"),
    ("DESCRIBE <http://example.org/a>", "DESCRIBE"),
    ("\\u0053ELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# only a comment", None),
    ("", None),
    ("<http://example.org/a> SELECT", None),
])
def test_query_kind(text, kind):
    assert query_kind(text) == kind
    assert not is_update(text)


# --- the sandbox itself (defence in depth behind the static checks) ------------------------------------------


def test_audit_hook_blocks_network(canary):
    port, _hits = canary

    def connect() -> bytes:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return b"connected"

    with pytest.raises(QueryError) as err:
        sandbox.run(connect, timeout=5)
    assert (err.value.status, err.value.message) == (400, "the query tried to reach something outside the "
                                                          "knowledge graph")


def test_audit_hook_blocks_rdflib_service_and_from(small, canary):
    """Bypass the guards: rdflib itself, asked to evaluate SERVICE or load FROM, reaches nothing."""
    port, _hits = canary
    url = f"http://127.0.0.1:{port}/sparql"

    def service() -> bytes:
        return str(list(small.union.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))).encode()

    def from_clause() -> bytes:
        return str(list(Dataset().query(f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"))).encode()

    for task in (service, from_clause):
        with pytest.raises(QueryError) as err:
            sandbox.run(task, timeout=5)
        assert err.value.status == 400


def test_audit_hook_blocks_files(tmp_path):
    target = tmp_path / "written.txt"

    def read_passwd() -> bytes:
        return Path("/etc/passwd").read_bytes()

    def write_file() -> bytes:
        target.write_text("x")
        return b"written"

    def spawn() -> bytes:
        import subprocess

        return subprocess.run(["true"], check=False).stdout or b""

    for task in (read_passwd, write_file, spawn):
        with pytest.raises(QueryError) as err:
            sandbox.run(task, timeout=5)
        assert err.value.status == 400
    assert not target.exists()


def test_sandbox_allows_imports_evaluation_needs():
    def lazy_import() -> bytes:
        import colorsys  # noqa: F401 - not imported by the parent: read from the standard library

        return b"ok"

    assert sandbox.run(lazy_import, timeout=10) == b"ok"


def test_sandbox_recursion_and_crashes():
    def recurse(n: int = 0) -> bytes:
        return recurse(n + 1)

    def segfault() -> bytes:
        import signal

        signal.raise_signal(signal.SIGSEGV)
        return b""

    def abort() -> bytes:
        os.abort()

    for task, status, message in [(recurse, 400, MSG_NESTED), (segfault, 400, MSG_NESTED),
                                  (abort, 500, "the query could not be evaluated")]:
        with pytest.raises(QueryError) as err:
            sandbox.run(task, timeout=5)
        assert (err.value.status, err.value.message) == (status, message)


def test_sandbox_memory_limit():
    with pytest.raises(QueryError) as err:
        sandbox.run(lambda: b"x" * (512 * 1024**2), timeout=10, max_memory=128 * 1024**2)
    assert (err.value.status, err.value.message) == (503, "the query needed more memory than allowed and was "
                                                          "stopped")


def test_sandbox_returns_large_results():
    assert len(sandbox.run(lambda: b"y" * 10_000_000, timeout=10)) == 10_000_000
