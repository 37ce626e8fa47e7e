"""Building responses: one negotiation path (route suffix, else Accept via `kg.rdf.formats.negotiate`),
data twins
with ``Link: rel="alternate"`` headers, pages rendered from templates, and short errors in JSON or HTML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, render_template, request

from kg.rdf import formats

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Too large",
    414: "URI too long",
    415: "Unsupported media type",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}


@dataclass(frozen=True)
class Alternate:
    """One twin of a resource: where it is, its media type and a short name for links."""

    href: str
    type: str
    name: str


def split_suffix(name: str, candidates: Sequence[str]) -> tuple[str, str | None]:
    """``"medical-coder.ttl"`` → ``("medical-coder", "turtle")`` when ``.ttl`` is one of *candidates*'."""
    stem, dot, ext = name.rpartition(".")
    if dot and stem:
        for fmt in candidates:
            if formats.BY_NAME[fmt].extension == "." + ext.lower():
                return stem, fmt
    return name, None


def negotiate(candidates: Sequence[str], suffix_fmt: str | None = None) -> str:
    """The format to send: the route suffix's, else the one the Accept header prefers; 406 when none fits."""
    if suffix_fmt is not None:
        return suffix_fmt
    chosen = formats.negotiate(request.headers.get("Accept"), candidates)
    if chosen is None:
        types = ", ".join(formats.BY_NAME[c].media_type for c in candidates)
        abort(406, description=f"none of the requested media types is available here; available: {types}")
    return chosen


def alternates(base: str, fmts: Iterable[str], query: dict[str, str] | None = None) -> list[Alternate]:
    """The twins of *base* (a path without suffix) in *fmts*, keeping *query* arguments."""
    qs = ("?" + urlencode(query)) if query else ""
    out = []
    for fmt in fmts:
        spec = formats.BY_NAME[fmt]
        out.append(Alternate(f"{base}{spec.extension}{qs}", spec.media_type, spec.extension.lstrip(".")))
    return out


def link_header(alts: Iterable[Alternate]) -> str:
    return ", ".join(f'<{a.href}>; rel="alternate"; type="{a.type}"' for a in alts)


def send(
    body: bytes | str,
    content_type: str,
    *,
    status: int = 200,
    alts: Sequence[Alternate] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    """A response with *body*; ``Link`` lists *alts*."""
    response = Response(body, status=status, content_type=content_type)
    if alts:
        response.headers["Link"] = link_header(alts)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def send_json(value: Any, *, status: int = 200, alts: Sequence[Alternate] = ()) -> Response:
    body = json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n"
    return send(body.encode("utf-8"), JSON_TYPE, status=status, alts=alts)


def send_csv(rows: Iterable[Sequence[Any]], *, alts: Sequence[Alternate] = ()) -> Response:
    """*rows* as CSV (RFC 4180 line ends, UTF-8)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return send(buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8", alts=alts)


def page(
    template: str, *, title: str, status: int = 200, alts: Sequence[Alternate] = (), **context: Any
) -> Response:
    """Render *template* (autoescaped) as a page; *alts* become ``<link rel=alternate>`` and ``Link``."""
    html = render_template(template, title=title, alternates=alts, **context)
    return send(html.encode("utf-8"), HTML_TYPE, status=status, alts=alts)


def wants_html() -> bool:
    """True when the client prefers HTML to JSON (a browser); curl and API clients get JSON."""
    accept = request.headers.get("Accept")
    return formats.negotiate(accept, ("json", "html")) == "html" and "html" in (accept or "")


def error_response(status: int, message: str) -> Response:
    """A short error in HTML (browsers) or JSON (everyone else). Never a traceback."""
    title = TITLES.get(status, "Error")
    if wants_html():
        try:
            return page("error.html", title=title, status=status, message=message)
        except Exception:  # a broken template must not turn an error page into a traceback
            pass
    return send_json({"error": title, "status": status, "message": message}, status=status)


def single_args(allowed: Iterable[str] | None = None) -> dict[str, str]:
    """Query arguments as a dict; 400 when one is repeated (or, given *allowed*, unknown)."""
    args = request.args
    out = {}
    for key in args:
        values = args.getlist(key)
        if len(values) > 1:
            abort(400, description=f"parameter {key!r} is given more than once")
        if allowed is not None and key not in allowed:
            abort(
                400, description=f"unknown parameter {key!r} (known: {', '.join(sorted(allowed)) or 'none'})"
            )
        out[key] = values[0]
    return out
