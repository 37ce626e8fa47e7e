"""Parse RDF files into graphs. Every failure becomes a `DataError` naming the file and, where known, the
line."""

from __future__ import annotations

import gzip
import json
import warnings
import xml.sax
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from kg.errors import DataError
from kg.pipeline.cache import gc_paused
from kg.rdf.formats import graph_format_for_path
from kg.rdf.namespaces import BASE, bind_prefixes


def display_name(path: Path, root: Path | None = None) -> str:
    """*path* relative to *root* when it lies below it (``data/careers.ttl``), else as given."""
    if root is not None:
        try:
            return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    """The bytes of *path*, or a `DataError` saying why they cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise DataError(f"{display_name(path, root)}: cannot read the file: {reason}") from None


def parse_bytes(
    data: bytes, name: str, graph: Graph | None = None, *, native: dict[str, bytes] | None = None
) -> Graph:
    """Parse *data* (in the format given by *name*'s extension) into *graph* (a new graph when None).

    With a *native* dict, an N-Triples document that pyoxigraph reads into exactly the terms added to the
    graph (no blank nodes, every literal already in rdflib's normal form) is also put in it under *name*,
    decompressed: a loader into Oxigraph may load those bytes as they are instead of converting triples."""
    graph = new_graph() if graph is None else graph
    compressed = name.lower().endswith(".gz")  # e.g. data/oews-2025/oews-2025.nt.gz
    fmt = graph_format_for_path(name[:-3] if compressed else name)
    if fmt is None:
        raise DataError(f"{name}: unsupported file type (use .ttl, .nt, .rdf or .jsonld)")
    if compressed:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataError(f"{name}: the gzip file is damaged or truncated ({exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"{name} line {line}: the file is not valid UTF-8") from None
    if fmt.rdflib_name == "nt":
        triples, exact = _ntriples(data, name)
        graph.addN((s, p, o, graph) for s, p, o in triples)
        if exact and native is not None:
            native[name] = data
        return graph
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser warns about its own use of ConjunctiveGraph
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            graph.parse(data=text, format=fmt.rdflib_name, publicID=BASE)
    except Exception as exc:  # rdflib's parsers raise many unrelated types; all mean "bad input"
        line, why = _locate(exc)
        where = f"{name} line {line}" if line else name
        raise DataError(f"{where}: {why}") from None
    return graph


def _ntriples(data: bytes, name: str) -> tuple[list[tuple[Node, Node, Node]], bool]:
    """The triples of an N-Triples document, parsed by pyoxigraph (several times faster than rdflib's parser)
    and made into the terms rdflib's own parser makes (literals normalised by rdflib, blank nodes fresh for
    this document), except that RDF 1.1's equalities are applied: an explicit ``^^xsd:string`` gives the plain
    literal and language tags are lower-cased. All triples are parsed before any is returned: a bad line
    adds nothing. The flag is True when every term is the one pyoxigraph read (see `parse_bytes`)."""
    import pyoxigraph as ox

    iris: dict[str, URIRef] = {}
    changed = [False]  # a literal that rdflib normalised
    literals: dict[tuple[str, str, str], Literal] = {}
    blanks: dict[str, BNode] = {}
    string = str(XSD.string)

    def term(node: Any) -> Node:
        kind = type(node)
        if kind is ox.NamedNode:
            value = node.value
            found = iris.get(value)
            if found is None:
                found = iris[value] = URIRef(value)
            return found
        if kind is ox.Literal:
            key = (node.value, node.language or "", node.datatype.value)
            found = literals.get(key)
            if found is None:
                value, language, datatype = key
                if language:
                    found = Literal(value, lang=language)
                elif datatype == string:
                    found = Literal(value)
                else:
                    found = Literal(value, datatype=term(node.datatype))
                literals[key] = found
                changed[0] = changed[0] or str(found) != value or (found.language or "") != language
            return found
        label = node.value
        if label not in blanks:
            blanks[label] = BNode()
        return blanks[label]

    try:
        with gc_paused():  # converted as parsed: pyoxigraph's own triples are never all held at once
            parsed = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            triples = [(term(q.subject), term(q.predicate), term(q.object)) for q in parsed]
    except SyntaxError as exc:
        reason = exc.msg.partition(": ")[2] or exc.msg
        line = exc.args[1][1] if len(exc.args) > 1 and exc.args[1] else None
        where = f"{name} line {line}" if line else name
        raise DataError(f"{where}: {reason}") from None
    return triples, not (blanks or changed[0])


def load_files(paths: Iterable[Path], root: Path | None = None, graph: Graph | None = None) -> Graph:
    """Parse every file in *paths* into one graph (a new one when *graph* is None)."""
    graph = new_graph() if graph is None else graph
    for path in paths:
        parse_bytes(read_bytes(path, root), display_name(path, root), graph)
    return graph


def new_graph(store: str = "default") -> Graph:
    """An empty graph of rdflib's *store* plugin with the project prefixes (and only rdflib's core ones);
    *store* "light" is `LightMemory`."""
    backing = LightMemory() if store == "light" else store
    return bind_prefixes(Graph(store=backing, bind_namespaces="core"))


class LightMemory(SimpleMemory):
    """rdflib's SimpleMemory (three indexes, no per-graph contexts: half the time of the default store to
    fill at 10⁶ triples) that remembers its size: SimpleMemory counts every triple on each ``len``."""

    def __init__(self) -> None:
        super().__init__()
        self._size: int | None = 0

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        self._size = None
        super().add(triple, context, quoted)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        self._size = None
        super().remove(triple_pattern, context)

    def __len__(self, context: Any = None) -> int:
        if self._size is None:
            self._size = super().__len__(context)
        return self._size


def _locate(exc: Exception) -> tuple[int | None, str]:
    """The 1-based line of a parse error and a short reason, from whichever exception the parser raised."""
    why = str(getattr(exc, "_why", "") or getattr(exc, "msg", "") or exc).strip() or exc.__class__.__name__
    if hasattr(exc, "_why"):  # notation3.BadSyntax (Turtle): a character offset into the bytes it parsed
        offset = getattr(exc, "_i", -1)
        raw = getattr(exc, "_str", b"")
        if isinstance(raw, bytes) and 0 <= offset <= len(raw):
            return raw[:offset].count(b"\n") + 1, why
        return getattr(exc, "lines", 0) + 1, why
    if isinstance(exc, xml.sax.SAXParseException):
        return exc.getLineNumber(), exc.getMessage()
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno, exc.msg
    return None, why
