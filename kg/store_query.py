"""The two non-memory stores behind `kg.store`, and SPARQL evaluation on them inside the sandboxed child.

- `OxigraphBacked`: oxrdflib's Oxigraph store over a read-only pyoxigraph store, with terms converted the way
  rdflib writes them (a plain literal stays plain, not ``^^xsd:string``). `evaluate` runs the query text on
  pyoxigraph itself, never rdflib's engine; parameters are Oxigraph substitutions (pre-bound variables).
- `RemoteStore`: rdflib's SPARQLStore whose default graph is the union of the KG's named graphs (sent as
  ``default-graph-uri`` parameters, so an endpoint's own system graphs stay out). `evaluate` sends the query
  text to the endpoint with parameters substituted into the text as RDF terms (`substitute`).

Both honour the dataset rules of `kg.sparql`: no dataset given means the union default graph and every named
graph; given IRIs pick among the KG's graphs and any other IRI is an empty graph.
"""

from __future__ import annotations

import io
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from typing import Any
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from oxrdflib import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from rdflib.term import Node

from kg import wire
from kg.guard import MSG_SERVICE, QueryError

EMPTY_GRAPH = "urn:x-careers-kg:empty-graph"  # a graph no store holds: "the empty graph"
UNION_GRAPH = "urn:x-arq:UnionGraph"
_IRI_SAFE = re.compile(r'^[^<>"{}|^`\\\x00-\x20]*$')


# --- term conversion ---------------------------------------------------------------------------------------


def to_ox(term: Node) -> Any:
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ValueError(f"not an RDF term: {term!r}")


def from_ox(term: Any) -> Node | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == str(XSD.string) else Literal(term.value, datatype=datatype)
    raise ValueError(f"unexpected Oxigraph term: {term!r}")


# --- Oxigraph ----------------------------------------------------------------------------------------------


