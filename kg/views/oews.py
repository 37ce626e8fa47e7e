"""What the occupation, state and occupation-compare views share: the 17 OEWS measures as plain figures,
the release they cite, the SOC 2018 occupations and the areas (reference tables read once per process), and
one way to ask the store a SELECT query.

Queries go to the store's own engine: on the Oxigraph store pyoxigraph evaluates them (no term walks through
rdflib), on the memory store rdflib does. Rows come back as plain strings, so both give the same values.
A figure BLS did not publish has no value: it carries the footnote that says why (5: top-coded, with the
lower bound; 8: not released; 4: paid hourly or annually only), never a made-up number. See docs/oews.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg.rdf.namespaces import CKG, ID

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

INDUSTRY_ALL = ID["oews-industry-000000"]  # cross-industry: the estimates the default data holds
RELEASE = ID["source-bls-oews-may-2025"]
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
PROLOGUE = """PREFIX ckg: <https://w3id.org/careers-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


@dataclass(frozen=True)
class Measure:
    key: str  # short name in JSON and query strings
    prop: str  # local name of the ckg: measure property
    label: str
    kind: str  # count | percent | hourly | annual | ratio | per1000


MEASURES: tuple[Measure, ...] = (
    Measure("employment", "employment", "Employment", "count"),
    Measure("employment_rse", "employmentRse", "Employment relative standard error", "percent"),
    Measure("mean_hourly", "meanHourlyWage", "Mean hourly wage", "hourly"),
    Measure("mean_annual", "meanAnnualWage", "Mean annual wage", "annual"),
    Measure("wage_rse", "wageRse", "Mean wage relative standard error", "percent"),
    Measure("hourly_p10", "hourlyWageP10", "Hourly wage, 10th percentile", "hourly"),
    Measure("hourly_p25", "hourlyWageP25", "Hourly wage, 25th percentile", "hourly"),
    Measure("median_hourly", "medianHourlyWage", "Median hourly wage", "hourly"),
    Measure("hourly_p75", "hourlyWageP75", "Hourly wage, 75th percentile", "hourly"),
    Measure("hourly_p90", "hourlyWageP90", "Hourly wage, 90th percentile", "hourly"),
    Measure("annual_p10", "annualWageP10", "Annual wage, 10th percentile", "annual"),
    Measure("annual_p25", "annualWageP25", "Annual wage, 25th percentile", "annual"),
    Measure("median_annual", "medianAnnualWage", "Median annual wage", "annual"),
    Measure("annual_p75", "annualWageP75", "Annual wage, 75th percentile", "annual"),
    Measure("annual_p90", "annualWageP90", "Annual wage, 90th percentile", "annual"),
    Measure("per_1000", "employmentPer1000Jobs", "Jobs per 1,000 jobs", "per1000"),
    Measure("lq", "locationQuotient", "Location quotient", "ratio"),
)
BY_KEY = {m.key: m for m in MEASURES}
BY_PROP = {str(CKG[m.prop]): m for m in MEASURES}
ANNUAL_PERCENTILES = ("annual_p10", "annual_p25", "median_annual", "annual_p75", "annual_p90")
HOURLY_PERCENTILES = ("hourly_p10", "hourly_p25", "median_hourly", "hourly_p75", "hourly_p90")
FOOTNOTES = {
    "4": "not published: BLS publishes only the {other} wage for this occupation (footnote 4)",
    "5": "at least {bound}: the wage is at or above the top of the survey's range (BLS footnote 5)",
    "8": "not released by BLS (footnote 8)",
}


@dataclass(frozen=True)
class Figure:
    """One measure of one estimate: its value, or the footnote explaining why there is none."""

    measure: str
    value: float | None
    text: str  # "$45,690", "≥ $239,200", "not released"
    note: str | None = None  # plain-words reason when there is no value
    footnote: str | None = None  # BLS footnote code
    lower_bound: float | None = None  # footnote 5 only

    @property
    def rank_value(self) -> float | None:
        return self.value if self.value is not None else self.lower_bound


