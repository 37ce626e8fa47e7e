"""Two SOC occupations side by side, or one occupation in two places, as a value: each side is an occupation
in an area (the nation by default); a short summary first, then every measure with both figures, each citing
the release. One `kg.views.oews.estimates` per side, for its one estimate."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from kg.views.oews import (
    BY_KEY,
    Area,
    Figure,
    Occupation,
    Reference,
    Release,
    estimates,
    format_value,
    missing,
)

ROWS = (
    "employment", "median_hourly", "median_annual", "mean_hourly", "mean_annual", "annual_p10", "annual_p25",
    "annual_p75", "annual_p90", "per_1000", "lq",
)  # fmt: skip
UNITS = {"count": "persons", "percent": "percent", "hourly": "USD per hour", "annual": "USD per year",
         "ratio": "ratio", "per1000": "jobs per 1,000 jobs"}  # fmt: skip


@dataclass(frozen=True)
class CompareSide:
    occupation: Occupation
    area: Area
    figures: dict[str, Figure]

    @property
    def name(self) -> str:
        where = "the United States" if self.area.kind == "Nation" else self.area.name
        return f"{self.occupation.title} in {where}"


@dataclass(frozen=True)
class CompareRow:
    key: str
    label: str
    a: Figure
    b: Figure


@dataclass(frozen=True)
class OccupationComparison:
    a: CompareSide
    b: CompareSide
    mode: str  # "occupations" (two occupations, one area each) | "places" (one occupation, two areas)
    release: Release
    summary: tuple[str, ...]
    rows: tuple[CompareRow, ...]

    @property
    def title(self) -> str:
        if self.mode == "places":
            return f"{self.a.occupation.title}: {self.a.area.name} vs. {self.b.area.name}"
        return f"{self.a.occupation.title} vs. {self.b.occupation.title}"

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, **asdict(self)}

    def csv_rows(self) -> list[list[str]]:
        """One line per measure and side; values are numbers, with unit, period and source in columns."""
        head = ["measure", "side", "soc_code", "occupation", "area", "value", "lower_bound", "unit",
                "footnote",
                "note", "reference_period", "source_title", "source_url", "published"]  # fmt: skip
        out = [head]
        for row in self.rows:
            for name, side, fig in (("a", self.a, row.a), ("b", self.b, row.b)):
                out.append([
                    row.key, name, side.occupation.code, side.occupation.title, side.area.name,
                    _number(fig.value), _number(fig.lower_bound), UNITS[BY_KEY[row.key].kind],
                    fig.footnote or "", fig.note or "", self.release.ref_period, self.release.title,
                    self.release.url or "", self.release.published or "",
                ])  # fmt: skip
        return out


def compare_occupations(
    kg: Any, ref: Reference, a: tuple[Occupation, Area], b: tuple[Occupation, Area]
) -> OccupationComparison:
    """The comparison of side *a* and side *b* (each an occupation and an area)."""
    found: dict[tuple[str, str], dict[str, Figure]] = {}
    for occ, area in dict.fromkeys(((a[0].iri, a[1].iri), (b[0].iri, b[1].iri))):
        found.update(estimates(kg, ref, ROWS, occupation=occ, area=area))  # the one estimate of each side
    sides = []
    for occ, area in (a, b):
        figures = found.get((occ.iri, area.iri), {})
        sides.append(CompareSide(occ, area, {k: figures.get(k) or missing(k) for k in ROWS}))
    side_a, side_b = sides
    mode = "places" if a[0].iri == b[0].iri and a[1].iri != b[1].iri else "occupations"
    rows = tuple(CompareRow(k, BY_KEY[k].label, side_a.figures[k], side_b.figures[k]) for k in ROWS)
    summary = _summary(side_a, side_b, ref.release)
    return OccupationComparison(side_a, side_b, mode, ref.release, summary, rows)


def _summary(a: CompareSide, b: CompareSide, release: Release) -> tuple[str, ...]:
    """Plain sentences: who is paid more (median annual wage), how many jobs, and what this data does not
    say."""
    lines = []
    pa, pb = a.figures["median_annual"], b.figures["median_annual"]
    if pa.value is not None and pb.value is not None and pa.value != pb.value:
        hi, lo, fhi, flo = (a, b, pa, pb) if pa.value > pb.value else (b, a, pb, pa)
        diff = format_value(BY_KEY["median_annual"], fhi.value - flo.value)  # type: ignore[operator]
        lines.append(
            f"Pay: {hi.name} has the higher median annual wage, {fhi.text} against {flo.text} ({diff} more)."
        )
    else:
        lines.append(f"Pay: median annual wage {pa.text} ({a.name}) and {pb.text} ({b.name}).")
    ea, eb = a.figures["employment"], b.figures["employment"]
    lines.append(f"Jobs: {ea.text} ({a.name}) and {eb.text} ({b.name}).")
    lines.append(
        "Schooling, licences and certification are not part of these figures; they depend on the "
        "profession and, for licences, on your state."
    )
    lines.append(f"All figures: {release.cite}.")
    return tuple(lines)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if value != int(value) else str(int(value))
