"""/compare?a=<slug>&b=<slug> (+ /compare.json, /compare.csv): two professions side by side, cells cited."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Blueprint, Response, abort, request
from rdflib import URIRef

from kg.rdf.namespaces import ID
from kg.views.compare import Comparison, compare, is_profession
from kg.views.describe import exists
from kg.web import views_occupation
from kg.web.respond import Alternate, send, send_json, single_args
from kg.web.respond import page as render_page
from kg.web.state import state

bp = Blueprint("compare", __name__)
DEFAULT_A, DEFAULT_B = "certified-medical-assistant", "medical-coder"
CHART_ROWS = (
    ("median_hourly", "Median hourly pay", "$"),
    ("median_annual", "Median annual pay", "$"),
    ("growth", "Projected growth 2014–2024", "%"),
)


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    width: float
    y: float
    css: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    groups: tuple[tuple[str, float, tuple[Bar, ...]], ...]  # (title, y of the title, bars)


@bp.get("/compare", defaults={"ext": None})
@bp.get("/compare.<ext>")
def page(ext: str | None) -> Response:
    if ext not in (None, "json", "csv", "html"):
        abort(404, description=f"no comparison in the format .{ext}; use .json or .csv")
    if views_occupation.wants_compare(request.args.to_dict()):  # SOC occupations, or places
        return views_occupation.compare_page(ext)
    comparison = _comparison()
    query = {"a": comparison.a.slug, "b": comparison.b.slug}
    alts = [
        Alternate(f"/compare.json?a={query['a']}&b={query['b']}", "application/json", "json"),
        Alternate(f"/compare.csv?a={query['a']}&b={query['b']}", "text/csv", "csv"),
    ]
    if ext == "json":
        return send_json(comparison.as_dict(), alts=alts)
    if ext == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(comparison.csv_rows())
        return send(buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8", alts=alts)
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
        abort(404, description=f"parameter {name!r}: there is no profession called {value[:80]!r}")
    if not is_profession(kg, iri):
        abort(400, description=f"parameter {name!r}: {value[:80]!r} is not a profession")
    return iri


def chart(comparison: Comparison) -> Chart:
    """Bars for pay and growth, each group scaled to its own largest value."""
    groups, y, bar_h, max_w = [], 16.0, 18.0, 300.0
    for key, title, unit in CHART_ROWS:
        row = comparison.row(key)
        values = [(comparison.a.label, row.a, "bar-a"), (comparison.b.label, row.b, "bar-b")]
        top = max((c.numbers[0] for _l, c, _css in values if c.numbers), default=0.0) or 1.0
        bars, title_y = [], y
        y += 8
        for name, cell, css in values:
            if not cell.numbers:
                continue
            number = cell.numbers[0]
            text = (
                f"${number:,.2f}"
                if unit == "$" and number < 1000
                else (f"${number:,.0f}" if unit == "$" else f"{number:g} %")
            )
            bars.append(Bar(name, text, round(max_w * number / top, 1), y, css))
            y += bar_h + 4
        groups.append((title, title_y, tuple(bars)))
        y += 22
    return Chart(width=520, height=int(y), groups=tuple(groups))
