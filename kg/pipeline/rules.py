"""A fast OWL-RL closure for the axioms the Careers KG ontology uses: the same inferred triples as
`kg.pipeline.reason.infer` (owlrl), in seconds instead of minutes at 10⁶ triples.

How: the schema (T-box) of data ∪ ontology is compiled once into lookup tables, then one worklist pass over
the triples applies them until nothing new comes out (a semi-naive fixpoint):

* ``scm-sco``/``scm-spo``/``scm-eqc``/``scm-eqp``: the transitive closures of ``rdfs:subClassOf`` and
  ``rdfs:subPropertyOf`` (with ``owl:equivalentClass``/``owl:equivalentProperty`` as two-way edges), and an
  ``owl:equivalentClass``/``owl:equivalentProperty`` triple for every two distinct terms under each other;
* ``cax-sco``: ``x rdf:type C`` gives ``x rdf:type D`` for every superclass D of C;
* ``prp-spo1``: ``x p y`` gives ``x q y`` for every superproperty q of p;
* ``prp-inv1``/``prp-inv2``: ``x p y`` gives ``y q x`` when ``p owl:inverseOf q`` or ``q owl:inverseOf p``;
* ``prp-symp``: ``x p y`` gives ``y p x`` when p is an ``owl:SymmetricProperty``;
* ``prp-trp``: ``x p y`` and ``y p z`` give ``x p z`` when p is an ``owl:TransitiveProperty``;
* ``dt-not-type``: a literal whose lexical form does not fit its datatype is an inconsistency, with owlrl's
  message (owlrl's own converters decide).

Everything else owlrl derives from such graphs is trivia that `kg.pipeline.reason.keep` drops anyway
(``x owl:sameAs x``, ``C rdfs:subClassOf C``/``owl:Thing``, ``x rdf:type owl:Thing``, literal typing,
statements about the RDF/RDFS/OWL/XSD vocabularies): it is not computed, and the same `keep` filters the
result, so `infer` returns exactly what `kg.pipeline.reason.infer` returns (tests/test_rules.py checks that
on the seed
KG, on synthetic data and on a graph exercising every rule).

Any other OWL or RDFS construct (domain, range, restrictions, functional or inverse-functional properties,
disjointness, ``owl:sameAs``, property chains, keys, ``owl:Nothing``, …), a schema axiom on a blank node or on
the RDF/RDFS/OWL/XSD vocabularies, or typing a resource with a datatype makes `compile_rules` raise
`UnsupportedAxioms`; `infer` then falls back to owlrl (``fallback=True``, the default) so the result is always
owlrl's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg.pipeline.cache import gc_paused
from kg.pipeline.load import new_graph
from kg.pipeline.reason import Closure, keep

Triple = tuple[Node, Node, Node]

TYPE, SUBCLASS, SUBPROPERTY = RDF.type, RDFS.subClassOf, RDFS.subPropertyOf
EQUIV_CLASS, EQUIV_PROPERTY, INVERSE = OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf
_SCHEMA = (SUBCLASS, SUBPROPERTY, EQUIV_CLASS, EQUIV_PROPERTY, INVERSE)
_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))

# Built-in terms that may appear in the data without changing what the rules above derive.
_ALLOWED_PREDICATES = frozenset(
    {
        *_SCHEMA,
        TYPE,
        RDF.first,
        RDF.rest,
        RDF.value,
        RDF.subject,  # reification (ckg:Claim): owlrl derives nothing from these
        RDF.predicate,
        RDF.object,
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        RDFS.member,
        OWL.versionInfo,
        OWL.versionIRI,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
        OWL.deprecated,
        OWL.imports,
    }
)
_ALLOWED_TYPES = frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.OntologyProperty,
        OWL.Ontology,
        OWL.NamedIndividual,
        OWL.Thing,
        OWL.SymmetricProperty,
        OWL.TransitiveProperty,
        OWL.DeprecatedClass,
        OWL.DeprecatedProperty,
        RDFS.Class,
        RDFS.Resource,
        RDF.Property,
        RDF.List,
        RDF.Statement,
    }
)


class UnsupportedAxioms(ValueError):
    """The graph uses OWL/RDFS constructs this reasoner does not implement (owlrl must be used instead)."""

    def __init__(self, reasons: Iterable[str]) -> None:
        self.reasons = tuple(sorted(set(reasons)))
        shown = "; ".join(self.reasons[:5]) + (
            f"; … ({len(self.reasons)} in all)" if len(self.reasons) > 5 else ""
        )
        super().__init__(f"axioms the fast reasoner does not implement: {shown}")


@dataclass(frozen=True)
class Rules:
    """The compiled schema: everything one triple entails on its own, plus the derived schema triples."""

    superclasses: Mapping[Node, tuple[Node, ...]]  # C → every D ≠ C with C ⊑⁺ D (cax-sco, closed)
    # p → every (q, swap) with x p y ⊢ x q y (or y q x if swap) by prp-spo1/inv1/inv2/symp, closed
    entails: Mapping[Node, tuple[tuple[Node, bool], ...]]
    transitive: frozenset[Node]
    schema: frozenset[Triple]  # scm-sco/scm-spo/scm-eqc2/scm-eqp2 consequences (trivial ones left out)

    def produces(self) -> frozenset[Node]:
        """Predicates the rules can add triples with."""
        out = {q for entailed in self.entails.values() for q, _ in entailed} | set(self.transitive)
        if self.superclasses:
            out.add(TYPE)
        return frozenset(out | {p for _, p, _ in self.schema})


def infer(data: Graph, ontology: Graph, *, fallback: bool = True, store: str = "default") -> Closure:
    """Drop-in for `kg.pipeline.reason.infer`: the OWL-RL closure of *data* ∪ *ontology* minus both,
    without trivia,
    and owlrl's inconsistency messages. Neither input is modified. With *fallback* (the default) a graph using
    unsupported axioms is handed to owlrl; without, `UnsupportedAxioms` is raised. The inferred graph is of
    rdflib's *store* plugin (see `kg.pipeline.load.new_graph`)."""
    try:
        kept, messages = inferred_triples(chain(data, ontology))
    except UnsupportedAxioms:
        if not fallback:
            raise
        from kg.pipeline import reason

        return reason.infer(data, ontology)
    inferred = new_graph(store)
    with gc_paused():
        inferred.addN((s, p, o, inferred) for s, p, o in kept)
    return Closure(inferred, messages)


