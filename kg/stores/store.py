"""The seam where the graph lives: the same KnowledgeGraph (rdflib Graph API) over one of three stores.

``--store`` / `Settings.store` (environment: CAREERS_KG_STORE):

- `memory` (the default): rdflib's in-memory store, from the build cache; SPARQL evaluated by rdflib.
- `oxigraph[:DIR]`: an on-disk Oxigraph (pyoxigraph) store in DIR (default `CACHE/oxigraph-<version>`),
  loaded once per build (the build cache key is kept in DIR) and opened read-only: a restart neither
  rebuilds nor reloads. SPARQL evaluated by Oxigraph.
- `sparql:QUERY_URL`: a remote SPARQL 1.1 endpoint that the deployer loaded with the built graph's named
  graphs (asserted, ontology, inferred: `careers-kg export --named-graphs -o kg.nq`). SPARQL evaluated by
  the endpoint.

Everything above the seam reads `kg.union`, `kg.data`, ... through rdflib's Graph API (triples, value,
objects, ``in``), so describe, compare, search and the pages run unchanged: on Oxigraph through oxrdflib's
store, on a remote endpoint through rdflib's SPARQLStore (one small query per triple pattern, cached: the KG
is immutable). Queries run through `kg.query.execute.execute` go to the store's own engine in the sandboxed
child
(`kg.stores.base`, `kg.stores.oxigraph`, `kg.stores.remote`).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.paths import Path as RdfPath

from kg.config import Settings
from kg.errors import ConfigError
from kg.rdf.namespaces import GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY
from kg.stores.loading import REPORT, OxigraphLoad, load, read_meta

if TYPE_CHECKING:
    pass

__all__ = ["StoreSpec", "open_kg", "open_store", "parse_store", "quads", "resolve_store"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class StoreSpec:
    kind: str  # "memory" | "oxigraph" | "sparql"
    location: str = ""  # oxigraph: a directory ("" = the default); sparql: the query URL


AUTO_OXIGRAPH_BYTES = 16 * 2**20  # `auto`: data files this large or larger go to Oxigraph


def parse_store(value: str) -> StoreSpec:
    """`auto`, `memory`, `oxigraph`, `oxigraph:DIR` or `sparql:URL`; ConfigError otherwise."""
    kind, _, location = (value or "auto").partition(":")
    kind = kind.strip().lower()
    if kind in ("memory", "auto") and not location:
        return StoreSpec(kind)
    if kind == "oxigraph":
        return StoreSpec("oxigraph", location)
    if kind == "sparql":
        url = urlsplit(location)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(f"--store sparql: needs an http(s) query URL, got {location!r}")
        return StoreSpec("sparql", location)
    raise ConfigError(f"unknown store {value!r}: use auto, memory, oxigraph[:DIR] or sparql:QUERY_URL")


def resolve_store(settings: Settings) -> StoreSpec:
    """The store *settings* name; `auto` (the default) is the memory store for small data (the seed) and an
    Oxigraph store once the data files reach `AUTO_OXIGRAPH_BYTES` (the OEWS figures): rdflib's memory store
    holds a million triples in gigabytes and loads them in seconds, Oxigraph opens them from disk at once."""
    spec = parse_store(settings.store)
    if spec.kind != "auto":
        return spec
    size = sum(_uncompressed_size(Path(path)) for path in settings.data_files)
    return StoreSpec("oxigraph" if size >= AUTO_OXIGRAPH_BYTES else "memory")


def _uncompressed_size(path: Path) -> int:
    """The size of *path*'s content: for a gzip file, the size its trailer records (mod 2**32); 0 when it
    cannot be read (the build names the unreadable file)."""
    try:
        with path.open("rb") as src:
            if path.name.endswith(".gz"):
                src.seek(-4, 2)
                return int.from_bytes(src.read(4), "little")
            return src.seek(0, 2)
    except OSError:
        return 0


def open_kg(settings: Settings, *, use_cache: bool = True, progress: Progress | None = None) -> Any:
    """The KnowledgeGraph for *settings* on the store it names (`memory`: exactly
    `kg.pipeline.build.build`)."""
    from kg.pipeline.build import build

    spec = resolve_store(settings)
    if spec.kind == "oxigraph":
        return _open_oxigraph(settings, spec, use_cache=use_cache, progress=progress)
    kg = build(settings, use_cache=use_cache, progress=progress)
    return kg if spec.kind == "memory" else open_store(settings, kg)


def open_store(settings: Settings, kg: Any) -> Any:
    """*kg* (a built, in-memory KnowledgeGraph) served from the store *settings* names: the same version,
    report and counts, with dataset/data/ontology/inferred/union backed by that store."""
    spec = resolve_store(settings)
    if spec.kind == "memory":
        return kg
    if spec.kind == "oxigraph":
        directory = _oxigraph_dir(settings, spec, kg.version)
        key = _key_for(settings, kg.version)
        meta = read_meta(directory)
        if meta is None or meta["key"] != key:
            meta = load(directory, kg.built(), key=key)
        return _oxigraph_kg(directory, meta)
    return _remote_kg(spec.location, kg)


def quads(kg: Any) -> Iterator[tuple[Any, Any, Any, URIRef]]:
    """Every (s, p, o, graph IRI) of *kg*'s named graphs: what a store is loaded with."""
    for iri, graph in kg.built().graphs:
        for s, p, o in graph:
            yield s, p, o, iri


# --- Oxigraph ----------------------------------------------------------------------------------------------


