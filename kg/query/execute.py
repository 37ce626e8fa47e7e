"""Run SPARQL queries over the knowledge graph under the guards of issue 5.

``prepare`` parses and checks a query once (see kg.query.guard). ``execute`` evaluates it in a sandboxed child
process (see kg.query.sandbox, kg.query.lockdown) with a time limit and a row cap, over the locally held
graphs only:

- no dataset description: the default graph is ``kg.union``; ``GRAPH ?g`` ranges over the named graphs of
  ``kg.dataset``;
- ``default_graph_uris``/``named_graph_uris`` (SPARQL protocol), or else the query's FROM / FROM NAMED,
  choose among the locally held graphs: the default graph is the merge of the chosen graphs, and an IRI not
  held locally is an empty graph — nothing is ever fetched or read from disk.

Untrusted text should be passed to ``execute`` as a string: it is then parsed inside the child, under the time
limit (pyparsing needs seconds for some 100 KB texts). ``prepare`` parses in the calling process: for stored
queries, parsed once at start-up.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rdflib import BNode, Dataset, Graph, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql import aggregates, operators  # noqa: F401 - imported before fork, not in the child
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _fillTemplate
from rdflib.plugins.sparql.sparql import QueryContext
from rdflib.term import Node

from kg.errors import QueryError
from kg.query import sandbox
from kg.query.guard import MAX_QUERY_BYTES, Prepared, check_text, is_update, prepare, query_kind
from kg.stores import wire
from kg.stores.base import UNION_GRAPH, Backend, backend, cap

__all__ = [
    "MAX_QUERY_BYTES",
    "Prepared",
    "QueryError",
    "QueryResult",
    "execute",
    "is_update",
    "prepare",
    "query_kind",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueryResult:
    kind: str  # "SELECT" | "ASK" | "CONSTRUCT" | "DESCRIBE"
    vars: tuple[str, ...] = ()  # SELECT variable names
    rows: tuple[tuple[Node | None, ...], ...] = ()  # SELECT rows, None for unbound
    boolean: bool | None = None  # ASK
    graph: Graph | None = None  # CONSTRUCT / DESCRIBE
    truncated: bool = False  # the row (or triple) cap was hit


def execute(
    kg: Any,
    query: str | Prepared,
    *,
    bindings: Mapping[str, Node] | None = None,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    timeout: float | None = None,
    max_rows: int | None = None,
    max_memory: int | None = sandbox.MEMORY_HEADROOM,
) -> QueryResult:
    """Evaluate *query* over *kg* in a sandboxed child; QueryError (400, 413, 503…) if unanswerable."""
    if isinstance(query, str):
        check_text(query)  # size, update, nesting: refused before forking
    if max_rows is not None and max_rows < 0:
        raise ValueError("max_rows must be >= 0")
    _warm_up()
    store = backend(kg)  # None: the rdflib memory store, evaluated by rdflib below
    if store is not None:  # Oxigraph or a remote endpoint: one of the store's long-lived sandboxed children
        request = _request(query, bindings or {}, default_graph_uris, named_graph_uris, max_rows, timeout)
        answer = query_pool(store, max_memory=max_memory).call(request, timeout=timeout)
    else:  # a fresh fork per query: the child shares the in-memory graph copy-on-write
        task = partial(
            _evaluate,
            kg,
            query,
            dict(bindings or {}),
            tuple(map(str, default_graph_uris)),
            tuple(map(str, named_graph_uris)),
            max_rows,
        )
        answer = sandbox.run(task, timeout=timeout, max_memory=max_memory)
    doc = wire.decode(answer)
    graph = None
    if doc["kind"] in ("CONSTRUCT", "DESCRIBE"):
        graph = wire.to_graph(doc["triples"], kg.union.namespaces())
    return QueryResult(
        kind=doc["kind"],
        vars=doc["vars"],
        rows=doc["rows"],
        boolean=doc["boolean"],
        graph=graph,
        truncated=doc["truncated"],
    )


_pool_lock = threading.Lock()


def query_pool(store: Backend, *, max_memory: int | None = sandbox.MEMORY_HEADROOM) -> sandbox.Pool:
    """The pool of long-lived sandboxed children that answer queries on *store*, one per store, made on first
    use (the first caller's *max_memory* holds): `_answer` runs in them."""
    with _pool_lock:
        pool = getattr(store, "query_pool", None)
        if pool is None:
            pool = sandbox.Pool(partial(_answer, store), max_memory=max_memory, **store.sandbox_needs())
            store.query_pool = pool  # type: ignore[attr-defined]
    return pool


_warm_lock = threading.Lock()
_warm = False


def _warm_up() -> None:
    """Do once in the parent what every child would otherwise redo: pyparsing streamlines the SPARQL grammar
    on its first parse (about 40 ms)."""
    global _warm
    with _warm_lock:
        if not _warm:
            prepare("ASK { ?s ?p ?o FILTER(REGEX(STR(?s), '^x')) }")
            _warm = True


# --- in the child ------------------------------------------------------------------------------------------


def _evaluate(
    kg: Any,
    query: str | Prepared,
    bindings: dict[str, Node],
    default_uris: tuple[str, ...],
    named_uris: tuple[str, ...],
    max_rows: int | None,
) -> bytes:
    prepared = prepare(query) if isinstance(query, str) else query
    default_uris, named_uris = _dataset_iris(prepared, default_uris, named_uris)
    default, named = _dataset(kg, default_uris, named_uris)
    init = {Variable(k): v for k, v in bindings.items()}
    ctx = QueryContext(named, initBindings=init)  # no datasetClause: rdflib would load the IRIs
    ctx.graph = default
    ctx.prologue = prepared.query.prologue
    algebra = prepared.query.algebra
    if prepared.kind == "SELECT":
        solutions = evalPart(ctx, algebra)["bindings"]
        vars = [Variable(v) for v in prepared.vars]
        rows, truncated = cap(([s.get(v) for v in vars] for s in solutions), max_rows)
        return wire.encode("SELECT", vars=prepared.vars, rows=rows, truncated=truncated)
    if prepared.kind == "ASK":
        return wire.encode("ASK", boolean=bool(evalPart(ctx, algebra)["askAnswer"]))
    if prepared.kind == "CONSTRUCT":
        triples, truncated = cap(_construct(ctx, algebra), max_rows)
    else:
        triples, truncated = cap(iter(evalPart(ctx, algebra)["graph"]), max_rows)
    return wire.encode(prepared.kind, triples=triples, truncated=truncated)


def _dataset_iris(
    prepared: Prepared, default_uris: tuple[str, ...], named_uris: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The dataset IRIs: the protocol's if any were given, else the query's FROM / FROM NAMED."""
    if default_uris or named_uris:
        return default_uris, named_uris
    clause = prepared.dataset_clause
    return (
        tuple(iri for kind, iri in clause if kind == "default"),
        tuple(iri for kind, iri in clause if kind == "named"),
    )


# --- a store's long-lived child: requests as JSON, queries prepared once per child ------------------------

_PREPARED_MAX = 256
_prepared: dict[str, Prepared] = {}  # text → Prepared: filled in the parent too, so new children inherit it


def _request(
    query: str | Prepared,
    bindings: Mapping[str, Node],
    default_graph_uris: Sequence[str],
    named_graph_uris: Sequence[str],
    max_rows: int | None,
    timeout: float | None,
) -> bytes:
    if isinstance(query, Prepared):
        _remember(query)
    request = {
        "query": query if isinstance(query, str) else query.text,
        "bindings": {name: wire.encode_term(value) for name, value in bindings.items()},
        "default": list(map(str, default_graph_uris)),
        "named": list(map(str, named_graph_uris)),
        "max_rows": max_rows,
        "timeout": timeout,
    }
    return json.dumps(request, separators=(",", ":")).encode("ascii")


def _answer(store: Backend, payload: bytes) -> bytes:
    """In the child: the encoded result of one request on *store* (see `kg.stores.base.Backend`)."""
    request = json.loads(payload)
    text = request["query"]
    prepared = _prepared.get(text) or _remember(prepare(text))
    default_uris, named_uris = _dataset_iris(prepared, tuple(request["default"]), tuple(request["named"]))
    bindings = {name: wire.decode_term(value) for name, value in request["bindings"].items()}
    return store.evaluate(
        prepared, bindings, default_uris, named_uris, request["max_rows"], request["timeout"]
    )


def _remember(prepared: Prepared) -> Prepared:
    if prepared.text not in _prepared:
        if len(_prepared) >= _PREPARED_MAX:
            _prepared.clear()
        _prepared[prepared.text] = prepared
    return prepared


def _construct(ctx: QueryContext, algebra: Any) -> Iterator[tuple[Node, Node, Node]]:
    """The distinct triples of a CONSTRUCT, lazily (rdflib builds the whole graph before any cap), without
    the illegal ones (a literal as subject, a non-IRI predicate), as SPARQL 1.1 §16.2 says."""
    template = algebra.template or algebra.p.p.triples  # CONSTRUCT WHERE: the pattern is the template
    seen: set[tuple[Node, Node, Node]] = set()
    for solution in evalPart(ctx, algebra.p):
        for triple in _fillTemplate(template, solution):
            s, p, _o = triple
            if triple not in seen and isinstance(s, (URIRef, BNode)) and isinstance(p, URIRef):
                seen.add(triple)
                yield triple


def _dataset(kg: Any, default_uris: Sequence[str], named_uris: Sequence[str]) -> tuple[Graph, _LocalDataset]:
    """The default graph and the named graphs of the query's dataset, from locally held graphs only."""
    local = _local_graphs(kg)
    if not default_uris and not named_uris:
        return kg.union, _LocalDataset(local)
    named = _LocalDataset({URIRef(i): local[URIRef(i)] for i in named_uris if URIRef(i) in local})
    iris = [URIRef(i) for i in dict.fromkeys(default_uris)]
    picked = [kg.union if str(iri) == UNION_GRAPH else local.get(iri) for iri in iris]
    chosen = [g for g in picked if g is not None]
    if len(chosen) == 1:
        return chosen[0], named
    merged = Graph()
    for graph in chosen:
        for triple in graph.triples((None, None, None)):
            merged.add(triple)
    return merged, named


def _local_graphs(kg: Any) -> dict[URIRef, Graph]:
    dataset = kg.dataset
    graphs = dataset.graphs() if hasattr(dataset, "graphs") else dataset.contexts()
    return {
        g.identifier: g
        for g in graphs
        if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID
    }


class _LocalDataset(Dataset):
    """The named graphs a query may see: a fixed set of local graphs; any other IRI is an empty graph."""

    def __init__(self, graphs: dict[URIRef, Graph]) -> None:
        super().__init__()
        self._local = graphs

    def contexts(self, triple: Any = None) -> Iterator[Graph]:  # type: ignore[override]
        return iter(self._local.values())

    graphs = contexts  # type: ignore[assignment]

    def get_context(self, identifier: Any, quoted: bool = False, base: str | None = None) -> Graph:
        found = self._local.get(identifier) if isinstance(identifier, URIRef) else None
        return found if found is not None else Graph()
