"""The one table of formats (name ↔ extension ↔ media type ↔ writer) and the one content-negotiation function.

Graph formats serialize RDF graphs (exports, CONSTRUCT/DESCRIBE results); result formats serialize SELECT/ASK
results; ``html`` is listed so that pages can negotiate between themselves and their data twins.
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, XSD, Graph, Literal
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from kg.config import package_root
from kg.rdf import results
from kg.rdf.namespaces import PREFIXES, bind_prefixes

CONTEXT_FILE = package_root() / "ontology" / "context.jsonld"
MAX_ACCEPT = 4096  # characters of an Accept header that are read; the rest is ignored
MAX_RANGES = 64  # media ranges of an Accept header that are read
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")  # the decimals Turtle writes as they are


@dataclass(frozen=True)
class Format:
    name: str
    kind: str  # "graph" | "result" | "page"
    extension: str
    media_type: str
    aliases: tuple[str, ...] = ()  # other media types that select this format
    rdflib_name: str | None = None  # the rdflib parser/serializer plugin, for graph formats
    writer: Callable[..., bytes] | None = None  # for result formats: writer(result, labels) -> bytes
    extra_extensions: tuple[str, ...] = ()  # also read from files with these extensions
    web: bool = True  # sent over HTTP (the labelled text table is for the terminal only)

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def content_type(self) -> str:
        """The Content-Type header value (with ``charset=utf-8``: every format here is UTF-8 text)."""
        return f"{self.media_type}; charset=utf-8"


FORMATS: tuple[Format, ...] = (
    Format("turtle", "graph", ".ttl", "text/turtle", ("application/x-turtle",), "turtle"),
    Format("jsonld", "graph", ".jsonld", "application/ld+json", ("application/json",), "json-ld"),
    Format("ntriples", "graph", ".nt", "application/n-triples", (), "nt"),
    Format("rdfxml", "graph", ".rdf", "application/rdf+xml", ("application/xml", "text/xml"), "xml",
           extra_extensions=(".owl",)),
    Format("json", "result", ".json", "application/sparql-results+json", ("application/json",),
           writer=results.write_json),
    Format("xml", "result", ".xml", "application/sparql-results+xml", ("application/xml", "text/xml"),
           writer=results.write_xml),
    Format("csv", "result", ".csv", "text/csv", writer=results.write_csv),
    Format("tsv", "result", ".tsv", "text/tab-separated-values", writer=results.write_tsv),
    Format("table", "result", ".txt", "text/plain", writer=results.write_table, web=False),
    Format("html", "page", ".html", "text/html", ("application/xhtml+xml",)),
)  # fmt: skip
BY_NAME: Mapping[str, Format] = {f.name: f for f in FORMATS}
GRAPH_FORMATS = tuple(f.name for f in FORMATS if f.kind == "graph")
RESULT_FORMATS = tuple(f.name for f in FORMATS if f.kind == "result")
WEB_RESULT_FORMATS = tuple(f.name for f in FORMATS if f.kind == "result" and f.web)


def get(name: str) -> Format:
    """The format called *name*; ValueError naming the known ones otherwise."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r} (known: {', '.join(BY_NAME)})") from None


def graph_format_for_path(path: str | Path) -> Format | None:
    """The graph format of a file, from its extension (case-insensitive), or None."""
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS:
        if fmt.kind == "graph" and suffix in (fmt.extension, *fmt.extra_extensions):
            return fmt
    return None


def resolve(value: str, candidates: Sequence[str]) -> str | None:
    """A format among *candidates* from a name (``turtle``), an extension (``.ttl``/``ttl``) or media
    types."""
    value = value.strip()
    if value in candidates:
        return value
    ext = "." + value.lower().lstrip(".")
    for name in candidates:
        if BY_NAME[name].extension == ext:
            return name
    return negotiate(value, candidates) if "/" in value else None


def negotiate(accept: str | None, candidates: Sequence[str]) -> str | None:
    """The candidate format the Accept header prefers; the first candidate when the header is absent or empty.

    Each candidate gets the q-value of the most specific media range that matches one of its media types
    (``type/subtype`` over ``type/*`` over ``*/*``). The highest q wins, then the more specific match, then
    the earlier candidate (the server's preference). None when nothing acceptable matches (HTTP 406).
    Malformed ranges and q-values are skipped; the header is read up to a bounded length.
    """
    if not candidates:
        return None
    ranges = _parse_accept(accept or "")
    if not ranges:
        return candidates[0]
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, name in enumerate(candidates):
        q, specificity = _quality(BY_NAME[name].media_types, ranges)
        key = (q, specificity, -index)
        if q > 0 and (best is None or key > best):
            best, chosen = key, name
    return chosen


def _parse_accept(header: str) -> list[tuple[str, str, float]]:
    ranges = []
    for part in header[:MAX_ACCEPT].split(",")[:MAX_RANGES]:
        media, *params = part.split(";")
        media = media.strip().lower()
        main, slash, sub = media.partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        for param in params:
            key, _, val = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(val.strip())
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            ranges.append((main, sub, q))
    return ranges


def _quality(media_types: Sequence[str], ranges: list[tuple[str, str, float]]) -> tuple[float, int]:
    best = (0.0, -1)
    for media_type in media_types:
        main, _, sub = media_type.partition("/")
        for r_main, r_sub, q in ranges:
            if r_main == main and r_sub == sub:
                specificity = 2
            elif r_main == main and r_sub == "*":
                specificity = 1
            elif r_main == "*":
                specificity = 0
            else:
                continue
            if specificity > best[1] or (specificity == best[1] and q > best[0]):
                best = (q, specificity)
    return best