def inferred_triples(triples: Iterable[Triple]) -> tuple[list[Triple], tuple[str, ...]]:
    """What `infer` returns, for any iterable of rdflib triples (e.g. to bulk-load elsewhere): the derived
    triples that `kg.pipeline.reason.keep` keeps, and the inconsistency messages. Raises
    `UnsupportedAxioms`."""
    derived, messages = closure(triples)
    return [t for t in derived if keep(*t)], messages


def closure(triples: Iterable[Triple]) -> tuple[set[Triple], tuple[str, ...]]:
    """Every triple the rules derive from *triples* that is not among them (trivia included, `keep` not
    applied), and the sorted inconsistency messages. Raises `UnsupportedAxioms`."""
    with gc_paused():
        by_predicate = _group(triples)
        rules = compile_rules(by_predicate)
        messages = literal_errors(t for ts in by_predicate.values() for t in ts)
        return derive(by_predicate, rules), messages


def compile_rules(triples: Iterable[Triple] | Mapping[Node, Collection[Triple]]) -> Rules:
    """Compile the schema axioms among *triples* (or *triples* grouped by predicate); raise
    `UnsupportedAxioms` for anything else OWL-RL would act on."""
    by_predicate = triples if isinstance(triples, Mapping) else _group(triples)
    problems: set[str] = set()
    for p in by_predicate:
        if _builtin(p) and p not in _ALLOWED_PREDICATES:
            problems.add(f"predicate {p}")
    symmetric: set[Node] = set()
    transitive: set[Node] = set()
    for s, _, o in by_predicate.get(TYPE, ()):
        if o == OWL.SymmetricProperty:
            _check_schema_node(s, "an owl:SymmetricProperty", problems)
            symmetric.add(s)
        elif o == OWL.TransitiveProperty:
            _check_schema_node(s, "an owl:TransitiveProperty", problems)
            transitive.add(s)
    for o in {o for _, _, o in by_predicate.get(TYPE, ())}:
        if _builtin(o) and o not in _ALLOWED_TYPES:
            problems.add(f"rdf:type {o}")
    edges: dict[Node, dict[Node, set[Node]]] = {p: defaultdict(set) for p in _SCHEMA}
    for p in _SCHEMA:
        for s, _, o in by_predicate.get(p, ()):
            _check_schema_node(s, f"the subject of {p}", problems)
            if not (p == SUBCLASS and o == OWL.Thing):
                _check_schema_node(o, f"the object of {p}", problems)
            edges[p][s].add(o)
            if p in (EQUIV_CLASS, EQUIV_PROPERTY, INVERSE):  # two-way edges
                edges[p][o].add(s)
    if problems:
        raise UnsupportedAxioms(problems)

    class_up = _strict_closure(_merge(edges[SUBCLASS], edges[EQUIV_CLASS]))
    property_up = _strict_closure(_merge(edges[SUBPROPERTY], edges[EQUIV_PROPERTY]))
    inverse = edges[INVERSE]
    schema = _schema_triples(class_up, SUBCLASS, EQUIV_CLASS) | _schema_triples(
        property_up, SUBPROPERTY, EQUIV_PROPERTY
    )
    steps: dict[Node, list[tuple[Node, bool]]] = defaultdict(list)  # one rule application
    for p, ups in property_up.items():
        steps[p] += [(q, False) for q in ups]
    for p, inverses in inverse.items():
        steps[p] += [(q, True) for q in inverses]
    for p in symmetric:
        steps[p].append((p, True))
    entails = {p: tuple(sorted(_reachable(p, steps), key=str)) for p in steps}
    supers = {c: tuple(sorted(up)) for c, up in class_up.items() if up}
    return Rules(supers, entails, frozenset(transitive), frozenset(schema))