class OxigraphBacked(OxigraphStore):
    """A read-only pyoxigraph store behind rdflib's Graph API."""

    def __init__(
        self, *, store: Any, directory: str, graphs: tuple[str, ...], union_in_default: bool
    ) -> None:
        super().__init__(store=store)
        self.directory = directory
        self.graphs = graphs
        self.union_in_default = union_in_default

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:  # type: ignore[override]

        try:
            s, p, o = (None if t is None else to_ox(t) for t in triple_pattern)
        except ValueError:
            return iter(())
        graph = None if context is None else _graph_name(context)
        return (
            ((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)), iter((None,)))
            for q in self._inner.quads_for_pattern(s, p, o, graph)
        )

    def __len__(self, context: Any = None) -> int:  # type: ignore[override]
        kwargs = self._default_kwargs() if context is None else {"default_graph": _graph_name(context)}
        solutions = self._inner.query("SELECT (COUNT(*) AS ?c) { ?s ?p ?o }", **kwargs)
        return int(next(iter(solutions))[0].value)

    def _default_kwargs(self) -> dict[str, Any]:
        return {} if self.union_in_default else {"use_default_graph_as_union": True}

    def add(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the Oxigraph store of the knowledge graph is read-only")

    addN = remove = update = add  # noqa: N815


def _graph_name(context: Any) -> Any:
    """The pyoxigraph graph name of an rdflib graph (or identifier): rdflib's default graph is Oxigraph's."""
    import pyoxigraph as ox

    ident = context.identifier if isinstance(context, Graph) else context
    return ox.DefaultGraph() if str(ident) == str(DATASET_DEFAULT_GRAPH_ID) else to_ox(URIRef(str(ident)))


def evaluate_oxigraph(
    store: OxigraphBacked,
    prepared: Any,
    bindings: Mapping[str, Node],
    default_uris: Sequence[str],
    named_uris: Sequence[str],
    max_rows: int | None,
) -> bytes:
    import pyoxigraph as ox

    kwargs: dict[str, Any] = {}
    if not default_uris and not named_uris:
        kwargs = store._default_kwargs()
    else:
        local = set(store.graphs)
        union = [ox.DefaultGraph()] if store.union_in_default else [ox.NamedNode(g) for g in store.graphs]
        default: list[Any] = []
        for iri in dict.fromkeys(default_uris):
            default += union if iri == UNION_GRAPH else [ox.NamedNode(iri)] if iri in local else []
        kwargs["default_graph"] = default or [ox.NamedNode(EMPTY_GRAPH)]
        kwargs["named_graphs"] = [ox.NamedNode(i) for i in dict.fromkeys(named_uris) if i in local]
    text = prepared.text
    if bindings and prepared.kind == "SELECT" and not set(bindings) <= set(prepared.vars):
        text = substitute(text, bindings)  # Oxigraph substitutes projected variables only
    elif bindings:
        kwargs["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
    refuse_service(text)
    result = store._inner.query(text, **kwargs)
    if prepared.kind == "SELECT":  # terms go to the wire straight from pyoxigraph's, not through rdflib's
        names = prepared.vars
        fill = {name: wire.encode_term(bindings[name]) for name in names if name in bindings}
        rows = ([_or(_ox_wire(solution[name]), fill.get(name)) for name in names] for solution in result)
        taken, truncated = _cap(rows, max_rows)
        return wire.encode("SELECT", vars=names, rows=taken, truncated=truncated, term=_same)
    if prepared.kind == "ASK":
        return wire.encode("ASK", boolean=bool(result))
    triples = ((x.subject, x.predicate, x.object) for x in result)
    taken, truncated = _cap(_distinct(triples), max_rows)
    return wire.encode(prepared.kind, triples=taken, truncated=truncated, term=_ox_wire)


_XSD_STRING = str(XSD.string)


def _ox_wire(term: Any) -> wire.Term:
    """A pyoxigraph term in kg.wire's encoding (a plain literal stays plain: no ^^xsd:string)."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return "U" + term.value
    if kind == "BlankNode":
        return "B" + term.value
    if kind == "Literal":
        if term.language:
            return [term.value, "@" + term.language]
        datatype = term.datatype.value
        return [term.value] if datatype == _XSD_STRING else [term.value, datatype]
    raise ValueError(f"unexpected Oxigraph term: {term!r}")


def _same(value: Any) -> Any:
    return value


def _distinct(items: Iterator[Any]) -> Iterator[Any]:
    seen: set[Any] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item


def _cap(items: Iterator[Any], max_rows: int | None) -> tuple[list[Any], bool]:
    if max_rows is None:
        return list(items), False
    taken = list(islice(items, max_rows + 1))
    return taken[:max_rows], len(taken) > max_rows


# --- remote SPARQL endpoint --------------------------------------------------------------------------------

_ACCEPT_RESULTS = "application/sparql-results+json"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"
_GRAPH_FORMATS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def post(
    url: str, query: str, default: Sequence[str], named: Sequence[str], accept: str, timeout: float
) -> Any:
    """POST *query* (form-encoded, with the dataset as protocol parameters); the HTTP response."""
    fields = [("query", query)]
    fields += [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]
    request = Request(
        url,
        data=urlencode(fields).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    return urlopen(request, timeout=timeout)  # noqa: S310 - the configured endpoint, http(s) only


def endpoint_address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


class RemoteStore(SPARQLStore):
    """rdflib's SPARQLStore over *url*, whose default graph is the union of *graphs*.

    The KG is immutable while served, so the answers to triple patterns are kept (least recently used first
    out, at most CACHE_PATTERNS patterns of at most CACHE_TRIPLES triples each): a page asks for the same
    labels again and again, and each miss is one HTTP round trip."""

    CACHE_PATTERNS = 50_000
    CACHE_TRIPLES = 1_000

    def __init__(self, url: str, graphs: tuple[str, ...], timeout: float = 30.0) -> None:
        super().__init__(query_endpoint=url, returnFormat="json", method="POST_FORM")
        self.url = url
        self.graphs = graphs
        self.timeout = timeout
        self.address = endpoint_address(url)
        self._cache: OrderedDict[Any, list[Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._connect: frozenset[tuple[str, int]] | None = None

    def triples(self, spo: Any, context: Any = None) -> Iterator[Any]:  # type: ignore[override]
        graph = getattr(context, "identifier", None)
        key = (tuple(spo), None if graph is None else str(graph))
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
        if found is None:
            found = list(super().triples(spo, context))
            if len(found) <= self.CACHE_TRIPLES:
                with self._lock:
                    self._cache[key] = found
                    while len(self._cache) > self.CACHE_PATTERNS:
                        self._cache.popitem(last=False)
        return iter(found)

    def allowed_addresses(self) -> frozenset[tuple[str, int]]:
        """The endpoint's (host, port) and the addresses its host name resolves to (resolved once)."""
        if self._connect is None:
            import socket

            host, port = self.address
            allowed = {(host, port)}
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
                allowed |= {(str(info[4][0]), port) for info in infos}
            except OSError:
                pass
            self._connect = frozenset(allowed)
        return self._connect

    def _query(self, query: str, default_graph: Any = None, named_graph: Any = None) -> Result:  # type: ignore[override]
        self._queries += 1
        default = self.graphs if default_graph is None else (str(default_graph),)
        if default_graph is not None and str(default_graph) == str(DATASET_DEFAULT_GRAPH_ID):
            default = self.graphs
        with post(self.url, query, default, (), _ACCEPT_RESULTS, self.timeout) as response:
            result = Result.parse(io.BytesIO(response.read()), format="json")
        if result.type == "SELECT":
            result.bindings = [{v: _from_endpoint(t) for v, t in row.items()} for row in result.bindings]
        return result

    def _is_contextual(self, graph: Any) -> bool:  # type: ignore[override]
        return graph is not None and not isinstance(graph, str) and graph.identifier is not None


def evaluate_remote(
    store: RemoteStore,
    prepared: Any,
    bindings: Mapping[str, Node],
    default_uris: Sequence[str],
    named_uris: Sequence[str],
    max_rows: int | None,
    timeout: float | None,
) -> bytes:
    if not default_uris and not named_uris:
        default, named = list(store.graphs), list(store.graphs)
    else:
        local = set(store.graphs)
        default = []
        for iri in dict.fromkeys(default_uris):
            default += list(store.graphs) if iri == UNION_GRAPH else [iri] if iri in local else []
        default = default or [EMPTY_GRAPH]
        named = [i for i in dict.fromkeys(named_uris) if i in local] or [EMPTY_GRAPH]
    text = substitute(prepared.text, bindings) if bindings else prepared.text
    refuse_service(text)
    graph_form = prepared.kind in ("CONSTRUCT", "DESCRIBE")
    accept = _ACCEPT_GRAPH if graph_form else _ACCEPT_RESULTS
    with post(store.url, text, default, named, accept, timeout or store.timeout) as response:
        body = response.read()
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if not graph_form:
        result = Result.parse(io.BytesIO(body), format="json")
        if prepared.kind == "ASK":
            return wire.encode("ASK", boolean=bool(result.askAnswer))
        names = prepared.vars
        rows = (
            [_or(_from_endpoint(row.get(Variable(n))), bindings.get(n)) for n in names]
            for row in result.bindings
        )
        taken, truncated = _cap(rows, max_rows)
        return wire.encode("SELECT", vars=names, rows=taken, truncated=truncated)
    graph = Graph()
    graph.parse(data=body, format=_GRAPH_FORMATS.get(content_type, "turtle"))
    triples = (tuple(_from_endpoint(t) for t in triple) for triple in graph)
    taken, truncated = _cap(triples, max_rows)
    return wire.encode(prepared.kind, triples=taken, truncated=truncated)


def _or(value: Any, fallback: Any) -> Any:
    """*value*, or for an unbound one the parameter's value (SELECT * loses substituted variables)."""
    return fallback if value is None else value


def _from_endpoint(term: Node | None) -> Node | None:
    """A term as the endpoint returned it, in rdflib's form: a plain literal stays plain (not ^^xsd:string);
    an xsd:duration written as a bare number of months (Virtuoso 7 stores durations so: P2Y comes back as
    24) is written as a duration again."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    if isinstance(term, Literal) and term.datatype == XSD.duration and str(term).isdigit():
        years, months = divmod(int(str(term)), 12)
        text = "P" + (f"{years}Y" if years else "") + (f"{months}M" if months or not years else "")
        return Literal(text, datatype=XSD.duration)
    return term


# --- parameters substituted into the text ----------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00c0-\uffff][A-Za-z0-9_\u00b7\u00c0-\uffff]*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<space>\s+)
    | (?P<other>.)""",
    re.X | re.S,
)
_PROJECTION_END = frozenset({"WHERE", "FROM"})
_MODIFIER_END = frozenset({"LIMIT", "OFFSET", "HAVING", "VALUES", "SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})


def substitute(text: str, bindings: Mapping[str, Node]) -> str:
    """*text* with every occurrence of a bound variable replaced by its RDF term (SEP-0007 substitution, what
    rdflib's initBindings and Oxigraph's substitutions do): ``(term AS ?v)`` in a SELECT projection,
    ``(term)`` in GROUP BY / ORDER BY, the bare term elsewhere. Terms are written in rdflib's N3 form (IRIs
    checked, literals escaped), never pasted as raw text."""
    terms = {name: _term(node) for name, node in bindings.items()}
    out: list[str] = []
    state = ""  # "projection" | "modifier" | ""
    depth = 0  # parentheses
    previous = ""  # the last significant token, upper-cased
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
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
        elif kind == "other" and token in "{}":
            state = ""
        elif kind == "other" and token == "(":
            depth += 1
        elif kind == "other" and token == ")":
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
    """Refuse a text with the keyword SERVICE anywhere outside strings, IRIs and comments. kg.guard already
    refused it on rdflib's parse; this checks the very text the store parses, because Oxigraph (and a remote
    endpoint) would make the HTTP request itself, from native code the sandbox's audit hook never sees."""
    previous = ""
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "word" and token.upper() == "SERVICE" and previous != ":":
            raise QueryError(400, MSG_SERVICE)
        if kind not in ("comment", "space"):
            previous = token


def _term(node: Node) -> str:
    if isinstance(node, URIRef) and not _IRI_SAFE.match(str(node)):
        raise QueryError(400, "a parameter is not a valid IRI")
    if isinstance(node, BNode):
        raise QueryError(400, "a blank node cannot be a parameter here")
    return node.n3()


# --- what the sandbox needs ---------------------------------------------------------------------------------


def backend(kg: Any) -> Any:
    """The non-memory store behind *kg*, or None."""
    store = getattr(getattr(kg, "union", None), "store", None)
    return store if isinstance(store, (OxigraphBacked, RemoteStore)) else None


def sandbox_needs(kg: Any) -> dict[str, Any]:
    """What the child must keep (the store's files) or reach (the endpoint) for *kg*'s store."""
    store = backend(kg)
    if isinstance(store, OxigraphBacked):
        return {"keep_paths": (store.directory,)}
    if isinstance(store, RemoteStore):
        return {"connect": store.allowed_addresses()}
    return {}
