"""SHACL engines side by side: pyshacl (the reference), the compiled validator (`kg.pipeline.shacl`) and
pyshacl-turbo (a Rust SHACL engine with pySHACL's API), on the seed, every broken fixture and synthetic data.

    .venv/bin/python bench/shacl_engines.py [--runs 3] [--large] [--pyshacl-max 100000] [--seed 0]

Needs pyshacl-turbo (``pip install -e '.[bench]'``). Every engine gets what the build gives
`kg.pipeline.validate.validate`: the data graph and its OWL-RL closure (`kg.pipeline.rules.infer`), the
ontology mixed in, inference "none", and returns the project's `Report` value, so "same" is ``==`` with
pyshacl's report. pyshacl-turbo runs two ways:

* ``turbo``: data, closure and ontology copied into one rdflib graph, validated without ``ont_graph``
  (its fastest route from rdflib graphs found here);
* ``turbo-ont``: pySHACL's own call, with ``ont_graph=ontology`` (turbo mixes the ontology in itself, and
  goes through rdflib's N-Triples parser on the way).

Part 1 compares the reports on the seed (data/careers.ttl) and on every broken fixture in tests/data/ and
tests/fixtures/broken/ (each validated on its own, as `careers-kg validate FILE` does). Part 2 times the
engines on the seed and on 10⁵ synthetic triples (`kg.importers.synth`), and with ``--large`` on 10⁶; each
size runs in a fresh interpreter. Times are wall-clock seconds, medians of ``--runs`` runs (one run, marked ¹,
for pyshacl and turbo-ont above 10⁴ data triples and for every engine at 10⁶), CPU seconds in brackets; the
ratios are of wall-clock medians, with the ratio of CPU seconds in brackets (the machine is shared, so CPU
is the steadier of the two). Sizes above ``--pyshacl-max`` skip pyshacl; "same" then compares with the
compiled validator's report (marked ᶜ). The default run takes about three minutes on 2 busy cores;
``--large`` adds about a quarter of an hour (most of it pyshacl-turbo) and 8 GB of memory.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import RDF, SH, Graph  # noqa: E402

from kg.pipeline import rules  # noqa: E402
from kg.pipeline.load import load_files  # noqa: E402
from kg.pipeline.report import Report, sorted_results  # noqa: E402
from kg.pipeline.validate import _results, validate  # noqa: E402

ENGINES = ("pyshacl", "compiled", "turbo", "turbo-ont")
SIZES = (100_000, 1_000_000)
ONE_RUN_ABOVE = 10_000  # pyshacl and turbo-ont: one run above this many data triples
ALL_ONE_RUN_ABOVE = 200_000  # every engine: one run above this many
COLUMNS = (
    ("size", 9), ("validated", 10), ("pyshacl s", 16), ("compiled s", 16), ("turbo s", 16),
    ("turbo-ont s", 16), ("turbo/compiled", 15), ("turbo/pyshacl", 14), ("same c", 7), ("same t", 7),
    ("same t-o", 8),
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--large", action="store_true", help="also measure 10⁶ synthetic triples")
    parser.add_argument("--pyshacl-max", type=int, default=100_000, help="largest size pyshacl runs on")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=3, metavar=("FILE", "RUNS", "PYSHACL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.getLogger("rdflib").setLevel(logging.ERROR)  # ill-typed literals in the fixtures are meant
    try:
        import pyshacl_turbo
    except ImportError:
        raise SystemExit("bench/shacl_engines.py needs pyshacl-turbo: pip install -e '.[bench]'") from None
    if args.child:
        path, runs, with_pyshacl = args.child
        print(json.dumps(measure(Path(path), int(runs), with_pyshacl == "1")))
        return
    print(f"pyshacl-turbo {pyshacl_turbo.__version__}\n\nReports (same = equal to pyshacl's Report):")
    compare_fixtures()
    print("\nSpeed:\n" + " ".join(f"{name:>{width}}" for name, width in COLUMNS))
    print(row("seed", child(ROOT / "data" / "careers.ttl", args.runs, True)), flush=True)
    from kg.importers import synth

    with tempfile.TemporaryDirectory() as tmp:
        for size in (s for s in SIZES if args.large or s < 1_000_000):
            path = Path(tmp) / f"synthetic-{size}.nt"
            synth.write(path, synth.professions_for(size), seed=args.seed)
            label = f"10{'⁵' if size == 100_000 else '⁶'}"
            print(row(label, child(path, args.runs, size <= args.pyshacl_max)), flush=True)


# --- part 1: reports on the seed and the fixtures -----------------------------------------------------------


def compare_fixtures() -> None:
    real = (ROOT / "ontology" / "careers.ttl", ROOT / "ontology" / "shapes.ttl")
    small = (
        ROOT / "tests" / "fixtures" / "ontology" / "careers.ttl",
        ROOT / "tests/fixtures/ontology/shapes.ttl",
    )
    cases = [(ROOT / "data" / "careers.ttl", real)]
    cases += [(f, real) for f in sorted((ROOT / "tests" / "data").glob("broken-*.ttl"))]
    cases += [(f, small) for f in sorted((ROOT / "tests" / "fixtures" / "broken").glob("*.ttl"))]
    equal = {"compiled": 0, "turbo": 0, "turbo-ont": 0}
    compared = unsupported = 0
    for path, (ontology_file, shapes_file) in cases:
        name = path.relative_to(ROOT)
        try:
            data = load_files([path])
        except Exception as error:  # the syntax-error fixture: no engine gets to see it
            print(f"  {name}: skipped ({type(error).__name__}: it does not parse)")
            continue
        graphs, shapes, ontology = _prepared(data, ontology_file, shapes_file)
        reports = {engine: _run(engine, graphs, shapes, ontology) for engine in ENGINES}
        reference = reports["pyshacl"]
        same = {
            e: r == reference if isinstance(r, Report) else None for e, r in reports.items() if e != "pyshacl"
        }
        compared += 1
        unsupported += same["compiled"] is None
        for engine, ok in same.items():
            equal[engine] += bool(ok)
        cells = "  ".join(f"{e} {_same(ok)}" for e, ok in same.items())
        print(
            f"  {str(name):60} {len(reference.results):2} results, conforms {reference.conforms!s:5}  {cells}"
        )
    counts = ", ".join(f"{e} {n}" for e, n in equal.items())
    print(f"  equal to pyshacl's report, of {compared} inputs: {counts}")
    print(
        f"  (n/a: shapes the compiled validator does not compile, so `validate` runs pyshacl: {unsupported})"
    )


def _same(ok: bool | None) -> str:
    return "n/a" if ok is None else ("yes" if ok else "NO")


def _prepared(data: Graph, ontology_file: Path, shapes_file: Path) -> tuple[list[Graph], Graph, Graph]:
    """What the build validates: the data and its closure, the shapes and the ontology."""
    ontology, shapes = load_files([ontology_file]), load_files([shapes_file])
    return [data, rules.infer(data, ontology).inferred], shapes, ontology


def _run(engine: str, graphs: list[Graph], shapes: Graph, ontology: Graph) -> Report | None:
    """The report of *engine*, or None when the compiled validator does not support these shapes."""
    if engine.startswith("turbo"):
        return turbo(graphs, shapes, ontology, mix_ontology=engine == "turbo")
    try:
        return validate(graphs, shapes, ontology, engine=engine)
    except ValueError:  # "The compiled SHACL validator does not support …"
        return None


def turbo(graphs: list[Graph], shapes: Graph, ontology: Graph, *, mix_ontology: bool) -> Report:
    """pyshacl-turbo's report as a `Report`, read from its results graph as `kg.pipeline.validate` reads
    pyshacl's (labels from the data and the ontology)."""
    import pyshacl_turbo

    work = Graph(bind_namespaces="none")
    for graph in [*graphs, ontology] if mix_ontology else graphs:
        work.addN((s, p, o, work) for s, p, o in graph)
    conforms, results, _ = pyshacl_turbo.validate(
        work,
        shacl_graph=shapes,
        ont_graph=None if mix_ontology else ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    labels = work
    if not mix_ontology and (None, RDF.type, SH.ValidationResult) in results:
        labels = work + ontology
    return Report(bool(conforms), sorted_results(_results(results, labels)))


# --- part 2: speed, one interpreter per size ----------------------------------------------------------------


def child(path: Path, runs: int, with_pyshacl: bool) -> dict:
    command = [sys.executable, __file__, "--child", str(path), str(runs), "1" if with_pyshacl else "0"]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(
            f"bench/shacl_engines.py: the measurement of {path.name} failed:\n{out.stderr[-3000:]}"
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(path: Path, runs: int, with_pyshacl: bool) -> dict:
    if path.suffix == ".nt":
        data = Graph(bind_namespaces="none").parse(path, format="nt")
    else:
        data = load_files([path])
    graphs, shapes, ontology = _prepared(
        data, ROOT / "ontology" / "careers.ttl", ROOT / "ontology" / "shapes.ttl"
    )
    size = sum(len(g) for g in graphs)
    engines = [e for e in ("compiled", "turbo", "turbo-ont", "pyshacl") if with_pyshacl or e != "pyshacl"]
    times, reports = {}, {}
    for engine in engines:
        slow = engine in ("pyshacl", "turbo-ont") and len(data) > ONE_RUN_ABOVE
        count = 1 if slow or len(data) > ALL_ONE_RUN_ABOVE else runs
        wall, cpu, reports[engine] = _median(lambda e=engine: _run(e, graphs, shapes, ontology), count)
        times[engine] = {"seconds": wall, "cpu": cpu, "runs": count}
    reference = reports.get("pyshacl", reports["compiled"])
    for engine in engines:
        times[engine]["same"] = reports[engine] == reference
    return {
        "data": len(data),
        "validated": size,
        "reference": "pyshacl" if with_pyshacl else "compiled",
        "engines": times,
    }


def _median(fn: Callable[[], Report | None], runs: int) -> tuple[float, float, Report | None]:
    """Median wall-clock and CPU seconds of *runs* calls of *fn*, and its last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        result = None
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return statistics.median(walls), statistics.median(cpus), result


def row(size: str, result: dict) -> str:
    engines = result["engines"]
    mark = "" if result["reference"] == "pyshacl" else "ᶜ"

    def seconds(engine: str) -> str:
        if engine not in engines:
            return "—"
        t = engines[engine]
        return f"{t['seconds']:.2f}{'¹' if t['runs'] == 1 else ''} ({t['cpu']:.2f})"

    def ratio(top: str, bottom: str) -> str:
        if bottom not in engines:
            return "—"
        a, b = engines[top], engines[bottom]
        return f"{a['seconds'] / b['seconds']:.1f}× ({a['cpu'] / b['cpu']:.1f}×)"

    def same(engine: str) -> str:
        return ("yes" if engines[engine]["same"] else "NO") + mark

    cells = [
        size, result["validated"], seconds("pyshacl"), seconds("compiled"), seconds("turbo"),
        seconds("turbo-ont"), ratio("turbo", "compiled"), ratio("turbo", "pyshacl"), same("compiled"),
        same("turbo"), same("turbo-ont"),
    ]  # fmt: skip
    return " ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True))


if __name__ == "__main__":
    main()
