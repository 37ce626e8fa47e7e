"""Scale: OWL-RL closure (owlrl vs kg.pipeline.rules) and SHACL validation of synthetic data, 10³–10⁶ triples.

    .venv/bin/python bench/scale.py [--max-size 1000000] [--runs 3] [--owlrl-max 100000]
                                    [--validate-max 100000] [--compiled-max 1000000] [--seed 0]

For each size, synthetic data (kg.importers.synth, N-Triples) is written to a temporary directory; each
measurement then
runs in a fresh interpreter (so peak memory is its own): parse the data with rdflib, then time

* ``owlrl``: `kg.pipeline.reason.infer` (owlrl's OWLRL_Semantics and the project's filter), and check that
  `kg.pipeline.rules.infer` gives the identical set of triples and messages;
* ``fast``: `kg.pipeline.rules.infer` (inferred triples as an rdflib graph, what the build needs) and, apart,
  `kg.pipeline.rules.inferred_triples` (the closure alone, as a list of triples, e.g. to bulk-load elsewhere);
* ``validate``: `kg.pipeline.validate.validate` with pyshacl (inference "none") on data ∪ closure, as the
build
  runs it;
* ``validate-c``: the same with the compiled validator (`kg.pipeline.shacl`), and where pyshacl
ran too,
  whether the two reports are equal (``same-v``).

Times are wall-clock seconds, medians of ``--runs`` runs (owlrl and validation above 10⁴ triples: one run,
marked ¹), with the CPU seconds of the measuring process in brackets (on a busy machine they differ; the ratio
owlrl/fast is of CPU seconds).
Memory is the peak resident set (MB) of the measuring process, and in brackets its growth over the peak after
parsing: for ``fast`` with the inferred graph built, for ``core`` the closure alone (measured first); for the
validators over the peak once the data is parsed and its closure inferred.
Sizes above ``--owlrl-max`` / ``--validate-max`` / ``--compiled-max`` skip owlrl / pyshacl / the compiled
validator (owlrl takes about 0.4 ms of CPU per triple, pyshacl about 0.15 ms, the compiled validator about
0.01 ms). The defaults take about nine minutes on 2 busy cores.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000, 100_000, 1_000_000)
ONE_RUN_ABOVE = 10_000
COLUMNS = (
    ("size", 9), ("triples", 9), ("inferred", 9), ("parse s", 8), ("owlrl s (cpu)", 18), ("fast s (cpu)", 14),
    ("core s", 7), ("ratio", 6), ("owlrl MB", 12), ("fast MB", 12), ("core MB", 12), ("validate s (cpu)", 18),
    ("same", 5), ("validate MB", 12), ("validate-c s (cpu)", 18), ("validate-c MB", 13), ("same-v", 6),
)  # fmt: skip
HEADER = " ".join(f"{name:>{width}}" for name, width in COLUMNS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--max-size", type=int, default=1_000_000, help="largest size in triples (default 10⁶)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--owlrl-max", type=int, default=100_000, help="largest size owlrl runs on")
    parser.add_argument("--validate-max", type=int, default=100_000, help="largest size pyshacl runs on")
    parser.add_argument(
        "--compiled-max", type=int, default=1_000_000, help="largest size the compiled validator runs on"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=3, metavar=("TASK", "FILE", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, path, runs = args.child
        print(json.dumps(CHILDREN[task](Path(path), int(runs))))
        return

    sys.path.insert(0, str(ROOT))
    from kg.importers import synth

    print(HEADER)
    with tempfile.TemporaryDirectory() as tmp:
        for size in (s for s in SIZES if s <= args.max_size):
            path = Path(tmp) / f"synthetic-{size}.nt"
            synth.write(path, synth.professions_for(size), seed=args.seed)
            fast = child("fast", path, args.runs)
            owlrl = child("owlrl", path, one_above(size, args.runs)) if size <= args.owlrl_max else None
            check = child("validate", path, one_above(size, args.runs)) if size <= args.validate_max else None
            compiled = (
                child("compiled", path, one_above(size, args.runs)) if size <= args.compiled_max else None
            )
            print(row(size, fast, owlrl, check, compiled), flush=True)


def one_above(size: int, runs: int) -> int:
    return runs if size <= ONE_RUN_ABOVE else 1


def child(task: str, path: Path, runs: int) -> dict:
    command = [sys.executable, __file__, "--child", task, str(path), str(runs)]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"bench/scale.py: the {task} measurement failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def row(size: int, fast: dict, owlrl: dict | None, check: dict | None, compiled: dict | None) -> str:
    def seconds(result: dict | None, key: str = "seconds") -> str:
        if result is None:
            return "—"
        mark = "¹" if result["runs"] == 1 else ""
        cpu = f" ({result['cpu']:.2f})" if key == "seconds" else ""
        return f"{result[key]:.2f}{mark}{cpu}"

    def memory(result: dict | None, key: str = "peak_mb") -> str:
        return "—" if result is None else f"{result[key]:.0f} (+{result[key] - result['loaded_mb']:.0f})"

    cells = [
        size,
        fast["triples"],
        fast["inferred"],
        f"{fast['parse']:.2f}",
        seconds(owlrl),
        seconds(fast),
        seconds(fast, "core"),
        f"{owlrl['cpu'] / fast['cpu']:.0f}×" if owlrl else "—",
        memory(owlrl),
        memory(fast),
        memory(fast, "core_mb"),
        seconds(check),
        "—" if owlrl is None else ("yes" if owlrl["identical"] else "NO"),
        memory(check),
        seconds(compiled),
        memory(compiled),
        "—"
        if check is None or compiled is None
        else ("yes" if check["report"] == compiled["report"] else "NO"),
    ]
    return " ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True))


# --- measurements, each in its own interpreter --------------------------------------------------------------


def _load(path: Path):
    sys.path.insert(0, str(ROOT))
    from rdflib import Graph

    from kg.pipeline.load import load_files

    start = time.perf_counter()
    data = Graph(bind_namespaces="none").parse(path, format="nt")
    parse = time.perf_counter() - start
    return data, load_files([ROOT / "ontology" / "careers.ttl"]), parse


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _median(fn, runs: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of *runs* calls of *fn*, and its last result."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        result = None  # so that the peak memory is that of one run
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu), result


def _fast(path: Path, runs: int) -> dict:
    from itertools import chain

    data, ontology, parse = _load(path)
    from kg.pipeline import rules

    loaded = _peak_mb()
    core, _, _ = _median(lambda: rules.inferred_triples(chain(data, ontology)), runs)
    core_mb = _peak_mb()
    seconds, cpu, closure = _median(lambda: rules.infer(data, ontology, fallback=False), runs)
    return {
        "triples": len(data),
        "inferred": len(closure.inferred),
        "parse": parse,
        "seconds": seconds,
        "cpu": cpu,
        "core": core,
        "runs": runs,
        "loaded_mb": loaded,
        "core_mb": core_mb,
        "peak_mb": _peak_mb(),
    }


def _owlrl(path: Path, runs: int) -> dict:
    data, ontology, parse = _load(path)
    from kg.pipeline import reason, rules

    loaded = _peak_mb()
    seconds, cpu, closure = _median(lambda: reason.infer(data, ontology), runs)
    peak = _peak_mb()
    fast = rules.infer(data, ontology, fallback=False)
    identical = (
        set(fast.inferred) == set(closure.inferred) and fast.inconsistencies == closure.inconsistencies
    )
    return {
        "seconds": seconds,
        "cpu": cpu,
        "runs": runs,
        "loaded_mb": loaded,
        "peak_mb": peak,
        "identical": identical,
    }


def _validate(path: Path, runs: int, engine: str = "pyshacl") -> dict:
    import hashlib

    data, ontology, _ = _load(path)
    from kg.pipeline import rules, validate
    from kg.pipeline.load import load_files

    shapes = load_files([ROOT / "ontology" / "shapes.ttl"])
    inferred = rules.infer(data, ontology, fallback=False).inferred
    loaded = _peak_mb()
    seconds, cpu, report = _median(
        lambda: validate.validate([data, inferred], shapes, ontology, labels=data, engine=engine), runs
    )
    if not report.conforms:
        raise SystemExit(f"synthetic data does not conform:\n{report.text()[:2000]}")
    digest = hashlib.sha256(json.dumps(report.as_dict(), sort_keys=True).encode()).hexdigest()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "runs": runs,
        "loaded_mb": loaded,
        "peak_mb": _peak_mb(),
        "report": digest,
    }


def _compiled(path: Path, runs: int) -> dict:
    return _validate(path, runs, engine="compiled")


CHILDREN = {"fast": _fast, "owlrl": _owlrl, "validate": _validate, "compiled": _compiled}

if __name__ == "__main__":
    main()
