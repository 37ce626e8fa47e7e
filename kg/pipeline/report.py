"""The validation report: a plain value that pages, the CLI and the build cache can hold, made by either
engine of `kg.pipeline.validate`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.labels import explicit_label
from kg.rdf.namespaces import curie


@dataclass(frozen=True)
class ValidationResult:
    focus: str  # the IRI of the focus node ("_:…" for a blank node, "" when there is none)
    focus_label: str
    path: str  # the IRI of the result path ("" when the constraint is on the node itself)
    path_label: str
    message: str
    severity: str  # Violation | Warning | Info
    shape: str  # the IRI of the source shape ("_:…" for a blank-node shape)

    def line(self) -> str:
        return f"{self.focus_label} — {self.path_label or '(node)'} — {self.message}"

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Report:
    conforms: bool
    results: tuple[ValidationResult, ...] = ()

    def text(self) -> str:
        """One line per result: ``focus label — property — message``."""
        return "\n".join(r.line() for r in self.results)

    def count(self, severity: str = "Violation") -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def with_results(self, extra: Iterable[ValidationResult]) -> Report:
        """A report that also holds the *extra* results (which are violations: it no longer conforms if
        any)."""
        extra = tuple(extra)
        return Report(self.conforms and not extra, sorted_results(self.results + extra))

    def as_dict(self) -> dict[str, Any]:
        return {"conforms": self.conforms, "results": [r.as_dict() for r in self.results]}


def inconsistency_results(messages: Iterable[str]) -> tuple[ValidationResult, ...]:
    """Reasoner inconsistencies as violations, so that one report tells everything wrong with the data."""
    return tuple(ValidationResult("", "OWL-RL reasoning", "", "", m, "Violation", "owl-rl") for m in messages)


def path_label(path: Node | None, labels: Graph, inverse_of: Callable[[Node], Node | None]) -> str:
    """A result path as the report shows it: an IRI's label, ``^`` and it for an inverse path (*inverse_of*
    gives the IRI an inverse-path node stands for, or None), else "(complex path)"."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return explicit_label(labels, path) or curie(path)
    inverse = inverse_of(path)
    if inverse is not None:
        return "^" + path_label(inverse, labels, inverse_of)
    return "(complex path)"


def node_id(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node) if not isinstance(node, Literal) else node.n3()


def iri_tail(node: Node | None) -> str:
    return "" if node is None else str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def sorted_results(results: Iterable[ValidationResult]) -> tuple[ValidationResult, ...]:
    """By label, property, message and node; the rest of each result breaks ties, so that the order never
    depends on the order the engine found them in."""
    return tuple(
        sorted(
            results,
            key=lambda r: (r.focus_label, r.path_label, r.message, r.focus, r.path, r.severity, r.shape),
        )
    )
