"""What the views share: the settings, the immutable KG, the prepared stored queries and the search index."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from flask import current_app
from rdflib.term import Node

from kg.config import Settings
from kg.rdf.labels import label
from kg.views.compare import Side, professions
from kg.views.search import SearchIndex

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph
    from kg.query.catalogue import Catalogue

T = TypeVar("T")


@dataclass
class WebState:
    settings: Settings
    kg: KnowledgeGraph
    catalogue: Catalogue  # name -> StoredQuery, parsed and prepared once
    search: SearchIndex
    professions: tuple[Side, ...]
    _memo: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, settings: Settings, kg: KnowledgeGraph) -> WebState:
        from kg.query.catalogue import load_catalogue

        return cls(
            settings=settings,
            kg=kg,
            catalogue=load_catalogue(settings.queries_dir, settings.root, settings.cache_dir),
            search=SearchIndex.for_kg(kg, settings.cache_dir),
            professions=professions(kg),
        )

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """*compute*() once per app (values derived from the immutable graph). None (e.g. an unknown entity)
        is not kept: keys come from requests, and misses must not grow the memo."""
        try:
            return self._memo[key]
        except KeyError:
            pass
        value = compute()
        if value is None:
            return value
        with self._lock:
            return self._memo.setdefault(key, value)

    def label(self, node: Node) -> str:
        return label(self.kg.union, node)


def state() -> WebState:
    """The state of the app handling the current request."""
    return current_app.extensions["careers_kg"]
