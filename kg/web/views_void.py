"""Taking the data elsewhere: the exports (``/export.<ext>`` and, for citations, the same bytes at
``/export/<version>.<ext>``), CTDL twins of credential and organization pages (``/id/<slug>.ctdl.jsonld``) and
the VoID/DCAT description (``/void.ttl``) whose checksums are those of the bytes served."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, Response, abort, request, send_file

from kg.rdf import formats
from kg.rdf.formats import canonical_json
from kg.rdf.namespaces import ID
from kg.views.ctdl import ctdl_document, ctdl_graph, entity_document
from kg.views.dataset import Download, dataset_graph
from kg.views.exports import export_bytes, export_file, streamed
from kg.views.release import dataset_version
from kg.web.cache import STREAM_HEADER
from kg.web.respond import send, single_args
from kg.web.state import state
from kg.web.views_home import EXPORT_FORMATS, counts

bp = Blueprint("void", __name__)
CTDL_EXTENSION, CTDL_TYPE = ".ctdl.jsonld", "application/ld+json"
VOID_ROOT_PLACEHOLDER = "http://careers-kg-root.invalid"


def extensions() -> dict[str, str]:
    """File extension -> export format, longest first (``.ctdl.jsonld`` before ``.jsonld``)."""
    out = {CTDL_EXTENSION: "ctdl"}
    out.update({formats.BY_NAME[f].extension: f for f in EXPORT_FORMATS})
    return out


def export_body(fmt: str, inferred: bool = False) -> bytes:
    """The bytes of one export, computed once per app."""
    st = state()
    return st.memo(f"export:{fmt}:{inferred}", lambda: export_bytes(st.kg, fmt, inferred))


def export_path(fmt: str, inferred: bool = False) -> Path | None:
    """The file of an export the store writes itself (`kg.views.exports.streamed`: large graphs), written
    once into the cache folder and shared by every worker; None for the others, or when the cache folder
    cannot be written (the export is then kept in memory)."""
    st = state()
    if not streamed(st.kg, fmt):
        return None
    folder = Path(st.settings.cache_dir) / "exports"
    try:
        return st.memo(f"export-file:{fmt}:{inferred}", lambda: export_file(st.kg, fmt, folder, inferred))
    except OSError:
        return None


def export_digest(fmt: str, inferred: bool = False) -> tuple[int, str]:
    """The byte size and SHA-256 of the export served (for the DCAT distributions)."""

    def compute() -> tuple[int, str]:
        path = export_path(fmt, inferred)
        if path is None:
            body = export_body(fmt, inferred)
            return len(body), hashlib.sha256(body).hexdigest()
        with path.open("rb") as src:
            return path.stat().st_size, hashlib.file_digest(src, "sha256").hexdigest()

    return state().memo(f"export-digest:{fmt}:{inferred}", compute)


@bp.get("/export.<ext>")
def export(ext: str) -> Response:
    fmt = extensions().get("." + ext)
    if fmt is None:
        abort(404, description=f"no export in the format .{ext}; try " + ", ".join(_export_paths()))
    return _send_export(fmt)


@bp.get("/export/<name>")
def export_version(name: str) -> Response:
    """The export of one dataset version: the current version's bytes, or 404 naming the current one."""
    current = dataset_version(state().kg)
    for ext, fmt in extensions().items():
        if name.endswith(ext) and len(name) > len(ext):
            version = name[: -len(ext)]
            if version != current:
                abort(
                    404,
                    description=f"version {version[:60]!r} is not served here; the current version is "
                    f"{current} (/export/{current}{ext}).",
                )
            return _send_export(fmt)
    abort(404, description="no export at this address; try " + ", ".join(_export_paths(current)))


@bp.get("/id/<slug>.ctdl.jsonld")
def entity_ctdl(slug: str) -> Response:
    st = state()
    document = st.memo("ctdl:document", lambda: ctdl_document(ctdl_graph(st.kg)))
    found = entity_document(document, str(ID[slug]))
    if found is None:
        abort(
            404,
            description=f"there is no CTDL description of {slug[:80]!r}: only credentials, licences, "
            "education programs and the organizations behind them have one",
        )
    return send(canonical_json(found), f"{CTDL_TYPE}; charset=utf-8")


@bp.get("/void.ttl")
def void() -> Response:
    # Serialized once with a placeholder root (one memo entry whatever the Host header), then the
    # request's root is put in: memoizing per Host would let clients grow the memo without bound.
    st = state()
    body = st.memo(
        "void",
        lambda: formats.serialize_graph(
            dataset_graph(st.kg, VOID_ROOT_PLACEHOLDER, downloads(), counts(st.kg)), "turtle"
        ),
    )
    root = request.url_root.rstrip("/")
    return send(
        body.replace(VOID_ROOT_PLACEHOLDER.encode(), root.encode()), formats.BY_NAME["turtle"].content_type
    )


def downloads() -> list[Download]:
    """Every export the server offers, with its bytes (for the DCAT distributions)."""
    version = dataset_version(state().kg)
    out = []
    for inferred in (False, True):
        for fmt in EXPORT_FORMATS:
            spec = formats.BY_NAME[fmt]
            suffix = "?inferred=true" if inferred else ""
            name = "careers-kg" + ("-inferred" if inferred else "") + spec.extension
            title = f"{'Data and its OWL-RL closure' if inferred else 'Asserted data'} ({spec.media_type})"
            out.append(
                Download(
                    name,
                    f"/export{spec.extension}{suffix}",
                    f"/export/{version}{spec.extension}{suffix}",
                    spec.media_type,
                    title,
                    *export_digest(fmt, inferred),
                    void_dump=not inferred,
                )
            )
    out.append(
        Download(
            "careers-kg" + CTDL_EXTENSION,
            "/export" + CTDL_EXTENSION,
            f"/export/{version}{CTDL_EXTENSION}",
            CTDL_TYPE,
            "Credentials, programs and organizations in CTDL (JSON-LD)",
            *export_digest("ctdl"),
        )
    )
    return out


def _send_export(fmt: str) -> Response:
    args = single_args({"inferred"})
    inferred = _flag(args.get("inferred", "false"), "inferred")
    if fmt == "ctdl" and inferred:
        abort(400, description="the CTDL export has no inferred variant; drop ?inferred=true")
    extension = CTDL_EXTENSION if fmt == "ctdl" else formats.BY_NAME[fmt].extension
    content_type = f"{CTDL_TYPE}; charset=utf-8" if fmt == "ctdl" else formats.BY_NAME[fmt].content_type
    name = "careers-kg" + ("-inferred" if inferred else "") + extension
    path = export_path(fmt, inferred)
    if path is not None:  # sent from the file as it is read (conditional GETs by its ETag)
        response = send_file(path, mimetype=content_type.split(";")[0], conditional=True, etag=True)
        response.headers.update({"Content-Type": content_type, STREAM_HEADER: "1"})
        response.headers["Content-Disposition"] = f'inline; filename="{name}"'
        return response
    return send(
        export_body(fmt, inferred),
        content_type,
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


def _export_paths(version: str | None = None) -> list[str]:
    where = f"/export/{version}" if version else "/export"
    return [where + ext for ext in reversed(extensions())]


def _flag(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no", ""):
        return False
    abort(400, description=f"parameter {name!r} must be true or false, got {value[:40]!r}")
