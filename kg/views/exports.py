"""The exports of a build: byte-identical for the same inputs, each carrying the release's citation.

On an Oxigraph store the JSON-LD, Turtle and N-Triples exports are streamed from the store's own writers
(`streamed`; `kg.stores.native`): the named graphs, then the citation triples, in the store's order, with the
citation comment first (Turtle, N-Triples) — never a graph or a document in memory; so is the N-Quads dump of
every named graph (`write_named_graphs`). Elsewhere every export is serialized from an rdflib graph
(`kg.rdf.formats.serialize_graph`: sorted, compacted with the context cut down to the terms used)."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Graph

from kg.pipeline.load import new_graph
from kg.rdf import formats
from kg.rdf.namespaces import GRAPH_DATA, GRAPH_INFERRED
from kg.views.ctdl import ctdl_bytes
from kg.views.release import citation_triples, comment, dataset_version

FILE_FORMAT = 1  # part of an export file's name: changing how a streamed export is written renames its files


def export_graph(kg: Any, inferred: bool = False) -> Graph:
    """The asserted data (with *inferred*, and its closure) plus the citation triples: a new graph."""
    out = new_graph()
    parts = (kg.data, kg.inferred) if inferred else (kg.data,)
    out.addN((s, p, o, out) for part in parts for s, p, o in part)
    out.addN((s, p, o, out) for s, p, o in citation_triples(kg))
    return out


def streamed(kg: Any, fmt: str) -> bool:
    """Whether the export *fmt* of *kg* is written by its store (JSON-LD, Turtle, N-Triples on an Oxigraph
    store)."""
    return fmt in getattr(kg.data.store, "streamed_formats", ())


def write_export(kg: Any, fmt: str, out: BinaryIO, inferred: bool = False) -> None:
    """One export written to *out*: streamed from the store when it can (`streamed`), else `export_bytes`."""
    if streamed(kg, fmt):
        graphs = [str(GRAPH_DATA), str(GRAPH_INFERRED)] if inferred else [str(GRAPH_DATA)]
        out.write(formats.with_comment(b"", fmt, comment(kg)))
        kg.data.store.write_graphs(out, fmt, graphs, citation_triples(kg), context=formats.jsonld_context())
    else:
        out.write(export_bytes(kg, fmt, inferred))


def write_named_graphs(kg: Any, out: BinaryIO) -> None:
    """Every named graph of *kg* as N-Quads (what a remote store is loaded with), streamed from the store when
    it writes them itself."""
    if hasattr(kg.data.store, "write_nquads"):
        kg.data.store.write_nquads(out)
        return
    from kg.stores.store import nquads

    for line in nquads(kg):
        out.write(line.encode("utf-8"))


def export_bytes(kg: Any, fmt: str, inferred: bool = False) -> bytes:
    """One export, byte-identical for the same inputs: a graph format, or ``ctdl`` (CTDL JSON-LD)."""
    if fmt == "ctdl":
        return ctdl_bytes(kg)
    if streamed(kg, fmt):
        buffer = io.BytesIO()
        write_export(kg, fmt, buffer, inferred)
        return buffer.getvalue()
    body = formats.serialize_graph(export_graph(kg, inferred), fmt)
    return formats.with_comment(body, fmt, comment(kg))


def export_file(kg: Any, fmt: str, directory: Path, inferred: bool = False) -> Path:
    """The export in a file of *directory* named by the dataset version and the format, written once (to a
    temporary file renamed when complete, so that a reader never sees half of it) and reused after."""
    name = f"export-{dataset_version(kg)}-v{FILE_FORMAT}{'-inferred' if inferred else ''}"
    path = Path(directory) / (name + formats.get(fmt).extension)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write_export(kg, fmt, out, inferred)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
