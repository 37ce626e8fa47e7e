"""Query results written by pyoxigraph's own writers, under the row cap: bytes from the engine, with no
rdflib term and no Python writer in between (the Oxigraph store's `serialize`, in its sandboxed child).

The cap is kept the way the rdflib path keeps it: at most *max_rows* rows (distinct triples for a graph),
and whether more matched. Rows are written as TSV — literals escaped, one solution per line — by a sink that
stops the writer (and with it the evaluation) once one row more than the cap has come; the kept lines are
then re-read and written in the format asked for, also natively. Graph results are written as N-Triples
lines, de-duplicated and cut the same way, sorted (as `kg.rdf.formats.serialize_graph` sorts them), and
re-serialized as Turtle with the project prefixes when Turtle is asked for.
"""

from __future__ import annotations

from typing import Any

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
