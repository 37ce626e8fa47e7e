"""Start-up benchmark: medians over repeated runs, side by side with the targets of issue 3.

    .venv/bin/python bench/startup.py [--runs N]

Each row is a fresh interpreter (subprocess), so the numbers include interpreter start-up and imports:
bare interpreter, ``import rdflib``, warm start (build cache present) to a built KnowledgeGraph, and a cold
build (OWL-RL closure + SHACL validation, no cache). Then, in this process, the cache format chosen (pickle of
the memory store) against the alternatives it was picked over. Uses the repository's data (CAREERS_KG_* apply)
with a temporary cache directory.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_TARGET, COLD_TARGET = 0.5, 3.0
BUILD = (
    "from kg.pipeline.build import build; from kg.config import Settings; "
    "build(Settings.from_env(cache_dir={cache!r}), use_cache={use_cache})"
)


def timed_runs(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cache_formats(cache_dir: str, runs: int) -> list[tuple[str, float, int]]:
    """Load time of the same built graph in each candidate cache format."""
    sys.path.insert(0, str(ROOT))
    from rdflib import Dataset, Graph

    from kg.config import Settings
    from kg.pipeline import cache
    from kg.pipeline.build import build

    kg = build(Settings.from_env(cache_dir=cache_dir))
    blob = next(Path(cache_dir).glob("kg-*.pickle")).read_bytes()
    key = next(Path(cache_dir).glob("kg-*.pickle")).stem.removeprefix("kg-")
    nquads = kg.dataset.serialize(format="nquads", encoding="utf-8")
    tuples = pickle.dumps([(s, p, o, g.identifier) for g in kg.dataset.graphs() for s, p, o in g])

    def from_tuples() -> None:
        ds = Dataset()
        union = Graph()
        for s, p, o, g in pickle.loads(tuples):
            ds.graph(g).add((s, p, o))
            union.add((s, p, o))

    def from_nquads() -> None:
        ds = Dataset()
        ds.parse(data=nquads, format="nquads")
        Graph().addN((s, p, o, None) for s, p, o, _ in ds.quads())

    chosen = in_process(lambda: cache.load(Path(cache_dir), key), runs)
    return [
        ("pickle of the memory store (chosen)", chosen, len(blob)),
        ("pickled tuples re-added to a store", in_process(from_tuples, runs), len(tuples)),
        ("N-Quads parsed (+ union)", in_process(from_nquads, runs), len(nquads)),
    ]


def row(name: str, seconds: float, target: float | None = None) -> str:
    text = f"  {name:<30}{seconds:6.3f}"
    return text + (f"   target {target:.1f}   ratio {seconds / target:.2f}" if target else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions per measurement (median is shown)")
    args = parser.parse_args()
    runs = max(args.runs, 1)
    with tempfile.TemporaryDirectory(prefix="careers-kg-bench-") as cache_dir:
        bare = timed_runs("pass", runs)
        rdflib = timed_runs("import rdflib", runs)
        timed_runs(BUILD.format(cache=cache_dir, use_cache=True), 1)  # writes the cache
        warm = timed_runs(BUILD.format(cache=cache_dir, use_cache=True), runs)
        cold = timed_runs(BUILD.format(cache=cache_dir, use_cache=False), runs)
        print(f"Start-up, median of {runs} fresh interpreters (seconds)")
        print(row("bare interpreter", bare))
        print(row("import rdflib", rdflib))
        print(row("warm start to a built KG", warm, WARM_TARGET))
        print(row("cold build (reason+validate)", cold, COLD_TARGET))
        print(f"\nCache formats, load time in process (median of {runs}):")
        for name, seconds, size in cache_formats(cache_dir, runs):
            print(f"  {name:<38} {seconds:6.3f} s  {size / 1024:8.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
