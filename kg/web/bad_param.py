"""A parameter value that names nothing, answered the same way on every form: a 400 naming the parameter
and suggesting the closest values (`kg.query.params.unknown_member`), as JSON for the API (the body of
`kg.web.views_queries.param_error`) and, for a browser, an error page whose suggestions are links to the
same request with the suggested value."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, request

from kg.errors import ParamError
from kg.web.respond import page, send_json, wants_html
from kg.web.views_queries import param_error


def param_error_response(exc: ParamError) -> Response:
    if wants_html():
        args = request.args.to_dict()
        links = [(f"{c.label} ({c.value})", f"{request.path}?{urlencode({**args, exc.name: c.value})}")
                 for c in exc.suggestions]  # fmt: skip
        return page("error.html", title="Bad request", status=400, message=exc.message, suggestions=links)
    return send_json(param_error(exc), status=400)
