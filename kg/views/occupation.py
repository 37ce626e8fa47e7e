"""One SOC 2018 occupation (detailed or a group) as a value: its national figures and every state's, the wage
percentiles, then and now (the seed's older figure of the same variable beside the May 2025 one), its place in
the SOC hierarchy and the seed professions that report under it. Every figure cites the release.

Queries: the national estimate's figures, the table's columns of every state's estimate (each a
`kg.views.oews.estimates`: values, then notes) and the occupation's links to the seed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rdflib import URIRef

from kg.rdf.labels import label
from kg.rdf.namespaces import ID
from kg.views.oews import (
    ANNUAL_PERCENTILES,
    BY_KEY,
    MEASURES,
    Figure,
    Occupation,
    Reference,
    Release,
    estimates,
    format_value,
    missing,
    month_label,
    select,
)
from kg.views.provenance import Citation, citation

NATIONAL = (
    "employment", "mean_hourly", "mean_annual", "median_hourly", "median_annual", "hourly_p10",
    "hourly_p25", "hourly_p75", "hourly_p90", "annual_p10", "annual_p25", "annual_p75", "annual_p90",
    "employment_rse", "wage_rse",
)  # fmt: skip
STATE_COLUMNS = (
    "employment", "per_1000", "lq", "median_hourly", "median_annual", "mean_annual", "annual_p10",
    "annual_p90",
)  # fmt: skip
STATE_SORTS = ("area", *STATE_COLUMNS)


@dataclass(frozen=True)
class Link:
    iri: str
    slug: str
    label: str
    code: str = ""


@dataclass(frozen=True)
class AreaRow:
    area: Link
    postal: str | None
    figures: dict[str, Figure]


@dataclass(frozen=True)
class ThenNow:
    variable: str  # IRI of the statistical variable
    label: str
    then: Figure
    then_period: str  # "May 2016"
    then_source: Citation
    now: Figure
    now_period: str
    change: str | None  # "+$14,150 (+44.9 %)"


@dataclass(frozen=True)
class SeedProfession:
    link: Link
    how: str  # "coded SOC 31-9092" | "figures reported under Medical Assistants"


@dataclass(frozen=True)
class OccupationPage:
    occupation: Occupation
    release: Release
    national: dict[str, Figure]
    percentiles: tuple[Figure, ...]  # annual 10th, 25th, median, 75th, 90th (national)
    states: tuple[AreaRow, ...]
    sort: str
    descending: bool
    then_now: tuple[ThenNow, ...]
    breadcrumb: tuple[Link, ...]
    children: tuple[Link, ...]
    professions: tuple[SeedProfession, ...]
    same_as: tuple[str, ...] = ()  # pages elsewhere naming this very occupation, where the data cites one

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def occupation_page(
    kg: Any, ref: Reference, slug: str, *, sort: str = "area", descending: bool = False
) -> OccupationPage | None:
    occ = ref.occupation(slug)
    if occ is None:
        return None
    nation = next((a for a in ref.areas.values() if a.kind == "Nation"), None)
    national_figures = (
        estimates(kg, ref, NATIONAL, occupation=occ.iri, area=nation.iri).get((occ.iri, nation.iri), {})
        if nation
        else {}
    )
    found = estimates(kg, ref, STATE_COLUMNS, occupation=occ.iri)  # every area: only the table's columns
    national = {key: national_figures.get(key) or missing(key) for key in NATIONAL}
    rows = []
    for area in ref.states():
        figures = found.get((occ.iri, area.iri))
        if figures is None:
            continue
        cells = {key: figures.get(key) or missing(key) for key in STATE_COLUMNS}
        rows.append(AreaRow(Link(area.iri, area.slug, area.name), area.postal, cells))
    seed = _seed(kg, occ)
    return OccupationPage(
        occupation=occ,
        release=ref.release,
        national=national,
        percentiles=tuple(national[k] for k in ANNUAL_PERCENTILES),
        states=sort_rows(rows, sort, descending),
        sort=sort,
        descending=descending,
        then_now=_then_now(kg, ref, seed["stats"], national),
        breadcrumb=tuple(_link(o) for o in ref.lineage(occ)),
        children=tuple(_link(ref.occupations[i]) for i in ref.children.get(occ.iri, ())),
        professions=seed["professions"],
        same_as=seed["same_as"],
    )


def sort_rows(rows: list[AreaRow], sort: str, descending: bool) -> tuple[AreaRow, ...]:
    """Rows by area name, or by a column's value (a top-coded wage by its lower bound; no figure last)."""
    if sort == "area":
        return tuple(sorted(rows, key=lambda r: r.area.label, reverse=descending))
    have = [r for r in rows if r.figures[sort].rank_value is not None]
    lack = [r for r in rows if r.figures[sort].rank_value is None]
    have.sort(key=lambda r: (r.figures[sort].rank_value, r.area.label), reverse=descending)
    return tuple(have + sorted(lack, key=lambda r: r.area.label))


