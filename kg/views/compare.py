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
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, ID
from kg.views.compare_facts import FACT_ROWS, Cell, Figure
from kg.views.compare_summary import Currency, SummaryLine, answers, currency, single, summary
from kg.views.describe import format_number
from kg.views.provenance import ReportedUnder, citations, figure_dates, reported_under

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

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
    summary: tuple[SummaryLine, ...] = ()  # pay, schooling, licence, certification in a few words
    pay_currency: Currency | None = None  # how current the pay figures are

    CSV_HEAD = (
        "row_key row profession profession_iri value number unit currency reference_period published "
        "age_years figures_for source_title source_url"
    ).split()

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def csv_rows(self) -> list[list[str]]:
        """One line per value of each side: its number, unit and currency in their own columns for figures,
        the period, publication date and age, whose figures they are, and the sources' titles and URLs
        (several sources: "; "-separated, in the same order in both columns)."""
        out = [list(self.CSV_HEAD)]
        for row in self.rows:
            for side, cell in ((self.a, row.a), (self.b, row.b)):
                head = [row.key, row.label, side.label, side.iri]
                dates = [cell.ref_period or "", cell.published or "", _text(cell.age_years), cell.via or ""]
                if cell.figures:
                    for f in cell.figures:
                        number = [f.text, _text(f.number), f.unit, f.currency or ""]
                        dates[:2] = [f.ref_period or "", f.published or ""]
                        cites = ["; ".join(f.source_titles), "; ".join(f.source_urls)]
                        out.append(head + number + dates + cites)
                    continue
                titles = "; ".join(c.label for c in cell.citations)
                urls = "; ".join(c.url or c.iri for c in cell.citations)
                for value in cell.values:
                    out.append(head + [value, "", "", ""] + dates + [titles, urls])
        return out


def _text(value: object) -> str:
    return "" if value is None else str(value)


def is_profession(kg: KnowledgeGraph, iri: URIRef) -> bool:
    return (iri, RDF.type, CKG.Profession) in kg.union


def professions(kg: KnowledgeGraph) -> tuple[Side, ...]:
    """Every profession in the graph, by label."""
    found = {p for p in kg.union.subjects(RDF.type, CKG.Profession) if isinstance(p, URIRef)}
    return tuple(sorted((_side(kg, p) for p in found), key=lambda s: s.label.casefold()))


def compare(
    kg: KnowledgeGraph, a_iri: URIRef | str, b_iri: URIRef | str, today: date | None = None
) -> Comparison:
    """The side-by-side comparison of two professions (callers check they exist: see `is_profession`)."""
    today = today or date.today()
    a, b = URIRef(str(a_iri)), URIRef(str(b_iri))
    rows = [
        Row(key, text, _stat_cell(kg, a, var, today), _stat_cell(kg, b, var, today))
        for key, text, var in STAT_ROWS
    ]
    for key, text, build in FACT_ROWS:
        rows.append(Row(key, text, build(kg, a, today), build(kg, b, today)))
    side_a, side_b = _side(kg, a), _side(kg, b)
    pay = next(r for r in rows if r.key == "median_annual")
    lines = summary(answers(kg, a, pay.a), answers(kg, b, pay.b), pay.a, pay.b, (side_a.label, side_b.label))
    return Comparison(side_a, side_b, tuple(rows), today.isoformat(), lines, currency(pay.a, pay.b))


def glance(
    kg: KnowledgeGraph, p: URIRef, today: date | None = None
) -> tuple[tuple[SummaryLine, ...], Currency | None]:
    """The four short answers for one profession (its page), and how current its pay figures are."""
    today = today or date.today()
    annual = _stat_cell(kg, p, ID["var-median-annual-wage"], today)
    return single(answers(kg, p, annual)), currency(annual)


def _side(kg: KnowledgeGraph, iri: URIRef) -> Side:
    text = str(iri)
    slug = text[len(str(ID)) :] if text.startswith(str(ID)) else text
    return Side(text, slug, label(kg.union, iri), reported_under(kg.union, iri))


def _stat_cell(kg: KnowledgeGraph, profession: URIRef, variable: URIRef, today: date) -> Cell:
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
    figures = tuple(_figure(union, stat, today) for stat in stats)
    sources = [src for stat in stats for src in union.objects(stat, CKG.source)]
    dates = figure_dates(union, stats[0], today)
    via = subject if subject != profession else None
    return Cell(
        values=tuple(f.text for f in figures),
        citations=citations(union, sources),
        numbers=tuple(float(f.number) for f in figures if f.number is not None),
        figures=figures,
        ref_period=dates.ref_period,
        published=dates.published,
        age_years=dates.age_years,
        age_from=dates.age_from,
        via=label(union, via) if via is not None else None,
        via_iri=str(via) if via is not None else None,
    )


def _figure(graph: Graph, stat: Node, today: date) -> Figure:
    value, unit = graph.value(stat, CKG.value), graph.value(stat, CKG.unit)
    currency = graph.value(stat, CKG.currency)
    dates = figure_dates(graph, stat, today)
    cites = citations(graph, graph.objects(stat, CKG.source))
    number = None
    if isinstance(value, Literal) and isinstance(value.toPython(), int | float | Decimal):
        number = _plain_number(value.toPython())
    return Figure(
        text=_stat_text(graph, stat, value),
        number=number,
        unit=label(graph, unit) if unit is not None else "",
        currency=str(currency) if currency is not None else None,
        ref_period=dates.ref_period,
        published=dates.published,
        source_titles=tuple(c.label for c in cites),
        source_urls=tuple(c.url or c.iri for c in cites),
    )


def _plain_number(value: int | float | Decimal) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


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
