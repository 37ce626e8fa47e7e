"""Start-up benchmark: medians over repeated runs, side by side with the targets of issues 3 and 11.

    .venv/bin/python bench/startup.py [--runs N]

Each row is a fresh interpreter (subprocess), so the numbers include interpreter start-up and imports:
bare interpreter, ``import rdflib``, warm start (build cache present) to a built KnowledgeGraph, and a cold
build (OWL-RL closure + SHACL validation, no cache), and `careers-kg serve` to the first `/healthz` 200 with a
warm cache (issue 11: at most 0.5 s), beside the same with the prepared stored queries not cached (the old
path: every stored query parsed at start). Then, in this process, the cache format chosen (pickle of
the memory store) against the alternatives it was picked over. Uses the seed (data/careers.ttl; the default
data
with the OEWS release is measured by bench/default_data.py)
with a temporary cache directory.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_TARGET, COLD_TARGET, SERVE_TARGET = 0.5, 3.0, 0.5
BUILD = (
    "from kg.pipeline.build import build; from kg.config import Settings; "
    "build(Settings.from_env(cache_dir={cache!r}), use_cache={use_cache})"
)


os.environ.setdefault("CAREERS_KG_DATA", str(ROOT / "data" / "careers.ttl"))  # the seed: issue 11's target


def timed_runs(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def serve_to_healthz(cache_dir: str, runs: int, *, parse_queries: bool = False) -> float:
    """Median seconds from starting `careers-kg serve` (one worker) to its first /healthz 200."""
    import socket
    import urllib.request

    times = []
    env = dict(os.environ, CAREERS_KG_CACHE=cache_dir)
    for _ in range(runs):
        if parse_queries:
            for old in Path(cache_dir).glob("queries-*.pickle"):
                old.unlink()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        argv = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--workers", "1"]
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as reply:
                        if reply.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.perf_counter() - start > 60:
                        raise RuntimeError("the server did not start") from None
                    time.sleep(0.005)
            times.append(time.perf_counter() - start)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
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
        serve_old = serve_to_healthz(cache_dir, runs, parse_queries=True)
        serve = serve_to_healthz(cache_dir, runs)
        print(f"Start-up, median of {runs} fresh interpreters (seconds)")
        print(row("bare interpreter", bare))
        print(row("import rdflib", rdflib))
        print(row("warm start to a built KG", warm, WARM_TARGET))
        print(row("cold build (reason+validate)", cold, COLD_TARGET))
        print(row("serve to /healthz, queries parsed", serve_old))
        print(row("serve to /healthz (warm cache)", serve, SERVE_TARGET))
        print(f"  ratio warm / queries parsed     {serve / serve_old:6.2f}")
        print(f"\nCache formats, load time in process (median of {runs}):")
        for name, seconds, size in cache_formats(cache_dir, runs):
            print(f"  {name:<38} {seconds:6.3f} s  {size / 1024:8.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
