"""OEWS pages: every SOC occupation and every state at its /id/<slug> (called from `kg.web.views_entity`),
with .json twins, and /compare for two occupations or one occupation in two places (called from
`kg.web.views_compare`). The values come from `kg.views.occupation`, `kg.views.area` and
`kg.views.occupation_compare`; the OEWS reference tables are read once per app."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Response, abort, request
from markupsafe import Markup, escape

from kg.errors import ParamError
from kg.query.params import Choice, unknown_member
from kg.views.area import DEFAULT_LIMIT, RANKS, Rankings, area_page, rankings
from kg.views.occupation import STATE_SORTS, occupation_page
from kg.views.occupation_compare import compare_occupations
from kg.views.oews import ANNUAL_PERCENTILES, Area, Figure, Occupation, Reference, Release, reference
from kg.web import jsonld, jsonld_oews
from kg.web.bad_param import param_error_response
from kg.web.respond import Alternate, page, send_csv, send_json, single_args
from kg.web.state import state

REFERENCE_KEY = "oews:reference"  # kept for the app's life (bench/occupation_pages.py keeps it too)
RANKINGS_KEY = "oews:rankings"  # the same: read once per data version (kg.views.area)
PER_VERSION = (REFERENCE_KEY, RANKINGS_KEY)
COMPARE_ARGS = {"a", "b", "area", "b_area"}
STATE_CELLS = (
    ("employment", "Jobs"), ("per_1000", "Per 1,000 jobs"), ("lq", "Location quotient"),
    ("median_hourly", "Median hourly"), ("median_annual", "Median annual"), ("mean_annual", "Mean annual"),
    ("annual_p10", "10th percentile, annual"), ("annual_p90", "90th percentile, annual"),
)  # fmt: skip
SOC = re.compile(r"^(soc2018-)?\d\d-\d{4}$")  # a SOC 2018 occupation's slug or bare code


def figure_html(f: Figure, release: Release) -> Markup:
    """A figure as HTML: its value (``<data value>``) or its footnote's words, and a mark citing the
    release (a Python function, not a Jinja macro: a state table calls it hundreds of times)."""
    return Markup(_figure(f, _cite_mark(release.cite)))


def _figure(f: Figure, mark: str) -> str:
    if f.value is not None:
        body = f'<data value="{f.value:.12g}">{escape(f.text)}</data>'
    else:
        body = f'<span class="no-value">{escape(f.text)}</span>'
    if f.value is not None or f.footnote is not None:  # a figure, or BLS's note about it: cite the release
        body += mark
    if f.note:
        body += f'<span class="fig-note">{escape(f.note)}</span>'
    return body


@functools.lru_cache(maxsize=8)
def _cite_mark(cite: str) -> str:
    text = escape(cite)
    mark = f'<a class="cite-mark" href="#source" title="{text}" aria-label="source: {text}">'
    return mark + "<sup>[1]</sup></a>"


@functools.lru_cache(maxsize=64)
def _cell_start(label: str) -> str:
    return f'<td class="num" data-label="{escape(label)}">'


def figure_cells(figures: dict[str, Figure], columns: Sequence[tuple[str, str]], release: Release) -> Markup:
    """One table row's figure cells: a ``<td>`` per (key, label) of *columns* (the label names the figure
    on a phone's stacked card)."""
    mark = _cite_mark(release.cite)
    cells = (_cell_start(label) + _figure(figures[key], mark) + "</td>" for key, label in columns)
    return Markup("".join(cells))


def ref() -> Reference:
    st = state()
    return st.memo(REFERENCE_KEY, lambda: reference(st.kg))


def _rankings() -> Rankings:
    st = state()
    return st.memo(RANKINGS_KEY, lambda: rankings(st.kg, ref(), st.settings.cache_dir))


def page_for(slug: str, as_json: bool, alts: Sequence[Alternate]) -> Response | None:
    """The occupation or state page of *slug*, or None when *slug* is neither (the generic entity page)."""
    tables = ref()
    if tables.occupation(slug) is not None:
        return _occupation(slug, as_json, alts)
    area = tables.area(slug)
    if area is not None and area.kind == "State":
        return _area(slug, as_json, alts)
    return None


