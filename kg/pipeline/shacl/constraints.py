"""The constraint components: each `check` gives (conforms, results) for one focus node and its value nodes,
as pyshacl's constraint components do."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from rdflib import RDF, RDFS, SH, XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kg.pipeline.shacl.model import _Hit, _Shape

# The validation run (`kg.pipeline.shacl.run._Run`) the constraints read from; named loosely here so that the
# run imports the constraints and not the other way round.
_Run = Any


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
class _LessThanOrEquals:
    others: tuple[Node, ...]  # the predicates whose values (at the focus node) no value may exceed

    def check(self, run: _Run, shape: _Shape, focus: Node, values: list[Node]) -> tuple[bool, list[_Hit]]:
        hits = [
            shape.hit(focus)
            for other in self.others
            for w in run.index(other, False).get(focus, ())
            for v in values
            if not _less_or_equal(v, w)
        ]
        return not hits, hits


def _less_or_equal(value: Node, other: Node) -> bool:
    """SPARQL's ``<=`` as pyshacl applies it for sh:lessThanOrEquals: IRIs and strings compare as strings, a
    string never compares with a non-string, and values that cannot be compared (or a blank node, which
    pyshacl refuses with an error) fail."""
    a, b = _comparable(value), _comparable(other)
    if a is None or b is None or a[0] != b[0]:
        return False
    if a[0]:
        return a[1] <= b[1]
    try:
        with warnings.catch_warnings():  # rdflib's Literal.__le__ tests NotImplemented for truth
            warnings.simplefilter("ignore", DeprecationWarning)
            return bool(a[1] <= b[1])
    except TypeError:
        return False


def _comparable(node: Node) -> tuple[bool, Any] | None:
    """(is a string, what to compare) for an IRI or a literal; None for a blank node."""
    if isinstance(node, URIRef):
        return True, str(node)
    if isinstance(node, Literal):
        return (True, node.value) if isinstance(node.value, str) else (False, node)
    return None


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


# --- helpers ------------------------------------------------------------------------------------------------


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
