"""The descriptive rows of a comparison (education, credentials, licensing, lists), one `Cell` per profession.

Each builder reads one profession's structure from ``kg.union`` and cites who makes the statements it used: a
statement's ckg:Claim where there is one, else the source of the node that makes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, ID
from kg.views.describe import format_number
from kg.views.provenance import Citation, citations, figure_dates, node_sources, statement_sources

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

SHARE_VARIABLE = ID["var-employment-share-by-setting"]
Builder = Callable[[Any, URIRef, date], "Cell"]  # (kg, profession, the day ages are counted to) → one cell
LEVEL_ORDER = ("level-high-school", "level-certificate", "level-associate", "level-bachelor", "level-master")
_DURATION = re.compile(r"^-?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T.*)?$")


@dataclass(frozen=True)
class Figure:
    """One statistic behind a cell, as data: the number, its unit, period and source apart (CSV, JSON)."""

    text: str  # "$31,540 per year"
    number: float | int | None
    unit: str  # "US dollars per year"
    currency: str | None
    ref_period: str | None
    published: str | None
    source_titles: tuple[str, ...]
    source_urls: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    values: tuple[str, ...]
    citations: tuple[Citation, ...] = ()
    numbers: tuple[float, ...] = ()  # the figures behind ``values`` (statistic rows), for charts
    ref_period: str | None = None  # the period the figure refers to ("2016-05", "2014–2024")
    published: str | None = None  # when its source published it (dct:issued)
    age_years: int | None = None  # from publication, else from the start of the reference period
    age_from: str | None = None  # "publication" | "reference period"
    via: str | None = None  # label of the statistical occupation the figure is about (ckg:reportedUnder)
    via_iri: str | None = None
    figures: tuple[Figure, ...] = ()  # statistic rows: one per value, with number, unit, period and source


def format_duration(value: Node | None) -> str:
    """An xsd:duration for people: P2Y → 2 years, P4M → 4 months, P1Y3M → 15 months."""
    count = months(value)
    if count is None:
        return "" if value is None else str(value)
    return format_months(count)


def format_months(count: int) -> str:
    """A whole number of months for people: 24 → 2 years, 12 → 1 year, 15 → 15 months."""
    if count % 12 == 0:
        years = count // 12
        return f"{years} year" + ("s" if years != 1 else "")
    return f"{count} month" + ("s" if count != 1 else "")


def months(value: Node | None) -> int | None:
    match = _DURATION.match(str(value)) if value is not None else None
    if not match or match.group(3):
        return None
    return int(match.group(1) or 0) * 12 + int(match.group(2) or 0)


def _programs(kg: KnowledgeGraph, p: URIRef) -> list[URIRef]:
    found = {o for o in kg.union.objects(p, CKG.educationPath) if isinstance(o, URIRef)}
    order = {ID[name]: i for i, name in enumerate(LEVEL_ORDER)}
    return sorted(
        found, key=lambda x: (order.get(kg.union.value(x, CKG.programLevel), 9), label(kg.union, x))
    )


def _level(kg: KnowledgeGraph, program: URIRef) -> str:
    level = kg.union.value(program, CKG.programLevel)
    return label(kg.union, level) if level is not None else label(kg.union, program)


def _degree_requirements(kg: KnowledgeGraph, p: URIRef, _today: date) -> Cell:
    g, programs = kg.union, _programs(kg, p)
    required = [x for x in programs if g.value(x, CKG.required) == Literal(True)]
    optional = [x for x in programs if x not in required]
    if not programs:
        return Cell(("not recorded",), _sources(kg, [p]))
    values = (
        [f"Required: {' or '.join(_level(kg, x) for x in required)}"] if required else ["No degree required"]
    )
    if optional:
        values.append(f"Optional: {', '.join(_level(kg, x) for x in optional)}")
    preferred = sorted(g.objects(p, CKG.preferredByEmployers), key=lambda x: label(g, x))
    if preferred:
        values.append(f"Many employers prefer: {'; '.join(label(g, x) for x in preferred)}")
    cites = [*_sources(kg, programs or [p]), *_statements(kg, p, CKG.preferredByEmployers, preferred)]
    return Cell(tuple(values), _unique(cites))


def _program_durations(kg: KnowledgeGraph, p: URIRef, _today: date) -> Cell:
    g, values, programs = kg.union, [], _programs(kg, p)
    for program in programs:
        text = f"{label(g, program)}: {_span(g, program)}"
        parts = sorted(label(g, c).lower() for c in g.objects(program, CKG.generallyIncludes))
        values.append(text + (f"; generally includes a {' and '.join(parts)}" if parts else ""))
    return Cell(tuple(values) or ("none recorded",), _sources(kg, programs or [p]))


def _span(g: Graph, program: Node) -> str:
    """How long a program takes, from its whole-month bounds (ckg:minMonths, ckg:maxMonths)."""
    low, high = (g.value(program, prop) for prop in (CKG.minMonths, CKG.maxMonths))
    if low is not None and high is not None and low != high:
        return f"{low}–{high} months"
    if high is not None:
        return ("about " if low is not None else "up to ") + format_months(int(high))
    return "duration not recorded"


def _accreditation(kg: KnowledgeGraph, p: URIRef, _today: date) -> Cell:
    """Who accredits the programs, who the sources name as the field's main accreditors, and what the
    certification's eligibility asks of a program's accreditor."""
    g, values, cites = kg.union, [], []
    for program in _programs(kg, p):
        bodies = sorted(set(g.objects(program, CKG.accreditedBy)), key=lambda b: label(g, b))
        cites += _statements(kg, program, CKG.accreditedBy, bodies)
        values += [_named(g, b) for b in bodies if _named(g, b) not in values]
    main = sorted(set(g.objects(p, CKG.predominantAccreditor)), key=lambda b: label(g, b))
    if main:
        names = " and ".join(_short(g, b) for b in main)
        values.append(f"Main accreditor{'s' if len(main) > 1 else ''} of programs in the field: {names}")
        cites += _statements(kg, p, CKG.predominantAccreditor, main)
    for cred, _required in _credentials(kg, p):
        for rule in sorted(set(g.objects(cred, CKG.eligibility))):
            for body in sorted(set(g.objects(rule, CKG.accreditorRecognizedBy))):
                recognized = f"a program accredited by a body recognized by {_short(g, body)}"
                values.append(f"{label(g, rule)}: {recognized}")
                cites += _sources(kg, [rule])
    return Cell(tuple(values) or ("none recorded",), _unique(cites) or _sources(kg, [p]))


CREDENTIAL_STATUS = {True: "required", False: "voluntary", None: "related"}


def _credentials(kg: KnowledgeGraph, p: URIRef) -> list[tuple[URIRef, bool | None]]:
    """The profession's credentials: required (True), optional (False), merely related (None)."""
    g = kg.union
    required = {c for c in g.objects(p, CKG.requiredCredential) if isinstance(c, URIRef)}
    optional = {c for c in g.objects(p, CKG.optionalCredential) if isinstance(c, URIRef)} - required
    related = {c for c in kg.data.objects(p, CKG.relatedCredential) if isinstance(c, URIRef)}
    related -= required | optional
    return (
        [(c, True) for c in sorted(required)]
        + [(c, False) for c in sorted(optional, key=lambda c: label(g, c))]
        + [(c, None) for c in sorted(related, key=lambda c: label(g, c))]
    )


