"""The pipeline, in order: read inputs → parse → OWL-RL closure → SHACL validation → an immutable
KnowledgeGraph.

This is the only module that knows that order. A conforming build is cached on disk (see
`kg.pipeline.cache`) under a
key hashed from every input byte and the library versions, so an unchanged tree starts without reasoning,
validating or even importing owlrl and pyshacl; a changed input rebuilds. Invalid data is never served:
`build` raises `ValidationFailed` with the report.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.config import Settings
from kg.errors import DataError, ValidationFailed
from kg.pipeline import cache
from kg.pipeline.load import display_name, new_graph, parse_bytes, read_bytes
from kg.pipeline.report import Report, inconsistency_results
from kg.rdf.namespaces import GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY, bind_prefixes

__all__ = [
    "Built",
    "DataError",
    "KnowledgeGraph",
    "ValidationFailed",
    "build",
    "check",
    "compute",
    "validate_files",
]

Progress = Callable[[str], None]


@dataclass(frozen=True, eq=False)
class KnowledgeGraph:
    """The built graph, never mutated after `build` returns.

    `dataset` holds the named graphs (asserted data, ontology, inferred, and any extra graphs) with a union
    default graph; `data`, `ontology`, `inferred` are views of its named graphs; `union` is one plain graph
    with every triple, for fast queries. `version` is a short hash of the inputs (use it as an ETag).
    """

    dataset: Dataset
    data: Graph
    ontology: Graph
    inferred: Graph
    union: Graph
    version: str
    report: Report
    triple_counts: Mapping[str, int]

    def export_graph(self, inferred: bool = False) -> Graph:
        """What exports serialize: the asserted data, or with *inferred* the data and its closure (a new
        graph)."""
        if not inferred:
            return self.data
        out = new_graph()
        out.addN((s, p, o, out) for part in (self.data, self.inferred) for s, p, o in part)
        return out

    def with_named_graphs(self, graphs: Iterable[tuple[str, Graph]]) -> KnowledgeGraph:
        """A new KnowledgeGraph whose dataset also holds *graphs* as named graphs, and whose union includes
        them (a Fuseki-style union default graph). This one is left as it is."""
        graphs = [(str(iri), graph) for iri, graph in graphs]
        named = [(g.identifier, g) for g in self.dataset.graphs() if len(g)] + graphs
        counts = dict(self.triple_counts)
        counts.update({iri: len(graph) for iri, graph in graphs})
        return _assemble(named, [self.union, *(g for _, g in graphs)], self.version, self.report, counts)

    def built(self) -> Built:
        """Its named graphs, version, report and counts: what a store is loaded with."""
        graphs = tuple(
            (g.identifier, g)
            for g in self.dataset.graphs()
            if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID
        )
        counts = MappingProxyType(dict(self.triple_counts))
        return Built(graphs, self.version, self.report, counts, tuple(self.union.namespaces()))


@dataclass(frozen=True, eq=False)
class Built:
    """A conforming build before it is assembled or stored: its named graphs (asserted data, ontology,
    inferred, then any extra graphs, which may share triples), version, report, triple counts (per graph;
    "union" once known) and prefixes."""

    graphs: tuple[tuple[URIRef, Graph], ...]
    version: str
    report: Report
    counts: Mapping[str, int]
    namespaces: tuple[tuple[str, URIRef], ...]
    # what a store loads, graph by graph: N-Triples documents it may read as they are, and rdflib graphs
    # holding the other triples (by default: `graphs`)
    parts: tuple[tuple[URIRef, bytes | Graph], ...] = ()

    def load_parts(self) -> tuple[tuple[URIRef, bytes | Graph], ...]:
        return self.parts or self.graphs


def build(settings: Settings, *, use_cache: bool = True, progress: Progress | None = None) -> KnowledgeGraph:
    """The KnowledgeGraph for *settings*, from the cache when the inputs are unchanged.
    Raises `DataError` (unreadable or unparsable input) or `ValidationFailed` (non-conforming data)."""
    say = progress or (lambda message: None)
    inputs = read_inputs(settings)
    key = cache_key(inputs)
    if use_cache:
        cached = cache.load(settings.cache_dir, key)
        if cached is not None:
            return _from_parts(cached)
    built = compute(inputs, progress=say)
    graphs = list(built.graphs)
    kg = _assemble(graphs, [g for _, g in graphs], built.version, built.report, built.counts)
    if use_cache:
        say("writing the build cache")
        cache.store(settings.cache_dir, key, _to_parts(kg))
    return kg


def compute(
    inputs: _Inputs,
    *,
    progress: Progress | None = None,
    store: str = "default",
    early: Callable[[URIRef, bytes], None] | None = None,
) -> Built:
    """Parse, reason and validate *inputs* (from `read_inputs`) into graphs of rdflib's *store* plugin, with
    no cache: for a caller that keeps the result elsewhere (a loader into Oxigraph passes "light": see
    `kg.pipeline.load.new_graph`). With "light", *early* is called with each N-Triples document of the data
    graph that a loader may read as it is (see `Built.parts`) as soon as it is parsed, before reasoning and
    validation: a loader can start on it meanwhile (and must drop it if this raises).
    Raises `ValidationFailed` (non-conforming data) or `DataError`."""
    say = progress or (lambda message: None)
    native: dict[str, bytes] | None = {} if store == "light" else None
    data, ontology, inferred, report = _compute(inputs, say, store, native, early)
    if not report.conforms:
        raise ValidationFailed(report)
    extras = [(URIRef(iri), _parse(inputs, name, store=store)) for iri, name in inputs.named]
    graphs = ((GRAPH_DATA, data), (GRAPH_ONTOLOGY, ontology), (GRAPH_INFERRED, inferred), *extras)
    counts = {"data": len(data), "ontology": len(ontology), "inferred": len(inferred)}
    counts |= {str(iri): len(g) for iri, g in extras}
    parts: tuple[tuple[URIRef, bytes | Graph], ...] = ()
    if native:  # the data graph as those documents, and the triples of the other data files parsed again
        other = [name for name in inputs.data if name not in native]
        parts = (
            *((GRAPH_DATA, doc) for doc in native.values()),
            (GRAPH_DATA, _parse(inputs, *other, store=store)),
        )
        parts += graphs[1:]
    namespaces = tuple(data.namespaces())
    return Built(graphs, inputs.version, report, MappingProxyType(counts), namespaces, parts)


def validate_files(settings: Settings, *, progress: Progress | None = None) -> Report:
    """The validation report for the inputs of *settings* (a conforming cached build answers at once).
    Does not raise on non-conforming data; raises `DataError` for unreadable or unparsable input."""
    return check(settings, progress=progress)[0]


def check(settings: Settings, *, progress: Progress | None = None) -> tuple[Report, dict[str, int]]:
    """`validate_files` and the triple counts (data, inferred) it validated; reads a cached build but never
    writes one."""
    inputs = read_inputs(settings)
    cached = cache.load(settings.cache_dir, cache_key(inputs))
    if cached is not None:
        return cached["report"], dict(cached["counts"])
    data, _ontology, inferred, report = _compute(inputs, progress or (lambda message: None), "light")
    return report, {"data": len(data), "inferred": len(inferred)}


@dataclass(frozen=True)
class _Inputs:
    files: dict[str, bytes]  # display name → bytes, for every input file
    data: tuple[str, ...]
    ontology: str
    shapes: str
    named: tuple[tuple[str, str], ...]  # (graph IRI, display name)
    version: str


def read_inputs(settings: Settings) -> _Inputs:
    def read(path) -> str:
        name = display_name(path, settings.root)
        files[name] = read_bytes(path, settings.root)
        return name

    files: dict[str, bytes] = {}
    data = tuple(read(p) for p in settings.data_files)
    ontology, shapes = read(settings.ontology_file), read(settings.shapes_file)
    named = tuple((iri, read(p)) for iri, p in settings.named_graphs)
    digest = hashlib.sha256()
    for role, names in (("data", data), ("ontology", (ontology,)), ("shapes", (shapes,))):
        for name in names:
            _update(digest, role, name, files[name])
    for iri, name in named:
        _update(digest, "graph " + iri, name, files[name])
    return _Inputs(files, data, ontology, shapes, named, digest.hexdigest()[:12])


def _update(digest, role: str, name: str, content: bytes) -> None:
    header = f"{role}\0{name}\0{len(content)}\0".encode()
    digest.update(header)
    digest.update(content)


def cache_key(inputs: _Inputs) -> str:
    """Inputs' hash + library versions + cache format: any change means a rebuild."""
    parts = [cache.FORMAT, inputs.version, sys.version.split()[0], *cache.library_versions()]
    parts += [hashlib.sha256(inputs.files[n]).hexdigest() for n in sorted(inputs.files)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _parse(
    inputs: _Inputs, *names: str, store: str = "default", native: dict[str, bytes] | None = None
) -> Graph:
    graph = new_graph(store)
    for name in names:
        parse_bytes(inputs.files[name], name, graph, native=native)
    return graph


def _compute(
    inputs: _Inputs,
    say: Progress,
    store: str,
    native: dict[str, bytes] | None = None,
    early: Callable[[URIRef, bytes], None] | None = None,
) -> tuple[Graph, Graph, Graph, Report]:
    from kg.pipeline import rules, validate  # imported here: they may import owlrl and pyshacl

    say(f"parsing {len(inputs.data) + 2} files")
    data = _parse(inputs, *inputs.data, store=store, native=native)
    for document in (native or {}).values() if early else ():
        early(GRAPH_DATA, document)
    ontology = _parse(inputs, inputs.ontology)
    shapes = _parse(inputs, inputs.shapes)
    say(f"reasoning (OWL-RL) over {len(data) + len(ontology)} triples")
    closure = rules.infer(data, ontology, store=store)  # owlrl's exact result, compiled, else owlrl's own
    bind_prefixes(closure.inferred)
    say("validating (SHACL)")
    report = validate.validate([data, closure.inferred], shapes, ontology)  # labels from all three
    report = report.with_results(inconsistency_results(closure.inconsistencies))
    return data, ontology, closure.inferred, report


def _assemble(
    named: list[tuple[URIRef | str, Graph]],
    union_parts: list[Graph],
    version: str,
    report: Report,
    counts: Mapping[str, int],
) -> KnowledgeGraph:
    dataset = bind_prefixes(Dataset(default_union=True))
    for iri, graph in named:
        target = dataset.graph(URIRef(str(iri)))
        target.addN((s, p, o, target) for s, p, o in graph)
    union = new_graph()
    for part in union_parts:
        union.addN((s, p, o, union) for s, p, o in part)
    counts = dict(counts, union=len(union))
    return KnowledgeGraph(
        dataset=dataset,
        data=dataset.graph(GRAPH_DATA),
        ontology=dataset.graph(GRAPH_ONTOLOGY),
        inferred=dataset.graph(GRAPH_INFERRED),
        union=union,
        version=version,
        report=report,
        triple_counts=MappingProxyType(counts),
    )


def _to_parts(kg: KnowledgeGraph) -> dict:
    return {
        "dataset": kg.dataset,
        "union": kg.union,
        "version": kg.version,
        "report": kg.report,
        "counts": dict(kg.triple_counts),
    }


def _from_parts(parts: dict) -> KnowledgeGraph:
    dataset = parts["dataset"]
    return KnowledgeGraph(
        dataset=dataset,
        data=dataset.graph(GRAPH_DATA),
        ontology=dataset.graph(GRAPH_ONTOLOGY),
        inferred=dataset.graph(GRAPH_INFERRED),
        union=parts["union"],
        version=parts["version"],
        report=parts["report"],
        triple_counts=MappingProxyType(parts["counts"]),
    )
