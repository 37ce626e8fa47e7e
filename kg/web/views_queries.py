"""/queries (+ .json): the stored-query catalogue; /queries/<name> (+ .json .csv .tsv .xml | .ttl .jsonld):
a form and the results; /openapi.json: every JSON/CSV route (kg.web.openapi).

A parameter that takes members of a class (``class:`` in the query's header) is a picker on the form (a list
for a few members, a text box with suggestions for many), and a value that is not a member is a 400 naming
the parameter and the closest members, on the page and in the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort
from rdflib import URIRef

from kg.errors import ParamError
from kg.query.catalogue import StoredQuery, bind, check_values
from kg.query.execute import execute_serialized
from kg.query.params import Choice, choices
from kg.rdf import formats
from kg.views.release import comment as release_comment
from kg.views.release import dataset_version
from kg.web.openapi import openapi_document
from kg.web.respond import (
    TITLES,
    Alternate,
    alternates,
    link_header,
    negotiate,
    send_json,
    single_args,
    split_suffix,
)
from kg.web.respond import page as render_page
from kg.web.state import state
from kg.web.table import result_table
from kg.web.views_sparql import answer_response, is_pretty

bp = Blueprint("queries", __name__)
ROUTE_FORMATS = ("html", *formats.WEB_RESULT_FORMATS, *formats.GRAPH_FORMATS)  # the suffixes a route may have
SELECT_UP_TO = 60  # members shown as a <select>; more get a text box with a <datalist>
PRETTY = "pretty"  # ?pretty=1: indented JSON results (not a query parameter: no stored query may use it)


def formats_for(stored: StoredQuery) -> tuple[str, ...]:
    """The formats a stored query's results come in, the page first."""
    return ("html", *formats.answer_formats(stored.kind))


def describe_query(stored: StoredQuery) -> dict[str, Any]:
    """A stored query's catalogue entry (for /queries.json)."""
    return {
        "name": stored.name,
        "title": stored.title,
        "description": stored.description,
        "tags": list(stored.tags),
        "kind": stored.kind,
        "url": f"/queries/{stored.name}",
        "formats": {
            fmt: f"/queries/{stored.name}{formats.BY_NAME[fmt].extension}" for fmt in formats_for(stored)[1:]
        },
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": p.default,
                "example": p.example,
                "description": p.description,
                "class": p.cls,
            }
            for p in stored.params
        ],
    }


@bp.get("/queries", defaults={"ext": None})
@bp.get("/queries.<ext>")
def catalogue(ext: str | None) -> Response:
    if ext not in (None, "json", "html"):
        abort(404, description=f"no catalogue in the format .{ext}; use /queries.json")
    single_args(())
    queries = list(state().catalogue.values())
    alts = [Alternate("/queries.json", "application/json", "json")]
    if ext == "json":
        return send_json({"queries": [describe_query(q) for q in queries]}, alts=alts)
    classes = {p.cls for q in queries for p in q.params if p.cls is not None}
    kinds = {cls: state().label(URIRef(cls)).lower() for cls in classes}  # "a profession", not "iri"
    return render_page("queries.html", title="Stored queries", alts=alts, queries=queries, kinds=kinds)


@bp.get("/queries/<name>")
def stored(name: str) -> Response:
    st = state()
    base, suffix_fmt = split_suffix(name, ROUTE_FORMATS)
    query = st.catalogue.get(base)
    if query is None:
        abort(404, description=f"there is no stored query called {base[:80]!r}; see /queries")
    allowed = formats_for(query)
    if suffix_fmt is not None and suffix_fmt not in allowed:
        abort(404, description=f"a {query.kind} query has no {formats.BY_NAME[suffix_fmt].extension} format")
    fmt = negotiate(allowed, suffix_fmt)
    raw = single_args()
    pretty = is_pretty(raw.pop(PRETTY, None))
    alts = alternates(f"/queries/{base}", allowed[1:], raw)
    alts.insert(0, Alternate(f"/queries/{base}" + (f"?{urlencode(raw)}" if raw else ""), "text/html", "html"))
    runnable = bool(raw) or not any(p.required for p in query.params)
    if fmt == "html" and not runnable:
        return _page(query, raw, alts, None, None, 200)
    try:
        bindings = bind(query, raw)
        check_values(st.kg, query, bindings, raw)
    except ParamError as exc:
        if fmt == "html":
            return _page(query, raw, alts, None, exc, 400)
        return send_json(param_error(exc), status=400, alts=alts)
    answer = execute_serialized(
        st.kg,
        query.prepared,
        fmt,
        bindings=bindings,
        timeout=st.settings.query_timeout,
        max_rows=st.settings.max_rows,
        stored=True,
        pretty=pretty,
    )
    if fmt == "html":
        return _page(query, raw, alts, answer.result, None, 200)
    response = answer_response(answer)
    response.headers["Link"] = link_header(alts)
    if fmt in ("csv", "tsv"):  # a download: the citation as a '#' line (never on /sparql: see README)
        response.set_data(formats.with_comment(response.get_data(), fmt, release_comment(st.kg)))
    return response


def param_error(exc: ParamError) -> dict[str, Any]:
    """The JSON body of a bad parameter: the usual error, the parameter's name and the closest values."""
    return {
        "error": TITLES[400],
        "status": 400,
        "message": exc.message,
        "parameter": exc.name,
        "suggestions": [{"value": c.value, "label": c.label} for c in exc.suggestions],
    }


def pickers(query: StoredQuery) -> dict[str, tuple[Choice, ...]]:
    """The members each class-typed parameter may take (once per class and app)."""
    st = state()
    out = {}
    for p in query.params:
        if p.cls is not None:
            cls = p.cls
            out[p.name] = st.memo(f"choices:{cls}", lambda cls=cls: choices(st.kg.union, URIRef(cls)))
    return out


@bp.get("/openapi.json")
def openapi() -> Response:
    st = state()
    doc = st.memo(
        "openapi",
        lambda: openapi_document(st.catalogue.values(), formats_for, st.kg.version, dataset_version(st.kg)),
    )
    return send_json(doc)


def _page(
    query: StoredQuery,
    raw: dict[str, str],
    alts: list[Alternate],
    result: Any,
    error: ParamError | None,
    status: int,
) -> Response:
    st = state()
    table = result_table(st.kg, result, st.settings.max_rows) if result is not None else None
    response = render_page(
        "query.html",
        title=query.title,
        status=status,
        alts=alts,
        query=query,
        values=raw,
        table=table,
        error=error,
        suggestions=[
            (c.label, f"/queries/{query.name}?" + urlencode(dict(raw, **{error.name: c.value})))
            for c in (error.suggestions if error is not None else ())
        ],
        pickers=pickers(query),
        select_up_to=SELECT_UP_TO,
    )
    if result is not None and result.truncated:
        response.headers["X-Result-Truncated"] = "true"
    return response
