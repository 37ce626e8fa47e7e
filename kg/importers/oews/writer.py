"""Deterministic, streamed N-Triples output: terms, sorted files (external merge sort), gzip without a
timestamp or file name, written to a temporary file and renamed into place (never half-written)."""

from __future__ import annotations

import gzip
import hashlib
import heapq
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

XSD = "http://www.w3.org/2001/XMLSchema#"
CHUNK_LINES = 400_000  # lines held in memory before a sorted run is spilled to disk

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    """An IRI term in N-Triples."""
    return f"<{value}>"


def literal(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal term in N-Triples; *datatype* is a local name in XSD (``decimal``) or a full IRI."""
    quoted = '"' + str(text).translate(_ESCAPES) + '"'
    if lang:
        return f"{quoted}@{lang}"
    if datatype:
        return f"{quoted}^^<{datatype if ':' in datatype else XSD + datatype}>"
    return quoted


def triple(s: str, p: str, o: str) -> str:
    """One N-Triples line (terms already written by `iri` / `literal`)."""
    return f"{s} {p} {o} .\n"


class SortedLines:
    """Collects lines and writes them sorted and without duplicates, holding at most `CHUNK_LINES` in memory
    (earlier runs are spilled, sorted, to temporary files next to the output and merged at the end)."""

    def __init__(self, folder: Path, chunk: int = CHUNK_LINES) -> None:
        self.folder, self.chunk = folder, chunk
        self.buffer: list[str] = []
        self.runs: list[Path] = []
        self.count = 0

    def add(self, line: str) -> None:
        self.buffer.append(line)
        if len(self.buffer) >= self.chunk:
            self._spill()

    def extend(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.add(line)

    def _spill(self) -> None:
        fd, name = tempfile.mkstemp(prefix=".oews-run-", suffix=".nt", dir=self.folder)
        self.runs.append(Path(name))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.writelines(sorted(set(self.buffer)))
        self.buffer = []

    def sorted_unique(self) -> Iterator[str]:
        """Every line once, in code-point order (run files are removed by `discard`)."""
        self.buffer.sort()
        files = [open(run, encoding="utf-8", newline="") for run in self.runs]
        try:
            previous = None
            for line in heapq.merge(self.buffer, *files):
                if line != previous:
                    self.count += 1
                    yield line
                    previous = line
        finally:
            for f in files:
                f.close()

    def discard(self) -> None:
        for run in self.runs:
            run.unlink(missing_ok=True)
        self.runs, self.buffer = [], []


class AtomicFile:
    """A temporary file beside *target*, renamed onto it by `commit` (removed by `abort`)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self.tmp = Path(name)
        os.close(fd)
        os.chmod(self.tmp, 0o644)  # mkstemp makes it private; the output is public data

    def commit(self) -> None:
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        self.tmp.unlink(missing_ok=True)


def write_lines(path: Path, lines: Iterable[str], compress: bool) -> str:
    """Write *lines* (UTF-8) to *path*, gzip-compressed when *compress* (mtime 0, no file name, level 9);
    returns the sha256 of the bytes written."""
    with open(path, "wb") as raw:
        sink: IO[bytes] = (
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) if compress else raw
        )
        try:
            for line in lines:
                sink.write(line.encode("utf-8"))
        finally:
            if compress:
                sink.close()
    return sha256_file(path)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