@dataclass(frozen=True)
class Release:
    iri: str
    title: str
    url: str | None
    ref_period: str  # "2025-05"
    published: str | None  # "2026-05-15"

    @property
    def period_label(self) -> str:
        return month_label(self.ref_period)

    @property
    def cite(self) -> str:
        """ "BLS OEWS May 2025, published 2026-05-15"."""
        published = f", published {self.published}" if self.published else ", publication date unknown"
        return f"BLS OEWS {self.period_label}{published}"


@dataclass(frozen=True)
class Occupation:
    iri: str
    slug: str
    code: str
    title: str
    level: str  # "Major group" … "Detailed occupation", "All occupations"
    broader: str | None  # IRI
    scope: str | None = None


@dataclass(frozen=True)
class Area:
    iri: str
    slug: str
    name: str
    postal: str | None
    kind: str  # "Nation" | "State"


@dataclass
class Reference:
    """The OEWS tables every page reads (1,104 occupations, 55 areas, one release): one query each, once."""

    release: Release
    occupations: dict[str, Occupation]
    areas: dict[str, Area]
    children: dict[str, list[str]] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)  # statistical variable IRI → measure key
    notes: dict[str, Figure] = field(default_factory=dict)  # ckg:EstimateNote IRI → the figure it stands for

    def occupation(self, slug: str) -> Occupation | None:
        return self.occupations.get(str(ID[slug]))

    def area(self, slug: str) -> Area | None:
        return self.areas.get(str(ID[slug]))

    def lineage(self, occ: Occupation) -> list[Occupation]:
        """The groups above *occ*, the top first."""
        out, seen, up = [], {occ.iri}, occ.broader
        while up and up in self.occupations and up not in seen:
            seen.add(up)
            out.append(self.occupations[up])
            up = self.occupations[up].broader
        return out[::-1]

    def major_groups(self) -> list[Occupation]:
        groups = (o for o in self.occupations.values() if o.level == "Major group")
        return sorted(groups, key=lambda o: o.code)

    def states(self) -> list[Area]:
        return sorted((a for a in self.areas.values() if a.kind == "State"), key=lambda a: a.name)


LEVELS = {
    "SocMajorGroup": "Major group",
    "SocMinorGroup": "Minor group",
    "SocBroadOccupation": "Broad occupation",
    "SocDetailedOccupation": "Detailed occupation",
}


def select(
    kg: KnowledgeGraph, text: str, bindings: Mapping[str, URIRef] | None = None
) -> list[tuple[str | None, ...]]:
    """The rows of the SELECT *text* (PROLOGUE prepended) with each of *bindings* written into it as a
    constant, as strings (IRIs and lexical forms), evaluated by the store's own engine.

    (Constants, not pre-bound variables or a VALUES block: pyoxigraph substitutes only projected variables,
    and plans a VALUES join several times slower than the same constant in the pattern. The IRIs come from
    the reference tables, and one that is not a plain IRI is refused.)"""
    head, where, body = text.partition("WHERE {")
    for name, iri in (bindings or {}).items():
        variable = re.compile(rf"\?{name}\b")
        head = variable.sub(f"({_iri(iri)} AS ?{name})", head)
        body = variable.sub(_iri(iri), body)
    query = PROLOGUE + head + where + body
    store = kg.union.store
    inner = getattr(store, "_inner", None)
    if inner is not None and hasattr(store, "union_in_default"):
        solutions = inner.query(query, use_default_graph_as_union=not store.union_in_default)
        return [tuple(None if t is None else t.value for t in row) for row in solutions]
    return [tuple(None if t is None else str(t) for t in row) for row in kg.union.query(query)]


def _iri(iri: URIRef | str) -> str:
    text = str(iri)
    if not _PLAIN_IRI.fullmatch(text):
        raise ValueError(f"not a plain IRI: {text[:80]!r}")
    return f"<{text}>"


