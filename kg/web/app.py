"""`create_app(settings, kg=None)`: the Flask application over one immutable knowledge graph.

No globals and no I/O at import: everything the views need lives in one `WebState` stored on the app
(``app.extensions["careers_kg"]``). Every response gets the security headers, ``Vary: Accept``, CORS and an
ETag derived from the dataset version; every successful one a ``Link: <licence>; rel="license"`` and the
dataset version (``X-Dataset-Version``); rendered GET responses are cached per app (`kg.web.cache`).
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import BadRequest, HTTPException

from kg.config import Settings
from kg.errors import QueryError
from kg.views.release import cite_as, dataset_version, release
from kg.web.cache import ResponseCache
from kg.web.fragments import age_html, cell_html, citation_html, cited_term_html, term_html
from kg.web.links import href
from kg.web.respond import error_response
from kg.web.state import WebState

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # request bodies over 1 MiB -> 413
CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CORS_METHODS = "GET, HEAD, POST, OPTIONS"
CORS_HEADERS = "Accept, Content-Type, If-None-Match"
VERSION_HEADER = "X-Dataset-Version"


def create_app(settings: Settings, kg: KnowledgeGraph | None = None) -> Flask:
    """The web application over *kg* (built from *settings* when not given)."""
    if kg is None:
        from kg.stores.store import open_kg

        kg = open_kg(settings)
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, MAX_FORM_MEMORY_SIZE=MAX_BODY, JSON_SORT_KEYS=False)
    state = WebState.create(settings, kg)
    app.extensions["careers_kg"] = state
    app.jinja_env.filters["href"] = href
    app.jinja_env.filters["term_html"] = term_html
    app.jinja_env.filters["cited_term_html"] = cited_term_html
    app.jinja_env.filters["citation_html"] = citation_html
    app.jinja_env.filters["age_html"] = age_html
    app.jinja_env.filters["cell_html"] = cell_html
    app.jinja_env.globals.update(
        version=dataset_version(kg), cite_as=cite_as(kg), license_url=release().license_url
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from kg.web import (
        views_compare,
        views_entity,
        views_home,
        views_ontology,
        views_queries,
        views_search,
        views_sparql,
        views_void,
    )

    for module in (
        views_home,
        views_entity,
        views_compare,
        views_search,
        views_sparql,
        views_queries,
        views_ontology,
        views_void,
    ):
        app.register_blueprint(module.bp)

    app.before_request(_reject_bad_encoding)
    app.after_request(_add_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.wsgi_app = ResponseCache(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _reject_bad_encoding() -> None:
    """Query strings must be UTF-8 (issue 5): invalid bytes are a 400, not silently replaced."""
    raw = request.environ.get("QUERY_STRING", "")
    if "%" in raw or not raw.isascii():
        try:
            unquote_to_bytes(raw.replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the query string is not valid UTF-8") from None


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)  # a page may send a policy of its own (/sparql)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = f"ETag, Link, X-Result-Truncated, {VERSION_HEADER}"
    if response.status_code < 400:  # what leaves the server carries its licence and the dataset version
        site = current_app.jinja_env.globals
        license_link = f'<{site["license_url"]}>; rel="license"'
        link = headers.get("Link")
        headers["Link"] = f"{link}, {license_link}" if link else license_link
        headers[VERSION_HEADER] = site["version"]
    response.vary.add("Accept")
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = CORS_METHODS
        headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        headers["Access-Control-Max-Age"] = "86400"
    if request.method in ("GET", "HEAD") and response.status_code < 500:
        headers["ETag"] = _etag(response)
        if response.status_code == 200 and "Cache-Control" not in headers:
            headers["Cache-Control"] = "public, max-age=60"
    return response


def _etag(response: Response) -> str:
    version = current_app.extensions["careers_kg"].kg.version
    variant = "\0".join(
        (
            request.path,
            request.query_string.decode("latin-1"),
            response.content_type or "",
            str(response.status_code),
        )
    )
    return f'"{version}-{hashlib.blake2b(variant.encode(), digest_size=8).hexdigest()}"'


def _http_error(exc: HTTPException) -> Response:
    message = exc.description or exc.name
    response = error_response(exc.code or 500, message)
    for key, value in exc.get_headers():
        if key.lower() not in ("content-type", "content-length"):
            response.headers[key] = value
    return response


def _query_error(exc: QueryError) -> Response:
    response = error_response(exc.status, exc.message)
    if exc.status == 503:
        response.headers["Retry-After"] = "5"
    return response


def _unexpected_error(exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "Something went wrong on the server; the error has been logged.")
