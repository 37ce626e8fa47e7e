"""Stored queries on each store: p50 on rdflib memory vs the Oxigraph store vs bare pyoxigraph.

    .venv/bin/python bench/scale_stores.py [--professions N ...] [--budget SECONDS]

For the seed (data/*.ttl) and for the seed plus a synthetic data set of N professions
(kg/importers/synth.py), builds
the KG (temporary cache), opens the Oxigraph store (kg/stores/store.py), and runs every stored query in
queries/ on
its example parameters:

- memory: `kg.query.execute.execute` on the rdflib store (forked sandbox, rdflib's engine);
- oxigraph: `kg.query.execute.execute` on the Oxigraph store (a long-lived sandboxed child, Oxigraph's
engine);
- oxigraph alone: the same, in a fresh process that opened only the loaded Oxigraph store (as a deployment
  with `--store oxigraph` runs: no rdflib copy of the graph in memory);
- bare: pyoxigraph's `Store.query` on the same store with the same query text and parameters, in the
  'alone' process, timed alternately with it: every solution read and each of its values taken (as any user
  of the result must; no sandbox, no conversion to rdflib terms).

Each size also prints the warm start of each store (a fresh interpreter opening the built KG: the memory store
unpickles the build cache, the Oxigraph store opens its directory) and that process's peak memory.

Each cell is the median of repeated runs (at least 3, more while the budget per cell lasts). Ratios:
memory/oxigraph (what the seam buys) and alone/bare (what the seam costs; the issue's goal is <= 1.5x).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.config import Settings  # noqa: E402
from kg.importers import synth  # noqa: E402
from kg.pipeline.build import build  # noqa: E402
from kg.query.catalogue import bind, load_catalogue  # noqa: E402
from kg.query.execute import execute  # noqa: E402
from kg.stores.base import substitute  # noqa: E402
from kg.stores.oxigraph import to_ox  # noqa: E402
from kg.stores.store import open_kg  # noqa: E402


def p50(run, budget: float, least: int = 3, most: int = 50) -> float:
    times: list[float] = []
    spent = 0.0
    while len(times) < least or (spent < budget and len(times) < most):
        start = time.perf_counter()
        run()
        took = time.perf_counter() - start
        times.append(took)
        spent += took
    return statistics.median(times)


def paired_p50s(first, second, budget: float, least: int = 3, most: int = 50) -> tuple[float, float]:
    """p50 of each of two runs timed alternately (first, second, first, ...): the same machine conditions."""
    times: tuple[list[float], list[float]] = ([], [])
    spent = 0.0
    while len(times[0]) < least or (spent < 2 * budget and len(times[0]) < most):
        for run, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            run()
            took = time.perf_counter() - start
            out.append(took)
            spent += took
    return statistics.median(times[0]), statistics.median(times[1])


def bare_runner(store, stored, bindings):
    """pyoxigraph on the same text and parameters as the seam sends it."""
    import pyoxigraph as ox

    inner = store._inner
    text = stored.prepared.text
    kwargs = {} if store.union_in_default else {"use_default_graph_as_union": True}
    projected = set(stored.prepared.vars)
    if bindings and stored.kind == "SELECT" and not set(bindings) <= projected:
        text = substitute(text, bindings)
    elif bindings:
        kwargs["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}

    names = stored.prepared.vars

    def run():
        result = inner.query(text, **kwargs)
        if stored.kind == "ASK":
            return bool(result)
        if stored.kind != "SELECT":  # triples come out whole
            return sum(1 for _ in result)
        return sum(1 for solution in result for name in names if solution[name] is not None)

    return run


WARM = """
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from kg.config import Settings
from kg.stores.store import open_kg
kg = open_kg(Settings.from_env())
took = time.perf_counter() - start
# VmHWM, not ru_maxrss: the latter survives fork and exec, so it would report this bench's own peak
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps([took, peak * 1024]))
"""


def warm_start(settings: Settings, store: str, runs: int = 3) -> tuple[float, int]:
    """Median seconds from a fresh interpreter to an open KG on *store* (its build or load already done),
    and that process's peak resident memory in bytes."""
    env = _env(settings, store)
    results, command = [], [sys.executable, "-c", WARM.format(root=str(ROOT))]
    for _ in range(runs):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def _env(settings: Settings, store: str) -> dict[str, str]:
    return dict(
        os.environ,
        CAREERS_KG_ROOT=str(settings.root),
        CAREERS_KG_CACHE=str(settings.cache_dir),
        CAREERS_KG_DATA=os.pathsep.join(map(str, settings.data_files)),
        CAREERS_KG_STORE=store,
    )


ALONE = """
import json, sys
sys.path.insert(0, {root!r})
from bench.scale_stores import alone
print(json.dumps(alone({budget}, {timeout})))
"""


