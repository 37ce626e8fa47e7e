"""Query results written by pyoxigraph's own writers, under the row cap: bytes from the engine, with no
rdflib term and no Python writer in between (the Oxigraph store's `serialize`, in its sandboxed child).

The cap is kept the way the rdflib path keeps it: at most *max_rows* rows (distinct triples for a graph),
and whether more matched. Rows are written as TSV — literals escaped, one solution per line — by a sink that
stops the writer (and with it the evaluation) once one row more than the cap has come; the kept lines are
then re-read and written in the format asked for, also natively. Graph results are written as N-Triples
lines, de-duplicated and cut the same way, sorted (as `kg.rdf.formats.serialize_graph` sorts them), and
re-serialized as Turtle with the project prefixes when Turtle is asked for.

`jsonld_document` and `graph_document` write whole named graphs as one JSON-LD, Turtle or N-Triples document
(the exports of a large graph), streamed from pyoxigraph's writers to a file as they write.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

from kg.rdf.namespaces import PREFIXES

RESULT_FORMATS = ("json", "xml", "csv", "tsv")  # SELECT / ASK
GRAPH_FORMATS = ("ntriples", "turtle")  # CONSTRUCT / DESCRIBE


class _Full(Exception):
    """Raised by a sink to stop pyoxigraph's writer: the cap is reached."""


class _Lines:
    """A binary sink that stops the writer once it holds more than *limit* lines."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: list[bytes] = []
        self.count = 0

    def write(self, data: Any) -> int:
        data = bytes(data)
        self.chunks.append(data)
        self.count += data.count(b"\n")
        if self.count > self.limit:
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> tuple[bytes, bool]:
        """The first *limit* lines, and whether there were more."""
        body = b"".join(self.chunks)
        if self.count <= self.limit:
            return body, False
        return b"\n".join(body.split(b"\n", self.limit)[: self.limit]) + b"\n", True


class _DistinctLines:
    """A binary sink keeping distinct lines in order, which stops the writer once it has more than *limit*
    (None: no limit)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.lines: dict[bytes, None] = {}
        self.tail = b""

    def write(self, data: Any) -> int:
        lines = (self.tail + bytes(data)).split(b"\n")
        self.tail = lines.pop()
        self.lines.update(dict.fromkeys(lines))
        if self.limit is not None and len(self.lines) - (b"" in self.lines) > self.limit:
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> tuple[list[bytes], bool]:
        lines = [line for line in self.lines if line]
        if self.limit is None or len(lines) <= self.limit:
            return lines, False
        return lines[: self.limit], True


def solutions(result: Any, fmt: str, max_rows: int | None) -> tuple[bytes, bool]:
    """A SELECT or ASK result of pyoxigraph in the result format *fmt* (json, xml, csv, tsv)."""
    import pyoxigraph as ox

    target = getattr(ox.QueryResultsFormat, fmt.upper())
    if max_rows is None or isinstance(result, ox.QueryBoolean):
        return result.serialize(format=target), False
    sink = _Lines(max_rows + 1)  # the header line and max_rows rows
    try:
        result.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except _Full:
        pass
    tsv, truncated = sink.take()
    if fmt == "tsv":
        return tsv, truncated
    reread = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return reread.serialize(format=target), truncated


def triples(result: Any, fmt: str, max_rows: int | None) -> tuple[bytes, bool]:
    """A CONSTRUCT or DESCRIBE result of pyoxigraph in the graph format *fmt* (ntriples, turtle)."""
    import pyoxigraph as ox

    sink = _DistinctLines(max_rows)
    try:
        result.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
    except _Full:
        pass
    lines, truncated = sink.take()
    body = b"".join(line + b"\n" for line in sorted(lines))
    if fmt == "ntriples":
        return body, truncated
    graph = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    return ox.serialize(graph, format=ox.RdfFormat.TURTLE, prefixes=prefixes), truncated


# --- documents: the exports of a large graph -------------------------------------------------------------


def jsonld_document(
    store: Any, graphs: Sequence[str], out: BinaryIO, *, context: Mapping[str, Any], extra: Any = None
) -> None:
    """``{"@context": context, "@graph": [...]}`` written to *out* as it is read: the node objects of the
    named *graphs* of the pyoxigraph *store*, then those of the pyoxigraph store *extra*'s default graph, as
    pyoxigraph's JSON-LD writer writes them (expanded: value objects, no coercion), with the IRIs of the
    prefixes in *context* written as compact IRIs in keys, ``@id`` and ``@type``. The same store gives the
    same bytes (its order)."""
    out.write(b'{\n"@context": ' + json.dumps(dict(context), indent=1, sort_keys=True).encode() + b",\n")
    out.write(b'"@graph": [\n')
    sink = _NodeObjects(out, context)
    for source, graph in _sources(store, graphs, extra):
        source.dump(sink, _rdf_format("jsonld"), from_graph=graph)
        sink.end()
    out.write(b"\n]}\n")