def _certification(kg: KnowledgeGraph, p: URIRef, _today: date) -> Cell:
    g, values, nodes = kg.union, [], []
    for cred, required in _credentials(kg, p):
        if (cred, RDF.type, CKG.Certification) not in g:
            continue
        issuers = sorted({_short(g, o) for o in g.objects(cred, CKG.issuedBy)})
        by = f" through {', '.join(issuers)}" if issuers else ""
        values.append(f"{_named(g, cred)}{by} ({CREDENTIAL_STATUS[required]})")
        nodes.append(cred)
    return Cell(tuple(values) or ("none recorded",), _sources(kg, nodes or [p]))


def _licensing(kg: KnowledgeGraph, p: URIRef, _today: date) -> Cell:
    g, values = kg.union, []
    requirements = sorted(set(g.objects(p, CKG.licensing)), key=lambda r: label(g, r))
    for req in requirements:
        status = g.value(req, CKG.licensingStatus)
        text = _describe_node(g, req)
        if status is not None:
            text = f"{label(g, status)}. {text}"
        authority = [label(g, a) for a in g.objects(req, CKG.licensingAuthority)]
        prereq = [_short(g, c) for c in g.objects(req, CKG.prerequisite)]
        if authority:
            text += f" Licensing authority: {', '.join(sorted(authority))}."
        if prereq:
            text += f" Prerequisite: {', '.join(sorted(prereq))}."
        values.append(text.strip())
    return Cell(tuple(values) or ("not recorded",), _sources(kg, requirements or [p]))


