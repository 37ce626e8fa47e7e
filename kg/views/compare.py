"""Two professions side by side as a value: rows of cells, each with values, citations and the figure's age.

Statistics follow ``ckg:statisticsProxy``: when a profession has no figure of its own (the medical coder's
numbers are about the BLS category "medical records and health information technicians"), the cell shows the
proxy's figure and says so (``via``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, ID
from kg.views.compare_facts import FACT_ROWS, Cell, unique
from kg.views.describe import age_years, citation, format_number

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
        """Flat rows for CSV: one line per row, values and citations joined with "; "."""
        head = ["row"]
        for side in (self.a, self.b):
            head += [
                f"{side.label}",
                f"{side.label} sources",
                f"{side.label} date",
                f"{side.label} age (years)",
            ]
        out = [head]
        for row in self.rows:
            line = [row.label]
            for cell in (row.a, row.b):
                line += [
                    "; ".join(cell.values) + (f" (figures for {cell.via})" if cell.via else ""),
                    "; ".join(f"{c.label} <{c.url or c.iri}>" for c in cell.citations),
                    cell.date or "",
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
        rows.append(Row(key, text, build(kg, a), build(kg, b)))
    return Comparison(_side(kg, a), _side(kg, b), tuple(rows), today.isoformat())


def _side(kg: Any, iri: URIRef) -> Side:
    text = str(iri)
    slug = text[len(str(ID)) :] if text.startswith(str(ID)) else text
    return Side(text, slug, label(kg.union, iri))


def _stat_cell(kg: Any, profession: URIRef, variable: URIRef, today: date) -> Cell:
    union: Graph = kg.union
    proxies = sorted(o for o in union.objects(profession, CKG.statisticsProxy) if isinstance(o, URIRef))
    for subject in (profession, *proxies):
        stats = [s for s in union.subjects(CKG.about, subject) if (s, CKG.variable, variable) in union]
        stats = [s for s in stats if (s, CKG.setting, None) not in union]
        if stats:
            break
    else:
        return Cell(values=("not recorded",))
    stats.sort(key=lambda s: str(union.value(s, CKG.date) or ""), reverse=True)
    values, numbers, citations = [], [], []
    for stat in stats:
        value = union.value(stat, CKG.value)
        values.append(_stat_text(union, stat, value))
        if isinstance(value, Literal):
            try:
                numbers.append(float(value.toPython()))
            except (TypeError, ValueError):
                pass
        citations += [citation(union, s) for s in union.objects(stat, CKG.source)]
    when = union.value(stats[0], CKG.date)
    via = subject if subject != profession else None
    return Cell(
        values=tuple(values),
        citations=unique(citations),
        numbers=tuple(numbers),
        date=str(when) if when is not None else None,
        age_years=age_years(when, today),
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