_PLAIN_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def reference(kg: KnowledgeGraph) -> Reference:
    """Read the reference tables (call once per process; `kg.web` keeps the value)."""
    release_row = select(
        kg,
        "SELECT ?title ?url ?period ?issued WHERE { ?r dct:title ?title . OPTIONAL { ?r schema:url ?url } "
        "OPTIONAL { ?r ckg:refPeriod ?period } OPTIONAL { ?r dct:issued ?issued } }",
        {"r": RELEASE},
    )
    title, url, period, issued = release_row[0] if release_row else ("", None, "", None)  # no OEWS data
    release = Release(str(RELEASE), title or "", url, period or "", issued)
    occupations: dict[str, Occupation] = {}
    rows = select(
        kg,
        "SELECT ?o ?code ?title ?type ?broader ?scope WHERE { ?o a ckg:SocOccupation ; skos:notation ?code ; "
        "skos:prefLabel ?title . OPTIONAL { ?o a ?type . VALUES ?type { ckg:SocMajorGroup ckg:SocMinorGroup "
        "ckg:SocBroadOccupation ckg:SocDetailedOccupation } } OPTIONAL { ?o skos:broader ?broader } "
        "OPTIONAL { ?o skos:scopeNote ?scope } }",
    )
    for iri, code, title, kind, broader, scope in rows:
        if iri is None or not iri.startswith(str(ID)) or iri in occupations:
            continue
        level = LEVELS.get((kind or "").rpartition("#")[2], "All occupations")
        slug = iri[len(str(ID)) :]
        occupations[iri] = Occupation(iri, slug, code or "", title or "", level, broader, scope)
    areas = {}
    for iri, name, postal, kind in select(
        kg,
        "SELECT ?a ?name ?postal ?kind WHERE { ?a a ?kind ; skos:prefLabel ?name . VALUES ?kind "
        "{ ckg:Nation ckg:State } OPTIONAL { ?a ckg:postalAbbreviation ?postal } }",
    ):
        areas[iri] = Area(iri, iri[len(str(ID)) :], name or "", postal, (kind or "").rpartition("#")[2])
    ref = Reference(release, occupations, areas)
    props = " ".join(f"ckg:{m.prop}" for m in MEASURES)
    for prop, var in select(kg, "SELECT ?p ?v WHERE { ?p ckg:variable ?v . VALUES ?p { " + props + " } }"):
        if prop in BY_PROP and var:
            ref.variables[var] = BY_PROP[prop].key
    for occ in occupations.values():
        if occ.broader in occupations:
            ref.children.setdefault(occ.broader, []).append(occ.iri)
    for note, prop, code, bound in select(
        kg,
        "SELECT ?n ?m ?code ?bound WHERE { ?n a ckg:EstimateNote ; ckg:measure ?m ; ckg:footnote ?f . "
        "?f skos:notation ?code . OPTIONAL { ?n ckg:lowerBound ?bound } }",
    ):
        if note and prop in BY_PROP:
            ref.notes[note] = noted(BY_PROP[prop], code, float(bound) if bound is not None else None)
    total = next((o for o in occupations.values() if o.code == "00-0000"), None)
    if total is not None:
        ref.children[total.iri] = [o.iri for o in ref.major_groups()]
    for kids in ref.children.values():
        kids.sort(key=lambda i: occupations[i].code)
    return ref


