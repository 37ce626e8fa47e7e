"""The descriptive rows of a comparison (education, credentials, licensing, lists), one `Cell` per profession.

Each builder reads one profession's structure from ``kg.union`` and cites the sources of the nodes it used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, ID
from kg.views.describe import Citation, age_years, citation, format_number

SHARE_VARIABLE = ID["var-employment-share-by-setting"]
LEVEL_ORDER = ("level-high-school", "level-certificate", "level-associate", "level-bachelor", "level-master")
_DURATION = re.compile(r"^-?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T.*)?$")


@dataclass(frozen=True)
class Cell:
    values: tuple[str, ...]
    citations: tuple[Citation, ...] = ()
    numbers: tuple[float, ...] = ()  # the figures behind ``values`` (statistic rows), for charts
    date: str | None = None
    age_years: int | None = None
    via: str | None = None  # label of the ckg:statisticsProxy the figure is about, when followed
    via_iri: str | None = None


def format_duration(value: Node | None) -> str:
    """An xsd:duration for people: P2Y → 2 years, P4M → 4 months, P1Y3M → 15 months."""
    count = months(value)
    if count is None:
        return "" if value is None else str(value)
    if count % 12 == 0:
        years = count // 12
        return f"{years} year" + ("s" if years != 1 else "")
    return f"{count} month" + ("s" if count != 1 else "")


def months(value: Node | None) -> int | None:
    match = _DURATION.match(str(value)) if value is not None else None
    if not match or match.group(3):
        return None
    return int(match.group(1) or 0) * 12 + int(match.group(2) or 0)


def _programs(kg: Any, p: URIRef) -> list[URIRef]:
    found = {o for o in kg.union.objects(p, CKG.educationPath) if isinstance(o, URIRef)}
    order = {ID[name]: i for i, name in enumerate(LEVEL_ORDER)}
    return sorted(
        found, key=lambda x: (order.get(kg.union.value(x, CKG.programLevel), 9), label(kg.union, x))
    )


def _level(kg: Any, program: URIRef) -> str:
    level = kg.union.value(program, CKG.programLevel)
    return label(kg.union, level) if level is not None else label(kg.union, program)


def _degree_requirements(kg: Any, p: URIRef) -> Cell:
    programs = _programs(kg, p)
    required = [x for x in programs if kg.union.value(x, CKG.required) == Literal(True)]
    optional = [x for x in programs if x not in required]
    values = (
        [f"Required: {' or '.join(_level(kg, x) for x in required)}"] if required else ["No degree required"]
    )
    if optional:
        values.append(f"Optional: {', '.join(_level(kg, x) for x in optional)}")
    return Cell(tuple(values), _sources(kg, programs or [p]))


def _program_durations(kg: Any, p: URIRef) -> Cell:
    values = []
    programs = _programs(kg, p)
    for program in programs:
        g = kg.union
        low, high, typical = (
            g.value(program, prop) for prop in (CKG.minDuration, CKG.maxDuration, CKG.typicalDuration)
        )
        if low is not None and high is not None:
            lm, hm = months(low), months(high)
            span = f"{lm}–{hm} months" if lm is not None and hm is not None else f"{low}–{high}"
        elif typical is not None or high is not None:
            span = format_duration(typical if typical is not None else high)
            span = ("up to " if typical is None else "about ") + span
        else:
            span = "duration not recorded"
        values.append(f"{label(g, program)}: {span}")
    return Cell(tuple(values) or ("none recorded",), _sources(kg, programs or [p]))


def _accreditation(kg: Any, p: URIRef) -> Cell:
    g, values, nodes = kg.union, [], []
    for program in _programs(kg, p):
        for body in sorted(set(g.objects(program, CKG.accreditedBy)), key=lambda b: label(g, b)):
            recognizers = sorted({_short(g, r) for r in g.objects(body, CKG.recognizedBy)})
            text = _named(g, body) + (f", recognized by {' and '.join(recognizers)}" if recognizers else "")
            if text not in values:
                values.append(text)
                nodes.append(body)
    return Cell(tuple(values) or ("none recorded",), _sources(kg, nodes or [p]))


def _credentials(kg: Any, p: URIRef) -> list[tuple[URIRef, bool]]:
    g = kg.union
    required = {c for c in g.objects(p, CKG.requiredCredential) if isinstance(c, URIRef)}
    optional = {c for c in g.objects(p, CKG.optionalCredential) if isinstance(c, URIRef)} - required
    return [(c, True) for c in sorted(required)] + [
        (c, False) for c in sorted(optional, key=lambda c: label(g, c))
    ]


def _certification(kg: Any, p: URIRef) -> Cell:
    g, values, nodes = kg.union, [], []
    for cred, required in _credentials(kg, p):
        if (cred, RDF.type, CKG.Certification) not in g:
            continue
        issuers = sorted({_short(g, o) for o in g.objects(cred, CKG.issuedBy)})
        by = f" through {', '.join(issuers)}" if issuers else ""
        values.append(f"{_named(g, cred)}{by} ({'required' if required else 'voluntary'})")
        nodes.append(cred)
    return Cell(tuple(values) or ("No certification required",), _sources(kg, nodes or [p]))


def _licensing(kg: Any, p: URIRef) -> Cell:
    g, values = kg.union, []
    requirements = sorted(set(g.objects(p, CKG.licensing)), key=lambda r: label(g, r))
    for req in requirements:
        needed = g.value(req, CKG.required)
        text = _describe_node(g, req)
        if needed == Literal(False):
            text = f"Not required: {text}" if text else "Not required"
        authority = [label(g, a) for a in g.objects(req, CKG.licensingAuthority)]
        prereq = [_short(g, c) for c in g.objects(req, CKG.prerequisite)]
        if authority:
            text += f" Licensing authority: {', '.join(sorted(authority))}."
        if prereq:
            text += f" Prerequisite: {', '.join(sorted(prereq))}."
        values.append(text.strip())
    return Cell(tuple(values) or ("No license required",), _sources(kg, requirements or [p]))


def _recertification(kg: Any, p: URIRef) -> Cell:
    g, values, nodes = kg.union, [], []
    for cred, _required in _credentials(kg, p):
        for renewal in sorted(set(g.objects(cred, CKG.renewal))):
            months, points = (
                g.value(renewal, CKG.renewalMonths),
                g.value(renewal, CKG.continuingEducationPoints),
            )
            parts = []
            if months is not None:
                parts.append(f"every {months} months")
            if points is not None:
                parts.append(f"{points} continuing-education points")
            text = ", ".join(parts) if parts else _describe_node(g, renewal)
            values.append(f"{_short(g, cred)}: {text}")
            nodes.append(renewal)
    return Cell(tuple(values) or ("none recorded",), _sources(kg, nodes or [p]))


def _list_row(prop: URIRef) -> Callable[[Any, URIRef], Cell]:
    def build(kg: Any, p: URIRef) -> Cell:
        nodes = sorted(set(kg.union.objects(p, prop)), key=lambda n: label(kg.union, n).casefold())
        return Cell(
            tuple(label(kg.union, n) for n in nodes) or ("none recorded",), _sources(kg, nodes or [p])
        )

    return build


def _settings(kg: Any, p: URIRef) -> Cell:
    """The profession's work settings, then the employment shares by setting (its own, else its proxy's)."""
    g, today = kg.union, date.today()
    cell = _list_row(CKG.workSetting)(kg, p)
    proxies = sorted(o for o in g.objects(p, CKG.statisticsProxy) if isinstance(o, URIRef))
    for subject in (p, *proxies):
        shares = [s for s in g.subjects(CKG.about, subject) if (s, CKG.variable, SHARE_VARIABLE) in g]
        if shares:
            break
    shares.sort(key=lambda s: (-float(g.value(s, CKG.value) or 0), label(g, g.value(s, CKG.setting) or s)))
    whose = f" (figure for {label(g, subject)})" if shares and subject != p else ""
    lines = tuple(
        f"{label(g, g.value(s, CKG.setting))}: {format_number(g.value(s, CKG.value))} %{whose}"
        for s in shares
    )
    cites = list(cell.citations) + [citation(g, src) for s in shares for src in g.objects(s, CKG.source)]
    when = g.value(shares[0], CKG.date) if shares else None
    return Cell(
        values=cell.values + lines,
        citations=unique(cites),
        numbers=tuple(float(g.value(s, CKG.value)) for s in shares),
        date=str(when) if when is not None else None,
        age_years=age_years(when, today),
    )


def _sources(kg: Any, nodes: list) -> tuple[Citation, ...]:
    g = kg.union
    return unique([citation(g, s) for n in nodes for s in g.objects(n, CKG.source)])


def unique(citations: list[Citation]) -> tuple[Citation, ...]:
    return tuple(sorted(set(citations), key=lambda c: (c.label.casefold(), c.iri)))


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


FACT_ROWS: tuple[tuple[str, str, Callable[[Any, URIRef], Cell]], ...] = (
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