def _occupation(slug: str, as_json: bool, alts: Sequence[Alternate]) -> Response:
    args = single_args({"sort", "order", "pretty"})
    sort = args.get("sort", "area")
    if sort not in STATE_SORTS:
        abort(400, description=f"parameter 'sort' must be one of {', '.join(STATE_SORTS)}, not {sort[:40]!r}")
    order = args.get("order", "asc" if sort == "area" else "desc")
    if order not in ("asc", "desc"):
        abort(400, description=f"parameter 'order' must be asc or desc, not {order[:40]!r}")
    st = state()
    key = f"oews:occupation:{slug}:{sort}:{order}"
    value = st.memo(key, lambda: occupation_page(st.kg, ref(), slug, sort=sort, descending=order == "desc"))
    if value is None:  # pragma: no cover - page_for checked the slug
        abort(404, description=f"there is no occupation called {slug!r}")
    if as_json:
        return send_json(value.as_dict(), alts=alts)
    chart = percentile_chart([("", value.percentiles)])
    title = f"{value.occupation.title} (SOC {value.occupation.code})"
    nation = next(a.iri for a in ref().areas.values() if a.kind == "Nation")
    markup = jsonld.script_json(jsonld_oews.occupation(value, nation, request.base_url))
    return page("occupation.html", fig=figure_html, cells=figure_cells, state_cells=STATE_CELLS, title=title,
                alts=alts, occ=value, chart=chart, slug=slug, jsonld=markup)  # fmt: skip


def _area(slug: str, as_json: bool, alts: Sequence[Alternate]) -> Response:
    args = single_args({"rank", "group", "limit", "pretty"})
    rank = args.get("rank", "employment")
    if rank not in RANKS:
        abort(400, description=f"parameter 'rank' must be one of {', '.join(RANKS)}, not {rank[:40]!r}")
    group = args.get("group") or None
    codes = {o.code[:2] for o in ref().major_groups()}
    if group is not None and group not in codes:
        abort(400, description=f"parameter 'group' must be a SOC major group's two digits (e.g. 29), not "
              f"{group[:40]!r}")  # fmt: skip
    limit = _limit(args.get("limit"))
    st = state()
    key = f"oews:area:{slug}:{rank}:{group}:{limit}"
    ranks = _rankings()
    value = st.memo(key, lambda: area_page(st.kg, ref(), slug, ranks, rank_by=rank, group=group, limit=limit))
    if value is None:  # pragma: no cover - page_for checked the slug
        abort(404, description=f"there is no state called {slug!r}")
    if as_json:
        return send_json(value.as_dict(), alts=alts)
    title = f"Occupations in {value.area.name}"
    return page("state.html", fig=figure_html, cells=figure_cells, state_cells=STATE_CELLS[:5], title=title,
                alts=alts, area=value, ranks=RANKS, slug=slug, default_limit=DEFAULT_LIMIT)  # fmt: skip


