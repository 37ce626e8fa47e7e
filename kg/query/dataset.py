"""The dataset of a query on the memory store, from locally held graphs only (the rules of
`kg.query.execute`): nothing is ever fetched or read from disk."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.stores.base import UNION_GRAPH

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph


def local_dataset(
    kg: KnowledgeGraph, default_uris: Sequence[str], named_uris: Sequence[str]
) -> tuple[Graph, LocalDataset]:
    """The default graph and the named graphs of the query's dataset, from locally held graphs only."""
    local = _local_graphs(kg)
    if not default_uris and not named_uris:
        return kg.union, LocalDataset(local)
    named = LocalDataset({URIRef(i): local[URIRef(i)] for i in named_uris if URIRef(i) in local})
    iris = [URIRef(i) for i in dict.fromkeys(default_uris)]
    picked = [kg.union if str(iri) == UNION_GRAPH else local.get(iri) for iri in iris]
    chosen = [g for g in picked if g is not None]
    if len(chosen) == 1:
        return chosen[0], named
    merged = Graph()
    for graph in chosen:
        for triple in graph.triples((None, None, None)):
            merged.add(triple)
    return merged, named


def _local_graphs(kg: KnowledgeGraph) -> dict[URIRef, Graph]:
    dataset = kg.dataset
    graphs = dataset.graphs() if hasattr(dataset, "graphs") else dataset.contexts()
    return {
        g.identifier: g
        for g in graphs
        if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID
    }


class LocalDataset(Dataset):
    """The named graphs a query may see: a fixed set of local graphs; any other IRI is an empty graph."""

    def __init__(self, graphs: dict[URIRef, Graph]) -> None:
        super().__init__()
        self._local = graphs

    def contexts(self, triple: Any = None) -> Iterator[Graph]:  # type: ignore[override]
        return iter(self._local.values())

    graphs = contexts  # type: ignore[assignment]

    def get_context(self, identifier: Any, quoted: bool = False, base: str | None = None) -> Graph:
        found = self._local.get(identifier) if isinstance(identifier, URIRef) else None
        return found if found is not None else Graph()
