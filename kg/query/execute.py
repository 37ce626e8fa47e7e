"""Run SPARQL queries over the knowledge graph under the guards of issue 5.

``prepare`` parses and checks a query once (see kg.query.guard). ``execute`` evaluates it in a sandboxed child
process (see kg.query.sandbox, kg.query.lockdown) with a time limit and a row cap, over the locally held
graphs only:

- no dataset description: the default graph is ``kg.union``; ``GRAPH ?g`` ranges over the named graphs of
  ``kg.dataset``;
- ``default_graph_uris``/``named_graph_uris`` (SPARQL protocol), or else the query's FROM / FROM NAMED,
  choose among the locally held graphs: the default graph is the merge of the chosen graphs, and an IRI not
  held locally is an empty graph — nothing is ever fetched or read from disk.

``execute_serialized`` answers in a wire format (JSON, XML, CSV, TSV; N-Triples, Turtle…): the bytes are
written where the rows are — by the Oxigraph store's own writers in its child, by rdflib's in the memory
store's child — and only a format that needs the rows as terms (a page, a labelled table) brings them back.

Stored queries (``stored=True``: written by this project, parameters typed and bound, never pasted) on a
small memory store run on its in-memory Oxigraph copy (`kg.stores.mirror`) in that store's long-lived
sandboxed child; on a memory store that is not mirrored, in this process under `kg.query.deadline`, with no
fork: see docs/architecture.md, "What runs in the sandbox". Everything else runs in a sandboxed child.

Untrusted text should be passed to ``execute`` as a string: it is then parsed inside the child, under the time
limit (pyparsing needs seconds for some 100 KB texts). ``prepare`` parses in the calling process: for stored
queries, parsed once at start-up.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from rdflib import BNode, Graph, URIRef, Variable
from rdflib.plugins.sparql import aggregates, operators  # noqa: F401 - imported before fork, not in the child
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _fillTemplate
from rdflib.plugins.sparql.sparql import QueryContext
from rdflib.term import Node

from kg.errors import QueryError
from kg.query import sandbox
from kg.query.dataset import local_dataset
from kg.query.deadline import Expired, deadline
from kg.query.guard import MAX_QUERY_BYTES, Prepared, check_text, is_update, prepare, query_kind
from kg.rdf import formats
from kg.rdf.results import indent_json
from kg.stores import wire
from kg.stores.base import Backend, Serializing, backend, cap
from kg.stores.mirror import mirror

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

__all__ = [
    "MAX_QUERY_BYTES",
    "Options",
    "Prepared",
    "QueryError",
    "QueryResult",
    "Serialized",
    "execute",
    "execute_serialized",
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


@dataclass(frozen=True)
class Serialized:
    """A result as the bytes of one format (`execute_serialized`)."""

    kind: str  # the query form
    fmt: str  # the format written (a name of kg.rdf.formats)
    body: bytes | None  # None for a page ("html"): build it from `result`
    truncated: bool  # the row (or triple) cap was hit
    result: QueryResult | None = None  # the rows as terms, when they came back as terms


KINDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
CHILD_FORMATS = ("json", "xml", "csv", "tsv", "ntriples", "turtle")  # written in the memory store's child


class Options(TypedDict, total=False):
    """What `execute` and `execute_serialized` take besides the query (defaults: `_run`)."""

    bindings: Mapping[str, Node] | None  # parameter values, bound as RDF terms (never pasted into the text)
    default_graph_uris: Sequence[str]  # the SPARQL protocol's dataset (see the module docstring)
    named_graph_uris: Sequence[str]
    timeout: float | None  # seconds; QueryError 503 past it
    max_rows: int | None  # the row (or triple) cap; the result says when it cut
    max_memory: int | None  # bytes a sandboxed child may allocate beyond what it inherits
    stored: bool  # a stored query of the catalogue: the cheaper paths of "What runs in the sandbox"


def execute(kg: KnowledgeGraph, query: str | Prepared, **options: Unpack[Options]) -> QueryResult:
    """Evaluate *query* over *kg* under the guards (see the module docstring and `Options`): the rows as
    terms; QueryError (400, 413, 503…) if unanswerable."""
    result = execute_serialized(kg, query, {}, **options).result
    assert result is not None  # no format was asked for: the rows came back as terms
    return result


def execute_serialized(
    kg: KnowledgeGraph,
    query: str | Prepared,
    fmt: str | Mapping[str, str],
    *,
    pretty: bool = False,
    labels: Callable[[Node], str] | None = None,
    **options: Unpack[Options],
) -> Serialized:
    """`execute`, answered in the format *fmt* (or *fmt*[kind] when the query form is not known yet) as
    bytes written by the store that made the rows when it can (see the module docstring); JSON results are
    compact unless *pretty*. *labels* names nodes in the ``table`` format. The body is None for a page
    format, or a form *fmt* has no format for: `Serialized.result` holds the rows then."""
    wanted = {kind: fmt for kind in KINDS} if isinstance(fmt, str) else dict(fmt)
    answer = _run(kg, query, wanted, **options)
    if isinstance(answer, Serialized):
        out = answer
    else:
        chosen = wanted.get(answer.kind, "")  # "": no format was given for this form (body None)
        written = bool(chosen) and formats.get(chosen).kind != "page"
        body = formats.serialize_result(answer, chosen, labels) if written else None
        out = Serialized(answer.kind, chosen, body, answer.truncated, answer)
    if pretty and out.fmt == "json" and out.body is not None:
        return Serialized(out.kind, out.fmt, indent_json(out.body), out.truncated, out.result)
    return out


def _run(
    kg: KnowledgeGraph,
    query: str | Prepared,
    wanted: dict[str, str],
    *,
    bindings: Mapping[str, Node] | None = None,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    timeout: float | None = None,
    max_rows: int | None = None,
    max_memory: int | None = sandbox.MEMORY_HEADROOM,
    stored: bool = False,
) -> QueryResult | Serialized:
    if isinstance(query, str):
        check_text(query)  # size, update, nesting: refused before forking
    if max_rows is not None and max_rows < 0:
        raise ValueError("max_rows must be >= 0")
    bindings = dict(bindings or {})
    default_uris, named_uris = tuple(map(str, default_graph_uris)), tuple(map(str, named_graph_uris))
    _warm_up()
    store = backend(kg)  # None: the rdflib memory store, evaluated by rdflib below
    if store is None and stored:
        store = mirror(kg)  # a small graph's stored queries: its in-memory Oxigraph copy (None: large)
    if store is not None:  # Oxigraph, a remote endpoint, or the mirror: a store's long-lived sandboxed child
        request = _request(query, bindings, default_uris, named_uris, max_rows, timeout, wanted)
        answer = query_pool(store, max_memory=max_memory).call(request, timeout=timeout)
    elif stored:  # a stored query on a memory store too large to mirror: here, under its own time limit
        prepared = prepare(query) if isinstance(query, str) else query
        return _in_process(kg, prepared, bindings, default_uris, named_uris, max_rows, timeout)
    else:  # a fresh fork per query: the child shares the in-memory graph copy-on-write
        task = partial(_evaluate, kg, query, bindings, default_uris, named_uris, max_rows, wanted)
        answer = sandbox.run(task, timeout=timeout, max_memory=max_memory)
    return _decode(answer, kg)


def _in_process(
    kg: KnowledgeGraph,
    prepared: Prepared,
    bindings: dict[str, Node],
    default_uris: tuple[str, ...],
    named_uris: tuple[str, ...],
    max_rows: int | None,
    timeout: float | None,
) -> QueryResult:
    try:
        with deadline(timeout):
            result, triples = _evaluate_terms(kg, prepared, bindings, default_uris, named_uris, max_rows)
    except Expired:
        raise QueryError(503, sandbox.timeout_message(timeout or 0)) from None
    except Exception as exc:  # as the sandbox reports it: a status and a message, the detail to the log
        raise sandbox.query_error(exc) from None
    return _with_graph(result, triples, kg)


def _with_graph(result: QueryResult, triples: list[Any], kg: KnowledgeGraph) -> QueryResult:
    if result.kind not in ("CONSTRUCT", "DESCRIBE"):
        return result
    return replace(result, graph=wire.to_graph(triples, kg.union.namespaces()))


# --- answers from a child: "N" + a header line + bytes in a format, or "W" + the wire encoding ------------


def _native(kind: str, fmt: str, truncated: bool, body: bytes) -> bytes:
    head = json.dumps({"kind": kind, "fmt": fmt, "truncated": truncated}, separators=(",", ":"))
    return b"N" + head.encode("ascii") + b"\n" + body


def _decode(answer: bytes, kg: KnowledgeGraph) -> QueryResult | Serialized:
    if answer[:1] == b"N":
        head, _, body = answer[1:].partition(b"\n")
        doc = json.loads(head)
        return Serialized(doc["kind"], doc["fmt"], body, doc["truncated"])
    doc = wire.decode(answer[1:])
    result = QueryResult(doc["kind"], doc["vars"], doc["rows"], doc["boolean"], None, doc["truncated"])
    return _with_graph(result, doc["triples"], kg)


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
    on its first parse (about 40 ms); rdflib imports a serializer on first use (a child reads no file)."""
    global _warm
    with _warm_lock:
        if not _warm:
            prepare("ASK { ?s ?p ?o FILTER(REGEX(STR(?s), '^x')) }")
            for fmt in ("ntriples", "turtle"):  # rdflib loads its serializer plugins on first use
                formats.serialize_graph(Graph(), fmt)
            _warm = True


