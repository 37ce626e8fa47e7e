"""/ontology (+ .ttl): documentation generated from the ontology, with an anchor per term."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from kg.rdf import formats
from kg.web.ontology_doc import ontology_doc
from kg.web.respond import Alternate, negotiate, send, single_args
from kg.web.respond import page as render_page
from kg.web.state import state

bp = Blueprint("ontology", __name__)
CANDIDATES = ("html", "turtle")


@bp.get("/ontology", defaults={"ext": None})
@bp.get("/ontology.<ext>")
def page(ext: str | None) -> Response:
    if ext not in (None, "ttl", "html"):
        abort(404, description=f"no ontology in the format .{ext}; use /ontology.ttl")
    single_args(())
    fmt = negotiate(CANDIDATES, {"ttl": "turtle", "html": "html"}.get(ext or ""))
    st = state()
    alts = [Alternate("/ontology.ttl", "text/turtle", "ttl")]
    if fmt == "turtle":
        body = st.memo("ontology.ttl", lambda: formats.serialize_graph(st.kg.ontology, "turtle"))
        return send(body, formats.BY_NAME["turtle"].content_type, alts=alts)
    doc = st.memo("ontology-doc", lambda: ontology_doc(st.kg))
    return render_page("ontology.html", title=doc.title, alts=alts, doc=doc)