def estimates(
    kg: KnowledgeGraph,
    ref: Reference,
    measures: Iterable[str],
    *,
    occupation: str | None = None,
    area: str | None = None,
    among: Iterable[str] | None = None,
    ids: dict[tuple[str, str], str] | None = None,
) -> dict[tuple[str, str], dict[str, Figure]]:
    """(occupation IRI, area IRI) → measure key → Figure, for the cross-industry estimates of *occupation*
    and/or *area*, or for the estimates *among* (their IRIs): one query for the values (a column per
    measure) and one for the notes of the missing ones (which `ref.notes` describes). A UNION of the two,
    or the notes' details in the same query, is planned several times slower by Oxigraph. *ids*, if given,
    receives each estimate's IRI."""
    keys = list(measures)
    columns = " ".join(f"?{k}" for k in keys)
    optionals = " ".join(f"OPTIONAL {{ ?e ckg:{BY_KEY[k].prop} ?{k} }}" for k in keys)
    bindings: dict[str, URIRef] = {}
    if among is not None:
        head = "VALUES ?e { " + " ".join(_iri(e) for e in among) + " } "
        where, noted_where = head + "?e ckg:about ?occ ; sdmx-dimension:refArea ?area .", head
    elif occupation:
        where = "?e ckg:about ?occ ; sdmx-dimension:refArea ?area ; ckg:industry ?industry ."
        noted_where = "?e ckg:about ?occ ; sdmx-dimension:refArea ?area ." if area else "?e ckg:about ?occ ."
        bindings = {"occ": URIRef(occupation), "industry": INDUSTRY_ALL}
    else:  # an area alone: BLS publishes industry detail only nationally; the selective pattern first
        where = "?e sdmx-dimension:refArea ?area ; ckg:about ?occ ; ckg:industry ?industry ."
        noted_where = "?e sdmx-dimension:refArea ?area ."
        bindings = {"industry": INDUSTRY_ALL}
    if area:
        bindings["area"] = URIRef(area)
    found: dict[tuple[str, str], dict[str, Figure]] = {}
    by_estimate: dict[str, dict[str, Figure]] = {}
    query = f"SELECT ?e ?occ ?area {columns} WHERE {{ {where} {optionals} }}"
    for estimate, occ, where_, *values in select(kg, query, bindings):
        figures = by_estimate[estimate or ""] = found.setdefault((occ or "", where_ or ""), {})
        if ids is not None:
            ids[(occ or "", where_ or "")] = estimate or ""
        for key, value in zip(keys, values, strict=True):
            if value is not None:
                figures[key] = Figure(key, float(value), format_value(BY_KEY[key], float(value)))
    bindings.pop("industry", None)
    noted = f"SELECT ?e ?n WHERE {{ {noted_where} ?e ckg:estimateNote ?n . }}"
    for estimate, note in select(kg, noted, bindings):
        figures = by_estimate.get(estimate or "")
        figure = ref.notes.get(note or "")
        if figures is not None and figure is not None and figure.measure in keys:
            figures.setdefault(figure.measure, figure)
    return found


def noted(measure: Measure, code: str | None, bound: float | None) -> Figure:
    """The figure of a measure BLS did not publish, with its footnote in plain words."""
    if code == "5" and bound is not None:
        text = "≥ " + format_value(measure, bound)
        note = FOOTNOTES["5"].format(bound=format_value(measure, bound))
        return Figure(measure.key, None, text, note, code, bound)
    if code == "4":
        other = "annual" if measure.kind == "hourly" else "hourly"
        return Figure(measure.key, None, "not published", FOOTNOTES["4"].format(other=other), code)
    if code == "8":
        return Figure(measure.key, None, "not released", FOOTNOTES["8"], code)
    return Figure(measure.key, None, "not published", f"not published by BLS (footnote {code})", code)


def missing(key: str) -> Figure:
    """A measure with neither a value nor a note (e.g. employment per 1,000 jobs for the nation)."""
    return Figure(key, None, "—", "BLS publishes no such figure here")


def format_value(measure: Measure, value: float) -> str:
    kind = measure.kind
    if kind == "annual":
        return f"${value:,.0f}"
    if kind == "hourly":
        return f"${value:,.2f}"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "percent":
        return f"{value:g} %"
    if kind == "per1000":
        return f"{value:,.3f}"
    return f"{value:.2f}"


def month_label(period: str | None) -> str:
    """ "2025-05" → "May 2025"."""
    text = period or ""
    try:
        return f"{MONTHS[int(text[5:7]) - 1]} {int(text[:4])}"
    except (ValueError, IndexError):
        return text
