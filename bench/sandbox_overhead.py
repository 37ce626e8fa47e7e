"""Per-query cost of the forked sandbox (kg.query.execute.execute) against evaluating in-process, synthetic
graph.

    .venv/bin/python -m bench.sandbox_overhead [TRIPLES]     (default 20 000)

"in-process" runs the very evaluation the child runs (parse excluded, results encoded and decoded), without
the fork; "forked" is `execute` with a prepared query and with text (parsed in the child). Medians of 41 runs.
The empty task is timed in a fresh fork (`sandbox.run`, the memory store) and in a long-lived child
(`sandbox.Pool`, the Oxigraph and remote stores).
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from kg.query import execute as sparql
from kg.query import sandbox
from kg.query.execute import _evaluate
from kg.stores import wire

ID = Namespace("https://w3id.org/careers-kg/id/")
SCHEMA = Namespace("http://schema.org/")
QUERIES = {
    "lookup": f"SELECT ?l WHERE {{ <{ID.e42}> <{RDFS.label}> ?l }}",
    "100 rows": f"SELECT ?e ?l WHERE {{ ?e <{RDFS.label}> ?l }} LIMIT 100",
    "1000 rows": f"SELECT ?e ?v ?r WHERE {{ ?e <{SCHEMA.value}> ?v ; <{SCHEMA.related}> ?r }} LIMIT 1000",
}


class SyntheticKG:
    def __init__(self, triples: int) -> None:
        self.dataset = Dataset()
        graph = self.dataset.graph(URIRef("https://w3id.org/careers-kg/graph/data"))
        n = triples // 5
        for i in range(n):
            e = ID[f"e{i}"]
            graph.add((e, RDF.type, SCHEMA.Occupation))
            graph.add((e, RDFS.label, Literal(f"Entity {i}", lang="en")))
            graph.add((e, SCHEMA.value, Literal(i * 1.5)))
            graph.add((e, SCHEMA.related, ID[f"e{(i * 7) % n}"]))
            graph.add((e, SCHEMA.description, Literal(f"A description of entity number {i}. " * 3)))
        self.union = graph


def median_ms(fn: Callable[[], object], runs: int = 41) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    kg = SyntheticKG(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{len(kg.union)} triples, max RSS {rss} MB")
    fresh = median_ms(lambda: sandbox.run(lambda: b"", timeout=10))
    pool = sandbox.Pool(lambda payload: b"")
    kept = median_ms(lambda: pool.call(b"", timeout=10))
    pool.close()
    print(f"empty task: fresh fork {fresh:.2f} ms, long-lived child {kept:.3f} ms (ratio {fresh / kept:.0f})")
    print(f"{'query':10} {'in-process':>11} {'forked':>9} {'forked text':>12} {'overhead':>9}")
    for name, text in QUERIES.items():
        prepared = sparql.prepare(text)
        local = median_ms(lambda p=prepared: wire.decode(_evaluate(kg, p, {}, (), (), None)[1:]))
        forked = median_ms(lambda p=prepared: sparql.execute(kg, p, timeout=10))
        forked_text = median_ms(lambda t=text: sparql.execute(kg, t, timeout=10))
        print(f"{name:10} {local:8.2f} ms {forked:6.2f} ms {forked_text:9.2f} ms {forked - local:6.2f} ms")


if __name__ == "__main__":
    main()
