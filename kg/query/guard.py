"""Static checks on SPARQL text: size, updates, SERVICE, nesting, syntax — decided before anything runs.

``prepare`` parses a query once and refuses what the endpoint never runs. ``query_kind`` and ``is_update``
read the query form from the text with a small lexer (no parse), for content negotiation and early refusal;
``check_text`` does the cheap checks (size, update, nesting) that need no parse at all.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from kg.errors import QueryError
from kg.rdf.sparql_lexer import tokens
from kg.stores.base import MSG_SERVICE

log = logging.getLogger(__name__)

MAX_QUERY_BYTES = 100_000  # "query text over 100 KB -> 413"
MAX_NESTING = 200  # groups, parentheses and brackets; real queries stay below 20
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

MSG_TOO_LONG = "the query text is longer than 100 KB"
MSG_UPDATE = "updates are not allowed: this endpoint is read-only"
MSG_NESTED = "the query is nested too deeply"

# pyparsing is not thread-safe (rdflib#1282): two threads parsing at once can leave rdflib's SPARQL grammar
# broken for the life of the process ("postParse2() missing 1 required positional argument"), so a process
# parses one query at a time. A forked child gets a fresh lock (another thread may hold it at fork time).
_parse_lock = threading.Lock()


def _new_parse_lock() -> None:
    global _parse_lock
    _parse_lock = threading.Lock()


os.register_at_fork(after_in_child=_new_parse_lock)


@dataclass(frozen=True)
class Prepared:
    """A parsed, translated and checked query: run it many times without parsing again."""

    text: str
    kind: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    query: Query = field(repr=False, compare=False)

    @property
    def vars(self) -> tuple[str, ...]:
        """The projected variables of a SELECT (empty for other forms)."""
        return tuple(str(v) for v in self.query.algebra.PV or ()) if self.kind == "SELECT" else ()

    @property
    def dataset_clause(self) -> tuple[tuple[str, str], ...]:
        """FROM / FROM NAMED of the query as ("default" | "named", IRI) pairs, in order."""
        pairs = []
        for clause in self.query.algebra.datasetClause or ():
            for kind in ("default", "named"):
                if kind in clause:
                    pairs.append((kind, str(clause[kind])))
        return tuple(pairs)


def check_text(text: str) -> None:
    """The cheap checks, before any parsing: 413 if over the size limit (UTF-8 bytes), 400 for an update
    or nesting deeper than MAX_NESTING."""
    if not isinstance(text, str):
        raise QueryError(400, "the query must be text")
    if len(text) > MAX_QUERY_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_QUERY_BYTES:
        raise QueryError(413, MSG_TOO_LONG)
    if is_update(text):
        raise QueryError(400, MSG_UPDATE)
    if nesting_depth(text) > MAX_NESTING:
        raise QueryError(400, MSG_NESTED)


def prepare(text: str) -> Prepared:
    """Parse and translate *text* once; refuse updates, SERVICE, overlong or too deeply nested queries."""
    check_text(text)
    try:
        with _parse_lock:
            tree = parseQuery(text)
            if _mentions_service(tree):
                raise QueryError(400, MSG_SERVICE)
            query = translateQuery(tree)
    except QueryError:
        raise
    except RecursionError:
        raise QueryError(400, MSG_NESTED) from None
    except ParseBaseException as exc:
        raise QueryError(400, syntax_message(exc)) from None
    except Exception as exc:  # rdflib raises bare Exceptions, e.g. for an unknown prefix
        log.info("query rejected at translation: %r", exc)
        raise QueryError(400, f"the query is invalid: {_short(str(exc))}") from None
    if _mentions_service(query.algebra):
        raise QueryError(400, MSG_SERVICE)
    if query.algebra.name == "SelectQuery" and tree[1].projection is None:
        _order_like_text(query.algebra.PV, text)
    kind = query.algebra.name.removesuffix("Query").upper()
    if kind not in QUERY_FORMS:  # pragma: no cover - the grammar only has these four
        raise QueryError(400, "only SELECT, ASK, CONSTRUCT and DESCRIBE queries are allowed")
    return Prepared(text=text, kind=kind, query=query)


def _order_like_text(variables: list[Any], text: str) -> None:
    """SELECT *: columns in order of first appearance (rdflib's order depends on the hash seed)."""
    first: dict[str, int] = {}
    for m in re.finditer(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\U000effff]+)", text):
        first.setdefault(m.group(1), m.start())
    variables.sort(key=lambda v: (first.get(str(v), len(text)), str(v)))


def syntax_message(exc: ParseBaseException) -> str:
    """One sentence with line and column, without pyparsing's character offset."""
    detail = str(exc).partition("(at char ")[0]
    if is_update(exc.pstr or ""):
        return MSG_UPDATE
    return f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {_short(detail)}"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mentions_service(root: Any) -> bool:
    """True if a SERVICE pattern occurs anywhere in a parse tree or algebra (iterative: any depth)."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern" or "service_string" in node:
                return True
            stack.extend(node.values())
        elif isinstance(node, ParseResults):
            stack.extend(node)
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)
    return False


# --- query form from text, without parsing ---------------------------------------------------------------

# Linear time on any input: a string runs to its closing quote or, unterminated, to the end of its line
# (short strings) or of the text (long strings); possessive loops never backtrack, so no text is scanned
# twice (a plain `"(?:[^"\\]|\\.)*"` takes minutes on 100 KB of `"\`).


def _first_keyword(text: str) -> str | None:
    """The first word after the prologue (BASE / PREFIX declarations), upper-cased."""
    expecting_iri = False
    try:
        text = expandUnicodeEscapes(text)  # as rdflib does before parsing: \u0053ELECT is SELECT
    except ValueError:  # an escape beyond U+10FFFF: the parser refuses the query anyway
        pass
    for kind, token in tokens(text):
        if kind == "iri":
            if not expecting_iri:
                return None
            expecting_iri = False
        elif kind == "word" and not expecting_iri:
            word = token.upper()
            if word in ("BASE", "PREFIX"):
                expecting_iri = True
                continue
            return word
    return None


def nesting_depth(text: str) -> int:
    """The deepest nesting of braces, parentheses and brackets outside strings, IRIs and comments."""
    depth = deepest = 0
    for kind, _ in tokens(text):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
    return deepest


def query_kind(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE as read from *text* (without executing it); None if not a query."""
    word = _first_keyword(text)
    return word if word in QUERY_FORMS else None


def is_update(text: str) -> bool:
    """True if *text* is a SPARQL Update request (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE,
    COPY, WITH …)."""
    return _first_keyword(text) in UPDATE_WORDS
