"""A compiled SHACL validator: for a shapes graph that uses only the features below, the very `Report` that
`kg.pipeline.validate` gets from pyshacl (inference "none", advanced mode, the ontology mixed in, warnings
allowed), in
seconds at 10⁶ triples where pyshacl takes minutes.

`compile_shapes` turns the shapes graph into plain Python checks once (None when it uses anything else);
`Compiled.validate` runs them over the data graphs, which it reads through one union view and never copies.

Supported, each with pyshacl's semantics (which results, with which focus node, path, message and severity):

* targets: sh:targetClass (instances through rdf:type and rdfs:subClassOf*), sh:targetSubjectsOf,
  sh:targetObjectsOf, sh:targetNode;
* paths: an IRI, or ``[ sh:inversePath IRI ]``;
* sh:minCount, sh:maxCount, sh:datatype (ill-typed literals fail), sh:class, sh:nodeKind, sh:pattern with
  sh:flags, sh:languageIn, sh:uniqueLang, sh:or, sh:property, sh:node (the nested results are reported too, as
  pyshacl's sh:detail results are), sh:qualifiedValueShape with sh:qualifiedMinCount, sh:qualifiedMaxCount
  and sh:qualifiedValueShapesDisjoint;
* sh:message, sh:severity, sh:deactivated, and the non-validating sh:name, sh:description, sh:order,
  sh:group, sh:defaultValue;
* SHACL-SPARQL constraints (sh:sparql with sh:select, sh:message, sh:prefixes/sh:declare, sh:deactivated) on
  node shapes whose query binds ``$this`` in a triple pattern of its WHERE clause (and groups by it when it
  aggregates): each query runs once over the whole graph and its rows are split by ``$this``, which gives
  what pyshacl gets by running it once per focus node.

Not supported, so `compile_shapes` returns None and `kg.pipeline.validate` runs pyshacl instead: any other sh:
predicate (sh:hasValue, sh:in, sh:equals, sh:lessThan, sh:closed, sh:not, sh:and, sh:xone, sh:minLength,
sh:minInclusive, …, sequence and other complex paths, SHACL-AF rules, custom targets, functions, custom
constraint components), a shape typed anything but sh:NodeShape or sh:PropertyShape (implicit class
targets), recursive shapes, a shape whose results reach the report without an sh:message of its own (pyshacl
then writes a message whose prefixes depend on its evaluation order), SPARQL constraints on property shapes or
using ``$currentShape``, ``$shapesGraph``, ``$PATH``, ``?failure``, LIMIT/OFFSET, VALUES, MINUS, SERVICE,
GRAPH, OPTIONAL, UNION or sub-queries, and whatever pyshacl itself rejects as malformed. An ontology with
blank nodes or owl:NamedIndividual (which pyshacl copies in a way of its own) makes `Compiled.validate` raise
`Unsupported`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, NamedTuple

from rdflib import OWL, RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.paths import Path
from rdflib.term import Node, Variable

from kg.pipeline.cache import gc_paused
from kg.pipeline.report import Report, ValidationResult, iri_tail, node_id, path_label, sorted_results
from kg.rdf.labels import label
from kg.rdf.namespaces import curie

__all__ = ["Compiled", "Unsupported", "compile_or_raise", "compile_shapes"]

ALLOWED_SEVERITIES = frozenset(
    {SH.Info, SH.Warning}
)  # `kg.pipeline.validate` runs pyshacl with allow_warnings


class Unsupported(ValueError):
    """The shapes (or the ontology) use something the compiled validator does not do exactly as pyshacl."""


def compile_shapes(shapes: Graph) -> Compiled | None:
    """The compiled form of *shapes*, or None when they use a feature that is not supported."""
    try:
        return compile_or_raise(shapes)
    except Unsupported:
        return None


def compile_or_raise(shapes: Graph) -> Compiled:
    """The compiled form of *shapes*; raises `Unsupported`, saying which feature, otherwise."""
    with gc_paused():  # rdflib's SPARQL parser makes many objects: each GC pass scans the data
        return _compile(shapes)


def _compile(shapes: Graph) -> Compiled:
    _check_vocabulary(shapes)
    compiled = Compiled(
        {node: _compile_shape(shapes, node, path) for node, path in _find_shapes(shapes).items()}
    )
    _check_references(compiled.shapes)
    return compiled


# --- compiled shapes ----------------------------------------------------------------------------------------


class _Hit(NamedTuple):
    """One validation result, before labels: what pyshacl writes into its results graph."""

    focus: Node
    path: Node | None
    message: str
    severity: Node
    shape: Node
    details: tuple[_Hit, ...] = ()


@dataclass(frozen=True)
class _Targets:
    classes: tuple[Node, ...] = ()
    subjects_of: tuple[Node, ...] = ()
    objects_of: tuple[Node, ...] = ()
    nodes: tuple[Node, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.classes or self.subjects_of or self.objects_of or self.nodes)


@dataclass(frozen=True)
class _Shape:
    node: Node
    path_node: Node | None  # the sh:path value (None for a node shape)
    predicate: URIRef | None  # the IRI the path follows
    inverse: bool
    severity: Node
    deactivated: bool
    messages: frozenset[Node]
    targets: _Targets
    constraints: tuple[Any, ...]
    message: str = field(init=False)  # what the report says for this shape's own results

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", "; ".join(sorted(str(m) for m in self.messages)))

    @property
    def allowed(self) -> bool:
        """Whether pyshacl lets this shape conform whatever its constraints find (a Warning or Info shape)."""
        return self.severity in ALLOWED_SEVERITIES

    def hit(self, focus: Node, details: tuple[_Hit, ...] = ()) -> _Hit:
        return _Hit(focus, self.path_node, self.message, self.severity, self.node, details)


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


# --- constraints: each `check` gives (conforms, results) for one focus node and its value nodes, as pyshacl's
# constraint components do -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MinCount:
    count: int

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        if self.count == 0 or len(values) >= self.count:
            return True, []
        return False, [shape.hit(focus)]


@dataclass(frozen=True)
class _MaxCount:
    count: int

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        if len(values) <= self.count:
            return True, []
        return False, [shape.hit(focus)]


class _PerValue:
    """A constraint with one result per value node that fails `accepts`."""

    def accepts(self, run: _Run, value: Node) -> bool:
        raise NotImplementedError

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        hits = [shape.hit(focus) for v in values if not self.accepts(run, v)]
        return not hits, hits


@dataclass(frozen=True)
class _Datatype(_PerValue):
    datatype: Node

    def accepts(self, run: _Run, value: Node) -> bool:
        return isinstance(value, Literal) and _datatype_matches(value, self.datatype)


@dataclass(frozen=True)
class _Class:
    classes: tuple[Node, ...]

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        hits = [
            shape.hit(focus)
            for c in self.classes
            for v in values
            if isinstance(v, Literal) or v not in run.instances(c)
        ]
        return not hits, hits


_KINDS = {
    BNode: (SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI),
    Literal: (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral),
    URIRef: (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI),
}


@dataclass(frozen=True)
class _NodeKind(_PerValue):
    kind: Node

    def accepts(self, run: _Run, value: Node) -> bool:
        kind = next((k for k in (BNode, Literal, URIRef) if isinstance(value, k)), None)
        return kind is not None and self.kind in _KINDS[kind]


@dataclass(frozen=True)
class _Pattern:
    patterns: tuple[re.Pattern[str], ...]

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        hits = [
            shape.hit(focus)
            for pattern in self.patterns
            for v in values
            if isinstance(v, BNode) or not pattern.search(_string_of(v))
        ]
        return not hits, hits


@dataclass(frozen=True)
class _LanguageIn(_PerValue):
    languages: frozenset[str]

    def accepts(self, run: _Run, value: Node) -> bool:
        lang = value.language if isinstance(value, Literal) else None
        if not lang:
            return False
        lang = str(lang)
        return (
            "*" in self.languages
            or lang.lower() in self.languages
            or lang.split("-")[0].lower() in self.languages
        )


@dataclass(frozen=True)
class _UniqueLang:
    unique: bool

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        if not self.unique:
            return True, []
        seen: set[str] = set()
        duplicates: set[str] = set()
        for v in values:
            lang = v.language if isinstance(v, Literal) else None
            if lang:
                (duplicates if str(lang).lower() in seen else seen).add(str(lang).lower())
        hits = [shape.hit(focus) for _ in duplicates]
        return not hits, hits


@dataclass(frozen=True)
class _Or:
    members: tuple[tuple[Node, ...], ...]  # one tuple of shapes per sh:or list

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        hits = [
            shape.hit(focus)
            for members in self.members
            for v in values
            if not any(run.conforms(m, v) for m in members)
        ]
        return not hits, hits


@dataclass(frozen=True)
class _Node:
    shapes: tuple[Node, ...]

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        hits = []
        for node in self.shapes:
            for v in values:
                ok, nested = run.nested(node, v)
                if not ok or nested:
                    hits.append(shape.hit(focus, tuple(nested)))
        return not hits, hits


@dataclass(frozen=True)
class _Property:
    shapes: tuple[Node, ...]

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        conforms, hits = True, []
        for node in self.shapes:
            child = run.shapes[node]
            for v in values:
                ok, found = run.evaluate(child, v)
                conforms = conforms and ok
                hits.extend(found)
        return conforms, hits


@dataclass(frozen=True)
class _Qualified:
    shape: Node
    siblings: tuple[Node, ...]
    min_count: int | None
    max_count: int | None

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        count = sum(1 for v in values if run.conforms(self.shape, v) and not self._sibling(run, v))
        hits = []
        if self.max_count is not None and count > self.max_count:
            hits.append(shape.hit(focus))
        if self.min_count is not None and count < self.min_count:
            hits.append(shape.hit(focus))
        return not hits, hits

    def _sibling(self, run: _Run, value: Node) -> bool:
        return any(run.conforms(s, value) for s in self.siblings)


@dataclass(frozen=True)
class _Query:
    """One SHACL-SPARQL constraint: its prepared query and its own messages."""

    node: Node
    text: str  # with the PREFIX lines pyshacl puts before it
    messages: frozenset[Node]


@dataclass(frozen=True)
class _Sparql:
    queries: tuple[_Query, ...]

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        hits = []
        for query in self.queries:
            for path, value, extra in run.rows(query).get(focus, ()):
                bound = (focus, path, focus if value is None else value, extra)
                message = _sparql_message(shape.messages, query.messages, bound)
                hits.append(
                    _Hit(
                        focus,
                        path if path is not None else shape.path_node,
                        message,
                        shape.severity,
                        shape.node,
                    )
                )
        return not hits, hits


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


def _sparql_message(own: frozenset[Node], extra: frozenset[Node], bound: tuple) -> str:
    """The report message of a SPARQL constraint's result: the shape's and the constraint's sh:message, with
    ``{?var}``/``{$var}`` filled in from the row (pyshacl's rules)."""
    messages = {_fill(m, bound) if isinstance(m, Literal) else m for m in extra if m not in own}
    messages |= {_fill(m, bound) if isinstance(m, Literal) else m for m in own}
    return "; ".join(sorted(str(m) for m in messages)) or "SPARQLConstraintComponent"


def _fill(message: Literal, bound: tuple) -> Literal:
    this, path, value, extra = bound
    variables = dict(extra)
    for name, node in (("this", this), ("path", path), ("value", value)):
        if node is not None:
            variables[name] = node
    text = str(message.value)
    for name, node in variables.items():
        text = re.sub(f"{{[?$]{name}}}", str(node), text)
    return Literal(text)


def _datatype_matches(value: Literal, datatype: Node) -> bool:
    """pyshacl's sh:datatype test for a literal."""
    if value.datatype == datatype:
        return getattr(value, "ill_typed", None) is not True and _value_fits(value, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and value.datatype:
        return True
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return _value_fits(value, datatype)
    if datatype == RDF.langString and value.language:
        return _value_fits(value, datatype)
    return False


_PYTHON_TYPES = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _value_fits(value: Literal, datatype: Node) -> bool:
    expected = _PYTHON_TYPES.get(datatype)  # type: ignore[call-overload]
    return expected is None or isinstance(value.value, expected)


def _string_of(value: Node) -> str:
    if (
        isinstance(value, Literal)
        and value.value is not None
        and value.datatype in (None, RDF.langString, XSD.string)
    ):
        return str(value.value)
    return str(value)


# --- compiling ----------------------------------------------------------------------------------------------

_TYPES = frozenset({SH.NodeShape, SH.PropertyShape})
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_SHAPE_PREDICATES = frozenset(
    {
        *_TARGETS, SH.property, SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind,
        SH.pattern, SH.flags, SH.languageIn, SH.uniqueLang, SH["or"], SH.node, SH.qualifiedValueShape,
        SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.message, SH.severity,
        SH.deactivated, SH.sparql, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
    }
)  # fmt: skip
_KNOWN_PREDICATES = _SHAPE_PREDICATES | {
    SH.select,
    SH.prefixes,
    SH.declare,
    SH.prefix,
    SH.namespace,
    SH.inversePath,
}
_KNOWN_TYPES = _TYPES | {SH.SPARQLConstraint, SH.PrefixDeclaration}


def _check_vocabulary(g: Graph) -> None:
    """Every sh: term the shapes graph uses must be one this module knows."""
    for _, p, o in g:
        if str(p).startswith(str(SH)) and p not in _KNOWN_PREDICATES:
            raise Unsupported(curie(p))
        if p == RDF.type and str(o).startswith(str(SH)) and o not in _KNOWN_TYPES:
            raise Unsupported(f"things typed {curie(o)}")
        if p == RDFS.subClassOf and str(o).startswith(str(SH)):
            raise Unsupported(f"subclasses of {curie(o)}")


def _find_shapes(g: Graph) -> dict[Node, Node | None]:
    """Every shape of *g*, found as pyshacl finds them, → its sh:path (None for a node shape)."""
    typed_nodes, typed_properties = (
        set(g.subjects(RDF.type, SH.NodeShape)),
        set(g.subjects(RDF.type, SH.PropertyShape)),
    )
    if typed_nodes & typed_properties:
        raise Unsupported("a shape that is both a node shape and a property shape")
    shapes = typed_nodes | typed_properties
    shapes |= {s for p in (*_TARGETS, SH.property, SH.node) for s in g.subjects(p, None)}
    shapes |= {o for p in (SH.property, SH.node, SH.qualifiedValueShape) for o in g.objects(None, p)}
    for members in g.objects(None, SH["or"]):
        items = list(g.items(members))
        if not items:
            raise Unsupported("an empty or malformed sh:or list")
        shapes.update(items)
    found = {}
    for shape in shapes:
        paths = list(g.objects(shape, SH.path))
        if isinstance(shape, Literal) or len(paths) > 1 or (paths and shape in typed_nodes):
            raise Unsupported("a malformed shape")
        if shape in typed_properties and not paths:
            raise Unsupported("a property shape without sh:path")
        found[shape] = paths[0] if paths else None
    return found


def _compile_shape(g: Graph, node: Node, path: Node | None) -> _Shape:
    for t in g.objects(node, RDF.type):
        if t not in _TYPES:
            raise Unsupported(f"a shape typed {curie(t)}")
    for p in g.predicates(node, None):
        if str(p).startswith(str(SH)) and p not in _SHAPE_PREDICATES:
            raise Unsupported(curie(p))
    predicate, inverse = _path(g, path) if path is not None else (None, False)
    return _Shape(
        node=node,
        path_node=path,
        predicate=predicate,
        inverse=inverse,
        severity=_one(g, node, SH.severity, SH.Violation),
        deactivated=_deactivated(g, node),
        messages=frozenset(g.objects(node, SH.message)),
        targets=_Targets(*(tuple(g.objects(node, p)) for p in _TARGETS)),
        constraints=tuple(c for build in _BUILDERS if (c := build(g, node, path is not None)) is not None),
    )


def _path(g: Graph, path: Node) -> tuple[URIRef, bool]:
    if isinstance(path, URIRef):
        return path, False
    inverse = list(g.objects(path, SH.inversePath))
    if isinstance(path, BNode) and len(inverse) == 1 and isinstance(inverse[0], URIRef):
        if set(g.predicates(path, None)) == {SH.inversePath}:
            return inverse[0], True
    raise Unsupported("a sh:path other than an IRI or an inverse IRI")


def _one(g: Graph, node: Node, predicate: URIRef, default: Node | None = None) -> Any:
    values = list(g.objects(node, predicate))
    if len(values) > 1:
        raise Unsupported(f"more than one {curie(predicate)} on a shape")
    return values[0] if values else default


def _deactivated(g: Graph, node: Node) -> bool:
    value = _one(g, node, SH.deactivated)
    if value is not None and not isinstance(value, Literal):
        raise Unsupported("a sh:deactivated that is not a literal")
    return value is not None and bool(value.value)


def _count(g: Graph, node: Node, predicate: URIRef, is_property: bool) -> int | None:
    value = _one(g, node, predicate)
    if value is None:
        return None
    if (
        not is_property
        or not isinstance(value, Literal)
        or value.datatype != XSD.integer
        or int(value.value) < 0
    ):
        raise Unsupported(f"a malformed {curie(predicate)}")
    return int(value.value)


def _min_count(g: Graph, node: Node, is_property: bool) -> _MinCount | None:
    count = _count(g, node, SH.minCount, is_property)
    return None if count is None else _MinCount(count)


def _max_count(g: Graph, node: Node, is_property: bool) -> _MaxCount | None:
    count = _count(g, node, SH.maxCount, is_property)
    return None if count is None else _MaxCount(count)


def _datatype(g: Graph, node: Node, is_property: bool) -> _Datatype | None:
    value = _one(g, node, SH.datatype)
    return None if value is None else _Datatype(value)


def _class(g: Graph, node: Node, is_property: bool) -> _Class | None:
    classes = tuple(g.objects(node, SH["class"]))
    return _Class(classes) if classes else None


def _node_kind(g: Graph, node: Node, is_property: bool) -> _NodeKind | None:
    value = _one(g, node, SH.nodeKind)
    return None if value is None else _NodeKind(value)


def _pattern(g: Graph, node: Node, is_property: bool) -> _Pattern | None:
    patterns = list(g.objects(node, SH.pattern))
    if not patterns:
        return None
    flags = _one(g, node, SH.flags)
    if not all(isinstance(p, Literal) and isinstance(p.value, str) for p in patterns):
        raise Unsupported("a sh:pattern that is not a string")
    if flags is not None and not isinstance(flags, Literal):
        raise Unsupported("a sh:flags that is not a literal")
    text = str(flags.value).lower() if flags else ""
    re_flags = (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
    try:
        return _Pattern(
            tuple(re.compile(str(p.value) if len(p.value) > 1 else str(p), re_flags) for p in patterns)
        )
    except re.error:
        raise Unsupported("a sh:pattern that is not a Python regular expression") from None


def _language_in(g: Graph, node: Node, is_property: bool) -> _LanguageIn | None:
    value = _one(g, node, SH.languageIn)
    if value is None:
        return None
    items = list(g.items(value))
    if not all(isinstance(i, Literal) and isinstance(i.value, str) for i in items):
        raise Unsupported("a sh:languageIn list with other than strings")
    return _LanguageIn(frozenset(str(i.value).lower() for i in items))


def _unique_lang(g: Graph, node: Node, is_property: bool) -> _UniqueLang | None:
    value = _one(g, node, SH.uniqueLang)
    if value is None:
        return None
    if not is_property or not isinstance(value, Literal) or not isinstance(value.value, bool):
        raise Unsupported("a malformed sh:uniqueLang")
    return _UniqueLang(value.value)


def _or(g: Graph, node: Node, is_property: bool) -> _Or | None:
    lists = tuple(tuple(dict.fromkeys(g.items(lst))) for lst in g.objects(node, SH["or"]))
    return _Or(lists) if lists else None


def _node(g: Graph, node: Node, is_property: bool) -> _Node | None:
    shapes = tuple(g.objects(node, SH.node))
    return _Node(shapes) if shapes else None


def _property(g: Graph, node: Node, is_property: bool) -> _Property | None:
    shapes = tuple(g.objects(node, SH.property))
    return _Property(shapes) if shapes else None


def _qualified(g: Graph, node: Node, is_property: bool) -> _Multi | None:
    value_shapes = set(g.objects(node, SH.qualifiedValueShape))
    parameters = (SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint)
    if not value_shapes:
        if any((node, p, None) in g for p in parameters):
            raise Unsupported("a qualified count without sh:qualifiedValueShape")
        return None
    low, high = (_qualified_count(g, node, p) for p in parameters[:2])
    if not is_property or (low is None and high is None):
        raise Unsupported("a malformed sh:qualifiedValueShape")
    disjoint = any(
        isinstance(d, Literal) and isinstance(d.value, bool) and d.value
        for d in g.objects(node, parameters[2])
    )
    siblings = _siblings(g, node) if disjoint else set()
    return _Multi(tuple(_Qualified(v, tuple(siblings - {v}), low, high) for v in value_shapes))


def _qualified_count(g: Graph, node: Node, predicate: URIRef) -> int | None:
    value = _one(g, node, predicate)
    if value is not None and not (isinstance(value, Literal) and isinstance(value.value, int)):
        raise Unsupported(f"a malformed {curie(predicate)}")
    return None if value is None else int(value.value)


def _siblings(g: Graph, node: Node) -> set[Node]:
    """The sh:qualifiedValueShape of every property shape that shares a parent shape with *node*."""
    return {
        q
        for parent in g.subjects(SH.property, node)
        for sibling in g.objects(parent, SH.property)
        for q in g.objects(sibling, SH.qualifiedValueShape)
    }


@dataclass(frozen=True)
class _Multi:
    """Several constraints that pyshacl runs as one constraint component (one per sh:qualifiedValueShape)."""

    parts: tuple[Any, ...]

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        conforms, hits = True, []
        for part in self.parts:
            ok, found = part.check(run, shape, focus, values)
            conforms = conforms and ok
            hits.extend(found)
        return conforms, hits


def _sparql(g: Graph, node: Node, is_property: bool) -> _Sparql | None:
    constraints = list(g.objects(node, SH.sparql))
    if not constraints:
        return None
    if is_property:
        raise Unsupported("a SPARQL constraint on a property shape")
    queries = (_compile_query(g, c) for c in constraints)
    return _Sparql(tuple(q for q in queries if q is not None))


_BUILDERS = (
    _class, _datatype, _node_kind, _min_count, _max_count, _or, _pattern, _language_in, _unique_lang, _node,
    _property, _qualified, _sparql,
)  # fmt: skip


def _check_references(shapes: dict[Node, _Shape]) -> None:
    """Referenced shapes exist and have the right kind; no shape refers to itself, even through others; every
    shape whose results reach the report has a message."""
    for shape in shapes.values():
        for constraint in shape.constraints:
            for ref, must_be_property in _references(constraint):
                if ref not in shapes or (
                    must_be_property is not None and (shapes[ref].predicate is not None) != must_be_property
                ):
                    raise Unsupported("a reference to something that is not a shape of the right kind")
    _check_acyclic(shapes)
    _check_messages(shapes)


def _references(constraint: Any) -> Iterator[tuple[Node, bool | None]]:
    """(shape, whether it must be a property shape — None: either) for each shape *constraint* refers to."""
    if isinstance(constraint, _Property):
        yield from ((s, True) for s in constraint.shapes)
    elif isinstance(constraint, _Node):
        yield from ((s, False) for s in constraint.shapes)
    elif isinstance(constraint, _Or):
        yield from ((s, None) for members in constraint.members for s in members)
    elif isinstance(constraint, _Multi):
        for part in constraint.parts:
            yield from ((s, None) for s in (part.shape, *part.siblings))


def _check_acyclic(shapes: dict[Node, _Shape]) -> None:
    done: set[Node] = set()

    def visit(node: Node, path: tuple[Node, ...]) -> None:
        if node in path:
            raise Unsupported("recursive shapes")
        if node in done:
            return
        for constraint in shapes[node].constraints:
            for ref, _ in _references(constraint):
                visit(ref, (*path, node))
        done.add(node)

    for node in shapes:
        visit(node, ())


def _check_messages(shapes: dict[Node, _Shape]) -> None:
    """A shape whose results reach the report (a targeted shape, or one under it through sh:property or
    sh:node) needs an sh:message for each constraint but sh:property and SPARQL ones."""
    todo = [s.node for s in shapes.values() if s.targets and not s.deactivated]
    seen: set[Node] = set()
    while todo:
        shape = shapes[todo.pop()]
        if shape.node in seen:
            continue
        seen.add(shape.node)
        own = [c for c in shape.constraints if not isinstance(c, _Property | _Sparql)]
        if own and not shape.messages:
            raise Unsupported("a shape without sh:message whose results reach the report")
        for constraint in shape.constraints:
            if isinstance(constraint, _Property | _Node):
                todo.extend(constraint.shapes)


# --- compiling SHACL-SPARQL constraints ---------------------------------------------------------------------

# pyshacl's own tests of the query text (pyshacl.helper.sparql_query_helper), which decide what it binds and
# what it refuses to run
_BIND_THIS = re.compile(r"([\s{}()])[\$\?]this", flags=re.M)
_OTHER_PREBOUND = (
    re.compile(r"([\s{}()])[\$\?]PATH", flags=re.M),
    re.compile(r"([\s{}()])[\$\?]shapesGraph", flags=re.M),
    re.compile(r"([\s{}()])[\$\?]currentShape", flags=re.M),
)
_REFUSED = (
    re.compile(r"^(?:[^#]*|M)(?!#)#?[^\?\$\#]M?INUS[\s\{]", flags=re.M | re.I),
    re.compile(r"^(?!\s*#).*?(?<![\w\-\:])VALUES\b(?:\s*(?:\(|[\?\$]\w+|\{|\w|\s))", flags=re.M | re.I),
    re.compile(r"^(?:[^#]*|S)(?!#)#?[^\?\$\#]S?ERVICE[\s\<]", flags=re.M | re.I),
    re.compile(
        r"SELECT[\s\(\)\$\?\a-z]*\{[^\}]*SELECT\s+((?:(?:[\?\$]\w+\s+)|(?:\*\s+))+)", flags=re.M | re.I
    ),
)
_AS_VARIABLE = re.compile(r"[^\w]+AS[\s]+[\$\?](\w+)", flags=re.M | re.I)
_DEFAULT_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
_CONSTRAINT_PREDICATES = frozenset({RDF.type, SH.select, SH.message, SH.prefixes, SH.deactivated})
_THIS = Variable("this")


def _compile_query(g: Graph, constraint: Node) -> _Query | None:
    """The prepared query of one sh:sparql constraint (None when it is deactivated)."""
    if any(p not in _CONSTRAINT_PREDICATES for p in g.predicates(constraint, None)):
        raise Unsupported("a SPARQL constraint with properties other than sh:select, sh:message, sh:prefixes")
    select = _one(g, constraint, SH.select)
    messages = frozenset(g.objects(constraint, SH.message))
    deactivated = _one(g, constraint, SH.deactivated)
    if not (isinstance(select, Literal) and isinstance(select.value, str)):
        raise Unsupported("a SPARQL constraint without one sh:select string")
    if not all(isinstance(m, Literal) and isinstance(m.value, str) for m in messages):
        raise Unsupported("a SPARQL constraint whose sh:message is not a string")
    if deactivated is not None and not (
        isinstance(deactivated, Literal) and isinstance(deactivated.value, bool)
    ):
        raise Unsupported("a SPARQL constraint with a malformed sh:deactivated")
    if deactivated is not None and deactivated.value:
        return None
    _check_text(select.value)
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _prefixes(g, constraint).items())
    text = f"{prefixes}\n{select.value}"
    _check_algebra(_parse(text).algebra)
    return _Query(constraint, text, messages)


def _check_text(text: str) -> None:
    if not _BIND_THIS.search(text):
        raise Unsupported("a SPARQL constraint that does not use $this")
    if any(r.search(text) for r in (*_OTHER_PREBOUND, *_REFUSED)):
        raise Unsupported(
            "a SPARQL query with $PATH, $shapesGraph, $currentShape, MINUS, VALUES, SERVICE or a subquery"
        )
    found = _AS_VARIABLE.search(text)
    if found and found.group(1) in ("this", "shapesGraph", "currentShape"):
        raise Unsupported("a SPARQL constraint that rebinds $this")


def _prefixes(g: Graph, constraint: Node) -> dict[str, str]:
    """The prefixes pyshacl declares for a constraint's query: rdf, rdfs, owl and its sh:prefixes."""
    prefixes = dict(_DEFAULT_PREFIXES)
    ontologies = set(g.subjects(RDF.type, OWL.Ontology))
    graph_declares = set(g.objects(g.identifier, SH.declare))
    everywhere = graph_declares | {d for o in ontologies for d in g.objects(o, SH.declare)}
    declared: dict[str, str] = {}
    for source in g.objects(constraint, SH.prefixes):
        own = set(g.objects(source, SH.declare))
        for declaration in (own | graph_declares) if own and source in ontologies else (everywhere | own):
            prefix, namespace = _declaration(g, declaration)
            if declared.setdefault(prefix, namespace) != namespace:
                raise Unsupported(f"two namespaces for the SPARQL prefix {prefix}:")
    return prefixes | declared


def _declaration(g: Graph, declaration: Node) -> tuple[str, str]:
    prefix, namespace = _one(g, declaration, SH.prefix), _one(g, declaration, SH.namespace)
    if (
        isinstance(declaration, Literal)
        or not isinstance(prefix, Literal)
        or not isinstance(prefix.value, str)
    ):
        raise Unsupported("a malformed sh:declare")
    if not isinstance(namespace, Literal) or not (
        namespace.datatype == XSD.anyURI or isinstance(namespace.value, str)
    ):
        raise Unsupported("a malformed sh:declare")
    return str(prefix.value), str(namespace.value)


def _parse(text: str) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text)
    except Exception:  # rdflib raises parser and prefix errors of several kinds
        raise Unsupported("a SPARQL query that does not parse") from None


_PASS_THROUGH = ("Project", "Distinct", "Reduced", "OrderBy", "Filter", "Extend")
_REFUSED_ALGEBRA = frozenset(
    {"Slice", "Graph", "ServiceGraphPattern", "ToMultiSet", "values", "Minus", "Union", "LeftJoin",
     "SubSelect", "InlineData", "GraphGraphPattern", "MinusGraphPattern", "OptionalGraphPattern",
     "GroupOrUnionGraphPattern"}
)  # fmt: skip


def _check_algebra(algebra: Any) -> None:
    """The query gives, run once with ``$this`` free, exactly the rows pyshacl gets per focus node: it selects
    ``$this``, binds it in a plain triple pattern, and groups by it if it aggregates."""
    if algebra.name != "SelectQuery" or algebra.get("datasetClause") or _THIS not in algebra.PV:
        raise Unsupported("a SPARQL constraint that does not select $this")
    if Variable("failure") in algebra.PV or _REFUSED_ALGEBRA & set(_names(algebra)):
        raise Unsupported("a SPARQL constraint with ?failure, LIMIT, OPTIONAL, UNION, GRAPH or a sub-query")
    chain = [algebra.p]
    while chain[-1].name in _PASS_THROUGH:
        chain.append(chain[-1].p)
    inner, samples = chain[-1], set()
    if inner.name == "AggregateJoin":
        samples = {a.res for a in inner.A if a.name == "Aggregate_Sample" and a.vars == _THIS}
        group = inner.p
        if group.name != "Group" or not group.expr or _THIS not in group.expr:
            raise Unsupported("a SPARQL constraint that aggregates without grouping by $this")
        inner = group.p
    if any(n.name == "Extend" and n.var == _THIS and n.expr not in samples for n in chain[:-1]):
        raise Unsupported("a SPARQL constraint that rebinds $this")
    if not _binds_this(inner):
        raise Unsupported("a SPARQL constraint whose $this is not bound by a triple pattern")


def _binds_this(node: Any) -> bool:
    """*node* binds ``$this`` in a triple pattern, and evaluates its filters only once it is bound."""
    if node.name in ("Filter", "Extend"):
        return (node.name == "Filter" or node.var != _THIS) and _binds_this(node.p)
    return _plain(node) and _THIS in _pattern_terms(node)


def _plain(node: Any) -> bool:
    return node.name == "BGP" or (node.name == "Join" and _plain(node.p1) and _plain(node.p2))


def _pattern_terms(node: Any) -> set[Any]:
    if node.name == "BGP":
        return {t for triple in node.triples for t in triple}
    return _pattern_terms(node.p1) | _pattern_terms(node.p2)


def _names(node: Any) -> Iterator[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _names(value)
