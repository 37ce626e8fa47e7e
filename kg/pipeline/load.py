"""Parse RDF files into graphs. Every failure becomes a `DataError` naming the file and, where known, the
line."""

from __future__ import annotations

import gzip
import json
import warnings
import xml.sax
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from kg.errors import DataError
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


def parse_bytes(data: bytes, name: str, graph: Graph | None = None) -> Graph:
    """Parse *data* (in the format given by *name*'s extension) into *graph* (a new graph when None)."""
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
    try:
        with warnings.catch_warnings():  # rdflib's JSON-LD parser warns about its own use of ConjunctiveGraph
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            graph.parse(data=text, format=fmt.rdflib_name, publicID=BASE)
    except Exception as exc:  # rdflib's parsers raise many unrelated types; all mean "bad input"
        line, why = _locate(exc, text, fmt.rdflib_name)
        where = f"{name} line {line}" if line else name
        raise DataError(f"{where}: {why}") from None
    return graph


def load_files(paths: Iterable[Path], root: Path | None = None, graph: Graph | None = None) -> Graph:
    """Parse every file in *paths* into one graph (a new one when *graph* is None)."""
    graph = new_graph() if graph is None else graph
    for path in paths:
        parse_bytes(read_bytes(path, root), display_name(path, root), graph)
    return graph


def new_graph() -> Graph:
    """An empty graph with the project prefixes (and only rdflib's core ones)."""
    return bind_prefixes(Graph(bind_namespaces="core"))


def _locate(exc: Exception, text: str, fmt: str) -> tuple[int | None, str]:
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
    if fmt == "nt":
        return _first_bad_ntriples_line(text), why
    return None, why


def _first_bad_ntriples_line(text: str) -> int | None:
    """N-Triples errors carry no position: parse line by line to find the first one that fails."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Graph().parse(data=line, format="nt")
        except Exception:
            return number
    return None
