"""One state (or the nation) as a value: its detailed occupations ranked by employment or by median annual
wage, optionally within one SOC major group, each figure citing the release.

Ranking an area reads a measure of each of its ~830 estimates, which costs the store tens of milliseconds a
page; so the values that rank (`Rankings`: per area, each estimate's occupation and its RANKS values) are
read once per data version (one query over all estimates, about a second with the OEWS release) and kept in
the build cache beside the search index, which loads them back in milliseconds. A page then asks the store
only for the figures of the occupations it shows (one query for the values, one for the notes)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rdflib import URIRef

from kg.pipeline import cache
from kg.views.oews import (
    BY_KEY,
    INDUSTRY_ALL,
    Area,
    Figure,
    Occupation,
    Reference,
    Release,
    estimates,
    missing,
    select,
)

RANKS = {"employment": "employment", "median_annual": "median annual wage"}
RANKINGS_FORMAT = "1"  # bump when Rankings changes
COLUMNS = ("employment", "per_1000", "lq", "median_hourly", "median_annual")
DEFAULT_LIMIT = 25  # a phone's first screenfuls; ?limit=100 or all for more (the .json has them too)


@dataclass(frozen=True)
class Ranked:
    rank: int
    occupation: Occupation
    figures: dict[str, Figure]


@dataclass(frozen=True)
class Group:
    code: str  # "29"
    title: str


@dataclass(frozen=True)
class AreaPage:
    area: Area
    release: Release
    rank_by: str
    group: Group | None
    groups: tuple[Group, ...]
    total: dict[str, Figure]  # All Occupations in the area
    rows: tuple[Ranked, ...]  # the first *limit*
    count: int  # how many detailed occupations match
    limit: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Rankings:
    """Per area IRI: (occupation IRI, estimate IRI, one value per RANKS key) for each of its cross-industry
    estimates. A value is the figure, or a top-coded wage's lower bound (footnote 5), or None."""

    areas: dict[str, tuple[tuple[str, str, tuple[float | None, ...]], ...]]


def rankings(kg: Any, ref: Reference, cache_dir: Path) -> Rankings:
    """The `Rankings` of *kg*, from the build cache when it holds them for this version of the graph."""
    sizes = hashlib.sha256(repr(sorted(dict(kg.triple_counts).items())).encode()).hexdigest()[:16]
    key = f"{kg.version}-{sizes}-{RANKINGS_FORMAT}"
    parts = cache.load(cache_dir, key, kind="oews-ranks")
    if parts is not None and isinstance(parts.get("rankings"), Rankings):
        return parts["rankings"]
    value = read_rankings(kg, ref)
    cache.store(cache_dir, key, {"rankings": value}, kind="oews-ranks")
    return value


def read_rankings(kg: Any, ref: Reference) -> Rankings:
    """One query for the RANKS values of every cross-industry estimate, one per lower-bound note (BLS's top
    code, one note per measure) for the top-coded ones."""
    keys = list(RANKS)
    optionals = " ".join(f"OPTIONAL {{ ?e ckg:{BY_KEY[k].prop} ?{k} }}" for k in keys)
    query = (f"SELECT ?e ?occ ?area {' '.join('?' + k for k in keys)} WHERE {{ ?e sdmx-dimension:refArea "
             f"?area ; ckg:about ?occ ; ckg:industry ?industry . {optionals} }}")  # fmt: skip
    bounds: dict[tuple[str, str], float] = {}
    for note, figure in ref.notes.items():
        if figure.measure in RANKS and figure.lower_bound is not None:
            for (e,) in select(kg, "SELECT ?e WHERE { ?e ckg:estimateNote ?n }", {"n": URIRef(note)}):
                bounds[(e or "", figure.measure)] = figure.lower_bound
    areas: dict[str, list[tuple[str, str, tuple[float | None, ...]]]] = {}
    for e, occ, area, *values in select(kg, query, {"industry": INDUSTRY_ALL}):
        if e and occ and area:
            pairs = zip(keys, values, strict=True)
            ranks = tuple(float(v) if v is not None else bounds.get((e, k)) for k, v in pairs)
            areas.setdefault(area, []).append((occ, e, ranks))
    return Rankings({area: tuple(rows) for area, rows in areas.items()})


def area_page(
    kg: Any, ref: Reference, slug: str, ranks: Rankings, *, rank_by: str = "employment",
    group: str | None = None, limit: int | None = DEFAULT_LIMIT,
) -> AreaPage | None:  # fmt: skip
    """The page of the area *slug*, ranked on *ranks*: the occupations shown get all their COLUMNS (one
    query for the values, one for the notes). None when there is no such area. *group* is a major group's
    two-digit code ("29"); *rank_by* a key of RANKS (checked by the caller)."""
    area = ref.area(slug)
    if area is None:
        return None
    groups = tuple(Group(o.code[:2], o.title) for o in ref.major_groups())
    chosen = next((g for g in groups if g.code == group), None)
    column = list(RANKS).index(rank_by)
    total_estimate = None
    ranked = []
    for occ_iri, estimate, values in ranks.areas.get(area.iri, ()):
        occ = ref.occupations.get(occ_iri)
        if occ is None:
            continue
        if occ.code == "00-0000":
            total_estimate = estimate
        elif occ.level == "Detailed occupation" and (chosen is None or occ.code[:2] == chosen.code):
            value = values[column]
            ranked.append(((1, 0.0, occ.code) if value is None else (0, -value, occ.code), occ, estimate))
    ranked.sort(key=lambda item: item[0])  # highest first, then by code; no figure last
    shown = ranked if limit is None else ranked[:limit]
    wanted = [estimate for _key, _occ, estimate in shown] + ([total_estimate] if total_estimate else [])
    found = estimates(kg, ref, COLUMNS, among=wanted) if wanted else {}
    cells = {occ: {k: figures.get(k) or missing(k) for k in COLUMNS} for (occ, _a), figures in found.items()}
    total = next((cells[o] for o in cells if ref.occupations[o].code == "00-0000"), {})
    return AreaPage(
        area=area,
        release=ref.release,
        rank_by=rank_by,
        group=chosen,
        groups=groups,
        total=total,
        rows=tuple(Ranked(i + 1, occ, cells.get(occ.iri, {})) for i, (_k, occ, _e) in enumerate(shown)),
        count=len(ranked),
        limit=limit,
    )
