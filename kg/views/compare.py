"""Two professions side by side as a value: rows of cells, each with values, citations, the figure's
reference period, publication date and age.

Statistics follow ``ckg:reportedUnder``: a profession's figures are those of the statistical occupation BLS
counts (the CMA's are about all medical assistants, certified or not; the medical coder's about medical
records and health information technicians). Each side names that occupation once (``Side.reported_under``);
each cell also says whose figure it is (``via``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, ID
from kg.views.compare_facts import FACT_ROWS, Cell
from kg.views.describe import format_number
from kg.views.provenance import ReportedUnder, citations, figure_dates, reported_under

# (row key, row label, statistical variable) for the numeric rows, in the seed's order.
STAT_ROWS: tuple[tuple[str, str, URIRef], ...] = (
    ("employment", "Employment (number practising in the US)", ID["var-employment"]),
    ("median_hourly", "Median pay, hourly", ID["var-median-hourly-wage"]),
    ("median_annual", "Median pay, annual", ID["var-median-annual-wage"]),
    ("mean_hourly", "Mean pay, hourly", ID["var-mean-hourly-wage"]),
    ("mean_annual", "Mean pay, annual", ID["var-mean-annual-wage"]),
    ("growth", "Projected job growth", ID["var-projected-growth"]),
    ("new_positions", "Projected new positions", ID["var-projected-new-positions"]),
)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    a: Cell
    b: Cell


@dataclass(frozen=True)
class Side:
    iri: str
    slug: str
    label: str
    reported_under: tuple[ReportedUnder, ...] = ()  # whose figures the statistic rows show


@dataclass(frozen=True)
class Comparison:
    a: Side
    b: Side
    rows: tuple[Row, ...]
    today: str

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def csv_rows(self) -> list[list[str]]:
        """Flat rows for CSV: first whose figures each side shows, then one line per row, values and
        citations joined with "; "."""
        head = ["row"]
        for side in (self.a, self.b):
            head += [
                f"{side.label}",
                f"{side.label} sources",
                f"{side.label} reference period",
                f"{side.label} published",
                f"{side.label} age (years)",
            ]
        under = ["Figures reported under"]
        for side in (self.a, self.b):
            under += ["; ".join(r.text() for r in side.reported_under), "", "", "", ""]
        out = [head, under]
        for row in self.rows:
            line = [row.label]
            for cell in (row.a, row.b):
                line += [
                    "; ".join(cell.values),
                    "; ".join(f"{c.label} <{c.url or c.iri}>" for c in cell.citations),
                    cell.ref_period or "",
                    cell.published or "",
                    "" if cell.age_years is None else str(cell.age_years),
                ]
            out.append(line)
        return out


def is_profession(kg: Any, iri: URIRef) -> bool:
    return (iri, RDF.type, CKG.Profession) in kg.union


def professions(kg: Any) -> tuple[Side, ...]:
    """Every profession in the graph, by label."""
    found = {p for p in kg.union.subjects(RDF.type, CKG.Profession) if isinstance(p, URIRef)}
    return tuple(sorted((_side(kg, p) for p in found), key=lambda s: s.label.casefold()))


def compare(kg: Any, a_iri: URIRef | str, b_iri: URIRef | str, today: date | None = None) -> Comparison:
    """The side-by-side comparison of two professions (callers check they exist: see `is_profession`)."""
    today = today or date.today()
    a, b = URIRef(str(a_iri)), URIRef(str(b_iri))
    rows = [
        Row(key, text, _stat_cell(kg, a, var, today), _stat_cell(kg, b, var, today))
        for key, text, var in STAT_ROWS
    ]
    for key, text, build in FACT_ROWS:
        rows.append(Row(key, text, build(kg, a, today), build(kg, b, today)))
    return Comparison(_side(kg, a), _side(kg, b), tuple(rows), today.isoformat())


def _side(kg: Any, iri: URIRef) -> Side:
    text = str(iri)
    slug = text[len(str(ID)) :] if text.startswith(str(ID)) else text
    return Side(text, slug, label(kg.union, iri), reported_under(kg.union, iri))


def _stat_cell(kg: Any, profession: URIRef, variable: URIRef, today: date) -> Cell:
    union: Graph = kg.union
    occupations = sorted(o for o in union.objects(profession, CKG.reportedUnder) if isinstance(o, URIRef))
    for subject in (profession, *occupations):
        stats = [s for s in union.subjects(CKG.about, subject) if (s, CKG.variable, variable) in union]
        stats = [s for s in stats if (s, CKG.setting, None) not in union]
        if stats:
            break
    else:
        return Cell(values=("not recorded",))
    stats.sort(key=lambda s: str(figure_dates(union, s, today).ref_period or ""), reverse=True)
    values, numbers, sources = [], [], []
    for stat in stats:
        value = union.value(stat, CKG.value)
        values.append(_stat_text(union, stat, value))
        if isinstance(value, Literal):
            try:
                numbers.append(float(value.toPython()))
            except (TypeError, ValueError):
                pass
        sources += union.objects(stat, CKG.source)
    dates = figure_dates(union, stats[0], today)
    via = subject if subject != profession else None
    return Cell(
        values=tuple(values),
        citations=citations(union, sources),
        numbers=tuple(numbers),
        ref_period=dates.ref_period,
        published=dates.published,
        age_years=dates.age_years,
        age_from=dates.age_from,
        via=label(union, via) if via is not None else None,
        via_iri=str(via) if via is not None else None,
    )


def _stat_text(graph: Graph, stat: Node, value: Node | None) -> str:
    number = format_number(value if isinstance(value, Literal) else None)
    unit = graph.value(stat, CKG.unit)
    currency = graph.value(stat, CKG.currency)
    text = f"${number}" if str(currency or "") == "USD" else number
    if unit == ID["unit-usd-per-hour"]:
        text += " per hour"
    elif unit == ID["unit-usd-per-year"]:
        text += " per year"
    elif unit == ID["unit-percent"]:
        text += " %"
    elif unit is not None and unit not in (ID["unit-persons"], ID["unit-jobs"]):
        text += f" {label(graph, unit)}"
    start, end = graph.value(stat, CKG.periodStart), graph.value(stat, CKG.periodEnd)
    if start is not None and end is not None:
        text += f" ({start}–{end})"
    return text
