"""The one label resolver: the name a person should read for a node."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import RDFS, SKOS, BNode, Graph, Literal
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg.rdf.namespaces import SCHEMA

LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, DCTERMS.title)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def label(graph: Graph, node: Node, lang: str = "en") -> str:
    """skos:prefLabel, rdfs:label, schema:name or dct:title of *node* (the first property that has one),
    preferring a literal in *lang*, then one without a language, then any; else a readable local name of the
    IRI. Literals are returned as their text."""
    if isinstance(node, Literal):
        return str(node)
    found = explicit_label(graph, node, lang)
    if found is not None:
        return found
    if isinstance(node, BNode):
        return f"_:{node}"
    return local_name(str(node))


def explicit_label(graph: Graph, node: Node, lang: str = "en") -> str | None:
    """The label *graph* states for *node* (as `label` picks it), or None when it states none."""
    for prop in LABEL_PROPERTIES:
        best = _pick(graph.objects(node, prop), lang)
        if best is not None:
            return best
    return None


def _pick(values: Iterable[Node], lang: str) -> str | None:
    """The best literal: in *lang*, else without a tag, else English, else any; ties go to the smallest text,
    so the choice never depends on the graph's iteration order."""
    wanted = lang.lower()
    best: tuple[int, str] | None = None
    for value in values:
        if not isinstance(value, Literal):
            continue
        tag = (value.language or "").lower()
        rank = 0 if tag == wanted else 1 if not tag else 2 if tag == "en" else 3
        candidate = (rank, str(value))
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[1]


def local_name(iri: str) -> str:
    """The last segment of *iri* (after ``#``, ``/`` or ``:``), hyphens and camel case turned into spaces:
    ``…/id/medical-coder`` → ``medical coder``, ``…#requiredCredential`` → ``required credential``."""
    tail = re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri
    words = _CAMEL.sub(" ", tail).replace("-", " ").replace("_", " ").split()
    # "OccupationCode" → "Occupation code"; acronyms ("SOC") keep their case
    words = words[:1] + [w.lower() if w[1:].islower() else w for w in words[1:]]
    return " ".join(words) or iri
