"""The exports of a build: byte-identical for the same inputs, each carrying the release's citation."""

from __future__ import annotations

from typing import Any

from rdflib import Graph

from kg.pipeline.load import new_graph
from kg.rdf import formats
from kg.views.ctdl import ctdl_bytes
from kg.views.release import citation_triples, comment


def export_graph(kg: Any, inferred: bool = False) -> Graph:
    """The asserted data (with *inferred*, and its closure) plus the citation triples: a new graph."""
    out = new_graph()
    parts = (kg.data, kg.inferred) if inferred else (kg.data,)
    out.addN((s, p, o, out) for part in parts for s, p, o in part)
    out.addN((s, p, o, out) for s, p, o in citation_triples(kg))
    return out


def export_bytes(kg: Any, fmt: str, inferred: bool = False) -> bytes:
    """One export, byte-identical for the same inputs: a graph format, or ``ctdl`` (CTDL JSON-LD)."""
    if fmt == "ctdl":
        return ctdl_bytes(kg)
    body = formats.serialize_graph(export_graph(kg, inferred), fmt)
    return formats.with_comment(body, fmt, comment(kg))
