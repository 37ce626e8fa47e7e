"""/search?q= (+ /search.json?q=): names, other names, acronyms and codes, typos forgiven
(kg.views.search), each
hit with its kind."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort

from kg.web.links import href
from kg.web.respond import Alternate, send_json, single_args
from kg.web.respond import page as render_page
from kg.web.state import state

bp = Blueprint("search", __name__)
MAX_QUERY = 200
LIMIT = 50


@bp.get("/search", defaults={"ext": None})
@bp.get("/search.<ext>")
def page(ext: str | None) -> Response:
    if ext not in (None, "json", "html"):
        abort(404, description=f"no search results in the format .{ext}; use /search.json")
    args = single_args({"q"})
    q = " ".join(args.get("q", "").split())
    if len(q) > MAX_QUERY:
        abort(400, description=f"parameter 'q' is longer than {MAX_QUERY} characters")
    if ext == "json" and not q:
        abort(400, description="missing parameter 'q': what to search for, e.g. /search.json?q=coder")
    hits = state().search.search(q, LIMIT) if q else ()
    alts = [Alternate("/search.json?" + urlencode({"q": q}), "application/json", "json")] if q else []
    if ext == "json":
        results = [dict(hit.as_dict(), url=href(hit.iri)) for hit in hits]
        return send_json({"q": q, "count": len(results), "results": results}, alts=alts)
    title = f"Search: {q}" if q else "Search"
    return render_page("search.html", title=title, alts=alts, q=q, hits=hits)
