"""Writers for SELECT/ASK results (SPARQL 1.1 JSON, XML, CSV, TSV) and the aligned text table.

Each writer takes a query result (anything with ``kind``, ``vars``, ``rows``, ``boolean``, ``graph``,
``truncated`` — `kg.query.execute.QueryResult`) and a label function, and returns bytes. `kg.rdf.formats`
maps format
names, extensions and media types to these writers; nothing else should call them directly.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.rdf.namespaces import curie

LabelFn = Callable[[Node], str]
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
MAX_CELL = 60  # characters per table cell before it is cut with an ellipsis
_BARE = {XSD.integer: re.compile(r"[+-]?\d+"), XSD.boolean: re.compile(r"true|false")}


def _rows(result: Any) -> tuple[Sequence[str], Sequence[Sequence[Node | None]]]:
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        triples = sorted(result.graph) if result.graph is not None else []
        return ("subject", "predicate", "object"), triples
    return tuple(result.vars), result.rows


def write_json(result: Any, labels: LabelFn | None = None) -> bytes:
    if result.kind == "ASK":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        names, rows = _rows(result)
        bindings = [
            {v: _json_term(t) for v, t in zip(names, row, strict=False) if t is not None} for row in rows
        ]
        doc = {"head": {"vars": list(names)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def indent_json(body: bytes) -> bytes:
    """SPARQL JSON results (compact, as every store writes them) indented for people (``?pretty=1``)."""
    return (json.dumps(json.loads(body), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def write_xml(result: Any, labels: LabelFn | None = None) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{SPARQL_RESULTS_NS}">']
    if result.kind == "ASK":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        names, rows = _rows(result)
        out += ["<head>", *(f"<variable name={quoteattr(n)}/>" for n in names), "</head>", "<results>"]
        for row in rows:
            cells = [
                f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                for n, t in zip(names, row, strict=False)
                if t is not None
            ]
            out.append("<result>" + "".join(cells) + "</result>")
        out.append("</results>")
    out.append("</sparql>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attr = ""
    if isinstance(term, Literal) and term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif isinstance(term, Literal) and term.datatype:
        attr = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attr}>{escape(str(term))}</literal>"


def write_csv(result: Any, labels: LabelFn | None = None) -> bytes:
    """SPARQL 1.1 CSV: plain values (IRIs, lexical forms, ``_:b`` for blank nodes), CRLF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ASK":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
    else:
        names, rows = _rows(result)
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row])
    return buf.getvalue().encode("utf-8")


def write_tsv(result: Any, labels: LabelFn | None = None) -> bytes:
    """SPARQL 1.1 TSV: ``?var`` headers and terms in Turtle syntax (lossless)."""
    if result.kind == "ASK":
        lines = ["?boolean", "true" if result.boolean else "false"]
    else:
        names, rows = _rows(result)
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join("" if t is None else turtle_term(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def turtle_term(term: Node) -> str:
    """One term on one line: ``<iri>``, ``_:b``, ``"text"@en``, ``42``, ``"1.5"^^<…#decimal>``."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = str(term)
    if not isinstance(term, Literal):
        return text
    if term.datatype in _BARE and _BARE[term.datatype].fullmatch(text):
        return text
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    if term.language:
        return f'"{escaped}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{escaped}"^^<{term.datatype}>'
    return f'"{escaped}"'


def _cell(term: Node | None, labels: LabelFn | None) -> str:
    if term is None:
        text = ""
    elif isinstance(term, Literal):
        text = str(term)
    elif labels is not None:
        text = labels(term)
    else:
        text = curie(term) if isinstance(term, URIRef) else f"_:{term}"
    text = " ".join(text.split())  # one line per row
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def write_table(result: Any, labels: LabelFn | None = None) -> bytes:
    """Aligned columns for a terminal: labels instead of IRIs, one line per row, a count at the end."""
    if result.kind == "ASK":
        return b"yes\n" if result.boolean else b"no\n"
    names, rows = _rows(result)
    cells = [[_cell(t, labels) for t in row] for row in rows]
    widths = [max([len(n)] + [len(r[i]) for r in cells]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    count = len(rows)
    unit = "triple" if result.kind in ("CONSTRUCT", "DESCRIBE") else "row"
    footer = f"({count} {unit}{'' if count == 1 else 's'}"
    footer += ", truncated: more rows matched)" if getattr(result, "truncated", False) else ")"
    lines.append(footer)
    return ("\n".join(lines) + "\n").encode("utf-8")