def _open_oxigraph(settings: Settings, spec: StoreSpec, *, use_cache: bool, progress: Progress | None) -> Any:
    from kg.pipeline.build import cache_key, compute, read_inputs

    inputs = read_inputs(settings)  # cheap (hashing the input files): a loaded store needs no build
    key = cache_key(inputs)
    directory = _oxigraph_dir(settings, spec, inputs.version)
    meta = read_meta(directory)
    if meta is None or meta["key"] != key or not use_cache:
        # built straight into light graphs and loaded: no Dataset, no union copy, no memory-store cache; the
        # imported N-Triples load in a thread while the build reasons and validates
        loading = OxigraphLoad(directory, inputs.version)
        try:
            built = compute(inputs, progress=progress, store="light", early=loading.early)
            if progress:
                progress(f"loading the Oxigraph store in {directory}")
            meta = loading.finish(built, key=key)
        except BaseException:
            loading.abandon()
            raise
    return _oxigraph_kg(directory, meta)


def stored_check(settings: Settings) -> tuple[Any, dict[str, int]] | None:
    """The validation report and triple counts kept with a loaded Oxigraph store of exactly *settings*'
    inputs (what `kg.pipeline.build.check` answers from the memory store's cache), or None."""
    from kg.pipeline.build import cache_key, read_inputs

    spec = resolve_store(settings)
    if spec.kind != "oxigraph":
        return None
    inputs = read_inputs(settings)
    directory = _oxigraph_dir(settings, spec, inputs.version)
    meta = read_meta(directory)
    if meta is None or meta["key"] != cache_key(inputs):
        return None
    try:
        with open(directory / REPORT, "rb") as src:
            return pickle.load(src), dict(meta["counts"])
    except (OSError, pickle.UnpicklingError, EOFError):
        return None


def _key_for(settings: Settings, version: str) -> str:
    """The build cache key of *settings*' inputs (what `open_kg` checks) if they are *version*'s."""
    from kg.pipeline.build import cache_key, read_inputs

    inputs = read_inputs(settings)
    return cache_key(inputs) if inputs.version == version else f"version {version}"


def _oxigraph_dir(settings: Settings, spec: StoreSpec, version: str) -> Path:
    if spec.location:
        return Path(spec.location).expanduser().resolve()
    return Path(settings.cache_dir) / f"oxigraph-{version}"


def _oxigraph_kg(directory: Path, meta: dict[str, Any]) -> Any:
    import pyoxigraph as ox

    from kg.pipeline.build import KnowledgeGraph
    from kg.stores.oxigraph import OxigraphBacked

    inner = ox.Store.read_only(str(directory))
    store = OxigraphBacked(
        store=inner,
        directory=str(directory),
        graphs=tuple(meta["graphs"]),
        union_in_default=meta["union_in_default"],
    )
    for prefix, ns in meta["namespaces"]:
        store.bind(prefix, URIRef(ns))
    with open(directory / REPORT, "rb") as src:
        report = pickle.load(src)
    union: Graph
    if meta["union_in_default"]:
        union = Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID, bind_namespaces="none")
    else:
        union = UnionGraph(store=store, bind_namespaces="none")
    return KnowledgeGraph(
        dataset=_dataset(store),
        data=Graph(store=store, identifier=GRAPH_DATA, bind_namespaces="none"),
        ontology=Graph(store=store, identifier=GRAPH_ONTOLOGY, bind_namespaces="none"),
        inferred=Graph(store=store, identifier=GRAPH_INFERRED, bind_namespaces="none"),
        union=union,
        version=meta["version"],
        report=report,
        triple_counts=MappingProxyType(dict(meta["counts"])),
    )


def _dataset(store: Any) -> Dataset:
    return Dataset(store=store, default_union=True)


class UnionGraph(Graph):
    """Every triple of every graph of the store, through the Graph API (the store's pattern matching with no
    graph), for stores whose named graphs are disjoint; `query` asks the store for its union default graph."""

    default_union = True

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]
        s, p, o = triple
        if isinstance(p, RdfPath):
            yield from p.eval(self, s, o)
            return
        for found, _contexts in self.store.triples((s, p, o), context=None):
            yield found

    def __len__(self) -> int:
        return self.store.__len__(context=None)


# --- remote SPARQL endpoint --------------------------------------------------------------------------------


def _remote_kg(url: str, kg: Any) -> Any:
    from kg.stores.remote import RemoteStore

    graphs = tuple(str(g.identifier) for g in kg.dataset.graphs() if isinstance(g.identifier, URIRef))
    graphs = tuple(g for g in graphs if g != str(DATASET_DEFAULT_GRAPH_ID))
    store = RemoteStore(url, graphs)
    for prefix, ns in kg.union.namespaces():
        store.bind(prefix, ns)
    return replace(
        kg,
        dataset=_dataset(store),
        data=Graph(store=store, identifier=GRAPH_DATA, bind_namespaces="none"),
        ontology=Graph(store=store, identifier=GRAPH_ONTOLOGY, bind_namespaces="none"),
        inferred=Graph(store=store, identifier=GRAPH_INFERRED, bind_namespaces="none"),
        union=Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID, bind_namespaces="none"),
    )


def nquads(kg: Any) -> Iterable[str]:
    """*kg*'s named graphs as N-Quads lines (what a deployer loads into a remote store)."""
    for s, p, o, g in quads(kg):
        yield f"{s.n3()} {p.n3()} {o.n3()} <{g}> .\n"
