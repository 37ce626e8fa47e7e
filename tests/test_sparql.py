"""kg.query.execute.execute: query forms, bindings, datasets (local graphs only), time limit, row cap,
sizes."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from rdflib import BNode, Literal
from rdflib.namespace import RDFS, XSD
from standins import EX, MSG_TIMEOUT_1S, PFX, Canary, big_kg, children, small_kg

from kg.errors import QueryError
from kg.query import sandbox
from kg.query.execute import execute, prepare


@pytest.fixture(scope="module")
def small():
    return small_kg()


@pytest.fixture(scope="module")
def big():
    return big_kg()


@pytest.fixture
def canary():
    listener = Canary()
    yield listener
    assert listener.close() == []


def rows(result) -> list[tuple]:
    return sorted(result.rows, key=str)


# --- query forms --------------------------------------------------------------------------------------------


def test_select(small):
    result = execute(small, PFX + "SELECT ?s ?o WHERE { ?s ex:p ?o } ORDER BY ?s", timeout=10)
    assert (result.kind, result.vars, result.truncated) == ("SELECT", ("s", "o"), False)
    assert result.rows == ((EX.a, EX.b), (EX.b, EX.c))
    assert result.boolean is None and result.graph is None


def test_select_terms_round_trip(small):
    q = (
        PFX + "SELECT ?l ?n ?b ?x WHERE { ex:a ?p ?l FILTER(isLiteral(?l)) ex:c ex:n ?n ; ex:q ?b "
        "OPTIONAL { ?b ex:none ?x } }"
    )
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


def test_construct_drops_illegal_triples(small):
    result = execute(small, PFX + "CONSTRUCT { ?o ex:labels ?s } WHERE { ?s ?p ?o }", timeout=10)
    assert set(result.graph) == {
        (EX.b, EX.labels, EX.a),
        (EX.c, EX.labels, EX.b),
        (BNode("x1"), EX.labels, EX.c),
    }


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
    url = canary.url
    q = "SELECT ?s WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    result = execute(small, q.replace("WHERE", clause.format(url=url) + " WHERE"), timeout=10)
    assert result.rows == ()


def test_default_graph_uri_loopback_is_never_fetched(small, canary):
    url = canary.url
    result = execute(
        small, "SELECT * WHERE { ?s ?p ?o }", default_graph_uris=[url], named_graph_uris=[url], timeout=10
    )
    assert result.rows == ()


def test_file_iri_is_never_read(small):
    result = execute(small, "SELECT ?s ?p ?o FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", timeout=10)
    assert result.rows == ()
    result = execute(
        small, "SELECT * WHERE { ?s ?p ?o }", default_graph_uris=["file:///etc/passwd"], timeout=10
    )
    assert result.rows == ()


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
    before = set(children())  # other tests may have started servers
    start = time.monotonic()
    with pytest.raises(QueryError) as err:
        execute(big, text, timeout=1)
    assert time.monotonic() - start < 2.0  # the limit + 1 s
    assert (err.value.status, err.value.message) == (503, MSG_TIMEOUT_1S)
    assert set(children()) <= before  # killed and reaped, not left burning CPU


def test_other_queries_are_answered_during_a_runaway(big, small):
    sandbox.reap_exited(wait=True)
    before = set(children())
    with ThreadPoolExecutor(max_workers=6) as pool:
        runaway = pool.submit(execute, big, RUNAWAYS["cartesian product"], timeout=3)
        quick = [
            pool.submit(execute, small, PFX + "SELECT ?o WHERE { ex:a ex:p ?o }", timeout=10)
            for _ in range(20)
        ]
        assert [f.result().rows for f in quick] == [((EX.b,),)] * 20
        assert not runaway.done()
        with pytest.raises(QueryError) as err:
            runaway.result()
    assert err.value.status == 503
    sandbox.reap_exited(wait=True)
    assert set(children()) <= before


# --- row cap ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cap", "expected", "truncated"),
    [(0, 0, True), (3, 3, True), (6, 6, False), (7, 6, False), (None, 6, False)],
)
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
