"""The remote SPARQL store behind `kg.stores.store`, and SPARQL evaluation on it inside the sandboxed child.

`RemoteStore`: rdflib's SPARQLStore whose default graph is the union of the KG's named graphs (sent as
``default-graph-uri`` parameters, so an endpoint's own system graphs stay out). `evaluate_remote` sends the
query text to the endpoint with parameters substituted into the text as RDF terms
(`kg.stores.base.substitute`).
It honours the dataset rules of `kg.query.execute` (see `kg.stores.base`).
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from rdflib import Graph, Literal, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from rdflib.term import Node

from kg.stores import wire
from kg.stores.base import EMPTY_GRAPH, UNION_GRAPH, bound_or, cap, refuse_service, substitute

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
            [bound_or(_from_endpoint(row.get(Variable(n))), bindings.get(n)) for n in names]
            for row in result.bindings
        )
        taken, truncated = cap(rows, max_rows)
        return wire.encode("SELECT", vars=names, rows=taken, truncated=truncated)
    graph = Graph()
    graph.parse(data=body, format=_GRAPH_FORMATS.get(content_type, "turtle"))
    triples = (tuple(_from_endpoint(t) for t in triple) for triple in graph)
    taken, truncated = cap(triples, max_rows)
    return wire.encode(prepared.kind, triples=taken, truncated=truncated)


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

    evaluate = evaluate_remote  # kg.stores.base.Backend

    def sandbox_needs(self) -> dict[str, Any]:
        return {"connect": self.allowed_addresses()}

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
