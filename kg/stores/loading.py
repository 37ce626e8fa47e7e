"""Loading a built graph into an Oxigraph directory, and what marks a directory as a complete load.

A load starts before the build ends: `OxigraphLoad.early` takes the N-Triples documents of the data graph that
Oxigraph reads into exactly the build's terms (`kg.pipeline.load.parse_bytes`), as soon as they are parsed,
and one thread bulk-loads them (pyoxigraph releases the GIL while it parses and writes) while the build
reasons and validates in Python. `finish` loads the rest (the other data, the ontology, the inferred
triples), then writes the report and, last, the metadata whose presence means the load completed;
`abandon` (a failed build) removes the directory. Nothing else is ever written to a directory that does not
already hold a Careers KG store, complete or not.
"""

from __future__ import annotations

import json
import os
import pickle
import queue
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef

from kg.errors import ConfigError

if TYPE_CHECKING:
    from kg.pipeline.build import Built

META = "careers-kg-store.json"  # written last: its presence means the load completed
LOADING = "careers-kg-store.loading"  # written first: the directory is ours even if a load was interrupted
REPORT = "careers-kg-report.pickle"
META_FORMAT = 1


class OxigraphLoad:
    """One load of *directory* (emptied first if it holds a Careers KG store; refused if it holds anything
    else) with the build of *version*."""

    def __init__(self, directory: Path, version: str) -> None:
        import pyoxigraph as ox

        clear(directory)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / LOADING).write_text(version, encoding="utf-8")
        self.directory = directory
        self.store: Any = ox.Store(str(directory))
        self._early: list[bytes] = []  # the documents handed to the thread, in order
        self._queue: queue.Queue[tuple[URIRef, bytes] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def early(self, graph: URIRef, document: bytes) -> None:
        """Start loading *document* (N-Triples with exactly the build's terms) into *graph* now."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="oxigraph-load", daemon=True)
            self._thread.start()
        self._early.append(document)
        self._queue.put((graph, document))

    def _work(self) -> None:
        import pyoxigraph as ox

        while (item := self._queue.get()) is not None:
            graph, document = item
            try:
                self.store.bulk_load(document, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
            except BaseException as exc:  # re-raised by _wait in the building thread
                self._failure = self._failure or exc

    def _wait(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._failure is not None:
            raise self._failure

    def finish(self, built: Built, *, key: str) -> dict[str, Any]:
        """Load what `early` did not, and write the report and the metadata (returned)."""
        import pyoxigraph as ox

        from kg.stores.oxigraph import term_converter

        self._wait()
        to_ox = term_converter()
        union_size = _union_size([g for _, g in built.graphs])
        union_in_default = union_size != sum(len(g) for _, g in built.graphs)  # overlapping: keep a set
        store = self.store
        for iri, part in built.load_parts():
            targets = [] if any(part is doc for doc in self._early) else [ox.NamedNode(str(iri))]
            targets += [ox.DefaultGraph()] if union_in_default else []
            for target in targets:
                if isinstance(part, bytes):  # an N-Triples document with exactly the graph's terms
                    store.bulk_load(part, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
                else:
                    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), target) for s, p, o in part)
        store.flush()
        store.optimize()
        self.store = None
        del store
        with open(self.directory / REPORT, "wb") as out:
            pickle.dump(built.report, out, protocol=pickle.HIGHEST_PROTOCOL)
        meta = {
            "format": META_FORMAT,
            "key": key,
            "version": built.version,
            "counts": dict(built.counts) | {"union": union_size},
            "graphs": [str(iri) for iri, _ in built.graphs],
            "union_in_default": union_in_default,
            "namespaces": [[prefix, str(ns)] for prefix, ns in built.namespaces],
        }
        tmp = self.directory / (META + ".tmp")
        tmp.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        os.replace(tmp, self.directory / META)
        (self.directory / LOADING).unlink(missing_ok=True)
        return meta

    def abandon(self) -> None:
        """Stop (after the document being loaded) and remove the directory: a failed build leaves nothing."""
        try:
            self._wait()
        except BaseException:  # the build's own error is the one to report
            pass
        self.store = None
        shutil.rmtree(self.directory, ignore_errors=True)


def load(directory: Path, built: Built, *, key: str) -> dict[str, Any]:
    """(Re)load *directory* with *built* at once; returns the metadata written last."""
    loading = OxigraphLoad(directory, built.version)
    try:
        return loading.finish(built, key=key)
    except BaseException:
        loading.abandon()
        raise


def read_meta(directory: Path) -> dict[str, Any] | None:
    """The metadata of the complete load in *directory*, or None."""
    try:
        meta = json.loads((directory / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("format") != META_FORMAT:
        return None
    return meta


def clear(directory: Path) -> None:
    """Empty *directory* if it holds a Careers KG store (complete or not); refuse any other non-empty one."""
    if not directory.exists():
        return
    if not any(directory.iterdir()):
        return
    if not ((directory / META).exists() or (directory / LOADING).exists()):
        raise ConfigError(f"{directory} is not empty and holds no Careers KG store: choose another directory")
    shutil.rmtree(directory)


def _union_size(graphs: list[Graph]) -> int:
    """How many distinct triples *graphs* hold together: their sum when no two share a triple (checked by
    looking the smaller's triples up in the larger), else counted as a set."""
    sizes = [len(g) for g in graphs]
    overlap = any(
        any(t in big for t in small)
        for i, a in enumerate(graphs)
        for b in graphs[i + 1 :]
        for small, big in [(a, b) if len(a) <= len(b) else (b, a)]
    )
    if not overlap:
        return sum(sizes)
    return len({t for g in graphs for t in g})