def derive(triples: Iterable[Triple] | Mapping[Node, Collection[Triple]], rules: Rules) -> set[Triple]:
    """The fixpoint of the compiled rules over *triples* (or *triples* grouped by predicate): every derived
    triple not among them."""
    by_predicate = triples if isinstance(triples, Mapping) else _group(triples)
    entails, supers, transitive = rules.entails, rules.superclasses, rules.transitive
    known: set[Triple] = set()  # the input triples the rules could derive again
    for p in rules.produces():
        known.update(by_predicate.get(p, ()))
    new: set[Triple] = set()
    queue: list[Triple] = [t for p in transitive for t in by_predicate.get(p, ())]  # for prp-trp

    def add(d: Triple) -> None:
        if d not in known and d not in new:
            new.add(d)
            if d[1] in transitive:
                queue.append(d)

    for t in rules.schema:
        add(t)

    # The bulk of the work, as set operations: cax-sco (superclasses closed) and prp-spo1/inv/symp (closed:
    # nothing they derive needs them again).
    def merge(q: Node, batch: set[Triple]) -> None:
        batch -= known
        batch -= new
        new.update(batch)
        if q in transitive:
            queue.extend(batch)

    by_class: dict[Node, list[Node]] = defaultdict(list)
    for s, _, o in by_predicate.get(TYPE, ()):
        if o in supers:
            by_class[o].append(s)
    for c, members in by_class.items():
        for d in supers[c]:
            merge(TYPE, {(s, TYPE, d) for s in members})
    for p, entailed in entails.items():
        ts = by_predicate.get(p, ())
        for q, swap in entailed if ts else ():
            merge(q, {(o, q, s) for s, _, o in ts} if swap else {(s, q, o) for s, _, o in ts})
    # prp-trp: join each triple of a transitive property with those processed before it; what a join
    # derives is new to the other rules too (no type: rdf:type is never transitive nor entailed).
    forward: dict[Node, dict[Node, set[Node]]] = {p: defaultdict(set) for p in transitive}
    backward: dict[Node, dict[Node, set[Node]]] = {p: defaultdict(set) for p in transitive}
    while queue:
        s, p, o = queue.pop()
        if o in forward[p][s]:
            continue
        forward[p][s].add(o)
        backward[p][o].add(s)
        for x, y, z in [(x, p, o) for x in backward[p][s]] + [(s, p, z) for z in forward[p][o]]:
            if (x, y, z) not in known and (x, y, z) not in new:
                add((x, y, z))
                for q, swap in entails.get(p, ()):
                    add((z, q, x) if swap else (x, q, z))
    return new