def _link(occ: Occupation) -> Link:
    return Link(occ.iri, occ.slug, occ.title, occ.code)


SEED_QUERY = """SELECT ?kind ?x ?via ?var ?value ?period ?source WHERE {
  ?code skos:exactMatch ?occ .
  { ?x ckg:occupationCode ?code ; a ckg:Profession . BIND("coded" AS ?kind) }
  UNION { ?x ckg:reportedUnder ?via ; a ckg:Profession . ?via ckg:occupationCode ?code .
          BIND("via" AS ?kind) }
  UNION { ?about ckg:occupationCode ?code . ?x ckg:about ?about ; ckg:variable ?var ; ckg:value ?value ;
          ckg:refPeriod ?period . OPTIONAL { ?x ckg:source ?source } BIND("stat" AS ?kind) }
  UNION { ?claim a ckg:Claim ; rdf:object ?code ; ckg:source ?source . ?source schema:url ?x .
          BIND("page" AS ?kind) }
}"""


def _seed(kg: Any, occ: Occupation) -> dict[str, Any]:
    """The seed professions coded as or reported under *occ*, the seed's statistics about it, and the
    O*NET OnLine pages of its code that the seed cites."""
    professions: dict[str, SeedProfession] = {}
    stats: dict[str, tuple[str, str, str, str | None]] = {}
    pages: set[str] = set()
    for kind, x, via, var, value, period, source in select(kg, SEED_QUERY, {"occ": URIRef(occ.iri)}):
        if x is None:
            continue
        if kind == "stat" and var and value and period:
            stats.setdefault(x, (var, value, period, source))
            continue
        if kind == "page":  # O*NET OnLine's page of this very code (O*NET-SOC <code>.00), cited in the seed
            if x.rstrip("/").endswith(f"/link/summary/{occ.code}.00"):
                pages.add(x)
            continue
        slug = x[len(str(ID)) :] if x.startswith(str(ID)) else x
        link = Link(x, slug, label(kg.union, URIRef(x)))
        how = (
            f"figures reported under {label(kg.union, URIRef(via))}"
            if kind == "via" and via
            else f"coded SOC {occ.code}"
        )
        if x not in professions or kind == "coded":
            professions[x] = SeedProfession(link, how)
    ordered = tuple(sorted(professions.values(), key=lambda p: p.link.label))
    return {"professions": ordered, "stats": stats, "same_as": tuple(sorted(pages))}


def _then_now(
    kg: Any, ref: Reference, stats: dict[str, tuple[str, str, str, str | None]], national: dict[str, Figure]
) -> tuple[ThenNow, ...]:
    """The seed's figures beside the release's national figure of the same variable (joined on
    ckg:variable, which each measure property declares)."""
    release, variables = ref.release, ref.variables
    out = []
    for _stat, (var, value, period, source) in sorted(stats.items(), key=lambda item: item[1][2]):
        measure = BY_KEY.get(variables.get(var, ""))
        if measure is None or period >= release.ref_period:
            continue
        now = national.get(measure.key)
        if now is None or now.value is None and now.lower_bound is None:
            continue
        then_value = float(value)
        then = Figure(measure.key, then_value, format_value(BY_KEY[measure.key], then_value))
        out.append(
            ThenNow(
                variable=var,
                label=BY_KEY[measure.key].label,
                then=then,
                then_period=month_label(period),
                then_source=citation(kg.union, URIRef(source)) if source else _unknown_source(),
                now=now,
                now_period=release.period_label,
                change=_change(BY_KEY[measure.key].kind, then_value, now.value),
            )
        )
    return tuple(sorted(out, key=lambda t: [m.key for m in MEASURES].index(t.then.measure)))


def _unknown_source() -> Citation:
    return Citation(iri="", label="source not recorded", url=None, published=None, publisher=None)


def _change(kind: str, then: float, now: float | None) -> str | None:
    if now is None or then == 0:
        return None
    diff, pct = now - then, (now - then) / then * 100
    sign = "+" if diff >= 0 else "−"
    amount = abs(diff)
    text = {"annual": f"${amount:,.0f}", "hourly": f"${amount:,.2f}"}.get(kind, f"{amount:,.0f}")
    return f"{sign}{text} ({sign}{abs(pct):.1f} %)"
