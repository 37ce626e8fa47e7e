"""The backend protocol of the stores that evaluate SPARQL with their own engine — the Oxigraph store
(`kg.stores.oxigraph`) and the remote SPARQL store (`kg.stores.remote`) — and what they share.

Both honour the dataset rules of `kg.query.execute`: no dataset given means the union default graph and
every named graph; given IRIs pick among the KG's graphs and any other IRI is an empty graph. Both refuse
SERVICE in the very text the store parses (`refuse_service`), and both may substitute parameters into the
text as RDF terms (`substitute`): the remote store always, Oxigraph for SELECT variables it does not project.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from rdflib import BNode, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.rdf.sparql_lexer import tokens

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

EMPTY_GRAPH = "urn:x-careers-kg:empty-graph"  # a graph no store holds: "the empty graph"
UNION_GRAPH = "urn:x-arq:UnionGraph"
MSG_SERVICE = "SERVICE is not allowed: queries can only use the graphs held by this endpoint"
_IRI_SAFE = re.compile(r'^[^<>"{}|^`\\\x00-\x20]*$')


def cap(items: Iterator[Any], max_rows: int | None) -> tuple[list[Any], bool]:
    """At most *max_rows* items, and whether there were more."""
    if max_rows is None:
        return list(items), False
    taken = list(islice(items, max_rows + 1))
    return taken[:max_rows], len(taken) > max_rows


def bound_or(value: Any, fallback: Any) -> Any:
    """*value*, or for an unbound one the parameter's value (SELECT * loses substituted variables)."""
    return fallback if value is None else value


# --- parameters substituted into the text ----------------------------------------------------------------

_PROJECTION_END = frozenset({"WHERE", "FROM"})
_MODIFIER_END = frozenset({"LIMIT", "OFFSET", "HAVING", "VALUES", "SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})


def substitute(text: str, bindings: Mapping[str, Node]) -> str:
    """`substitute_text`, remembered: a stored query is sent with the same few parameter values often."""
    return _substitute(text, tuple(bindings.items()))


@lru_cache(maxsize=1024)
def _substitute(text: str, bindings: tuple[tuple[str, Node], ...]) -> str:
    return substitute_text(text, dict(bindings))


def substitute_text(text: str, bindings: Mapping[str, Node]) -> str:
    """*text* with every occurrence of a bound variable replaced by its RDF term (SEP-0007 substitution, what
    rdflib's initBindings and Oxigraph's substitutions do): ``(term AS ?v)`` in a SELECT projection,
    ``(term)`` in GROUP BY / ORDER BY, the bare term elsewhere. Terms are written in rdflib's N3 form (IRIs
    checked, literals escaped), never pasted as raw text."""
    terms = {name: _term(node) for name, node in bindings.items()}
    out: list[str] = []
    state = ""  # "projection" | "modifier" | ""
    depth = 0  # parentheses
    previous = ""  # the last significant token, upper-cased
    for kind, token in tokens(text):
        upper = token.upper()
        if kind == "word" and previous != ":":
            if upper == "SELECT":
                state = "projection"
            elif upper in ("GROUP", "ORDER"):
                state = "modifier"
            elif (state == "projection" and upper in _PROJECTION_END) or (
                state == "modifier" and upper in _MODIFIER_END
            ):
                state = ""
        elif token in "{}" and kind in ("open", "close"):
            state = ""
        elif kind == "open" and token == "(":
            depth += 1
        elif kind == "close" and token == ")":
            depth -= 1
        if kind == "var" and token[1:] in terms and previous != "AS":
            term = terms[token[1:]]
            if state == "projection" and depth == 0:
                token = f"({term} AS ?{token[1:]})"
            elif state == "modifier" and depth == 0:
                token = f"({term})"
            else:
                token = term
        out.append(token)
        if kind not in ("comment", "space"):
            previous = upper
    return "".join(out)


def refuse_service(text: str) -> None:
    """Refuse a text with the keyword SERVICE anywhere outside strings, IRIs and comments. kg.query.guard
    already
    refused it on rdflib's parse; this checks the very text the store parses, because Oxigraph (and a remote
    endpoint) would make the HTTP request itself, from native code the sandbox's audit hook never sees."""
    if _says_service(text):
        raise QueryError(400, MSG_SERVICE)


@lru_cache(maxsize=512)
def _says_service(text: str) -> bool:
    previous = ""
    for kind, token in tokens(text):
        if kind == "word" and token.upper() == "SERVICE" and previous != ":":
            return True
        if kind not in ("comment", "space"):
            previous = token
    return False


def _term(node: Node) -> str:
    if isinstance(node, URIRef) and not _IRI_SAFE.match(str(node)):
        raise QueryError(400, "a parameter is not a valid IRI")
    if isinstance(node, BNode):
        raise QueryError(400, "a blank node cannot be a parameter here")
    return node.n3()


# --- the backend protocol ----------------------------------------------------------------------------------


@runtime_checkable
class Backend(Protocol):
    """A store that evaluates SPARQL itself, in a long-lived sandboxed child (see `kg.query.execute`)."""

    def evaluate(
        self,
        prepared: Any,
        bindings: Mapping[str, Node],
        default_uris: Sequence[str],
        named_uris: Sequence[str],
        max_rows: int | None,
        timeout: float | None,
    ) -> bytes:
        """The wire-encoded result (`kg.stores.wire`) of *prepared* with *bindings* on this store."""
        ...

    def sandbox_needs(self) -> dict[str, Any]:
        """What the sandboxed child must keep (`keep_paths`: the store's files) or reach (`connect`), and how
        much lower its priority starts (`nice`, default 5)."""
        ...


@runtime_checkable
class Serializing(Protocol):
    """A backend that can also write results in a wire format itself (optional: the Oxigraph store)."""

    def serialize(
        self,
        prepared: Any,
        bindings: Mapping[str, Node],
        default_uris: Sequence[str],
        named_uris: Sequence[str],
        max_rows: int | None,
        fmt: str,
    ) -> tuple[bytes, bool] | None:
        """The result of *prepared* in the format *fmt* (a name of `kg.rdf.formats`) and whether the row cap
        cut it, or None when this store does not write that format for this query (`evaluate` then answers).
        Run in the store's sandboxed child, like `evaluate`."""
        ...


def backend(kg: KnowledgeGraph) -> Backend | None:
    """The store behind *kg* when it evaluates SPARQL itself, else None (rdflib's memory store)."""
    store = getattr(getattr(kg, "union", None), "store", None)
    return store if isinstance(store, Backend) else None
