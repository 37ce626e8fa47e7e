"""Helpers for the kg.query.execute, kg.query.guard and kg.query.sandbox tests: stand-in graphs and a
canary listener."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS

EX = Namespace("http://example.org/")
PFX = "PREFIX ex: <http://example.org/>\n"
MSG_UPDATE = "updates are not allowed: this endpoint is read-only"
MSG_SERVICE = "SERVICE is not allowed: queries can only use the graphs held by this endpoint"
MSG_NESTED = "the query is nested too deeply"
MSG_TIMEOUT_1S = "the query took longer than 1 s and was stopped"


class StandIn:
    """What kg.query.execute needs of a KnowledgeGraph: ``union`` (a Graph) and ``dataset`` (named graphs)."""

    def __init__(self, graphs: dict[URIRef, list[tuple]]) -> None:
        self.dataset = Dataset()
        self.union = Graph()
        for name, triples in graphs.items():
            g = self.dataset.graph(name)
            for t in triples:
                g.add(t)
                self.union.add(t)


def small_kg() -> StandIn:
    """Two named graphs, six triples."""
    return StandIn(
        {
            EX.g1: [(EX.a, EX.p, EX.b), (EX.a, RDFS.label, Literal("A", lang="en"))],
            EX.g2: [
                (EX.b, EX.p, EX.c),
                (EX.c, EX.n, Literal(3)),
                (EX.c, EX.q, BNode("x1")),
                (BNode("x1"), RDFS.label, Literal("blank")),
            ],
        }
    )


def big_kg() -> StandIn:
    """A 2 500-node chain (ex:next) and a 2 000-node binary tree (ex:child): 4 499 triples."""
    chain = [(EX[f"n{i}"], EX.next, EX[f"n{i + 1}"]) for i in range(2500)]
    tree = [(EX[f"t{i // 2}"], EX.child, EX[f"t{i}"]) for i in range(1, 2000)]
    return StandIn({EX.chain: chain, EX.tree: tree})


class Canary:
    """A loopback listener on an ephemeral port that records every connection made to it."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.port: int = self._server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.hits: list[tuple] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self._server.accept()
            except TimeoutError:
                continue
            self.hits.append(addr)
            conn.close()

    def close(self) -> list[tuple]:
        """Stop listening; the connections seen."""
        time.sleep(0.1)  # the child is gone: any connection it made is queued by now
        self._stop.set()
        self._thread.join()
        self._server.close()
        return self.hits


def children() -> list[int]:
    """PIDs of this process's live or unreaped children."""
    pids = []
    for task in Path("/proc/self/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return pids