@functools.cache
def jsonld_context() -> dict[str, Any]:
    """The shipped JSON-LD context (ontology/context.jsonld), read once."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def context_for(graph: Graph) -> dict[str, Any]:
    """The shipped context cut down to its prefixes and the terms *graph* uses (as property or class)."""
    full = jsonld_context()
    prefixes = {k: v for k, v in full.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    used = {str(p) for p in graph.predicates(unique=True)} | {str(c) for c in graph.objects(None, RDF.type)}
    out = dict(prefixes)
    for key, value in full.items():
        iri = value if isinstance(value, str) else value.get("@id", "")
        prefix, _, local = iri.partition(":")
        if key not in prefixes and (prefixes.get(prefix, "") + local) in used:
            out[key] = value
    return out


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """*graph* in the graph format *fmt*, canonical: the same graph gives the same bytes in any process.
    Turtle with the project prefixes (subjects, predicates and objects sorted), JSON-LD compacted with the
    shipped context (keys and node arrays sorted), N-Triples sorted line by line, RDF/XML from the triples in
    sorted order."""
    spec = get(fmt)
    if spec.kind != "graph":
        raise ValueError(f"{fmt!r} is not a graph format (use one of: {', '.join(GRAPH_FORMATS)})")
    _ensure_prefixes(graph)
    if spec.name == "jsonld":
        context = context_for(graph)
        text = _sorted_graph(graph).serialize(format="json-ld", context=context, auto_compact=True)
        return canonical_json(json.loads(text))
    if spec.name == "turtle":
        out = io.BytesIO()
        _LosslessTurtle(graph).serialize(out, encoding="utf-8")
        return out.getvalue()
    if spec.name == "ntriples":
        lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    return _sorted_graph(graph).serialize(format=spec.rdflib_name, encoding="utf-8")


def canonical_json(value: Any) -> bytes:
    """JSON(-LD) with sorted keys and unordered arrays sorted (``@list`` arrays keep their order), indented,
    UTF-8, ending in a newline: the same value gives the same bytes."""
    text = json.dumps(_canonical(value), ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def _canonical(value: Any, ordered: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v, ordered=k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _sorted_graph(graph: Graph) -> Graph:
    """A copy of *graph* whose triples were added in sorted order (writers that follow the store's order then
    write in that order: the SimpleMemory store keeps insertion order); blank nodes keep their labels."""
    out = Graph(store="SimpleMemory")
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    out.addN((s, p, o, out) for s, p, o in sorted(graph, key=lambda t: tuple(n.n3() for n in t)))
    return out


COMMENTED = ("turtle", "ntriples", "csv", "tsv")  # formats with a comment syntax the standard parsers skip


def with_comment(body: bytes, fmt: str, text: str) -> bytes:
    """*body* with ``# text`` as its first line when *fmt* has comments (Turtle, N-Triples; CSV and TSV read
    with the ``#`` lines skipped); other formats are returned unchanged."""
    if fmt not in COMMENTED:
        return body
    line = "# " + " ".join(text.split()) + "\n"
    return line.encode("utf-8") + body


def _ensure_prefixes(graph: Graph) -> None:
    """Bind the project prefixes unless *graph* has them already (the built graphs do): serializing a shared
    graph must not write to its store while other threads read it."""
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    if any(bound.get(prefix) != str(ns) for prefix, ns in PREFIXES.items()):
        bind_prefixes(graph)


class _LosslessTurtle(TurtleSerializer):
    """rdflib writes ``"31540"^^xsd:decimal`` as ``31540.0``, another RDF term: keep such literals typed in
    full, so the Turtle export is the same graph as the others."""

    def label(self, node: Node, position: int) -> str:
        if isinstance(node, Literal) and node.datatype == XSD.decimal and not _DECIMAL.fullmatch(node):
            return node._literal_n3(use_plain=False, qname_callback=lambda dt: self.get_pname(dt, False))
        return super().label(node, position)


def serialize_result(result: Any, fmt: str, labels: Callable[[Any], str] | None = None) -> bytes:
    """A query result in *fmt*: a graph format for CONSTRUCT/DESCRIBE results, a result format for any kind
    (``table``, ``json``, … show a graph result as subject/predicate/object rows). *labels* names nodes
    in ``table``."""
    spec = get(fmt)
    if spec.kind == "graph":
        if result.kind not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
            raise ValueError(f"{fmt!r} is a graph format; a {result.kind} query has no graph to serialize")
        return serialize_graph(result.graph, fmt)
    if spec.writer is None:
        raise ValueError(f"{fmt!r} is not a query-result format")
    return spec.writer(result, labels)


def answer_formats(kind: str) -> tuple[str, ...]:
    """The formats the web sends an answer to a query of *kind* in (the page apart): every graph format for
    CONSTRUCT and DESCRIBE, every result format but the terminal's for SELECT and ASK."""
    return GRAPH_FORMATS if kind in ("CONSTRUCT", "DESCRIBE") else WEB_RESULT_FORMATS


def result_formats_for(kind: str) -> tuple[str, ...]:
    """The formats a result of *kind* can be written in, the usual one first."""
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return (*GRAPH_FORMATS, *RESULT_FORMATS)
    return RESULT_FORMATS
