"""The home page, health, downloads (exports, shapes) and the VoID/DCAT description."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, request
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, VOID

from kg import formats
from kg.namespaces import BASE, CKG, ID, ONTOLOGY_IRI, SCHEMA, bind_prefixes
from kg.views.provenance import citation
from kg.web.cache import NO_CACHE_HEADER
from kg.web.respond import page, send, send_json, single_args
from kg.web.state import state

bp = Blueprint("home", __name__)
EXPORT_FORMATS = ("turtle", "jsonld", "ntriples")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DATASET = URIRef(BASE + "dataset")


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
        counts=_counts(st.kg),
        downloads=_downloads(),
        figures_published=st.memo("figures-published", lambda: _figures_published(st.kg)),
    )


def _figures_published(kg: Any) -> tuple[str, str] | None:
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
            "conforms": bool(report.conforms) if report is not None else None,
            "triples": _counts(kg),
        }
    )
    response.headers[NO_CACHE_HEADER] = "1"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/export.<ext>")
def export(ext: str) -> Response:
    fmt = _format_for(ext, EXPORT_FORMATS)
    args = single_args({"inferred"})
    inferred = _flag(args.get("inferred", "false"), "inferred")
    key = f"export:{fmt}:{inferred}"
    body = state().memo(key, lambda: formats.serialize_graph(state().kg.export_graph(inferred=inferred), fmt))
    name = "careers-kg" + ("-inferred" if inferred else "") + formats.BY_NAME[fmt].extension
    return send(
        body, formats.BY_NAME[fmt].content_type, headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


@bp.get("/shapes.ttl")
def shapes() -> Response:
    body = state().memo("shapes", lambda: state().settings.shapes_file.read_bytes())
    return send(body, formats.BY_NAME["turtle"].content_type)


@bp.get("/void.ttl")
def void() -> Response:
    # Serialized once with a placeholder root (one memo entry whatever the Host header), then the
    # request's root is put in: memoizing per Host would let clients grow the memo without bound.
    body = state().memo(
        "void", lambda: formats.serialize_graph(void_graph(state().kg, VOID_ROOT_PLACEHOLDER), "turtle")
    )
    root = request.url_root.rstrip("/")
    return send(
        body.replace(VOID_ROOT_PLACEHOLDER.encode(), root.encode()), formats.BY_NAME["turtle"].content_type
    )


VOID_ROOT_PLACEHOLDER = "http://careers-kg-root.invalid"


def void_graph(kg: Any, root: str) -> Graph:
    """VoID + DCAT: title, license, sources, triple counts, dumps, the SPARQL endpoint, the version."""
    g = bind_prefixes(Graph())
    g.bind("foaf", FOAF)
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("Careers KG", lang="en")))
    g.add(
        (
            d,
            DCTERMS.description,
            Literal(
                "An open knowledge graph of healthcare careers: professions, credentials, education, "
                "pay and growth statistics, each fact citing its source.",
                lang="en",
            ),
        )
    )
    g.add((d, DCTERMS.license, LICENSE))
    g.add((d, OWL.versionInfo, Literal(kg.version)))
    g.add((d, URIRef(str(DCAT) + "version"), Literal(kg.version)))  # DCAT 3 (not in rdflib's DCAT)
    g.add((d, FOAF.homepage, URIRef(root + "/")))
    g.add((d, VOID.sparqlEndpoint, URIRef(root + "/sparql")))
    g.add((d, VOID.uriSpace, Literal(str(ID))))
    g.add((d, VOID.vocabulary, URIRef(str(CKG))))
    g.add((d, VOID.vocabulary, URIRef(str(SCHEMA))))
    g.add((d, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    counts = _counts(kg)
    g.add((d, VOID.triples, Literal(counts.get("data", len(kg.data)), datatype=XSD.integer)))
    for name, count in counts.items():
        part = URIRef(f"{BASE}dataset/{name}")
        g.add((d, VOID.subset, part))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, DCTERMS.title, Literal(f"{name} triples", lang="en")))
        g.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    for fmt in EXPORT_FORMATS:
        spec = formats.BY_NAME[fmt]
        url = URIRef(f"{root}/export{spec.extension}")
        g.add((d, VOID.dataDump, url))
        dist = URIRef(f"{BASE}dataset/dump{spec.extension}")
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, Literal(spec.media_type)))
    for source in set(kg.union.subjects(RDF.type, CKG.Source)):
        url = kg.union.value(source, SCHEMA.url)
        g.add((d, DCTERMS.source, source))
        for p in (DCTERMS.title, DCTERMS.issued, DCTERMS.publisher):
            for o in kg.union.objects(source, p):
                g.add((source, p, o))
        if url is not None:
            g.add((source, SCHEMA.url, url))
    return g


def _counts(kg: Any) -> dict[str, int]:
    counts = getattr(kg, "triple_counts", None)
    if counts:
        return {str(k): int(v) for k, v in dict(counts).items()}
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
        ("/ontology.ttl", "text/turtle", "Ontology (Turtle)"),
        ("/shapes.ttl", "text/turtle", "SHACL shapes"),
        ("/void.ttl", "text/turtle", "VoID / DCAT description"),
        ("/openapi.json", "application/json", "OpenAPI description of the query API"),
    ]
    return out


def _format_for(ext: str, allowed: tuple[str, ...]) -> str:
    for fmt in allowed:
        if formats.BY_NAME[fmt].extension == "." + ext:
            return fmt
    abort(
        404,
        description=f"no export in the format .{ext}; try "
        + ", ".join(f"/export{formats.BY_NAME[f].extension}" for f in allowed),
    )


def _flag(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no", ""):
        return False
    abort(400, description=f"parameter {name!r} must be true or false, got {value[:40]!r}")
