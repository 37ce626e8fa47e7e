"""/sparql: the SPARQL 1.1 Protocol query operation (read-only), and a query page for browsers.

GET ?query=, POST application/x-www-form-urlencoded, POST application/sparql-query; default-graph-uri and
named-graph-uri choose among the graphs held locally (kg.query.execute never fetches). Updates are refused
with 403.
Results by Accept: SELECT/ASK as JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle, JSON-LD, N-Triples,
RDF/XML; a browser gets an HTML table with labels, IRIs and links. All execution goes through
`kg.query.execute.execute`.

The page is a plain form that works without JavaScript; with JavaScript, YASGUI (vendored in
static/yasgui/) replaces it, configured from a JSON block on the page (the endpoint, the project prefixes, the
ontology's classes and properties for completion, and the stored queries as examples). YASGUI adds one <style>
element, so this page's Content-Security-Policy allows that stylesheet by its hash (`CSP_EDITOR`); nothing
else is loosened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, request, url_for
from rdflib import OWL, RDF, RDFS, URIRef

from kg.errors import QueryError
from kg.query.execute import KINDS, QueryResult, Serialized, execute_serialized, query_kind
from kg.rdf import formats
from kg.rdf.namespaces import PREFIXES, SKOS
from kg.web.respond import negotiate, page, send, wants_html
from kg.web.service_description import description_response
from kg.web.state import state
from kg.web.table import result_table

bp = Blueprint("sparql", __name__)
RESULT_CANDIDATES = (*formats.answer_formats("SELECT"), "html")
GRAPH_CANDIDATES = (*formats.answer_formats("CONSTRUCT"), "html")
MAX_FIELDS = 200
TRUNCATED_HEADER = "X-Result-Truncated"
MSG_READ_ONLY = "updates are not allowed: this endpoint is read-only (SPARQL 1.1 Update is not supported)"
EXAMPLE = (
    f"PREFIX ckg: <{PREFIXES['ckg']}>\nPREFIX skos: <{SKOS}>\n\n"
    "SELECT ?profession ?label WHERE {\n  ?profession a ckg:Profession ; skos:prefLabel ?label .\n}\n"
    "ORDER BY ?label\n"
)
# YASGUI's column resizer adds one fixed <style> element (its text is a literal in yasgui.min.js; the test
# tests/test_sparql_editor.py recomputes this hash from the vendored file). The editor page allows that one
# stylesheet by its hash; every other inline style, inline script and eval stays blocked, as on every page.
YASGUI_STYLE_HASH = "sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk="
CSP_EDITOR = (
    f"default-src 'self'; img-src 'self' data:; style-src 'self' '{YASGUI_STYLE_HASH}'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@dataclass
class Protocol:
    """The protocol parameters of one request."""

    queries: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    pretty: list[str] = field(default_factory=list)  # not a protocol parameter: indented JSON results


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"], endpoint="endpoint_slash")
def endpoint() -> Response:
    params = _read_protocol()
    if params.updates:
        abort(403, description=MSG_READ_ONLY)
    if len(params.queries) > 1:
        abort(400, description="the request has more than one 'query' parameter")
    if not params.queries:
        if request.method == "GET" and wants_html():
            return _query_page(EXAMPLE, None)
        described = description_response(state().kg, RESULT_CANDIDATES[:-1] + GRAPH_CANDIDATES[:-1])
        if described is not None:  # a client asking for RDF gets the SPARQL 1.1 Service Description
            return described
        abort(
            400, description="missing parameter 'query' (a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query)"
        )
    text = params.queries[0]
    if not text.strip():
        abort(400, description="parameter 'query' is empty")
    fmt = _choose_format(query_kind(text), params.formats)  # the lexer's guess of the form: 406 here
    st = state()
    try:
        answer = execute_serialized(
            st.kg,
            text,
            _formats_by_kind(fmt, params.formats),
            default_graph_uris=params.default_graphs,
            named_graph_uris=params.named_graphs,
            timeout=st.settings.query_timeout,
            max_rows=st.settings.max_rows,
            pretty=is_pretty(params.pretty[-1] if params.pretty else None),
        )
    except QueryError as exc:
        if fmt != "html":
            raise
        return _query_page(text, None, exc)  # the error shown above the query, which is kept
    if answer.fmt == "html":
        return _query_page(text, answer.result)
    if answer.body is None:  # the guess was wrong and nothing acceptable fits the real form
        _choose_format(answer.kind, params.formats)  # 406
    return answer_response(answer)


def answer_response(answer: Serialized) -> Response:
    """A query result in a data format, with the truncation header when the row cap was hit."""
    headers = {TRUNCATED_HEADER: "true"} if answer.truncated else {}
    return send(answer.body or b"", formats.BY_NAME[answer.fmt].content_type, headers=headers)


def is_pretty(value: str | None) -> bool:
    """``pretty=1`` (or true, yes): SPARQL JSON results indented for people; compact otherwise."""
    return value is not None and value.strip().lower() in ("1", "true", "yes")


def _formats_by_kind(fmt: str, requested: list[str]) -> dict[str, str]:
    """The format for each query form: *fmt* (negotiated for the guessed form) wherever it fits, else what
    the hints and Accept pick for that form; a form nothing acceptable fits is left out."""
    out = {}
    for kind in KINDS:
        chosen = fmt if fmt in _candidates(kind) else _pick_format(kind, requested)
        if chosen is not None:
            out[kind] = chosen
    return out


def _candidates(kind: str | None) -> tuple[str, ...]:
    return GRAPH_CANDIDATES if kind in ("CONSTRUCT", "DESCRIBE") else RESULT_CANDIDATES


# Names other SPARQL clients (SPARQLWrapper, Virtuoso, Fuseki) put in format=/output=/results=.
FORMAT_ALIASES = {"json-ld": "jsonld", "rdf+xml": "rdfxml", "rdf": "rdfxml", "n3": "turtle", "text": "tsv"}


def _choose_format(kind: str | None, requested: list[str]) -> str:
    """The first `format`/`output`/`results` hint that names a format for this query form; failing that,
    the Accept header (406 when nothing acceptable fits). Clients such as SPARQLWrapper send several hints
    (a name and a media type) at once; hints naming formats this endpoint lacks are ignored, as other
    endpoints do."""
    return _pick_format(kind, requested) or negotiate(_candidates(kind))


def _pick_format(kind: str | None, requested: list[str]) -> str | None:
    candidates = _candidates(kind)
    for value in requested:
        fmt = formats.resolve(FORMAT_ALIASES.get(value.strip().lower(), value), candidates)
        if fmt is not None:
            return fmt
    return formats.negotiate(request.headers.get("Accept"), candidates)


def _read_protocol() -> Protocol:
    pairs = _pairs(request.environ.get("QUERY_STRING", ""), "the query string")
    if request.method == "POST":
        mimetype = request.mimetype
        charset = request.mimetype_params.get("charset")
        if charset and charset.strip().lower() not in ("utf-8", "utf8"):
            abort(415, description=f"only UTF-8 is accepted, not charset={charset[:40]}")
        if mimetype == "application/sparql-update":
            abort(403, description=MSG_READ_ONLY)
        if mimetype == "application/x-www-form-urlencoded":
            pairs += _pairs(_utf8(request.get_data(cache=False), "the request body"), "the request body")
        elif mimetype == "application/sparql-query":
            pairs.append(("query", _utf8(request.get_data(cache=False), "the query")))
        else:
            shown = mimetype[:60] or "none"
            abort(
                415,
                description=f"POST a query as application/x-www-form-urlencoded or application/sparql-query "
                f"(the request's media type is {shown})",
            )
    params = Protocol()
    slots = {
        "query": params.queries,
        "update": params.updates,
        "default-graph-uri": params.default_graphs,
        "named-graph-uri": params.named_graphs,
        "format": params.formats,
        "output": params.formats,
        "results": params.formats,
        "using-graph-uri": params.updates,
        "using-named-graph-uri": params.updates,
        "pretty": params.pretty,
    }
    for key, value in pairs:
        slot = slots.get(key)
        if slot is not None:
            slot.append(value)
    return params


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        abort(400, description=f"{what} is not valid UTF-8")


def _pairs(raw: str, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            raw, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS
        )
    except UnicodeDecodeError:
        abort(400, description=f"{what} is not valid UTF-8")
    except ValueError:
        abort(400, description=f"{what} has more than {MAX_FIELDS} fields")


def _query_page(text: str, result: QueryResult | None, error: QueryError | None = None) -> Response:
    st = state()
    table = result_table(st.kg, result, st.settings.max_rows) if result is not None else None
    response = page(
        "sparql.html",
        title="SPARQL query",
        status=error.status if error is not None else 200,
        query=text,
        table=table,
        error=error.message if error is not None else None,
        examples=st.memo("sparql-examples", _examples),
        editor=dict(st.memo("sparql-editor", _editor_terms), endpoint=url_for("sparql.endpoint"), query=text),
        result=result,
        formats=RESULT_CANDIDATES[:-1] + GRAPH_CANDIDATES[:-1],
    )
    response.headers["Content-Security-Policy"] = CSP_EDITOR
    if error is not None and error.status == 503:
        response.headers["Retry-After"] = "5"
    if result is not None and result.truncated:
        response.headers[TRUNCATED_HEADER] = "true"
    return response


def _examples() -> list[dict[str, str]]:
    """The stored queries as plain SPARQL (parameters unbound), for the page's links and YASGUI's tabs."""
    return [
        {"name": q.name, "title": q.title, "description": q.description, "query": _strip_header(q.text)}
        for q in state().catalogue.values()
    ]


def _editor_terms() -> dict[str, Any]:
    """What YASGUI completes offline: the project prefixes, and the ontology's classes and properties with the
    terms they specialise (schema.org, SKOS, PROV ...)."""
    ontology = state().kg.ontology
    return {
        "prefixes": {prefix: str(ns) for prefix, ns in PREFIXES.items()},
        "classes": _terms(ontology, CLASS_TYPES, RDFS.subClassOf),
        "properties": _terms(ontology, PROPERTY_TYPES, RDFS.subPropertyOf),
    }


def _terms(graph: Any, types: tuple[URIRef, ...], parent: URIRef) -> list[str]:
    found = {s for t in types for s in graph.subjects(RDF.type, t)}
    found |= set(graph.objects(None, parent))
    return sorted(str(s) for s in found if isinstance(s, URIRef))


def _strip_header(text: str) -> str:
    """A stored query without its ``#+`` header lines (shorter example links)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#+")).strip() + "\n"