def literal_errors(triples: Iterable[Triple]) -> tuple[str, ...]:
    """owlrl's dt-not-type messages for the ill-typed literals among the objects of *triples*, sorted."""
    from owlrl.DatatypeHandling import AltXSDToPYTHON  # the converters owlrl itself uses
    from owlrl.XsdDatatypes import OWL_RL_Datatypes

    datatypes = set(OWL_RL_Datatypes)
    literals = {o for _, _, o in triples if isinstance(o, Literal)}
    messages = set()
    for o in literals:
        if o.datatype in datatypes:
            try:
                AltXSDToPYTHON.get(o.datatype, str)(str(o))
            except ValueError:
                messages.add(f"Lexical value of the literal '{o}' does not match its datatype ({o.datatype})")
    return tuple(sorted(messages))


def _group(triples: Iterable[Triple]) -> dict[Node, list[Triple]]:
    by_predicate: dict[Node, list[Triple]] = defaultdict(list)
    for t in triples:
        by_predicate[t[1]].append(t)
    return by_predicate


def _merge(*edge_maps: Mapping[Node, set[Node]]) -> dict[Node, set[Node]]:
    out: dict[Node, set[Node]] = defaultdict(set)
    for edges in edge_maps:
        for a, bs in edges.items():
            out[a] |= bs
    return out


def _builtin(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(_BUILTIN)


def _check_schema_node(term: Node, role: str, problems: set[str]) -> None:
    if not isinstance(term, URIRef):
        problems.add(f"{role} is not an IRI: {term!r}")
    elif _builtin(term):
        problems.add(f"{role} is a built-in term: {term}")


def _reachable(p: Node, steps: Mapping[Node, list[tuple[Node, bool]]]) -> set[tuple[Node, bool]]:
    """Every (q, swap) that repeated `steps` lead to from (p, no swap), except that start itself."""
    seen: set[tuple[Node, bool]] = set()
    stack = [(p, False)]
    while stack:
        q, swap = stack.pop()
        for r, flip in steps.get(q, ()):
            state = (r, swap != flip)
            if state not in seen:
                seen.add(state)
                stack.append(state)
    seen.discard((p, False))
    return seen


def _strict_closure(edges: Mapping[Node, set[Node]]) -> dict[Node, set[Node]]:
    """For each node with edges: every node reachable by one or more edges, minus the node itself."""
    out: dict[Node, set[Node]] = {}
    for start in edges:
        seen: set[Node] = set()
        stack = list(edges[start])
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(edges.get(n, ()))
        seen.discard(start)
        out[start] = seen
    return out


def _schema_triples(up: Mapping[Node, set[Node]], sub: URIRef, equivalent: URIRef) -> set[Triple]:
    """scm-sco/scm-spo (a ⊑ c for a ⊑⁺ c, a ≠ c) and scm-eqc2/scm-eqp2 (a ≡ b when a ⊑⁺ b ⊑⁺ a, a ≠ b)."""
    out: set[Triple] = set()
    for a, ups in up.items():
        for c in ups:
            out.add((a, sub, c))
            if a in up.get(c, ()):
                out.add((a, equivalent, c))
    return out
