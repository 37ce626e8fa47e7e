"""One state (or the nation) as a value: its detailed occupations ranked by employment or by median annual
wage, optionally within one SOC major group, each figure citing the release. The ranking reads one measure
of every estimate of the area; only the occupations shown get all their figures."""

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


def area_table(kg: Any, ref: Reference, slug: str, rank_by: str) -> dict[str, tuple[str, Figure]] | None:
    """Occupation IRI → (its estimate's IRI, its *rank_by* figure) for every occupation the area *slug* has
    an estimate of; None when there is no such area. One query for the values of one measure, one for the
    notes: `kg.web` keeps it per area and measure, and every page ranks and filters it."""
    area = ref.area(slug)
    if area is None:
        return None
    ids: dict[tuple[str, str], str] = {}
    found = estimates(kg, ref, (rank_by,), area=area.iri, ids=ids)
    return {occ: (ids[key], figures.get(rank_by) or missing(rank_by)) for key, figures in found.items()
            for occ in (key[0],)}  # fmt: skip


def area_page(
    kg: Any, ref: Reference, slug: str, table: dict[str, tuple[str, Figure]], *, rank_by: str = "employment",
    group: str | None = None, limit: int | None = DEFAULT_LIMIT,
) -> AreaPage | None:  # fmt: skip
    """The page of the area *slug* from its *table* (`area_table` for *rank_by*): the occupations shown get
    all their COLUMNS (one query for the values, one for the notes). None when there is no such area.
    *group* is a major group's two-digit code ("29"); *rank_by* a key of RANKS (checked by the caller)."""
    area = ref.area(slug)
    if area is None:
        return None
    groups = tuple(Group(o.code[:2], o.title) for o in ref.major_groups())
    chosen = next((g for g in groups if g.code == group), None)
    total_estimate = None
    ranked = []
    for occ_iri, (estimate, figure) in table.items():
        occ = ref.occupations.get(occ_iri)
        if occ is None:
            continue
        if occ.code == "00-0000":
            total_estimate = estimate
        elif occ.level == "Detailed occupation" and (chosen is None or occ.code[:2] == chosen.code):
            ranked.append((occ, estimate, figure))
    ranked.sort(key=_order)
    shown = ranked if limit is None else ranked[:limit]
    wanted = [estimate for _occ, estimate, _figure in shown] + ([total_estimate] if total_estimate else [])
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
        rows=tuple(Ranked(i + 1, occ, cells.get(occ.iri, {})) for i, (occ, _e, _f) in enumerate(shown)),
        count=len(ranked),
        limit=limit,
    )


def _order(item: tuple[Occupation, str, Figure]) -> tuple[int, float, str]:
    """Highest first; a top-coded wage by its lower bound; occupations without the figure last."""
    occ, _estimate, figure = item
    value = figure.rank_value
    return (1, 0.0, occ.code) if value is None else (0, -value, occ.code)
