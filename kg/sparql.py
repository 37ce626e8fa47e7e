"""Run SPARQL queries under guards (API first version; hardening in progress)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

MAX_QUERY_BYTES = 100_000


class QueryError(Exception):
    """A query that cannot be answered: ``status`` is the HTTP status, ``message`` one plain sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Prepared:
    """A parsed and checked query, ready to run many times."""

    text: str
    kind: str
    query: Any  # rdflib.plugins.sparql.sparql.Query


@dataclass(frozen=True)
class QueryResult:
    kind: str
    vars: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False


def prepare(text: str) -> Prepared:
    if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
        raise QueryError(413, "the query text is longer than 100 KB")
    try:
        query = translateQuery(parseQuery(text))
    except RecursionError:
        raise QueryError(400, "the query is nested too deeply") from None
    except Exception as exc:
        raise QueryError(400, f"SPARQL syntax error: {exc}") from None
    kind = query.algebra.name.removesuffix("Query").upper()
    return Prepared(text, kind, query)


def execute(
    kg: Any,
    query: str | Prepared,
    *,
    bindings: dict[str, Node] | None = None,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    timeout: float | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    prepared = prepare(query) if isinstance(query, str) else query
    res = kg.union.query(prepared.query, initBindings=bindings or {})
    rows = list(res) if res.type == "SELECT" else []
    truncated = max_rows is not None and len(rows) > max_rows
    rows = rows[:max_rows] if max_rows is not None else rows
    return QueryResult(
        kind=res.type,
        vars=tuple(str(v) for v in res.vars or ()),
        rows=tuple(tuple(r) for r in rows),
        boolean=res.askAnswer if res.type == "ASK" else None,
        graph=res.graph if res.type in ("CONSTRUCT", "DESCRIBE") else None,
        truncated=truncated,
    )


def query_kind(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT, DESCRIBE (or None) from the text, without executing."""
    for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        if word in text.upper():
            return word
    return None


def is_update(text: str) -> bool:
    upper = text.upper()
    return any(w in upper for w in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE"))
