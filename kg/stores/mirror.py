"""An in-memory Oxigraph copy of a small memory-store graph, where the stored queries are evaluated.

rdflib's engine spends milliseconds on a stored query that pyoxigraph answers in a fraction of one (the seed:
accreditation-chain 3.6 ms against 0.3 ms, in process). For a graph of at most `MIRROR_MAX_TRIPLES` triples
the memory store therefore keeps a second copy of its named graphs in a pyoxigraph in-memory store, made on
the first stored query of each process (about 25 µs a triple: 70 ms for the seed) so that start-up does not
pay for it, and evaluated like the Oxigraph store, by `kg.stores.oxigraph` in a long-lived sandboxed child
(`kg.query.execute`): the engine is native code that no Python deadline interrupts. Larger graphs are not
mirrored (their copy would take seconds and hundreds of megabytes per worker): `auto` serves them from the
Oxigraph store anyway.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.stores.oxigraph import OxigraphBacked, to_ox

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

MIRROR_MAX_TRIPLES = 100_000  # larger graphs are not mirrored: their stored queries stay on rdflib

_mirrors: dict[int, Mirror] = {}  # id(kg) -> its mirror, dropped with the kg
_lock = threading.Lock()


class Mirror(OxigraphBacked):
    """An `OxigraphBacked` store held in memory: its sandboxed child needs no file and no socket, and runs at
    the server's priority, as the stored queries did in the worker (their text is the project's; a runaway
    is still demoted after half a second of CPU)."""

    def sandbox_needs(self) -> dict[str, Any]:
        return {"nice": 0}


def mirror(kg: KnowledgeGraph) -> Mirror | None:
    """The in-memory Oxigraph copy of *kg*'s graphs (made once per process), or None when *kg* is larger
    than `MIRROR_MAX_TRIPLES`."""
    if len(kg.union) > MIRROR_MAX_TRIPLES:
        return None
    key = id(kg)
    found = _mirrors.get(key)
    if found is None:
        with _lock:
            found = _mirrors.get(key)
            if found is None:
                found = _mirrors[key] = _load(kg)
                weakref.finalize(kg, _mirrors.pop, key, None)
    return found


def _load(kg: KnowledgeGraph) -> Mirror:
    import pyoxigraph as ox

    inner = ox.Store()
    graphs = [g.identifier for g in kg.dataset.graphs() if isinstance(g.identifier, URIRef)]
    graphs = [g for g in graphs if g != DATASET_DEFAULT_GRAPH_ID]
    terms: dict[object, object] = {}  # each term converted once: a graph repeats its terms many times

    def ox_term(term: object) -> object:
        found = terms.get(term)
        if found is None:
            found = terms[term] = to_ox(term)  # type: ignore[arg-type]
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
    store = Mirror(
        store=inner, directory="", graphs=tuple(map(str, graphs)), union_in_default=union_in_default
    )
    for prefix, ns in kg.union.namespaces():
        store.bind(prefix, ns)
    return store
