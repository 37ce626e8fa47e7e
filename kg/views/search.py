"""Label search: preferred, alternative (acronyms) and schema.org names, ranked exact > prefix > word match.

`SearchIndex.build(graph)` reads the labels once (the graph is immutable); `index.search(q)` is a scan over a
few thousand lower-cased strings, which is fast enough for this graph and keeps ranking easy to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from kg.rdf.labels import label
from kg.rdf.namespaces import SCHEMA

# The label properties searched, in order of preference when one entity matches through several.
FIELDS: tuple[tuple[URIRef, str], ...] = (
    (SKOS.prefLabel, "prefLabel"),
    (RDFS.label, "label"),
    (SCHEMA.name, "name"),
    (SKOS.altLabel, "altLabel"),
)
# Ranks, best first (lower is better).
EXACT, PREFIX, WORD, CONTAINS = 0, 1, 2, 3
MATCH_NAMES = {EXACT: "exact", PREFIX: "prefix", WORD: "word", CONTAINS: "contains"}
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, display label, the text that matched and how."""

    iri: str
    label: str
    matched: str
    field: str
    match: str  # exact | prefix | word | contains
    types: tuple[str, ...]  # labels of its rdf:types

    def as_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "label": self.label,
            "matched": self.matched,
            "field": self.field,
            "match": self.match,
            "types": list(self.types),
        }


@dataclass(frozen=True)
class _Entry:
    text: str  # lower-cased
    words: tuple[str, ...]
    original: str
    field_rank: int
    iri: URIRef


class SearchIndex:
    """The searchable labels of one graph."""

    def __init__(self, graph: Graph, entries: list[_Entry], types_graph: Graph | None = None) -> None:
        self._graph = graph
        self._types = types_graph if types_graph is not None else graph
        self._entries = entries

    @classmethod
    def build(cls, graph: Graph, types_graph: Graph | None = None) -> SearchIndex:
        """Index the labels in *graph*; hits list their types as found in *types_graph* (e.g. asserted)."""
        entries: list[_Entry] = []
        seen: set[tuple[URIRef, str, int]] = set()
        for rank, (prop, _name) in enumerate(FIELDS):
            for subject, value in graph.subject_objects(prop):
                if not isinstance(subject, URIRef) or not isinstance(value, Literal):
                    continue
                if value.language not in (None, "", "en") and not value.language.startswith("en-"):
                    continue
                text = str(value).strip()
                key = (subject, text.casefold(), rank)
                if not text or key in seen:
                    continue
                seen.add(key)
                folded = text.casefold()
                entries.append(_Entry(folded, tuple(_WORD.findall(folded)), text, rank, subject))
        return cls(graph, entries, types_graph)

    def search(self, q: str, limit: int = 50) -> tuple[Hit, ...]:
        """Entities whose labels match *q* (case-insensitive), best first, one hit per entity.

        Ranked by match kind (exact, prefix, word, contains); among word matches, whole words before word
        prefixes; then shorter (more specific) labels, preferred before alternative labels, alphabetically.
        """
        query = " ".join(q.split()).casefold()
        if not query:
            return ()
        tokens = tuple(_WORD.findall(query))
        best: dict[URIRef, tuple[tuple[int, int, int, int, str], _Entry]] = {}
        for entry in self._entries:
            rank = _rank(entry, query, tokens)
            if rank is None:
                continue
            partial = sum(1 for t in tokens if t not in entry.words) if rank == WORD else 0
            key = (rank, partial, len(entry.text), entry.field_rank, entry.text)
            current = best.get(entry.iri)
            if current is None or key < current[0]:
                best[entry.iri] = (key, entry)
        ordered = sorted(best.items(), key=lambda item: item[1][0])
        return tuple(self._hit(iri, key[0], entry) for iri, (key, entry) in ordered[: max(limit, 0)])

    def _hit(self, iri: URIRef, rank: int, entry: _Entry) -> Hit:
        types = sorted(
            {label(self._graph, t) for t in self._types.objects(iri, RDF.type) if isinstance(t, URIRef)}
        )
        return Hit(
            iri=str(iri),
            label=label(self._graph, iri),
            matched=entry.original,
            field=FIELDS[entry.field_rank][1],
            match=MATCH_NAMES[rank],
            types=tuple(types),
        )


def _rank(entry: _Entry, query: str, tokens: tuple[str, ...]) -> int | None:
    if entry.text == query:
        return EXACT
    if entry.text.startswith(query):
        return PREFIX
    if tokens and all(any(word.startswith(token) for word in entry.words) for token in tokens):
        return WORD
    if len(query) >= 3 and query in entry.text:
        return CONTAINS
    return None


def search(kg: Any, q: str, limit: int = 50) -> tuple[Hit, ...]:
    """One-off search over ``kg.union`` (the web app keeps a `SearchIndex` instead of rebuilding it)."""
    return SearchIndex.build(kg.union, kg.data).search(q, limit)
