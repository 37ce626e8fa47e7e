"""A compact, exact encoding of query results for the trip from the sandbox child back to the parent.

One JSON document (ASCII, so lone surrogates survive). Terms: an IRI is ``"U" + iri``, a blank node
``"B" + id``, a literal a list ``[lexical]``, ``[lexical, "@" + lang]`` or ``[lexical, datatype]``; an unbound
value is null.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

Term = str | list[str] | None


def encode_term(term: Node | None) -> Term:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return "U" + term
    if isinstance(term, BNode):
        return "B" + term
    if isinstance(term, Literal):
        if term.language:
            return [str(term), "@" + term.language]
        if term.datatype:
            return [str(term), str(term.datatype)]
        return [str(term)]
    raise TypeError(f"cannot send a {type(term).__name__} as a result term")


def decode_term(value: Term) -> Node | None:
    if value is None:
        return None
    if isinstance(value, str):
        return URIRef(value[1:]) if value[0] == "U" else BNode(value[1:])
    if len(value) == 1:
        return Literal(value[0])
    if value[1].startswith("@"):
        return Literal(value[0], lang=value[1][1:])
    return Literal(value[0], datatype=URIRef(value[1]))


def encode(
    kind: str,
    *,
    vars: Iterable[str] = (),
    rows: Iterable[Iterable[Node | None]] = (),
    boolean: bool | None = None,
    triples: Iterable[tuple[Node, Node, Node]] = (),
    truncated: bool = False,
    term: Callable[[Any], Term] | None = encode_term,
) -> bytes:
    """The result as one document; *term* encodes each term (another store's terms: see kg.stores.oxigraph;
    None: the rows are encoded already)."""
    doc: dict[str, Any] = {
        "kind": kind,
        "vars": list(vars),
        "rows": list(rows) if term is None else [[term(t) for t in row] for row in rows],
        "boolean": boolean,
        "triples": [[(term or encode_term)(t) for t in triple] for triple in triples],
        "truncated": truncated,
    }
    return json.dumps(doc, separators=(",", ":")).encode("ascii")


def decode(payload: bytes) -> dict[str, Any]:
    """The encoded document with terms decoded; ``triples`` becomes a list of term triples. A term that
    occurs many times is decoded once (building an rdflib Literal is the costly part of a large result)."""
    doc = json.loads(payload)
    memo: dict[Any, Node | None] = {}

    def term(value: Term) -> Node | None:
        key = value if value is None or isinstance(value, str) else tuple(value)
        node = memo.get(key, _MISSING)
        if node is _MISSING:
            node = memo[key] = decode_term(value)
        return node  # type: ignore[return-value]

    doc["vars"] = tuple(doc["vars"])
    doc["rows"] = tuple(tuple(term(t) for t in row) for row in doc["rows"])
    doc["triples"] = [tuple(term(t) for t in triple) for triple in doc["triples"]]
    return doc


_MISSING: Any = object()


def to_graph(triples: Iterable[tuple[Any, Any, Any]], namespaces: Iterable[tuple[str, Any]] = ()) -> Graph:
    graph = Graph()
    for prefix, ns in namespaces:
        graph.bind(prefix, ns, override=True, replace=True)
    for triple in triples:
        graph.add(triple)
    return graph