def alone(budget: float, timeout: float) -> dict[str, Any]:
    """Per stored query, p50 on the Oxigraph store opened alone (settings from the environment) and p50 of
    bare pyoxigraph on the same store, timed alternately."""
    from kg.stores.store import open_kg

    settings = Settings.from_env()
    ox_kg = open_kg(settings)  # the store is loaded: no build, no rdflib graph
    out: dict[str, Any] = {}
    for name, stored in load_catalogue(settings.queries_dir, settings.root).items():
        bindings = bind(stored, {p.name: p.example for p in stored.params if p.example})
        seam = partial(execute, ox_kg, stored.prepared, bindings=bindings, timeout=timeout)
        out[name] = paired_p50s(seam, bare_runner(ox_kg.union.store, stored, bindings), budget)
    out["children forked"] = ox_kg.union.store.query_pool.spawned
    return out


def alone_p50s(settings: Settings, budget: float, timeout: float) -> dict[str, float]:
    env = _env(settings, "oxigraph")
    code = ALONE.format(root=str(ROOT), budget=budget, timeout=timeout)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(label: str, settings: Settings, budget: float, timeout: float) -> None:
    start = time.perf_counter()
    kg = build(settings)
    built = time.perf_counter() - start
    start = time.perf_counter()
    ox_kg = open_kg(settings.replace(store="oxigraph"))  # loads the store: the build is cached
    loaded = time.perf_counter() - start
    alone_times = alone_p50s(settings, budget, timeout)
    forked = alone_times.pop("children forked")
    warm = {store: warm_start(settings, store) for store in ("memory", "oxigraph")}
    counts = kg.triple_counts
    print(f"\n## {label}: {counts['union']} triples ({counts['data']} data, {counts['inferred']} inferred)")
    print(f"build {built:.1f} s (closure + validation), Oxigraph load {loaded:.2f} s")
    for store, (seconds, peak) in warm.items():
        print(f"warm start, {store}: {seconds:.2f} s, peak memory {peak / 1024**2:.0f} MB")
    (mem_s, mem_peak), (ox_s, ox_peak) = warm["memory"], warm["oxigraph"]
    print(f"memory/oxigraph: warm start {mem_s / ox_s:.1f}, peak memory {mem_peak / ox_peak:.1f}\n")
    head = "memory ms | oxigraph ms | alone ms | bare ms | mem/ox | alone/bare |"
    print(f"| {'query':<22} | {'rows':>5} | {head}")
    print(f"|{'-' * 24}|{'-' * 7}|-----------|-------------|----------|---------|--------|------------|")
    catalogue = load_catalogue(settings.queries_dir, settings.root)
    ratios, heavy = [], []
    for name, stored in catalogue.items():
        raw = {p.name: p.example for p in stored.params if p.example}
        bindings = bind(stored, raw)

        def on(target, stored=stored, bindings=bindings):
            return lambda: execute(target, stored.prepared, bindings=bindings, timeout=timeout)

        try:
            rows = execute(kg, stored.prepared, bindings=bindings, timeout=timeout)
            memory = p50(on(kg), budget)
        except Exception as exc:  # a timeout on rdflib is a result too
            rows, memory = None, float("nan")
            print(f"(memory: {name}: {exc})")
        oxigraph = p50(on(ox_kg), budget)
        size = (
            len(rows.rows)
            if rows is not None and rows.kind == "SELECT"
            else (len(rows.graph) if rows is not None and rows.graph is not None else 1)
        )
        solo, bare = alone_times[name]
        ratios.append(solo / bare)
        if bare >= 0.010:
            heavy.append(solo / bare)
        print(
            f"| {name:<22} | {size:>5} | {memory * 1000:9.1f} | {oxigraph * 1000:11.1f} "
            f"| {solo * 1000:8.1f} | {bare * 1000:7.2f} | {memory / oxigraph:6.1f} | {solo / bare:10.1f} |"
        )
    print(f"\nmedian alone/bare ratio: {statistics.median(ratios):.2f} over {len(ratios)} queries", end="")
    if heavy:
        print(f", {statistics.median(heavy):.2f} over the {len(heavy)} where bare takes >= 10 ms", end="")
    print()
    print(f"(the 'alone' process forked {forked} sandboxed children for all its runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--professions", type=int, nargs="*", default=[400])
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per cell (default 1)")
    parser.add_argument("--timeout", type=float, default=120.0, help="per query run (default 120 s)")
    args = parser.parse_args()
    base = Settings.from_env(root=ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        bench("seed", base.replace(cache_dir=cache), args.budget, args.timeout)
        for n in args.professions:
            data = Path(tmp) / f"synth-{n}.nt"
            synth.write(data, n)
            settings = base.replace(cache_dir=cache, data_files=(*base.data_files, data))
            bench(f"seed + synthetic {n} professions", settings, args.budget, args.timeout)


if __name__ == "__main__":
    main()
