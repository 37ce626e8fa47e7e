"""The Oxigraph store behind `kg.stores.store`, and SPARQL evaluation on it inside the sandboxed child.

`OxigraphBacked`: oxrdflib's Oxigraph store over a read-only pyoxigraph store, with terms converted the way
rdflib writes them (a plain literal stays plain, not ``^^xsd:string``). `evaluate_oxigraph` runs the query
text on pyoxigraph itself, never rdflib's engine; parameters are Oxigraph substitutions (pre-bound variables).
It honours the dataset rules of `kg.query.execute` (see `kg.stores.base`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO

from oxrdflib import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.stores import native, wire
from kg.stores.base import EMPTY_GRAPH, UNION_GRAPH, bound_or, cap, refuse_service, substitute

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


def term_converter() -> Callable[[Node], Any]:
    """`to_ox` with a memo: loading a store converts each distinct term once (an IRI, a datatype or a common
    value is repeated thousands of times in a large graph)."""
    memo: dict[Node, Any] = {}

    def convert(term: Node) -> Any:
        found = memo.get(term)
        if found is None:
            found = memo[term] = to_ox(term)
        return found

    return convert


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


def evaluate_oxigraph(
    store: OxigraphBacked,
    prepared: Any,
    bindings: Mapping[str, Node],
    default_uris: Sequence[str],
    named_uris: Sequence[str],
    max_rows: int | None,
    timeout: float | None = None,
) -> bytes:
    """`kg.stores.base.Backend.evaluate` by Oxigraph (the sandboxed child's deadline is the time limit)."""
    import pyoxigraph as ox

    kwargs = query_kwargs(store, default_uris, named_uris)
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
        rows = ([bound_or(_ox_wire(solution[name]), fill.get(name)) for name in names] for solution in result)
        taken, truncated = cap(rows, max_rows)
        return wire.encode("SELECT", vars=names, rows=taken, truncated=truncated, term=None)
    if prepared.kind == "ASK":
        return wire.encode("ASK", boolean=bool(result))
    triples = ((x.subject, x.predicate, x.object) for x in result)
    taken, truncated = cap(_distinct(triples), max_rows)
    return wire.encode(prepared.kind, triples=taken, truncated=truncated, term=_ox_wire)


def serialize_oxigraph(
    store: OxigraphBacked,
    prepared: Any,
    bindings: Mapping[str, Node],
    default_uris: Sequence[str],
    named_uris: Sequence[str],
    max_rows: int | None,
    fmt: str,
) -> tuple[bytes, bool] | None:
    """The result in *fmt* and whether the cap cut it, written by pyoxigraph; None for a format it does not
    write here, or a ``SELECT *`` whose bound variables Oxigraph would drop (`evaluate_oxigraph` fills them).
    Parameters of a SELECT are substituted into the text, so that a projected one is bound as ``(term AS
    ?v)``: Oxigraph drops projected variables bound through its substitutions."""
    import pyoxigraph as ox

    graph = prepared.kind in ("CONSTRUCT", "DESCRIBE")
    if fmt not in (native.GRAPH_FORMATS if graph else native.RESULT_FORMATS):
        return None
    kwargs = query_kwargs(store, default_uris, named_uris)
    text = prepared.text
    if bindings and prepared.kind == "SELECT":
        text = substitute(text, bindings)
    elif bindings:
        kwargs["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
    refuse_service(text)
    result = store._inner.query(text, **kwargs)
    if graph:
        return native.triples(result, fmt, max_rows)
    if prepared.kind == "SELECT" and tuple(v.value for v in result.variables) != prepared.vars:
        return None
    return native.solutions(result, fmt, max_rows)


class OxigraphBacked(OxigraphStore):
    """A read-only pyoxigraph store behind rdflib's Graph API."""

    def __init__(
        self, *, store: Any, directory: str, graphs: tuple[str, ...], union_in_default: bool
    ) -> None:
        super().__init__(store=store)
        self.directory = directory
        self.graphs = graphs
        self.union_in_default = union_in_default

    evaluate = evaluate_oxigraph  # kg.stores.base.Backend
    serialize = serialize_oxigraph  # kg.stores.base.Serializing

    streamed_formats = ("jsonld", "ntriples", "turtle")  # the exports `write_graphs` writes

    def write_graphs(
        self,
        out: BinaryIO,
        fmt: str,
        graphs: Sequence[str],
        extra: Iterable[Any] = (),
        *,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        """The named *graphs* and the triples *extra* as one document in *fmt* (`streamed_formats`), streamed
        to *out* from pyoxigraph's writers (`kg.stores.native`): JSON-LD compacted with the prefixes of
        *context*, Turtle with the project prefixes, N-Triples."""
        import pyoxigraph as ox

        more = ox.Store()
        more.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in extra)
        if fmt == "jsonld":
            native.jsonld_document(self._inner, graphs, out, context=context or {}, extra=more)
        elif fmt in self.streamed_formats:
            native.graph_document(self._inner, graphs, out, fmt, extra=more)
        else:
            raise ValueError(f"the Oxigraph store does not write {fmt!r} (it writes {self.streamed_formats})")

    def write_nquads(self, out: BinaryIO) -> None:
        """Every named graph of the store as N-Quads, streamed to *out* (`native.quads_document`)."""
        native.quads_document(self._inner, self.graphs, out)

    def sandbox_needs(self) -> dict[str, Any]:
        return {"keep_paths": (self.directory,)}

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


def query_kwargs(
    store: OxigraphBacked, default_uris: Sequence[str], named_uris: Sequence[str]
) -> dict[str, Any]:
    """pyoxigraph's dataset arguments for the dataset rules of `kg.query.execute`."""
    import pyoxigraph as ox

    if not default_uris and not named_uris:
        return store._default_kwargs()
    local = set(store.graphs)
    union = [ox.DefaultGraph()] if store.union_in_default else [ox.NamedNode(g) for g in store.graphs]
    default: list[Any] = []
    for iri in dict.fromkeys(default_uris):
        default += union if iri == UNION_GRAPH else [ox.NamedNode(iri)] if iri in local else []
    return {
        "default_graph": default or [ox.NamedNode(EMPTY_GRAPH)],
        "named_graphs": [ox.NamedNode(i) for i in dict.fromkeys(named_uris) if i in local],
    }


_XSD_STRING = str(XSD.string)


def _ox_wire(term: Any) -> wire.Term:
    """A pyoxigraph term in kg.stores.wire's encoding (a plain literal stays plain: no ^^xsd:string)."""
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


def _distinct(items: Iterator[Any]) -> Iterator[Any]:
    seen: set[Any] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item