# --- in the child ------------------------------------------------------------------------------------------


def _evaluate(
    kg: KnowledgeGraph,
    query: str | Prepared,
    bindings: dict[str, Node],
    default_uris: tuple[str, ...],
    named_uris: tuple[str, ...],
    max_rows: int | None,
    wanted: dict[str, str] | None = None,
) -> bytes:
    """In the memory store's child: the answer, written in the wanted format when rdflib's writers can do it
    here (`CHILD_FORMATS`), else wire-encoded."""
    prepared = prepare(query) if isinstance(query, str) else query
    result, triples = _evaluate_terms(kg, prepared, bindings, default_uris, named_uris, max_rows)
    fmt = (wanted or {}).get(result.kind)
    graph_format = fmt in formats.GRAPH_FORMATS
    if fmt in CHILD_FORMATS and (not graph_format or result.kind in ("CONSTRUCT", "DESCRIBE")):
        body = formats.serialize_result(_with_graph(result, triples, kg), fmt)
        return _native(result.kind, fmt, result.truncated, body)
    return b"W" + wire.encode(
        result.kind, vars=result.vars, rows=result.rows, boolean=result.boolean, triples=triples,
        truncated=result.truncated,
    )  # fmt: skip


def _evaluate_terms(
    kg: KnowledgeGraph,
    prepared: Prepared,
    bindings: Mapping[str, Node],
    default_uris: tuple[str, ...],
    named_uris: tuple[str, ...],
    max_rows: int | None,
) -> tuple[QueryResult, list[tuple[Node, Node, Node]]]:
    """The result of *prepared* by rdflib on the in-memory graphs (the triples of a graph result apart)."""
    default_uris, named_uris = _dataset_iris(prepared, default_uris, named_uris)
    default, named = local_dataset(kg, default_uris, named_uris)
    init = {Variable(k): v for k, v in bindings.items()}
    ctx = QueryContext(named, initBindings=init)  # no datasetClause: rdflib would load the IRIs
    ctx.graph = default
    ctx.prologue = prepared.query.prologue
    algebra = prepared.query.algebra
    if prepared.kind == "SELECT":
        solutions = evalPart(ctx, algebra)["bindings"]
        vars = [Variable(v) for v in prepared.vars]
        rows, truncated = cap((tuple(s.get(v) for v in vars) for s in solutions), max_rows)
        return QueryResult("SELECT", prepared.vars, tuple(rows), truncated=truncated), []
    if prepared.kind == "ASK":
        return QueryResult("ASK", boolean=bool(evalPart(ctx, algebra)["askAnswer"])), []
    if prepared.kind == "CONSTRUCT":
        triples, truncated = cap(_construct(ctx, algebra), max_rows)
    else:
        triples, truncated = cap(iter(evalPart(ctx, algebra)["graph"]), max_rows)
    return QueryResult(prepared.kind, truncated=truncated), triples


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
    wanted: dict[str, str] | None = None,
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
        "formats": wanted or {},
    }
    return json.dumps(request, separators=(",", ":")).encode("ascii")


def _answer(store: Backend, payload: bytes) -> bytes:
    """In the child: the answer to one request on *store* (see `kg.stores.base.Backend`), written by the
    store in the wanted format when it can (`kg.stores.base.Serializing`), else wire-encoded."""
    request = json.loads(payload)
    text = request["query"]
    prepared = _prepared.get(text) or _remember(prepare(text))
    default_uris, named_uris = _dataset_iris(prepared, tuple(request["default"]), tuple(request["named"]))
    bindings = {name: wire.decode_term(value) for name, value in request["bindings"].items()}
    fmt = request.get("formats", {}).get(prepared.kind)
    args = (prepared, bindings, default_uris, named_uris, request["max_rows"])
    if fmt and isinstance(store, Serializing):
        written = store.serialize(*args, fmt)
        if written is not None:
            return _native(prepared.kind, fmt, written[1], written[0])
    return b"W" + store.evaluate(*args, request["timeout"])


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
