"""Running compiled shapes over data graphs: one union view of them with the ontology mixed in as pyshacl
mixes it in, the targets and values of each shape worked out once, and the report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.paths import Path
from rdflib.term import Node

from kg.pipeline.cache import gc_paused
from kg.pipeline.report import Report, ValidationResult, iri_tail, node_id, path_label, sorted_results
from kg.pipeline.shacl.constraints import _Query
from kg.pipeline.shacl.model import ALLOWED_SEVERITIES, Unsupported, _Hit, _Shape
from kg.rdf.labels import label


class Compiled:
    """A shapes graph compiled into checks; `validate` runs them."""

    def __init__(self, shapes: dict[Node, _Shape]) -> None:
        self.shapes = shapes
        self.top = [s for s in shapes.values() if s.targets and not s.deactivated]
        self.inverse_paths = {s.path_node: s.predicate for s in shapes.values() if s.inverse}

    def check_ontology(self, ontology: Graph | None) -> None:
        """Raise `Unsupported` if `validate` cannot mix *ontology* in as pyshacl does."""
        _schema_of(ontology)

    def validate(
        self, data: Graph | Iterable[Graph], ontology: Graph | None = None, labels: Graph | None = None
    ) -> Report:
        """The report pyshacl gives for *data* (one graph or several, read and never modified) with the
        *ontology*'s schema mixed in; labels come from *labels* (default: the data and the ontology).
        Raises `Unsupported` for an ontology whose mixing-in is not reproduced."""
        with gc_paused():  # millions of small objects, no cycles
            return self._validate([data] if isinstance(data, Graph) else list(data), ontology, labels)

    def _validate(self, graphs: list[Graph], ontology: Graph | None, labels: Graph | None) -> Report:
        run = _Run(self.shapes, _Union([*graphs, _schema_of(ontology)]), _namespaces(ontology))
        conforms, hits = True, []
        for shape in self.top:
            ok, found = run.top_level(shape)
            conforms = conforms and ok
            hits.extend(found)
        if labels is None:
            labels = _Union([*graphs, ontology] if ontology is not None else graphs)
        results = (_result(h, labels, self.inverse_paths) for h in _flatten(hits))
        return Report(conforms, sorted_results(results))


# --- running ------------------------------------------------------------------------------------------------


class _Run:
    """One validation: the union view of the data, and what is worked out once and looked up many times
    (the values of each path, the instances of each class, the rows of each SPARQL constraint)."""

    def __init__(self, shapes: dict[Node, _Shape], view: _Union, namespaces: dict[str, Any]) -> None:
        self.shapes = shapes
        self.view = view
        self.namespaces = namespaces  # the prefixes pyshacl's data graph knows (for undeclared ones)
        self._indexes: dict[tuple[Node, bool], dict[Node, list[Node]]] = {}
        self._instances: dict[Node, set[Node]] = {}
        self._rows: dict[Node, dict[Node, list]] = {}
        self._memo: dict[tuple[Node, Node], tuple[bool, list[_Hit]]] = {}

    def top_level(self, shape: _Shape) -> tuple[bool, list[_Hit]]:
        """Validate *shape* on its targets (all at once, as pyshacl does: conformance is per constraint over
        every focus node)."""
        failed = [False] * len(shape.constraints)  # a constraint did not conform for some focus node
        bad = [False] * len(shape.constraints)  # … and some result of it has a severity that is not allowed
        hits: list[_Hit] = []
        for focus in self.targets(shape):
            values = self.values(shape, focus)
            for i, constraint in enumerate(shape.constraints):
                ok, found = constraint.check(self, shape, focus, values)
                failed[i] = failed[i] or not ok
                bad[i] = bad[i] or any(h.severity not in ALLOWED_SEVERITIES for h in found)
                hits.extend(found)
        return shape.allowed or not any(f and b for f, b in zip(failed, bad, strict=True)), hits

    def evaluate(self, shape: _Shape, focus: Node) -> tuple[bool, list[_Hit]]:
        """Validate one focus node against *shape* (as a value node of another shape's constraint)."""
        if shape.deactivated:
            return True, []
        values = self.values(shape, focus)
        conforms, hits = True, []
        for constraint in shape.constraints:
            ok, found = constraint.check(self, shape, focus, values)
            if not ok and not shape.allowed and any(h.severity not in ALLOWED_SEVERITIES for h in found):
                conforms = False
            hits.extend(found)
        return conforms, hits

    def nested(self, node: Node, focus: Node) -> tuple[bool, list[_Hit]]:
        """`evaluate` for a shape that other shapes refer to (sh:node, sh:or, sh:qualifiedValueShape): once
        per focus node."""
        key = (node, focus)
        if key not in self._memo:
            self._memo[key] = self.evaluate(self.shapes[node], focus)
        return self._memo[key]

    def conforms(self, node: Node, focus: Node) -> bool:
        return self.nested(node, focus)[0]

    def targets(self, shape: _Shape) -> set[Node]:
        t = shape.targets
        found = set(t.nodes)
        for cls in t.classes:
            found |= self.instances(cls)
        for predicate in t.subjects_of:
            found.update(self.index(predicate, False))
        for predicate in t.objects_of:
            found.update(self.index(predicate, True))
        return found

    def values(self, shape: _Shape, focus: Node) -> list[Node]:
        if shape.predicate is None:
            return [focus]
        return self.index(shape.predicate, shape.inverse).get(focus, [])

    def index(self, predicate: Node, inverse: bool) -> dict[Node, list[Node]]:
        """subject → objects of *predicate* (object → subjects if *inverse*), in one pass over its triples."""
        key = (predicate, inverse)
        if key not in self._indexes:
            index: dict[Node, list[Node]] = {}
            for s, _, o in self.view.triples((None, predicate, None)):
                if inverse:
                    s, o = o, s
                index.setdefault(s, []).append(o)
            self._indexes[key] = index
        return self._indexes[key]

    def instances(self, cls: Node) -> set[Node]:
        """The SHACL instances of *cls*: rdf:type of it or of any class rdfs:subClassOf* it."""
        if cls not in self._instances:
            classes = set(self.view.transitive_subjects(RDFS.subClassOf, cls))
            self._instances[cls] = {s for c in classes for s in self.view.subjects(RDF.type, c)}
        return self._instances[cls]

    def rows(self, query: _Query) -> dict[Node, list[tuple[Node | None, Node | None, dict]]]:
        """The rows of *query* over the whole graph, by ``$this``, without duplicates (pyshacl drops them)."""
        if query.node not in self._rows:
            from rdflib.plugins.sparql import prepareQuery

            prepared = prepareQuery(query.text, initNs=self.namespaces)
            self._rows[query.node] = _rows_by_focus(self.view.query(prepared))
        return self._rows[query.node]


def _rows_by_focus(result: Any) -> dict[Node, list[tuple[Node | None, Node | None, dict]]]:
    rows: dict[Node, list[tuple[Node | None, Node | None, dict]]] = {}
    for row in result:
        values = row.asdict()
        this, path, value = values.pop("this"), values.pop("path", None), values.pop("value", None)
        found = rows.setdefault(this, [])
        if (path, value, values) not in found:
            found.append((path, value, values))
    return rows


class _Union(Graph):
    """A read-only view of several graphs as one (each triple once), for lookups and SPARQL."""

    def __init__(self, parts: Iterable[Graph]) -> None:
        super().__init__(bind_namespaces="none")
        self._parts = [g for g in parts if len(g)]

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]
        s, p, o = triple
        if isinstance(p, Path):
            for s2, o2 in p.eval(self, s, o):
                yield s2, p, o2
            return
        for i, part in enumerate(self._parts):
            earlier = self._parts[:i]
            for found in part.triples(triple):
                if not any(found in g for g in earlier):
                    yield found

    def __len__(self) -> int:
        return sum(1 for _ in self.triples((None, None, None)))

    def __bool__(self) -> bool:
        return bool(self._parts)

    def add(self, triple: Any) -> Graph:
        raise TypeError("a union view is read-only")


