"""The ontology documentation as a value: metadata, classes, properties, alignments, from the graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from kg.rdf.namespaces import CKG, ONTOLOGY_IRI
from kg.views.describe import Term, term

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
CHARACTERISTICS = (
    OWL.SymmetricProperty,
    OWL.TransitiveProperty,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
)


@dataclass(frozen=True)
class Doc:
    """One class or property."""

    name: str  # local name, the page anchor
    iri: str
    label: str
    comment: str | None
    kinds: tuple[str, ...]
    parents: tuple[Term, ...]  # rdfs:subClassOf / rdfs:subPropertyOf
    children: tuple[Term, ...]
    inverse: tuple[Term, ...]


@dataclass(frozen=True)
class OntologyDoc:
    iri: str
    title: str
    description: str | None
    metadata: tuple[tuple[str, Term], ...]
    classes: tuple[Doc, ...]
    properties: tuple[Doc, ...]
    alignments: tuple[tuple[Term, str, Term], ...]  # (our term, relation, external term)


def ontology_doc(kg: KnowledgeGraph) -> OntologyDoc:
    """The documentation of the ckg: vocabulary held in ``kg.ontology``."""
    g: Graph = kg.ontology
    onto = URIRef(ONTOLOGY_IRI)
    classes = sorted(_own(g, OWL.Class) | _own(g, RDFS.Class))
    props = sorted(set().union(*(_own(g, t) for t in PROPERTY_TYPES)))
    metadata = tuple(
        (label_text, term(kg, o))
        for p, label_text in (
            (OWL.versionInfo, "Version"),
            (DCTERMS.license, "License"),
            (DCTERMS.creator, "Creator"),
            (DCTERMS.created, "Created"),
            (DCTERMS.modified, "Modified"),
        )
        for o in sorted(g.objects(onto, p))
    )
    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        title=str(g.value(onto, DCTERMS.title) or "Careers KG ontology"),
        description=_text(g, onto, DCTERMS.description, RDFS.comment),
        metadata=metadata,
        classes=tuple(_doc(kg, g, c, RDFS.subClassOf) for c in classes),
        properties=tuple(_doc(kg, g, p, RDFS.subPropertyOf) for p in props),
        alignments=tuple(_alignments(kg, g, classes, props)),
    )


def _own(g: Graph, rdf_type: URIRef) -> set[URIRef]:
    return {
        s for s in g.subjects(RDF.type, rdf_type) if isinstance(s, URIRef) and str(s).startswith(str(CKG))
    }


def _doc(kg: KnowledgeGraph, g: Graph, iri: URIRef, parent_prop: URIRef) -> Doc:
    kinds = [_local(t) for t in sorted(g.objects(iri, RDF.type)) if t in PROPERTY_TYPES + CHARACTERISTICS]
    inverse = {o for o in g.objects(iri, OWL.inverseOf)} | {s for s in g.subjects(OWL.inverseOf, iri)}
    return Doc(
        name=_local(iri),
        iri=str(iri),
        label=str(g.value(iri, RDFS.label) or _local(iri)),
        comment=_text(g, iri, RDFS.comment, SKOS.definition, DCTERMS.description),
        kinds=tuple(kinds),
        parents=_terms(kg, g.objects(iri, parent_prop), iri),
        children=_terms(kg, g.subjects(parent_prop, iri), iri),
        inverse=_terms(kg, inverse, iri),
    )


def _alignments(kg: KnowledgeGraph, g: Graph, classes: list[URIRef], props: list[URIRef]):
    for own, relation in [(c, RDFS.subClassOf) for c in classes] + [(p, RDFS.subPropertyOf) for p in props]:
        for target in sorted(g.objects(own, relation)):
            if isinstance(target, URIRef) and not str(target).startswith(str(CKG)):
                yield term(kg, own), _local(relation), term(kg, target)


def _terms(kg: KnowledgeGraph, nodes: Any, exclude: Node) -> tuple[Term, ...]:
    found = {n for n in nodes if isinstance(n, URIRef) and n != exclude}
    return tuple(
        sorted((term(kg, n) for n in found), key=lambda t: (not t.value.startswith(str(CKG)), t.value))
    )


def _text(g: Graph, iri: Node, *props: URIRef) -> str | None:
    for prop in props:
        value = g.value(iri, prop)
        if value is not None:
            return str(value)
    return None


def _local(iri: Node) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]