def graph_document(store: Any, graphs: Sequence[str], out: BinaryIO, fmt: str, *, extra: Any = None) -> None:
    """The triples of the named *graphs* of the pyoxigraph *store*, then those of the pyoxigraph store
    *extra*'s default graph, in N-Triples or Turtle (*fmt*: ntriples, turtle), written to *out* by
    pyoxigraph's writer as it reads them: one graph after the other, in the store's order (the same store
    gives the same bytes); in Turtle, with the project prefixes declared once, before the first triple."""
    target = _rdf_format(fmt)
    turtle = fmt == "turtle"
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()} if turtle else None
    sink = _PrefixesOnce(out) if turtle else out
    for source, graph in _sources(store, graphs, extra):
        source.dump(sink, target, from_graph=graph, prefixes=prefixes)
        if isinstance(sink, _PrefixesOnce):
            sink.end()


def quads_document(store: Any, graphs: Sequence[str], out: BinaryIO) -> None:
    """The named *graphs* of the pyoxigraph *store* as N-Quads, written to *out* as they are read (graph by
    graph, in the store's order)."""
    import pyoxigraph as ox

    named = (store.quads_for_pattern(None, None, None, ox.NamedNode(g)) for g in graphs)
    ox.serialize(itertools.chain.from_iterable(named), out, ox.RdfFormat.N_QUADS)


def _sources(store: Any, graphs: Sequence[str], extra: Any) -> list[tuple[Any, Any]]:
    """(pyoxigraph store, graph name) pairs: the named *graphs* of *store*, then the default graph of
    *extra*."""
    import pyoxigraph as ox

    return [(store, ox.NamedNode(g)) for g in graphs] + ([(extra, ox.DefaultGraph())] if extra else [])


def _rdf_format(fmt: str) -> Any:
    import pyoxigraph as ox

    formats = {
        "jsonld": ox.RdfFormat.JSON_LD,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "turtle": ox.RdfFormat.TURTLE,
    }
    return formats[fmt]


class _PrefixesOnce:
    """A binary sink for consecutive Turtle dumps with the same prefixes (pyoxigraph's writer opens each
    non-empty one with its ``@prefix`` lines): the prefix lines of the first dump that has any are written,
    those of later dumps dropped, so that the dumps make one document."""

    PREFIX = b"@prefix "

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.keep = True  # this dump's prefix lines are written (no dump wrote any before)
        self.declared = False
        self.head: bytes | None = b""  # this dump's start while prefix lines may come, then None

    def write(self, data: Any) -> int:
        if self.head is None:
            self.out.write(data)
            return len(data)
        head = self.head + bytes(data)
        while head.startswith(self.PREFIX) and b"\n" in head:
            line, head = head.split(b"\n", 1)
            if self.keep:
                self.out.write(line + b"\n")
                self.declared = True
        if self.PREFIX.startswith(head[: len(self.PREFIX)]):
            self.head = head  # empty, or the start of a prefix line: wait for more
        else:
            self.head = None
            self.out.write(head)
        return len(data)

    def flush(self) -> None:
        pass

    def end(self) -> None:
        """The dump is complete: the next one's prefix lines are dropped if this one wrote them."""
        if self.head:
            self.out.write(self.head)
        self.head, self.keep = b"", not self.declared


class _NodeObjects:
    """A binary sink for pyoxigraph's JSON-LD writer (one array of node objects per dump): writes the node
    objects without the array's brackets, comma-separated across dumps, compacting namespace IRIs.

    A key, an ``@id`` or an ``@type`` string begins right after ``{"``, ``,"``, ``"@id":"`` or
    ``"@type":"`` outside any string (inside one, a quote is escaped), and none of these holds a ``{`` after
    its first byte: the bytes are rewritten up to the last ``{`` read, the rest waits for more."""

    def __init__(self, out: BinaryIO, context: Mapping[str, Any]) -> None:
        self.out = out
        self.pending = b""
        self.written = False  # a node object was written: the next dump's first one needs a comma
        self.opened = False  # this dump's array was opened
        self.started = False  # this dump wrote a node object
        prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
        self.compact = {ns.encode(): f"{k}:".encode() for k, ns in prefixes.items()}
        alternatives = b"|".join(re.escape(ns) for ns in sorted(self.compact, key=len, reverse=True))
        self.pattern = re.compile(rb'(\{"|,"|"@id":"|"@type":")(' + alternatives + rb")(?!//)")

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if not self.opened:
            chunk = chunk.lstrip()
            if not chunk:
                return len(data)
            if chunk[:1] != b"[":
                raise ValueError("pyoxigraph's JSON-LD writer did not open an array")
            chunk, self.opened = chunk[1:], True
        self.pending += chunk
        cut = self.pending.rfind(b"{")
        if cut > 0:
            self._emit(self.pending[:cut])
            self.pending = self.pending[cut:]
        return len(data)

    def flush(self) -> None:
        pass

    def end(self) -> None:
        """The dump is complete: write the rest of its array, and expect the next dump's."""
        rest = self.pending.rstrip()
        if not self.opened or not rest.endswith(b"]"):
            raise ValueError("pyoxigraph's JSON-LD writer did not write a complete array")
        self._emit(rest[:-1])
        self.pending, self.opened, self.started = b"", False, False

    def _emit(self, data: bytes) -> None:
        if not data.strip():
            return
        if not self.started:
            data = (b",\n" if self.written else b"") + data.lstrip()
            self.started = self.written = True
        self.out.write(self.pattern.sub(lambda m: m[1] + self.compact[m[2]], data))