def _recertification(kg: KnowledgeGraph, p: URIRef, _today: date) -> Cell:
    g, values, nodes = kg.union, [], []
    for cred, _required in _credentials(kg, p):
        for renewal in sorted(set(g.objects(cred, CKG.renewal))):
            low, high, points = (
                g.value(renewal, prop)
                for prop in (CKG.minMonths, CKG.maxMonths, CKG.continuingEducationPoints)
            )
            parts = []
            if high is not None:
                parts.append(f"every {high} months" if low == high else f"at most every {high} months")
            if points is not None:
                parts.append(f"{points} continuing-education points")
            text = ", ".join(parts) if parts else _describe_node(g, renewal)
            setters = sorted(_short(g, o) for o in g.objects(renewal, CKG.setBy))
            if setters:
                text += f" (set by the certifying body: {', '.join(setters)})"
            values.append(f"{_short(g, cred)}: {text}")
            nodes.append(renewal)
    return Cell(tuple(values) or ("none recorded",), _sources(kg, nodes or [p]))


def _list_row(prop: URIRef) -> Builder:
    """The values of *prop*, each cited to who makes the statement (its claim, else the profession)."""

    def build(kg: KnowledgeGraph, p: URIRef, _today: date | None = None) -> Cell:
        nodes = sorted(set(kg.union.objects(p, prop)), key=lambda n: label(kg.union, n).casefold())
        cites = _statements(kg, p, prop, nodes) or _sources(kg, [p])
        return Cell(tuple(label(kg.union, n) for n in nodes) or ("none recorded",), cites)

    return build


def _settings(kg: KnowledgeGraph, p: URIRef, today: date) -> Cell:
    """The profession's work settings, then the employment shares by setting (its own, else those of the
    occupation it is reported under, said once)."""
    g = kg.union
    cell = _list_row(CKG.workSetting)(kg, p)
    occupations = sorted(o for o in g.objects(p, CKG.reportedUnder) if isinstance(o, URIRef))
    for subject in (p, *occupations):
        shares = [s for s in g.subjects(CKG.about, subject) if (s, CKG.variable, SHARE_VARIABLE) in g]
        if shares:
            break
    shares.sort(key=lambda s: (-float(g.value(s, CKG.value) or 0), label(g, g.value(s, CKG.setting) or s)))
    whose = (f"Shares of {label(g, subject)} by work setting:",) if shares and subject != p else ()
    lines = whose + tuple(
        f"{label(g, g.value(s, CKG.setting))}: {format_number(g.value(s, CKG.value))} %" for s in shares
    )
    cites = [*cell.citations, *citations(g, [src for s in shares for src in g.objects(s, CKG.source)])]
    dates = figure_dates(g, shares[0], today) if shares else None
    return Cell(
        values=cell.values + lines,
        citations=_unique(cites),
        numbers=tuple(float(g.value(s, CKG.value)) for s in shares),
        ref_period=dates.ref_period if dates else None,
        published=dates.published if dates else None,
        age_years=dates.age_years if dates else None,
        age_from=dates.age_from if dates else None,
    )


def _sources(kg: KnowledgeGraph, nodes: list) -> tuple[Citation, ...]:
    """Who makes the statements of *nodes*: their own sources and those of claims on their statements."""
    return citations(kg.union, [s for n in nodes for s in node_sources(kg.union, n)])


def _statements(kg: KnowledgeGraph, subject: Node, prop: URIRef, objects: list) -> tuple[Citation, ...]:
    """Who makes each statement (subject prop o) for o in *objects*."""
    g = kg.union
    return citations(g, [s for o in objects for s in statement_sources(g, subject, prop, o)])


def _unique(found: list[Citation] | tuple[Citation, ...]) -> tuple[Citation, ...]:
    return tuple(sorted(set(found), key=lambda c: (c.label.casefold(), c.iri)))


def _short(graph: Graph, node: Node) -> str:
    """The acronym when there is one (an all-capitals alternative label), else the label."""
    acronyms = sorted(str(a) for a in graph.objects(node, SKOS.altLabel) if str(a).isupper())
    return acronyms[0] if acronyms else label(graph, node)


def _named(graph: Graph, node: Node) -> str:
    text, short = label(graph, node), _short(graph, node)
    return text if short == text or short in text else f"{text} ({short})"


def _describe_node(graph: Graph, node: Node) -> str:
    text = graph.value(node, DCTERMS.description)
    return str(text) if text is not None else label(graph, node)


FACT_ROWS: tuple[tuple[str, str, Builder], ...] = (
    ("degree_requirements", "Degree requirements", _degree_requirements),
    ("programs", "Programs and durations", _program_durations),
    ("accreditation", "Program accreditation", _accreditation),
    ("certification", "Certification", _certification),
    ("licensing", "Licensing", _licensing),
    ("recertification", "Re-certification", _recertification),
    ("specializations", "Specializations", _list_row(CKG.specialization)),
    ("skills", "Skills", _list_row(CKG.hasSkill)),
    ("settings", "Common practice settings", _settings),
)
