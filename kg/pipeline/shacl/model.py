"""The compiled form of a shapes graph: shapes, their targets, and the results (hits) they give."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rdflib import SH, Graph, URIRef
from rdflib.term import Node

from kg.rdf.namespaces import curie

ALLOWED_SEVERITIES = frozenset(
    {SH.Info, SH.Warning}
)  # `kg.pipeline.validate` runs pyshacl with allow_warnings


class Unsupported(ValueError):
    """The shapes (or the ontology) use something the compiled validator does not do exactly as pyshacl."""


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


def _one(g: Graph, node: Node, predicate: URIRef, default: Node | None = None) -> Any:
    values = list(g.objects(node, predicate))
    if len(values) > 1:
        raise Unsupported(f"more than one {curie(predicate)} on a shape")
    return values[0] if values else default
