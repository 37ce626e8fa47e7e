"""Query results as an HTML-ready table: every cell a `kg.views.describe.Term` (label and IRI), rows
capped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.views.describe import Term, term

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

HTML_ROWS = 1000  # rows rendered on a page; the data formats carry all of them


@dataclass(frozen=True)
class Table:
    vars: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    total: int
    shown: int
    truncated: bool
    max_rows: int | None
    boolean: bool | None


def result_table(
    kg: KnowledgeGraph, result: Any, max_rows: int | None = None, limit: int = HTML_ROWS
) -> Table:
    """*result* (a `kg.query.execute.QueryResult`) as a `Table` of labelled terms."""
    if result.kind == "ASK":
        return Table((), (), 0, 0, False, max_rows, bool(result.boolean))
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        names: tuple[str, ...] = ("subject", "predicate", "object")
        raw = sorted(result.graph) if result.graph is not None else []
    else:
        names, raw = tuple(result.vars), list(result.rows)
    cache: dict[Any, Term] = {}

    def cell(node: Any) -> Term | None:
        if node is None:
            return None
        found = cache.get(node)
        if found is None:
            found = cache[node] = term(kg, node)
        return found

    rows = tuple(tuple(cell(n) for n in row) for row in raw[:limit])
    return Table(names, rows, len(raw), len(rows), bool(result.truncated), max_rows, None)
