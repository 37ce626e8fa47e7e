"""/id/<slug>: one page per entity, with its RDF twins (.ttl, .jsonld, .nt, .rdf) and a JSON twin (.json)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort

from kg.rdf import formats
from kg.rdf.namespaces import ID
from kg.views.describe import Entity, describe, entity_graph
from kg.web import jsonld, views_occupation
from kg.web.respond import Alternate, alternates, negotiate, page, send, send_json, split_suffix
from kg.web.state import state

bp = Blueprint("entity", __name__)
PAGE_FORMATS = ("html", "turtle", "jsonld", "ntriples", "rdfxml")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$")


@bp.get("/id/<slug>")
def show(slug: str) -> Response:
    if slug.endswith(".json"):
        base, fmt = slug[: -len(".json")], "entity-json"
    else:
        base, fmt = split_suffix(slug, PAGE_FORMATS)
    if not SLUG.match(base):
        abort(404, description="there is no entity at this address")
    if fmt == "entity-json" or negotiate(PAGE_FORMATS, fmt) == "html":  # SOC occupations and states
        special = views_occupation.page_for(base, fmt == "entity-json", _alternates(base))
        if special is not None:
            return special
    st = state()
    iri = ID[base]
    key = f"entity:{base}"
    entity: Entity | None = st.memo(key, lambda: describe(st.kg, iri))
    if entity is None:
        abort(404, description=f"there is no entity called {base!r} in Careers KG")
    alts = _alternates(base)
    if fmt == "entity-json":
        return send_json(entity.as_dict(), alts=alts)
    fmt = negotiate(PAGE_FORMATS, fmt)
    if fmt == "html":
        markup = jsonld.script_json(jsonld.occupation(st.kg, iri)) if entity.is_profession else None
        return page("entity.html", title=entity.label, alts=alts, entity=entity, jsonld=markup, slug=base)
    body = formats.serialize_graph(entity_graph(st.kg, iri), fmt)
    return send(body, formats.BY_NAME[fmt].content_type, alts=alts)


def _alternates(base: str) -> list[Alternate]:
    path = f"/id/{base}"
    alts = [Alternate(path, "text/html", "html")]
    alts += alternates(path, PAGE_FORMATS[1:])
    alts.append(Alternate(f"{path}.json", "application/json", "json"))
    return alts
