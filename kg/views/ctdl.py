"""CTDL JSON-LD: the result of the one CTDL mapping (queries/ctdl.rq, a SPARQL CONSTRUCT) written the way the
Credential Registry publishes it.

The document names the published CTDL context (``https://credreg.net/ctdl/schema/context/json``) and uses its
compact forms: ``ceterms:`` terms with language maps for text, bare IRIs for references and bare lexical forms
for typed values (the context declares each term's coercion); other terms (``dct:source``, the citation) are
written in explicit form, so the document means the same triples under that context. Profiles that belong to
one node (ConditionProfile, CredentialAlignmentObject, DurationProfile) are nested in it. The output is
canonical: keys, nodes and values sorted, the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.config import package_root
from kg.rdf.formats import canonical_json
from kg.views.release import citation_triples

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
CETERMS = "https://purl.org/ctdl/terms/"
MAPPING = package_root() / "queries" / "ctdl.rq"
# The prefixes of the published CTDL context that this document uses.
PREFIXES = {
    "ceterms": CETERMS,
    "dct": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": str(XSD),
}
NESTED = frozenset(
    URIRef(CETERMS + name) for name in ("ConditionProfile", "CredentialAlignmentObject", "DurationProfile")
)
CETERMS_PREFIX = "ceterms:"
SCHEMA_DURATION = URIRef("https://schema.org/Duration")  # the CTDL context's schema: is https


@functools.cache
def _mapping() -> Any:
    """queries/ctdl.rq, parsed once per process (`kg.query.guard.prepare` parses one query at a time)."""
    from kg.query.catalogue import load_query

    return load_query(MAPPING, package_root())


def ctdl_graph(kg: KnowledgeGraph) -> Graph:
    """The CONSTRUCT result of queries/ctdl.rq over *kg*, plus the dataset's citation triples."""
    from kg.query.execute import execute

    result = execute(kg, _mapping().prepared)
    graph = Graph()
    graph.addN((s, p, _ctdl_duration(o), graph) for s, p, o in result.graph)
    graph.addN((s, p, o, graph) for s, p, o in citation_triples(kg))
    return graph


def _ctdl_duration(term: Node) -> Node:
    """An xsd:duration as CTDL types durations (schema:Duration, https://schema.org/), same lexical form."""
    if isinstance(term, Literal) and term.datatype == XSD.duration:
        return Literal(str(term), datatype=SCHEMA_DURATION)
    return term


def ctdl_document(graph: Graph) -> dict[str, Any]:
    """The CTDL JSON-LD document of *graph*: ``{"@context": <CTDL>, "@graph": [...]}``."""
    nodes = {s: _node(graph, s) for s in set(graph.subjects()) if isinstance(s, URIRef)}
    refs = Counter(o for o in graph.objects() if o in nodes)
    # a profile referenced exactly once is nested in the node that references it
    nested = {s for s in nodes if refs[s] == 1 and set(graph.objects(s, RDF.type)) & NESTED}
    for node in nodes.values():
        for key, values in node.items():
            if key.startswith(CETERMS_PREFIX):
                node[key] = [nodes[v] if isinstance(v, URIRef) and v in nested else v for v in values]
    top = [node for s, node in nodes.items() if s not in nested]
    return {"@context": CTDL_CONTEXT, "@graph": [_render(node) for node in top]}


def ctdl_bytes(kg: KnowledgeGraph) -> bytes:
    """The whole CTDL export (canonical JSON)."""
    return canonical_json(ctdl_document(ctdl_graph(kg)))


def entity_document(document: dict[str, Any], iri: str) -> dict[str, Any] | None:
    """The CTDL document of one top-level node (a credential, program or organization), or None."""
    found = [node for node in document["@graph"] if node.get("@id") == iri]
    return {"@context": document["@context"], "@graph": found} if found else None


def _curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _node(graph: Graph, subject: URIRef) -> dict[str, Any]:
    """One node: ``@id``, ``@type`` and each property's values (IRIs kept as URIRefs until rendered)."""
    node: dict[str, Any] = {"@id": str(subject)}
    types = sorted(_curie(str(t)) for t in graph.objects(subject, RDF.type))
    if types:
        node["@type"] = types[0] if len(types) == 1 else types
    for p in sorted(set(graph.predicates(subject)) - {RDF.type}):
        node[_curie(str(p))] = list(graph.objects(subject, p))
    return node


def _render(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, values in node.items():
        if key.startswith("@"):
            out[key] = values
        elif key.startswith(CETERMS_PREFIX):
            out[key] = _compact(values)
        else:
            out[key] = _one_or_many([_explicit(v) for v in values])
    return out


def _compact(values: list[Any]) -> Any:
    """Values of a ``ceterms:`` term in the CTDL context's compact forms."""
    languages: dict[str, list[str]] = {}
    plain: list[Any] = []
    for value in values:
        if isinstance(value, dict):
            plain.append(_render(value))
        elif isinstance(value, Literal) and value.language:
            languages.setdefault(value.language, []).append(str(value))
        else:
            plain.append(str(value))
    if languages and plain:
        raise ValueError(f"mixed language-tagged and other values: {values!r}")
    if languages:
        return {lang: _one_or_many(texts) for lang, texts in languages.items()}
    return _one_or_many(plain)


def _explicit(value: Node) -> Any:
    if isinstance(value, URIRef):
        return {"@id": str(value)}
    if isinstance(value, Literal) and value.language:
        return {"@value": str(value), "@language": value.language}
    if isinstance(value, Literal) and value.datatype not in (None, XSD.string):
        return {"@value": str(value), "@type": _curie(str(value.datatype))}
    return str(value)


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values
