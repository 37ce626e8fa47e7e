"""/id/<slug>: one page per entity, with its RDF twins (.ttl, .jsonld, .nt, .rdf) and a JSON twin (.json)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort
from rdflib import URIRef

from kg.rdf import formats
from kg.rdf.namespaces import CKG, ID
from kg.views.compare import glance
from kg.views.ctdl import ctdl_document, ctdl_graph, entity_document
from kg.views.describe import Entity, describe, entity_graph
from kg.views.facts import people_view
from kg.web import jsonld, views_occupation
from kg.web.respond import Alternate, alternates, negotiate, page, send, send_json, split_suffix
from kg.web.state import state
from kg.web.views_compare import DEFAULT_A, DEFAULT_B
from kg.web.views_void import CTDL_EXTENSION, CTDL_TYPE

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
        # never CTDL nodes (queries/ctdl.rq maps credentials, programs and their organizations): no CTDL twin
        special = views_occupation.page_for(base, fmt == "entity-json", _alternates(base, None))
        if special is not None:
            return special
    st = state()
    iri = ID[base]
    key = f"entity:{base}"
    entity: Entity | None = st.memo(key, lambda: describe(st.kg, iri))
    if entity is None:
        abort(404, description=f"there is no entity called {base!r} in Careers KG")
    alts = _alternates(base, iri)
    if fmt == "entity-json":
        return send_json(entity.as_dict(), alts=alts)
    fmt = negotiate(PAGE_FORMATS, fmt)
    if fmt == "html":
        markup = (
            st.memo(f"jsonld:{base}", lambda: jsonld.script_json(jsonld.occupation(st.kg, iri)))
            if entity.is_profession
            else None
        )
        at_a_glance = st.memo(f"glance:{base}", lambda: glance(st.kg, iri)) if entity.is_profession else None
        return page(
            "entity.html",
            title=entity.label,
            alts=alts,
            entity=entity,
            view=st.memo(f"people:{base}", lambda: people_view(entity)),
            glance=at_a_glance,
            compare_with=_compare_with(entity) if entity.is_profession else None,
            jsonld=markup,
            slug=base,
        )
    body = formats.serialize_graph(entity_graph(st.kg, iri), fmt)
    return send(body, formats.BY_NAME[fmt].content_type, alts=alts)


def _compare_with(entity: Entity) -> str:
    """The slug of the profession to compare with first: the other of the seed's pair, the first related
    one, else the default pair's."""
    pair = {str(ID[DEFAULT_A]): DEFAULT_B, str(ID[DEFAULT_B]): DEFAULT_A}
    if entity.iri in pair:
        return pair[entity.iri]
    related = next((g for g in entity.properties if g.predicate == str(CKG.relatedProfession)), None)
    for value in related.values if related else ():
        if not value.inferred and value.value.startswith(str(ID)):
            return value.value[len(str(ID)) :]
    return DEFAULT_B


def _alternates(base: str, iri: URIRef | None) -> list[Alternate]:
    """The page's twins; the CTDL one when *iri* has a CTDL document (None: not asked)."""
    path = f"/id/{base}"
    alts = [Alternate(path, "text/html", "html")]
    alts += alternates(path, PAGE_FORMATS[1:])
    alts.append(Alternate(f"{path}.json", "application/json", "json"))
    if iri is not None and _has_ctdl(iri):
        alts.append(Alternate(f"{path}{CTDL_EXTENSION}", CTDL_TYPE, "ctdl"))
    return alts


def _has_ctdl(iri: URIRef) -> bool:
    """Credentials, licences, programs and the organizations behind them have a CTDL twin."""
    st = state()
    document = st.memo("ctdl:document", lambda: ctdl_document(ctdl_graph(st.kg)))
    return entity_document(document, str(iri)) is not None