# --- the ontology, mixed in as pyshacl's `inoculate` does it ------------------------------------------------

_SCHEMA_CLASSES = (
    RDFS.Class, RDFS.Container, RDFS.ContainerMembershipProperty, RDFS.Datatype, RDFS.Literal, RDFS.Resource,
    OWL.AllDifferent, OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.Annotation,
    OWL.AnnotationProperty, OWL.AsymmetricProperty, OWL.Axiom, OWL.Class, OWL.DataRange, OWL.DatatypeProperty,
    OWL.DeprecatedClass, OWL.DeprecatedProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
    OWL.IrreflexiveProperty, OWL.NamedIndividual, OWL.NegativePropertyAssertion, OWL.ObjectProperty,
    OWL.Ontology, OWL.OntologyProperty, OWL.ReflexiveProperty, OWL.Restriction, OWL.SymmetricProperty,
    OWL.TransitiveProperty,
)  # fmt: skip
_SCHEMA_PROPERTIES = (
    RDFS.comment, RDFS.domain, RDFS.isDefinedBy, RDFS.label, RDFS.member, RDFS.range, RDFS.seeAlso,
    RDFS.subClassOf, RDFS.subPropertyOf,
    OWL.allValuesFrom, OWL.annotatedProperty, OWL.annotatedSource, OWL.annotatedTarget, OWL.assertionProperty,
    OWL.cardinality, OWL.complementOf, OWL.datatypeComplementOf, OWL.differentFrom, OWL.disjointUnionOf,
    OWL.disjointWith, OWL.distinctMembers, OWL.equivalentClass, OWL.equivalentProperty, OWL.hasKey,
    OWL.hasSelf, OWL.hasValue, OWL.intersectionOf, OWL.inverseOf, OWL.maxCardinality,
    OWL.maxQualifiedCardinality, OWL.members, OWL.minCardinality, OWL.minQualifiedCardinality, OWL.onClass,
    OWL.onDataRange, OWL.onDatatype, OWL.onProperties, OWL.onProperty, OWL.oneOf, OWL.propertyChainAxiom,
    OWL.propertyDisjointWith, OWL.qualifiedCardinality, OWL.sameAs, OWL.someValuesFrom, OWL.sourceIndividual,
    OWL.targetIndividual, OWL.targetValue, OWL.unionOf, OWL.withRestrictions, OWL.backwardCompatibleWith,
    OWL.deprecated, OWL.incompatibleWith, OWL.priorVersion, OWL.versionInfo, OWL.bottomDataProperty,
    OWL.topDataProperty, OWL.bottomObjectProperty, OWL.topObjectProperty, OWL.imports, OWL.versionIRI,
)  # fmt: skip


