"""One state (or the nation) as a value: its detailed occupations ranked by employment or by median annual
wage, optionally within one SOC major group, each figure citing the release. One query per page
(`kg.views.oews.estimates` for the area)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from kg.views.oews import Area, Figure, Occupation, Reference, Release, estimates, missing

RANKS = {"employment": "employment", "median_annual": "median annual wage"}
COLUMNS = ("employment", "per_1000", "lq", "median_hourly", "median_annual")
DEFAULT_LIMIT = 100


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


def area_figures(kg: Any, ref: Reference, slug: str) -> dict[str, dict[str, Figure]] | None:
    """Occupation IRI → the area's figures (COLUMNS) for every occupation it has estimates of (one query for
    the values, one for the notes); None when *slug* is no area. The pages rank and filter this table, so
    `kg.web` keeps it per area."""
    area = ref.area(slug)
    if area is None:
        return None
    return {occ: figures for (occ, _area), figures in estimates(kg, ref, COLUMNS, area=area.iri).items()}


def area_page(
    ref: Reference, slug: str, table: dict[str, dict[str, Figure]], *, rank_by: str = "employment",
    group: str | None = None, limit: int | None = DEFAULT_LIMIT,
) -> AreaPage | None:  # fmt: skip
    """The page of the area *slug* from its *table* (`area_figures`); None when there is no such area.
    *group* is a major group's two-digit code ("29"); *rank_by* a key of RANKS (checked by the caller)."""
    area = ref.area(slug)
    if area is None:
        return None
    groups = tuple(Group(o.code[:2], o.title) for o in ref.major_groups())
    chosen = next((g for g in groups if g.code == group), None)
    total: dict[str, Figure] = {}
    ranked = []
    for occ_iri, figures in table.items():
        occ = ref.occupations.get(occ_iri)
        if occ is None:
            continue
        cells = {key: figures.get(key) or missing(key) for key in COLUMNS}
        if occ.code == "00-0000":
            total = cells
        elif occ.level == "Detailed occupation" and (chosen is None or occ.code[:2] == chosen.code):
            ranked.append((occ, cells))
    ranked.sort(key=lambda item: _order(item, rank_by))
    shown = ranked if limit is None else ranked[:limit]
    return AreaPage(
        area=area,
        release=ref.release,
        rank_by=rank_by,
        group=chosen,
        groups=groups,
        total=total,
        rows=tuple(Ranked(i + 1, occ, cells) for i, (occ, cells) in enumerate(shown)),
        count=len(ranked),
        limit=limit,
    )


def _order(item: tuple[Occupation, dict[str, Figure]], rank_by: str) -> tuple[int, float, str]:
    """Highest first; a top-coded wage by its lower bound; occupations without the figure last."""
    occ, cells = item
    value = cells[rank_by].rank_value
    return (1, 0.0, occ.code) if value is None else (0, -value, occ.code)
