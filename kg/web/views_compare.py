"""/compare?a=<slug>&b=<slug> (+ /compare.json, /compare.csv): two professions side by side, cells cited."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, request
from rdflib import URIRef

from kg.errors import ParamError
from kg.query.params import Choice, unknown_member
from kg.rdf.namespaces import ID
from kg.views.compare import Comparison, compare, is_profession
from kg.views.compare_facts import Cell
from kg.views.describe import exists
from kg.web import views_occupation
from kg.web.bad_param import param_error_response
from kg.web.respond import Alternate, send_csv, send_json, single_args
from kg.web.respond import page as render_page
from kg.web.state import state

bp = Blueprint("compare", __name__)
DEFAULT_A, DEFAULT_B = "certified-medical-assistant", "medical-coder"
CHART_ROWS = (
    ("median_hourly", "Median pay per hour", "$"),
    ("median_annual", "Median pay per year", "$"),
    ("growth", "Projected job growth", "%"),
)
CHART_WIDTH, BAR_HEIGHT, LINE = 340, 14, 20  # SVG units: about CSS pixels on a phone


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    css: str
    title: str  # "Medical Coder: $18.29"


@dataclass(frozen=True)
class Label:
    y: float
    text: str
    css: str = ""  # "title" | "missing" | ""


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    labels: tuple[Label, ...]
    sources: tuple[str, ...]  # "Median pay per hour, 2016-05: BLS ... (published 2017-03-31)"
    empty: bool  # neither profession has any charted figure


@bp.get("/compare", defaults={"ext": None})
@bp.get("/compare.<ext>")
def page(ext: str | None) -> Response:
    if ext not in (None, "json", "csv", "html"):
        abort(404, description=f"no comparison in the format .{ext}; use .json or .csv")
    if views_occupation.wants_compare(request.args.to_dict()):  # SOC occupations, or places
        return views_occupation.compare_page(ext)
    try:
        comparison = _comparison()
    except ParamError as exc:
        return param_error_response(exc)
    query = {"a": comparison.a.slug, "b": comparison.b.slug}
    alts = [
        Alternate(f"/compare.json?a={query['a']}&b={query['b']}", "application/json", "json"),
        Alternate(f"/compare.csv?a={query['a']}&b={query['b']}", "text/csv", "csv"),
    ]
    if ext == "json":
        return send_json(comparison.as_dict(), alts=alts)
    if ext == "csv":
        return send_csv(comparison.csv_rows(), alts=alts)
    st = state()
    title = f"{comparison.a.label} vs. {comparison.b.label}"
    return render_page(
        "compare.html",
        title=title,
        alts=alts,
        cmp=comparison,
        chart=chart(comparison),
        professions=st.professions,
    )


def _comparison() -> Comparison:
    args = single_args({"a", "b"})
    if not args:
        args = {"a": DEFAULT_A, "b": DEFAULT_B}
    for name in ("a", "b"):
        if not args.get(name, "").strip():
            abort(
                400,
                description=f"missing parameter {name!r}: give the slug of a profession, e.g. {DEFAULT_B}",
            )
    st = state()
    iris = {name: _profession(st.kg, name, args[name].strip()) for name in ("a", "b")}
    key = f"compare:{iris['a']}:{iris['b']}"
    return st.memo(key, lambda: compare(st.kg, iris["a"], iris["b"]))


def _profession(kg: object, name: str, value: str) -> URIRef:
    slug = value[len(str(ID)) :] if value.startswith(str(ID)) else value
    iri = ID[slug]
    if len(slug) > 200 or not exists(kg, iri):
        members = tuple(Choice(p.slug, p.label) for p in state().professions)
        raise unknown_member(name, "profession", value, members)
    if not is_profession(kg, iri):
        abort(400, description=f"parameter {name!r}: {value[:80]!r} is not a profession")
    return iri


def chart(comparison: Comparison) -> Chart:
    """Pay and growth bars, each group scaled to its own largest value; each group's title names the period
    its figures refer to, a side without a figure says so, and the sources are listed under the chart."""
    bars, labels, sources, y = [], [], [], 0.0
    sides = ((comparison.a.label, "bar-a"), (comparison.b.label, "bar-b"))
    for key, title, unit in CHART_ROWS:
        row = comparison.row(key)
        cells = (row.a, row.b)
        period = next((c.ref_period for c in cells if c.numbers and c.ref_period), None)
        y += LINE
        labels.append(Label(y, f"{title}, {period}" if period else title, "title"))
        top = max((c.numbers[0] for c in cells if c.numbers), default=0.0) or 1.0
        for (name, css), cell in zip(sides, cells, strict=True):
            y += LINE
            if not cell.numbers:
                labels.append(Label(y, f"{name}: no figures recorded", "missing"))
                continue
            text = f"{name}: {_chart_value(cell.numbers[0], unit)}"
            labels.append(Label(y, text))
            bars.append(Bar(y + 5, round(CHART_WIDTH * cell.numbers[0] / top, 1), css, text))
            y += BAR_HEIGHT + 4
            sources += [_source_line(title, cell)]
        y += 8
    empty = not bars
    return Chart(CHART_WIDTH, int(y + 4), tuple(bars), tuple(labels), tuple(dict.fromkeys(sources)), empty)


def _chart_value(number: float, unit: str) -> str:
    if unit == "%":
        return f"{number:g} %"
    return f"${number:,.2f}" if number < 1000 else f"${number:,.0f}"


def _source_line(title: str, cell: Cell) -> str:
    names = "; ".join(c.label for c in cell.citations)
    when = f", published {cell.published}" if cell.published else ", publication date unknown"
    return f"{title} ({cell.ref_period or 'period not stated'}): {names}{when}"
