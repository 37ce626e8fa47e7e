"""SHACL validation turned into a plain `Report` value that pages, the CLI and the build cache can hold.

Two engines give the same report: pyshacl (the reference) and `kg.pipeline.shacl` (the compiled
validator), which runs shapes that use only the features it supports 12 times faster at 10⁵ triples and over
20 times faster at 10⁶, in a fraction of the memory. `validate` picks pyshacl for small data and the
compiled validator from `COMPILED_FROM` triples on, when it can run the shapes. (pyshacl-turbo, a Rust engine,
gives pyshacl's reports too, but takes 8 times the compiled validator's time at 10⁵ triples and 15 times its
CPU time at 10⁶: docs/architecture.md, "Validation engine".)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import RDF, SH, Graph, URIRef

from kg.pipeline.report import Report, ValidationResult, iri_tail, node_id, path_label, sorted_results
from kg.rdf.labels import label

COMPILED_FROM = 50_000  # data triples from which engine="auto" uses the compiled validator
ENGINES = ("auto", "pyshacl", "compiled")


def validate(
    data: Graph | Iterable[Graph],
    shapes: Graph,
    ontology: Graph | None = None,
    labels: Graph | None = None,
    engine: str = "auto",
) -> Report:
    """Validate *data* (one graph, or the union of several; not modified) against *shapes*, with *ontology*
    mixed in (for rdfs:subClassOf) and no inference. Warnings and infos do not stop the data from conforming.
    Labels in the report come from *labels* (default: the data and ontology).

    *engine* is "pyshacl", "compiled" (`kg.pipeline.shacl`; ValueError if it cannot run these shapes) or
    "auto": the compiled validator when the data has at least `COMPILED_FROM` triples and it can run the
    shapes, else pyshacl. Both give the same report."""
    graphs = [data] if isinstance(data, Graph) else list(data)
    compiled = _compiled(graphs, shapes, ontology, engine)
    if compiled is not None:
        return compiled.validate(graphs, ontology, labels)
    return _pyshacl(graphs, shapes, ontology, labels)


def _compiled(graphs: list[Graph], shapes: Graph, ontology: Graph | None, engine: str) -> Any:
    """The compiled validator for *shapes* when *engine* asks for it, else None (pyshacl)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}: use one of {', '.join(ENGINES)}")
    if engine == "pyshacl" or (engine == "auto" and sum(len(g) for g in graphs) < COMPILED_FROM):
        return None
    from kg.pipeline import shacl

    try:
        compiled = shacl.compile_or_raise(shapes)
        compiled.check_ontology(ontology)
        return compiled
    except shacl.Unsupported as why:
        if engine == "compiled":
            raise ValueError(f"The compiled SHACL validator does not support {why}.") from None
        return None


def _pyshacl(graphs: list[Graph], shapes: Graph, ontology: Graph | None, labels: Graph | None) -> Report:
    import pyshacl  # imported here: cached builds and the compiled engine never need it

    work = _PreparingGraph(bind_namespaces="none")
    for graph in graphs:
        work.addN((s, p, o, work) for s, p, o in graph)
    conforms, results_graph, _ = pyshacl.validate(
        work,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,  # `work` is ours to change: pyshacl mixes the ontology into it instead of copying it
    )
    if labels is None and (None, RDF.type, SH.ValidationResult) in results_graph:
        labels = work + ontology if ontology is not None else work
    results = _results(results_graph, labels if labels is not None else work)
    return Report(bool(conforms), sorted_results(results))


class _PreparingGraph(Graph):
    """A graph that parses each SPARQL text once: pyshacl runs a SHACL-SPARQL constraint once per focus node
    with the same text, and rdflib would parse it every time (measured on the seed: 1.1 s → 0.2 s)."""

    _prepared: dict[str, Any] | None = None

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            from rdflib.plugins.sparql import prepareQuery

            cache = self._prepared = self._prepared if self._prepared is not None else {}
            if query_object not in cache:
                namespaces = kwargs.get("initNs") or dict(self.namespaces())
                cache[query_object] = prepareQuery(query_object, initNs=namespaces)
            query_object = cache[query_object]
        return super().query(query_object, *args, **kwargs)


def _results(results: Graph, labels: Graph) -> list[ValidationResult]:
    out = []
    for node in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(node, SH.focusNode)
        path = results.value(node, SH.resultPath)
        severity = results.value(node, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(node, SH.resultMessage))
        out.append(
            ValidationResult(
                focus=node_id(focus),
                focus_label=label(labels, focus) if focus is not None else "",
                path=node_id(path) if isinstance(path, URIRef) else "",
                path_label=path_label(path, labels, lambda node: results.value(node, SH.inversePath)),
                message="; ".join(messages) or iri_tail(results.value(node, SH.sourceConstraintComponent)),
                severity=iri_tail(severity) or "Violation",
                shape=node_id(results.value(node, SH.sourceShape)),
            )
        )
    return out
