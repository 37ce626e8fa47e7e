"""Compiling a shapes graph into a `Compiled` validator, or refusing (`Unsupported`) what it cannot run
exactly as pyshacl does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.pipeline.cache import gc_paused
from kg.pipeline.shacl.constraints import (
    _Class,
    _Datatype,
    _LanguageIn,
    _LessThanOrEquals,
    _MaxCount,
    _MinCount,
    _Multi,
    _Node,
    _NodeKind,
    _Or,
    _Pattern,
    _Property,
    _Qualified,
    _Sparql,
    _UniqueLang,
)
from kg.pipeline.shacl.model import Unsupported, _one, _Shape, _Targets
from kg.pipeline.shacl.run import Compiled
from kg.pipeline.shacl.sparql import _compile_query
from kg.rdf.namespaces import curie


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


# --- compiling ----------------------------------------------------------------------------------------------

_TYPES = frozenset({SH.NodeShape, SH.PropertyShape})
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_SHAPE_PREDICATES = frozenset(
    {
        *_TARGETS, SH.property, SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind,
        SH.pattern, SH.flags, SH.languageIn, SH.uniqueLang, SH["or"], SH.node, SH.qualifiedValueShape,
        SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.message, SH.severity,
        SH.deactivated, SH.sparql, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
        SH.lessThanOrEquals,
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


def _less_than_or_equals(g: Graph, node: Node, is_property: bool) -> _LessThanOrEquals | None:
    others = tuple(g.objects(node, SH.lessThanOrEquals))
    if not others:
        return None
    if not is_property or not all(isinstance(o, URIRef) for o in others):
        raise Unsupported("a sh:lessThanOrEquals that is not on a property shape or not an IRI")
    return _LessThanOrEquals(others)


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
    _property, _qualified, _sparql, _less_than_or_equals,
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
