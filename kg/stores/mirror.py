"""An in-memory Oxigraph copy of a small memory-store graph, where the stored queries are evaluated.

rdflib's engine spends milliseconds on a stored query that pyoxigraph answers in a fraction of one (the seed:
accreditation-chain 3.6 ms against 0.3 ms, in process). For a graph of at most `MIRROR_MAX_TRIPLES` triples
the memory store therefore keeps a second copy of its named graphs in a pyoxigraph in-memory store, made on
the first stored query of each process (17 ms for the seed, its literals checked) so that start-up does not
pay for it, and evaluated like the Oxigraph store, by `kg.stores.oxigraph` in a long-lived sandboxed child
(`kg.query.execute`): the engine is native code that no Python deadline interrupts. Larger graphs are not
mirrored (the copy costs about 6 µs a triple, and memory, in every worker): `auto` serves them from the
Oxigraph store anyway.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import TYPE_CHECKING, Any

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.stores.oxigraph import OxigraphBacked, serialize_oxigraph, to_ox

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

log = logging.getLogger(__name__)

MIRROR_MAX_TRIPLES = 100_000  # larger graphs are not mirrored: their stored queries stay on rdflib
# What pyoxigraph writes exactly as rdflib's writers do. Not XML (Oxigraph writes no line breaks), TSV (it
# abbreviates numbers: 15.17 for "15.17"^^xsd:decimal) or Turtle (other prefixes): same results, other bytes.
SAME_BYTES = ("json", "csv", "ntriples")

_mirrors: dict[int, Mirror | None] = {}  # id(kg) -> its mirror (None: none), dropped with the kg
_lock = threading.Lock()


class Mirror(OxigraphBacked):
    """An `OxigraphBacked` store held in memory: its sandboxed child needs no file and no socket, and runs at
    the server's priority, as the stored queries did in the worker (their text is the project's; a runaway
    is still demoted after half a second of CPU)."""

    def sandbox_needs(self) -> dict[str, Any]:
        return {"nice": 0}

    def serialize(self, prepared: Any, bindings: Any, default_uris: Any, named_uris: Any, max_rows: Any,
                  fmt: str) -> tuple[bytes, bool] | None:  # fmt: skip
        """`kg.stores.oxigraph.serialize_oxigraph` for the formats pyoxigraph writes byte for byte as rdflib
        does (`SAME_BYTES`); None for the others, whose rows come back as terms and are written by rdflib."""
        if fmt not in SAME_BYTES:
            return None
        return serialize_oxigraph(self, prepared, bindings, default_uris, named_uris, max_rows, fmt)


def mirror(kg: KnowledgeGraph) -> Mirror | None:
    """The in-memory Oxigraph copy of *kg*'s graphs (made once per process), or None when *kg* is larger
    than `MIRROR_MAX_TRIPLES` or holds a literal Oxigraph would write differently (see `_load`)."""
    if len(kg.union) > MIRROR_MAX_TRIPLES:
        return None
    key = id(kg)
    if key not in _mirrors:
        with _lock:
            if key not in _mirrors:
                _mirrors[key] = _load(kg)
                weakref.finalize(kg, _mirrors.pop, key, None)
    return _mirrors[key]


def _load(kg: KnowledgeGraph) -> Mirror | None:
    """A copy of *kg*'s named graphs (and of their union, where they overlap), or None if Oxigraph changed a
    literal: it keeps numbers, dates and durations in canonical form ("125264.90"^^xsd:decimal comes back as
    125264.9) and language tags in lower case, where rdflib keeps what the data wrote; the mirror must
    answer exactly as rdflib does."""
    import pyoxigraph as ox

    inner = ox.Store()
    graphs = [g.identifier for g in kg.dataset.graphs() if isinstance(g.identifier, URIRef)]
    graphs = [g for g in graphs if g != DATASET_DEFAULT_GRAPH_ID]
    terms: dict[Node, Any] = {}  # each term converted once: a graph repeats its terms many times

    def ox_term(term: Node) -> Any:
        found = terms.get(term)
        if found is None:
            found = terms[term] = to_ox(term)
        return found

    named = 0
    for identifier in graphs:
        name = ox.NamedNode(str(identifier))
        quads = [
            ox.Quad(ox_term(s), ox_term(p), ox_term(o), name) for s, p, o in kg.dataset.graph(identifier)
        ]
        inner.bulk_extend(quads)
        named += len(quads)
    union_in_default = named != len(kg.union)  # overlapping graphs: keep the union (a set) too
    if union_in_default:
        inner.bulk_extend(
            ox.Quad(ox_term(s), ox_term(p), ox_term(o), ox.DefaultGraph()) for s, p, o in kg.union
        )
    changed = _literals(inner) ^ {_written(term) for term in terms if isinstance(term, Literal)}
    if changed:
        log.info("stored queries run on rdflib: Oxigraph would change %d literals", len(changed) // 2)
        return None
    store = Mirror(
        store=inner, directory="", graphs=tuple(map(str, graphs)), union_in_default=union_in_default
    )
    for prefix, ns in kg.union.namespaces():
        store.bind(prefix, ns)
    return store


def _literals(store: Any) -> set[tuple[str, str, str | None]]:
    import pyoxigraph as ox

    return {_key(q.object) for q in store if isinstance(q.object, ox.Literal)}  # as the store writes them


def _key(literal: Any) -> tuple[str, str, str | None]:
    return literal.value, literal.datatype.value, literal.language


def _written(literal: Literal) -> tuple[str, str, str | None]:
    """An rdflib literal as `_key` reads a pyoxigraph one (RDF 1.1: a plain literal is an xsd:string)."""
    datatype = RDF.langString if literal.language else literal.datatype or XSD.string
    return str(literal), str(datatype), literal.language