def _limit(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if raw == "all":
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 2000:
        abort(400, description=f"parameter 'limit' must be 1 to 2000 or 'all', not {raw[:40]!r}")
    return int(raw)


# --- /compare for occupations ------------------------------------------------------------------------------


def wants_compare(args: dict[str, str]) -> bool:
    """True when /compare's arguments name SOC occupations or areas (this module answers), not professions."""
    if "area" in args or "b_area" in args:
        return True
    return any(SOC.match(args.get(name, "").strip()) for name in ("a", "b"))


def compare_page(ext: str | None) -> Response:
    args = single_args(COMPARE_ARGS)
    tables = ref()
    try:
        occ_a = _occupation_arg(tables, "a", args.get("a", ""))
        occ_b = _occupation_arg(tables, "b", args["b"]) if args.get("b", "").strip() else occ_a
        area_a = _area_arg(tables, "area", args.get("area") or "us")
        area_b = _area_arg(tables, "b_area", args.get("b_area") or area_a.slug)
    except ParamError as exc:
        return param_error_response(exc)
    if occ_a.iri == occ_b.iri and area_a.iri == area_b.iri:
        abort(400, description="the two sides are the same: give another occupation (b) or area (b_area)")
    st = state()
    key = f"oews:compare:{occ_a.slug}:{area_a.slug}:{occ_b.slug}:{area_b.slug}"
    value = st.memo(key, lambda: compare_occupations(st.kg, tables, (occ_a, area_a), (occ_b, area_b)))
    query = f"a={occ_a.slug}&area={area_a.slug}&b={occ_b.slug}&b_area={area_b.slug}"
    alts = [
        Alternate(f"/compare?{query}", "text/html", "html"),
        Alternate(f"/compare.json?{query}", "application/json", "json"),
        Alternate(f"/compare.csv?{query}", "text/csv", "csv"),
    ]
    if ext == "json":
        return send_json(value.as_dict(), alts=alts)
    if ext == "csv":
        return send_csv(value.csv_rows(), alts=alts)
    chart = percentile_chart([(value.a.name, _percentiles(value.a.figures)),
                              (value.b.name, _percentiles(value.b.figures))])  # fmt: skip
    return page("occupation_compare.html", fig=figure_html, title=value.title, alts=alts, cmp=value,
                chart=chart, areas=area_choices(), occupations=_occupation_options())  # fmt: skip


def _occupation_options() -> Markup:
    """The compare form's <datalist> options (every SOC occupation: the code submitted, the title shown),
    rendered once per app."""
    return state().memo("oews:occupation-options", lambda: Markup("".join(
        f'<option value="{escape(c.value)}">{escape(c.label)}</option>' for c in occupation_choices()
    )))  # fmt: skip


def _percentiles(figures: dict[str, Figure]) -> tuple[Figure, ...]:
    return tuple(figures[k] for k in ANNUAL_PERCENTILES)


def _occupation_arg(tables: Reference, name: str, value: str) -> Occupation:
    """The occupation parameter *name* names: its slug, its SOC code (31-9092) or its exact title (what a
    person types into the form's picker); else a 400 suggesting the closest."""
    slug = value.strip().rpartition("/")[2]
    if not slug:
        abort(400, description=f"missing parameter {name!r}: give a SOC occupation, e.g. soc2018-31-9092")
    occ = tables.occupation(slug) or tables.occupation("soc2018-" + slug) or _titled(tables, value)
    if occ is None:
        raise unknown_member(name, "SOC occupation", value, occupation_choices())
    return occ


def _area_arg(tables: Reference, name: str, value: str) -> Area:
    slug = value.strip().rpartition("/")[2].lower()
    area = tables.area(slug) or tables.area("us-" + slug)  # "ca" works too
    if area is None:
        named = {a.name.casefold(): a for a in tables.areas.values()}  # "California" works too
        area = named.get(value.strip().casefold())
    if area is None:
        raise unknown_member(name, "state or nation", value, area_choices())
    return area


def _titled(tables: Reference, value: str) -> Occupation | None:
    """The occupation titled *value* (any case); of a broad and a detailed occupation of the same title,
    the detailed one."""
    titles = state().memo("oews:titles", lambda: {
        o.title.casefold(): o  # the detailed occupation last, so it is the one kept
        for o in sorted(tables.occupations.values(), key=lambda o: (o.level == "Detailed occupation", o.code))
    })  # fmt: skip
    return titles.get(value.strip().casefold())


def occupation_choices() -> tuple[Choice, ...]:
    """Every SOC occupation as a picker's choice: its code (what is submitted) and its title, by code."""
    occs = sorted(ref().occupations.values(), key=lambda o: o.code)
    return state().memo("oews:occupation-choices", lambda: tuple(Choice(o.code, o.title) for o in occs))


def area_choices() -> tuple[Choice, ...]:
    areas = sorted(ref().areas.values(), key=lambda a: (a.kind != "Nation", a.name))
    return state().memo("oews:area-choices", lambda: tuple(Choice(a.slug, a.name) for a in areas))


# --- the percentile chart (inline SVG) ---------------------------------------------------------------------


@dataclass(frozen=True)
class RangeRow:
    label: str
    y: float
    x10: float
    x25: float
    x50: float
    x75: float
    x90: float
    labels: tuple[tuple[float, float, str], ...]  # (x, y, text)
    open_end: bool  # the 90th percentile is top-coded: the bar ends at its lower bound


@dataclass(frozen=True)
class RangeChart:
    width: int
    height: int
    rows: tuple[RangeRow, ...]
    empty: tuple[str, ...]  # labels of rows without percentiles


def percentile_chart(rows: list[tuple[str, Sequence[Figure]]]) -> RangeChart:
    """10th–90th percentile bars (25th–75th thicker, a tick at the median) on one scale from 0."""
    width, left, right = 360, 8.0, 352.0
    values = [f.rank_value for _label, figs in rows for f in figs if f.rank_value is not None]
    top = max(values, default=1.0) * 1.08
    scale = lambda v: round(left + (right - left) * v / top, 1)  # noqa: E731
    out, empty, y = [], [], 4.0
    for label, figs in rows:
        points = [f.rank_value for f in figs]
        if any(p is None for p in points):
            empty.append(label)
            continue
        y += 18.0 if label else 0.0
        xs = [scale(p) for p in points]  # type: ignore[arg-type]
        clamp = lambda x: min(max(x, 34.0), width - 34.0)  # noqa: E731
        labels = ((clamp(xs[0]), y + 40, figs[0].text), (clamp(xs[2]), y + 10, figs[2].text),
                  (clamp(xs[4]), y + 40, figs[4].text))  # fmt: skip
        out.append(RangeRow(label, y, *xs, labels, figs[4].value is None))
        y += 48.0
    return RangeChart(width, int(y + 4), tuple(out), tuple(empty))
