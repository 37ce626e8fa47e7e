"""The home page, health and the shapes; the exports and the VoID/DCAT description are in views_void."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response
from rdflib import RDF
from rdflib.namespace import DCTERMS

from kg.rdf import formats
from kg.rdf.namespaces import CKG
from kg.views.provenance import citation
from kg.views.release import cite_as, dataset_version, release
from kg.web.cache import NO_CACHE_HEADER
from kg.web.respond import page, send, send_json
from kg.web.state import state

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

bp = Blueprint("home", __name__)
EXPORT_FORMATS = ("turtle", "jsonld", "ntriples")


@bp.get("/")
def index() -> Response:
    st = state()
    sources = sorted(
        {citation(st.kg.union, s) for s in st.kg.union.subjects(RDF.type, CKG.Source)},
        key=lambda c: c.label.casefold(),
    )
    return page(
        "home.html",
        title="Careers KG — an open knowledge graph of healthcare careers",
        professions=st.professions,
        queries=list(st.catalogue.values()),
        sources=sources,
        counts=counts(st.kg),
        downloads=_downloads(),
        figures_published=st.memo("figures-published", lambda: _figures_published(st.kg)),
    )


def _figures_published(kg: KnowledgeGraph) -> tuple[str, str] | None:
    """The earliest and latest publication dates (dct:issued) of the sources the statistics cite."""
    g = kg.union
    issued = sorted(
        {
            str(i)
            for stat in g.subjects(RDF.type, CKG.Statistic)
            for s in g.objects(stat, CKG.source)
            for i in g.objects(s, DCTERMS.issued)
        }
    )
    return (issued[0], issued[-1]) if issued else None


@bp.get("/healthz")
def healthz() -> Response:
    kg = state().kg
    report = getattr(kg, "report", None)
    response = send_json(
        {
            "status": "ok",
            "version": kg.version,
            "dataset_version": dataset_version(kg),
            "license": release().license_url,
            "cite_as": cite_as(kg),
            "conforms": bool(report.conforms) if report is not None else None,
            "triples": counts(kg),
        }
    )
    response.headers[NO_CACHE_HEADER] = "1"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/shapes.ttl")
def shapes() -> Response:
    body = state().memo("shapes", lambda: state().settings.shapes_file.read_bytes())
    return send(body, formats.BY_NAME["turtle"].content_type)


def counts(kg: KnowledgeGraph) -> dict[str, int]:
    stored = getattr(kg, "triple_counts", None)
    if stored:
        return {str(k): int(v) for k, v in dict(stored).items()}
    return {"data": len(kg.data), "ontology": len(kg.ontology), "inferred": len(kg.inferred)}


def _downloads() -> list[tuple[str, str, str]]:
    out = [
        (f"/export{formats.BY_NAME[f].extension}", formats.BY_NAME[f].media_type, f"Asserted data ({f})")
        for f in EXPORT_FORMATS
    ]
    out += [
        (
            f"/export{formats.BY_NAME[f].extension}?inferred=true",
            formats.BY_NAME[f].media_type,
            f"With the inferred closure ({f})",
        )
        for f in EXPORT_FORMATS
    ]
    out += [
        ("/export.ctdl.jsonld", "application/ld+json", "Credentials, programs and organizations in CTDL"),
        ("/ontology.ttl", "text/turtle", "Ontology (Turtle)"),
        ("/shapes.ttl", "text/turtle", "SHACL shapes"),
        ("/void.ttl", "text/turtle", "VoID / DCAT description"),
        ("/openapi.json", "application/json", "OpenAPI description of the query API"),
    ]
    return out
