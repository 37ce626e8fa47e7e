"""HTML fragments that pages show many times (terms, citations, ages, comparison cells), written in Python and
registered as Jinja filters (`kg.web.app`): a page shows a hundred terms, and a Jinja macro call costs ten
times more than a function. The macros of the same names in ``_macros.html`` call these filters, so every
template writes the same bytes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache, wraps
from typing import Any

from markupsafe import Markup, escape

from kg.web.links import href

ANY_URI = "http://www.w3.org/2001/XMLSchema#anyURI"
_INFERRED = (
    ' <span class="badge inferred" title="inferred by OWL-RL reasoning, not asserted in the data">'
    "inferred</span>"
)


def _getter(t: object) -> Callable[[str], Any]:
    """Read a field as Jinja does: a mapping's key or an object's attribute (None when missing)."""
    return t.get if isinstance(t, Mapping) else lambda name: getattr(t, name, None)


def term_html(t: object) -> Markup:
    """A shown term (`kg.views.describe.Term`, or a mapping with its fields) as HTML: a link where it has a
    target, its label otherwise, a language tag other than English, an "inferred" badge. A page shows a
    hundred terms (see the module docstring)."""
    get = _getter(t)
    kind, label = get("kind"), escape(get("label"))
    if kind == "bnode":
        out = f'<span class="muted">{label}</span>'
    else:
        target = href(get("value")) if kind == "iri" or get("datatype") == ANY_URI else None
        out = f'<a href="{escape(target)}">{label}</a>' if target else str(label)
        lang = get("lang")
        if kind != "iri" and lang and lang != "en":
            out += f' <span class="muted">@{escape(lang)}</span>'
    return Markup(out + (_INFERRED if get("inferred") else ""))


def remembered(write: Callable[[Any], Markup]) -> Callable[[Any], Markup]:
    """*write*, remembering what it wrote for a value of a view (a frozen dataclass, immutable like the graph
    it comes from: the same value is the same HTML); a mapping is written each time."""
    cached = lru_cache(maxsize=16384)(write)

    @wraps(write)
    def html(value: Any) -> Markup:
        return write(value) if isinstance(value, Mapping) else cached(value)

    return html


@remembered
def cited_term_html(t: object) -> Markup:
    """`term_html`, followed by the sources that make the claim, if the term has its own."""
    sources = _getter(t)("sources")
    if not sources:
        return term_html(t)
    cited = "; ".join(citation_html(s) for s in sources)
    return Markup(f'{term_html(t)} <span class="muted claim-source">(source: {cited})</span>')


@remembered
def citation_html(c: object) -> Markup:
    """A source (`kg.views.provenance` citation, or a mapping with its fields) as a <cite>: its label,
    linked, and its publication date, its lower bound, or "undated"."""
    get = _getter(c)
    target, label = href(get("url") or get("iri")), escape(get("label"))
    out = f'<a href="{escape(target)}">{label}</a>' if target else str(label)
    if get("published"):
        out += f", published {escape(get('published'))}"
    elif get("not_before"):
        out += f", undated (published no earlier than {escape(get('not_before'))})"
    elif get("undated"):
        out += ", undated"
    return Markup(f"<cite>{out}</cite>")


def age_html(years: int | None, basis: str | None) -> Markup:
    """How old a figure is ("3 years old"), and from what it is counted when not from its publication."""
    if years is None:
        return Markup("")
    since = " (counted from the start of its reference period)" if basis == "reference period" else ""
    return Markup(f"{escape(years)} year{'' if years == 1 else 's'} old{since}")


@remembered
def cell_html(c: object) -> Markup:
    """One cell of the comparison table (`kg.views.compare_facts.Cell`): its values, the period and
    publication date of its figure with its age, and its sources."""
    get = _getter(c)
    out = '<ul class="values">' + "".join(f"<li>{escape(v)}</li>" for v in get("values")) + "</ul>"
    ref, published = get("ref_period"), get("published")
    if ref or published:
        dates = f"Reference period {escape(ref)}" if ref else ""
        dates += " · " if ref and published else ""
        if published:
            dates += f"published {escape(published)}"
        elif ref:
            dates += " · publication date unknown"
        if get("age_years") is not None:
            dates += f" · {age_html(get('age_years'), get('age_from'))}"
        out += f'<p class="muted dates">{dates}.</p>'
    citations = get("citations")
    if citations:
        out += f'<p class="cell-source">Source: {"; ".join(map(citation_html, citations))}</p>'
    return Markup(out)