def _namespaces(ontology: Graph | None) -> dict[str, Any]:
    """The prefixes of pyshacl's data graph: none of its own, the ontology's mixed in."""
    graph = Graph(bind_namespaces="none")
    known = {prefix for prefix, _ in graph.namespaces()}
    for prefix, namespace in ontology.namespaces() if ontology is not None else ():
        if prefix not in known:
            graph.bind(prefix, namespace)
    return dict(graph.namespaces())


def _schema_of(ontology: Graph | None) -> Graph:
    """The triples of *ontology* that pyshacl copies into the data graph: the typing of classes and
    properties and the RDFS/OWL axioms (labels and comments included)."""
    schema = Graph(bind_namespaces="none")
    if ontology is None:
        return schema
    if (None, RDF.type, OWL.NamedIndividual) in ontology:
        raise Unsupported("an ontology with owl:NamedIndividual")
    for cls in _SCHEMA_CLASSES:
        schema.addN((s, RDF.type, cls, schema) for s in ontology.subjects(RDF.type, cls))
    for p in _SCHEMA_PROPERTIES:
        schema.addN((s, p, o, schema) for s, o in ontology.subject_objects(p))
    if any(isinstance(t, BNode) for triple in schema for t in triple):
        raise Unsupported("an ontology with blank nodes")
    return schema


# --- results ------------------------------------------------------------------------------------------------


def _flatten(hits: Iterable[_Hit]) -> Iterator[_Hit]:
    for hit in hits:
        yield hit
        yield from _flatten(hit.details)


def _result(hit: _Hit, labels: Graph, inverse_paths: dict[Node, URIRef]) -> ValidationResult:
    return ValidationResult(
        focus=node_id(hit.focus),
        focus_label=label(labels, hit.focus),
        path=str(hit.path) if isinstance(hit.path, URIRef) else "",
        path_label=path_label(hit.path, labels, inverse_paths.get),
        message=hit.message,
        severity=iri_tail(hit.severity) or "Violation",
        shape=node_id(hit.shape),
    )
