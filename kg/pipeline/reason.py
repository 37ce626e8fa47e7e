"""OWL 2 RL closure of data + ontology, computed on a copy; returns only what was inferred.

What is kept out of the inferred graph, and why (each is true in every OWL model, so dropping it loses nothing
a query could use, and keeps exports and pages readable):

* triples whose subject is a literal (``"5"^^xsd:integer rdf:type xsd:decimal``, ``"x" owl:sameAs "x"``);
* reflexive ``owl:sameAs``, ``owl:equivalentClass``, ``owl:equivalentProperty``, ``rdfs:subClassOf`` and
  ``rdfs:subPropertyOf`` triples (``x owl:sameAs x``);
* membership of and subsumption by ``owl:Thing`` (``x rdf:type owl:Thing``, ``C rdfs:subClassOf owl:Thing``);
* statements about the RDF, RDFS, OWL and XSD vocabularies themselves (``xsd:string rdf:type rdfs:Datatype``,
  ``owl:Nothing rdfs:subClassOf C``, ``rdfs:label rdf:type owl:AnnotationProperty``).

OWL-RL inconsistencies (owlrl reports them as ``err:ErrorMessage`` nodes) are taken out of the graph and
returned as messages, so that the build can fail with them in its report.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

ERR = "http://www.daml.org/2002/03/agents/agent-ont#"
_REFLEXIVE = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}
_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))


@dataclass(frozen=True)
class Closure:
    inferred: Graph
    inconsistencies: tuple[str, ...] = ()


def infer(data: Graph, ontology: Graph) -> Closure:
    """The OWL-RL closure of *data* ∪ *ontology* minus both inputs, without the trivia listed in the
    module doc."""
    import owlrl  # imported here: a build served from the cache never needs it

    class Semantics(owlrl.OWLRL_Semantics):
        def store_triple(self, t: tuple[Node, Node, Node]) -> None:
            # `x owl:sameAs x` (rule eq-ref, for every term) derives nothing new through eq-sym/trans/rep-*,
            # and is dropped from the output anyway: not storing it makes the closure ~3x faster, same result.
            if t[1] != OWL.sameAs or t[0] != t[2]:
                super().store_triple(t)

    work = Graph(bind_namespaces="none")
    work.addN((s, p, o, work) for s, p, o in data)
    work.addN((s, p, o, work) for s, p, o in ontology)
    owlrl.DeductiveClosure(Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    messages = _take_errors(work)
    inferred = Graph(bind_namespaces="none")
    inferred.addN(
        (s, p, o, inferred)
        for s, p, o in work
        if (s, p, o) not in data and (s, p, o) not in ontology and keep(s, p, o)
    )
    return Closure(inferred, messages)


def keep(s: Node, p: Node, o: Node) -> bool:
    """False for the trivial triples that the module doc lists."""
    if isinstance(s, Literal):
        return False
    if p in _REFLEXIVE and s == o:
        return False
    if o == OWL.Thing and p in (RDF.type, RDFS.subClassOf):
        return False
    return not (isinstance(s, URIRef) and str(s).startswith(_BUILTIN))


def _take_errors(graph: Graph) -> tuple[str, ...]:
    """Remove owlrl's error-message nodes from *graph* and return their texts, sorted."""
    error_type = URIRef(ERR + "ErrorMessage")
    error_text = URIRef(ERR + "error")
    messages = []
    for node in list(graph.subjects(RDF.type, error_type)):
        if isinstance(node, BNode):
            messages += [str(text) for text in graph.objects(node, error_text)]
            graph.remove((node, None, None))
    return tuple(sorted(messages))
