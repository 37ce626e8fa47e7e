"""OEWS model choice: one observation per cell with 17 measures (what kg/importers/oews writes) against one
observation per published number (the seed's ckg:Statistic pattern: about, variable, value, unit, currency,
date, source), measured on the same cells.

    .venv/bin/python bench/oews_layout.py SNAPSHOT.sqlite [--states 06,48,36]

For national + state, cross-industry (the shipped data) it counts each layout's triples and N-Triples bytes
(raw and gzipped) without keeping them; then, for the nation and the states given (a sample), it writes both
layouts and times parsing them with rdflib and computing the OWL-RL closure (kg.pipeline.rules), each in a
fresh
interpreter, with its peak memory.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.importers.oews.areas import area_slug  # noqa: E402
from kg.importers.oews.importer import open_source  # noqa: E402
from kg.importers.oews.measures import BY_DATATYPE, RELEASES  # noqa: E402
from kg.importers.oews.model import Model, soc_slug  # noqa: E402
from kg.importers.oews.sources import DATATYPES, Selection  # noqa: E402
from kg.importers.oews.vocab import PREF_LABEL, REF_AREA, SOURCE, TYPE, ckg, node, qb  # noqa: E402
from kg.importers.oews.writer import literal, triple  # noqa: E402

CHILD = """
import json, resource, sys, time, gzip
from rdflib import Graph
from kg.pipeline.load import load_files
from kg.pipeline import rules
from pathlib import Path
t = time.perf_counter()
data = Graph()
data.parse(data=gzip.decompress(Path(sys.argv[1]).read_bytes()).decode(), format="nt")
ontology = load_files([Path(sys.argv[2])])
parsed = time.perf_counter()
closure = rules.infer(data, ontology)
done = time.perf_counter()
print(json.dumps({"triples": len(data), "parse_s": round(parsed - t, 1), "closure_s": round(done - parsed, 1),
                  "inferred": len(closure.inferred),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def single_measure_lines(model: Model, cell):
    """The cell as one ckg:Statistic-style observation per datatype (the alternative layout)."""
    area = area_slug(cell.area, model.release.areas[cell.area])
    subject = node(f"oews-2025-{area}-{cell.occupation}")[:-1]
    for datatype, value, notes in zip(DATATYPES, cell.values, cell.footnotes, strict=True):
        if value is None:
            continue
        m = BY_DATATYPE[datatype]
        s = f"{subject}-{m.slug}>"
        yield triple(s, TYPE, ckg("Statistic"))
        yield triple(s, PREF_LABEL, literal(f"{m.slug}, {area}, {cell.occupation}, May 2025", lang="en"))
        yield triple(s, qb("dataSet"), node("oews-2025-states"))
        yield triple(s, ckg("about"), node(soc_slug(cell.occupation)))
        yield triple(s, REF_AREA, node(area))
        yield triple(s, ckg("industry"), node("oews-industry-" + cell.industry))
        yield triple(s, ckg("variable"), node(m.variable))
        yield triple(s, ckg("unit"), node(m.unit))
        if m.money:
            yield triple(s, ckg("currency"), literal("USD"))
        yield triple(s, ckg("date"), model.month)
        yield triple(s, SOURCE, model.source)
        if value == "-":
            for code in notes:
                yield triple(s, ckg("estimateNote"), model.note(m, code))
        else:
            yield triple(s, ckg("value"), literal(value, "integer" if m.integer else "decimal"))


def count(snapshot: Path, states: set[str] | None, sample: Path | None) -> dict:
    """Triples and bytes of both layouts; with *sample*, write both (for *states*) as .nt.gz there."""
    totals = {layout: {"triples": 0, "bytes": 0, "gz": zlib.compressobj(9)} for layout in ("cube", "single")}
    gz_bytes = {"cube": 0, "single": 0}
    outs = {k: gzip.open(sample / f"{k}.nt.gz", "wt", encoding="utf-8") for k in totals} if sample else {}
    with open_source(snapshot) as src:
        model = Model(src.release, RELEASES[src.release.code])
        for cell, where in src.cells(Selection(frozenset({"N", "S"}))):
            if states is not None and cell.areatype == "S" and cell.area[:2] not in states:
                continue
            for layout, lines in (
                ("cube", model.cell_lines(cell, where)),
                ("single", single_measure_lines(model, cell)),
            ):
                for line in lines:
                    raw = line.encode()
                    totals[layout]["triples"] += 1
                    totals[layout]["bytes"] += len(raw)
                    gz_bytes[layout] += len(totals[layout]["gz"].compress(raw))
                    if outs:
                        outs[layout].write(line)
    for f in outs.values():
        f.close()
    return {
        k: {"triples": v["triples"], "nt_mb": round(v["bytes"] / 1e6, 1),
            "gz_mb": round((gz_bytes[k] + len(v["gz"].flush())) / 1e6, 1)}
        for k, v in totals.items()
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--states", default="06,48,36", help="FIPS codes of the sample's states")
    args = parser.parse_args()
    print("national + state, cross-industry (the estimates only, unsorted):")
    print(json.dumps(count(args.snapshot, None, None), indent=1))
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp)
        print(f"sample: the nation and states {args.states}:")
        print(json.dumps(count(args.snapshot, set(args.states.split(",")), sample), indent=1))
        for layout in ("cube", "single"):
            argv = [
                sys.executable,
                "-c",
                CHILD,
                str(sample / f"{layout}.nt.gz"),
                str(ROOT / "ontology/careers.ttl"),
            ]
            out = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT)
            print(layout, out.stdout.strip())


if __name__ == "__main__":
    main()
