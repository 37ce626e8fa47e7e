"""One entity as a plain value: labels, types, grouped properties (asserted vs inferred, each value with
the source of its claim where a ckg:Claim names one), incoming links, statistics with their sources and
dates, the statistical occupation its figures are reported under, and the entity's SHACL status. Pages, JSON
and tests all read this value."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, ID, SCHEMA, bind_prefixes, curie
from kg.views.provenance import (
    Citation,
    ReportedUnder,
    citations,
    claim_sources,
    figure_dates,
    reported_under,
)

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

# Shown in the page header, so not repeated among the properties.
HEADER_PROPERTIES = frozenset({RDF.type, SKOS.prefLabel, DCTERMS.description})
# Statistics are shown as a table and claims beside the values they cite, so their links to the entity are not
# repeated among incoming links.
STATISTIC_LINKS = frozenset({CKG.about, SCHEMA.observationAbout, RDF.subject, RDF.object})
_ORDER = (
    "employment median-hourly-wage median-annual-wage mean-hourly-wage mean-annual-wage projected-growth "
    "projected-new-positions employment-share-by-setting fastest-growing-count"
)
VARIABLE_ORDER = tuple(ID["var-" + v] for v in _ORDER.split())  # the seed's order


@dataclass(frozen=True)
class Term:
    """An RDF node as shown to people: ``value`` is the IRI or lexical form, ``label`` the text to show."""

    value: str
    label: str
    kind: str  # iri | literal | bnode
    datatype: str | None = None
    lang: str | None = None
    inferred: bool = False
    sources: tuple[Citation, ...] = ()  # who makes this statement, when a ckg:Claim names its source


@dataclass(frozen=True)
class PropertyGroup:
    predicate: str
    label: str
    values: tuple[Term, ...]


@dataclass(frozen=True)
class StatisticRow:
    iri: str
    variable: Term
    value: str  # formatted for people ("31,540")
    number: str  # lexical form ("31540")
    unit: str
    currency: str | None
    ref_period: str | None  # the period the figure refers to: "2016-05", "2014–2024"
    published: str | None  # when its source published it (dct:issued)
    age_years: int | None  # counted from publication, else from the start of the reference period
    age_from: str | None  # "publication" | "reference period"
    setting: Term | None
    about: Term  # whom the figure is about (the statistical occupation when followed via ckg:reportedUnder)
    sources: tuple[Citation, ...]


@dataclass(frozen=True)
class ClaimRow:
    """A statement some entity makes that cites the described source (shown on a source's page)."""

    subject: Term
    predicate: Term
    object: Term


@dataclass(frozen=True)
class ShaclStatus:
    conforms: bool
    results: tuple[tuple[str, str], ...]  # (property label, message) for this entity


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    description: str | None
    alt_labels: tuple[str, ...]
    types: tuple[Term, ...]
    properties: tuple[PropertyGroup, ...]
    incoming: tuple[PropertyGroup, ...]
    statistics: tuple[StatisticRow, ...]
    shacl: ShaclStatus
    is_profession: bool
    reported_under: tuple[ReportedUnder, ...] = ()
    cited_claims: tuple[ClaimRow, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def exists(kg: KnowledgeGraph, iri: URIRef) -> bool:
    """True when the graph says anything about *iri* (as subject)."""
    return (iri, None, None) in kg.union


def describe(kg: KnowledgeGraph, iri: URIRef | str, today: date | None = None) -> Entity | None:
    """The entity *iri* as a value, or None when the graph says nothing about it."""
    iri = URIRef(str(iri))
    union: Graph = kg.union
    if not exists(kg, iri):
        return None
    today = today or date.today()
    types = tuple(
        sorted(
            (
                term(kg, t, inferred=_is_inferred(kg, iri, RDF.type, t))
                for t in set(union.objects(iri, RDF.type))
            ),
            key=lambda t: (t.inferred, t.label.casefold(), t.value),
        )
    )
    return Entity(
        iri=str(iri),
        label=label(union, iri),
        description=_first_text(union, iri, DCTERMS.description, SCHEMA.description, RDFS.comment),
        alt_labels=tuple(sorted({str(a) for a in union.objects(iri, SKOS.altLabel)})),
        types=types,
        properties=_outgoing(kg, iri),
        incoming=_incoming(kg, iri),
        statistics=statistics(kg, iri, today),
        shacl=_shacl(kg, iri),
        is_profession=(iri, RDF.type, CKG.Profession) in union,
        reported_under=reported_under(union, iri),
        cited_claims=_cited_claims(kg, iri),
    )


def statistics(kg: KnowledgeGraph, iri: URIRef, today: date | None = None) -> tuple[StatisticRow, ...]:
    """Every statistic about *iri*, then those about the occupation it is ckg:reportedUnder (marked by
    ``about``)."""
    today = today or date.today()
    union: Graph = kg.union
    subjects = [iri, *sorted(o for o in union.objects(iri, CKG.reportedUnder) if isinstance(o, URIRef))]
    rows = [
        _statistic(kg, s, subject, today)
        for subject in subjects
        for s in set(union.subjects(CKG.about, subject))
    ]
    order = {v: i for i, v in enumerate(VARIABLE_ORDER)}
    rows.sort(
        key=lambda r: (
            r.about.value != str(iri),
            order.get(URIRef(r.variable.value), 99),
            r.variable.label,
            r.setting.label if r.setting else "",
            r.ref_period or "",
        )
    )
    return tuple(rows)


def entity_graph(kg: KnowledgeGraph, iri: URIRef | str) -> Graph:
    """The RDF twin of an entity page: what it says (asserted and inferred), the claims that cite its
    statements, its statistics, what points at it."""
    iri = URIRef(str(iri))
    out = bind_prefixes(Graph())
    for p, o in kg.union.predicate_objects(iri):
        if not _trivial(iri, p, o):
            out.add((iri, p, o))
            _add_bnode_closure(kg.union, o, out)
    for claim in kg.data.subjects(RDF.subject, iri):
        out += kg.data.triples((claim, None, None))
    for s, p in kg.data.subject_predicates(iri):
        out.add((s, p, iri))
        if p == CKG.about:
            for p2, o2 in kg.data.predicate_objects(s):
                out.add((s, p2, o2))
    return out


def format_number(value: Literal | None) -> str:
    """31540 → "31,540"; 15.17 → "15.17"; anything else → its lexical form."""
    if value is None:
        return ""
    py = value.toPython() if isinstance(value, Literal) else value
    if isinstance(py, bool):
        return str(value)
    if isinstance(py, int | Decimal):
        return f"{py:,}"
    if isinstance(py, float):
        return f"{py:,.10g}"
    return str(value)


def _statistic(kg: KnowledgeGraph, stat: Node, subject: URIRef, today: date) -> StatisticRow:
    union: Graph = kg.union
    variable = union.value(stat, CKG.variable)
    value = union.value(stat, CKG.value)
    unit = union.value(stat, CKG.unit)
    currency = union.value(stat, CKG.currency)
    dates = figure_dates(union, stat, today)
    setting = union.value(stat, CKG.setting)
    return StatisticRow(
        iri=str(stat),
        variable=term(kg, variable) if variable is not None else Term("", "statistic", "literal"),
        value=format_number(value),
        number=str(value) if value is not None else "",
        unit=label(union, unit) if unit is not None else "",
        currency=str(currency) if currency is not None else None,
        ref_period=dates.ref_period,
        published=dates.published,
        age_years=dates.age_years,
        age_from=dates.age_from,
        setting=term(kg, setting) if setting is not None else None,
        about=term(kg, subject),
        sources=citations(union, union.objects(stat, CKG.source)),
    )


def _outgoing(kg: KnowledgeGraph, iri: URIRef) -> tuple[PropertyGroup, ...]:
    groups: dict[URIRef, list[Term]] = {}
    claimed = claim_sources(kg.union, iri)
    for p, o in kg.union.predicate_objects(iri):
        if p in HEADER_PROPERTIES or _trivial(iri, p, o):
            continue
        value = term(kg, o, inferred=_is_inferred(kg, iri, p, o))
        if (p, o) in claimed:
            value = replace(value, sources=citations(kg.union, claimed[(p, o)]))
        groups.setdefault(p, []).append(value)
    return _sorted_groups(kg, groups)


def _cited_claims(kg: KnowledgeGraph, source: URIRef) -> tuple[ClaimRow, ...]:
    """The claims that cite *source* (empty unless *source* is a source)."""
    g: Graph = kg.union
    rows = [
        ClaimRow(*(term(kg, g.value(c, p)) for p in (RDF.subject, RDF.predicate, RDF.object)))
        for c in g.subjects(CKG.source, source)
        if (c, RDF.type, CKG.Claim) in g
    ]
    return tuple(sorted(rows, key=lambda r: (r.subject.label, r.predicate.label, r.object.label)))


def _incoming(kg: KnowledgeGraph, iri: URIRef) -> tuple[PropertyGroup, ...]:
    groups: dict[URIRef, list[Term]] = {}
    for s, p in kg.union.subject_predicates(iri):
        if p in STATISTIC_LINKS or p == RDF.type or _trivial(s, p, iri) or not isinstance(s, URIRef):
            continue
        groups.setdefault(p, []).append(term(kg, s, inferred=_is_inferred(kg, s, p, iri)))
    return _sorted_groups(kg, groups)


def _sorted_groups(kg: KnowledgeGraph, groups: dict[URIRef, list[Term]]) -> tuple[PropertyGroup, ...]:
    names = {p: label(kg.union, p) for p in groups}
    clashes = {n for n in names.values() if list(names.values()).count(n) > 1}
    built = [
        PropertyGroup(
            str(p),
            f"{names[p]} ({curie(p)})" if names[p] in clashes else names[p],
            tuple(sorted(set(v), key=lambda t: (t.inferred, t.label.casefold(), t.value))),
        )
        for p, v in groups.items()
    ]
    # Groups holding asserted statements first, then by label.
    built.sort(key=lambda g: (all(t.inferred for t in g.values), g.label.casefold(), g.predicate))
    return tuple(built)


def _shacl(kg: KnowledgeGraph, iri: URIRef) -> ShaclStatus:
    report = getattr(kg, "report", None)
    if report is None:
        return ShaclStatus(True, ())
    mine = tuple(
        (label(kg.union, r.path) if isinstance(r.path, URIRef) else str(r.path or ""), str(r.message))
        for r in report.results
        if str(r.focus) == str(iri)
    )
    return ShaclStatus(conforms=not mine, results=mine)


def term(kg: KnowledgeGraph, node: Node, inferred: bool = False) -> Term:
    if isinstance(node, Literal):
        shown = format_number(node) if node.datatype in _NUMERIC else str(node)
        return Term(
            value=str(node),
            label=shown,
            kind="literal",
            datatype=str(node.datatype) if node.datatype else None,
            lang=node.language,
            inferred=inferred,
        )
    kind = "bnode" if isinstance(node, BNode) else "iri"
    return Term(value=str(node), label=label(kg.union, node), kind=kind, inferred=inferred)


def _is_inferred(kg: KnowledgeGraph, s: Node, p: Node, o: Node) -> bool:
    triple = (s, p, o)
    return triple in kg.inferred and triple not in kg.data


def _trivial(s: Node, p: Node, o: Node) -> bool:
    """Closure noise no reader needs: x owl:sameAs x, x a owl:Thing / rdfs:Resource."""
    return (p == OWL.sameAs and s == o) or (p == RDF.type and o in (OWL.Thing, RDFS.Resource))


def _first_text(graph: Graph, iri: URIRef, *props: URIRef) -> str | None:
    for prop in props:
        values = [o for o in graph.objects(iri, prop) if isinstance(o, Literal)]
        english = [v for v in values if v.language in (None, "en")]
        if english or values:
            return str(sorted(english or values)[0])
    return None


def _add_bnode_closure(graph: Graph, node: Node, out: Graph) -> None:
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if not isinstance(current, BNode) or current in seen:
            continue
        seen.add(current)
        for p, o in graph.predicate_objects(current):
            out.add((current, p, o))
            todo.append(o)


_NUMERIC = frozenset(
    XSD[t] for t in "integer decimal double float int long nonNegativeInteger positiveInteger".split()
)
