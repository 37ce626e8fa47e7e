"""Uncached speed on the default (memory) store (issue 11, item 7): stored queries against rdflib-endpoint,
and entity and compare pages, old path vs new path, side by side.

    .venv/bin/python bench/uncached.py [--seconds 3] [--rounds 2] [--connections 8] [--all]
        [--old 93162bc] [--part both|queries|pages]

Needs `wrk` (apt-get install wrk) and rdflib-endpoint with uvicorn in the virtualenv (`pip install
rdflib-endpoint uvicorn`: a peer to compare with, not a dependency of the project).

The seed KG (data/careers.ttl, unless CAREERS_KG_DATA names other files) is built once into a temporary build
cache, and its union graph (data, ontology, inferred
triples) written as N-Triples. Three servers on loopback:

- old: `careers-kg serve` from the commit *--old* (extracted with `git archive`): every stored query in a
  fresh sandboxed fork;
- new: `careers-kg serve` from this checkout: stored queries in the worker, under their own time limit;
- rdflib-endpoint: `rdflib-endpoint serve union.nt` (FastAPI on uvicorn, rdflib in process), the same graph.

Stored queries (accreditation-chain, professions, profession-statistics, search-label, compare-statistics;
``--all``: every one) are requested on their example parameters: `/queries/NAME.json?…` from old and new,
and the same text with the same values written into it (`kg.stores.base.substitute`) as `/?query=…`
from rdflib-endpoint, every request with `Cache-Control: no-cache` (the response cache of old and new does
not answer). Each URL is checked once on the three servers (200, the same number of rows). Then wrk (2
threads, *--connections*) for *--seconds* per server, *--rounds* rounds in rotating order: req/s medians,
and new/endpoint (goal >= 5) and old/endpoint.

Pages (old and new only): /id/medical-coder, /compare?a=certified-medical-assistant&b=medical-coder (one
URL, no-cache, as the issue measured), and "distinct": every entity page, or every ordered pair of
professions, one after the other from a wrk script (most requests of a real crawl are distinct). wrk
--latency's p50 at *--connections* connections (goal <= 10 ms) and req/s. Prints only; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("CAREERS_KG_DATA", str(ROOT / "data" / "careers.ttl"))  # the seed: issue 11's target

from bench.streaming import OLD_REF, old_checkout  # noqa: E402
from bench.web_throughput import server, wrk_failures  # noqa: E402
from kg.config import Settings  # noqa: E402
from kg.query.catalogue import StoredQuery, bind, load_catalogue  # noqa: E402
from kg.stores.base import substitute  # noqa: E402
from kg.stores.processes import free_port  # noqa: E402

QUERIES = (
    "accreditation-chain",
    "professions",
    "profession-statistics",
    "search-label",
    "compare-statistics",
)
NO_CACHE = {"Cache-Control": "no-cache"}
JSON_RESULTS = "application/sparql-results+json"
SERVERS = ("old", "new", "endpoint")
QUERY_GOAL, PAGE_GOAL_MS = 5.0, 10.0
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}
SCRIPT = """
paths = {%s}
n = 0
request = function()
  n = n + 1
  local headers = {["Accept"] = "text/html", ["Cache-Control"] = "no-cache"}
  return wrk.format("GET", paths[(n %% #paths) + 1], headers)
end
"""


def wrk(url: str, seconds: float, connections: int, headers: dict[str, str], script: Path | None = None):
    """(req/s of 2xx answers, p50 ms) from one wrk run."""
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout=10s"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    if script is not None:
        argv += ["-s", str(script)]
    out = subprocess.run(
        [*argv, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", out)
    total, window = int(done.group(1)), float(done.group(2)) * _UNITS[done.group(3)] / 1000
    bad, errors = wrk_failures(out)
    if bad or sum(errors):
        print(f"  ! {bad} non-2xx answers, socket errors {errors} from {url}")
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    return (total - bad) / window, float(p50.group(1)) * _UNITS[p50.group(2)]


def get(url: str, headers: dict[str, str]) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as response:
        return response.read()


# ------------------------------------------------------------------------------------------ stored queries


def urls(stored: StoredQuery, bases: dict[str, str]) -> dict[str, str]:
    params = {p.name: p.example for p in stored.params if p.example}
    path = f"/queries/{stored.name}.json" + (f"?{urlencode(params)}" if params else "")
    bindings = bind(stored, params)
    text = substitute(stored.prepared.text, bindings) if bindings else stored.prepared.text
    endpoint = bases["endpoint"] + "/?query=" + quote(text, safe="")  # rdflib-endpoint answers at /
    return {"old": bases["old"] + path, "new": bases["new"] + path, "endpoint": endpoint}


def bench_queries(catalogue, names, bases, opts) -> list[float]:
    print(f"\nstored queries, JSON results, wrk -t2 -c{opts.connections}, no-cache: req/s per round, median")
    print(f"{'query':<24} {'rows':>5} {'old':>8} {'new':>8} {'endpoint':>8} {'new/endp':>9} {'old/endp':>9}")
    ratios = []
    for name in names:
        targets = urls(catalogue[name], bases)
        headers = {"old": NO_CACHE, "new": NO_CACHE, "endpoint": {"Accept": JSON_RESULTS, **NO_CACHE}}
        counts = {s: len(json.loads(get(targets[s], headers[s]))["results"]["bindings"]) for s in SERVERS}
        if len(set(counts.values())) != 1:
            print(f"!!! {name}: the servers answer different row counts {counts}")
        rps: dict[str, list[float]] = {s: [] for s in SERVERS}
        for n in range(opts.rounds):
            for s in SERVERS[n % 3 :] + SERVERS[: n % 3]:
                rps[s].append(wrk(targets[s], opts.seconds, opts.connections, headers[s])[0])
        m = {s: statistics.median(v) for s, v in rps.items()}
        ratios.append(m["new"] / m["endpoint"])
        print(f"{name:<24} {counts['new']:>5} {m['old']:>8.0f} {m['new']:>8.0f} {m['endpoint']:>8.0f} "
              f"{m['new'] / m['endpoint']:>9.2f} {m['old'] / m['endpoint']:>9.2f}")  # fmt: skip
    return ratios


# -------------------------------------------------------------------------------------------------- pages


def page_sets(kg) -> dict[str, list[str]]:
    from rdflib import RDF

    from kg.rdf.namespaces import CKG, ID
    from kg.web.links import slug_of

    slugs = sorted({slug for s in kg.data.subjects() if (slug := slug_of(str(s))) is not None})  # pages only
    professions = sorted(str(s)[len(str(ID)) :] for s in kg.union.subjects(RDF.type, CKG.Profession))
    return {
        "entity /id/medical-coder": ["/id/medical-coder"],
        "entity, distinct": [f"/id/{quote(s)}" for s in slugs],
        "compare one pair": ["/compare?a=certified-medical-assistant&b=medical-coder"],
        "compare, distinct": [f"/compare?a={a}&b={b}" for a in professions for b in professions if a != b],
    }


def bench_pages(sets, bases, opts, work: Path) -> None:
    print(f"\npages (HTML), wrk -t2 -c{opts.connections}, no-cache: medians over rounds")
    print(
        f"{'pages':<26} {'urls':>5} {'old p50 ms':>11} {'new p50 ms':>11} {'old req/s':>10} {'new req/s':>10}"
    )
    for label, paths in sets.items():
        script = work / f"{abs(hash(label))}.lua"
        script.write_text(SCRIPT % ", ".join(json.dumps(p) for p in paths), encoding="utf-8")
        found = {s: [] for s in ("old", "new")}
        for n in range(opts.rounds):
            for s in ("old", "new") if n % 2 == 0 else ("new", "old"):
                found[s].append(wrk(bases[s] + paths[0], opts.seconds, opts.connections, {}, script))
        p50 = {s: statistics.median(r[1] for r in v) for s, v in found.items()}
        rps = {s: statistics.median(r[0] for r in v) for s, v in found.items()}
        verdict = "ok" if p50["new"] <= PAGE_GOAL_MS else "MISSED"
        print(f"{label:<26} {len(paths):>5} {p50['old']:>11.1f} {p50['new']:>11.1f} {rps['old']:>10.0f} "
              f"{rps['new']:>10.0f}  goal p50 <= {PAGE_GOAL_MS:g} ms: {verdict}")  # fmt: skip


# --------------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--all", action="store_true", help="every stored query, not five")
    parser.add_argument("--part", choices=("both", "queries", "pages"), default="both")
    parser.add_argument("--old", default=OLD_REF)
    opts = parser.parse_args(argv)
    endpoint_cli = Path(sys.executable).parent / "rdflib-endpoint"
    if shutil.which("wrk") is None or not endpoint_cli.exists():
        sys.exit("needs wrk (apt-get install wrk) and rdflib-endpoint (pip install rdflib-endpoint uvicorn)")
    sys.stdout.reconfigure(line_buffering=True)
    from kg.pipeline.build import build
    from kg.rdf.formats import serialize_graph

    with tempfile.TemporaryDirectory(prefix="careers-kg-uncached-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "CAREERS_KG_CACHE": str(work / "cache")}
        env.pop("CAREERS_KG_STORE", None)
        settings = Settings.from_env(root=ROOT, cache_dir=work / "cache")
        kg = build(settings)  # and the build cache both servers start from
        union = work / "union.nt"
        union.write_bytes(serialize_graph(kg.union, "ntriples"))
        old = old_checkout(opts.old, work / "old")
        ports = {s: free_port() for s in SERVERS}
        bases = {s: f"http://127.0.0.1:{p}" for s, p in ports.items()}
        serve = [sys.executable, "-m", "kg", "serve", "--workers", str(opts.workers)]
        argvs = {
            "old": [*serve, "--port", str(ports["old"])],
            "new": [*serve, "--port", str(ports["new"])],
            "endpoint": [str(endpoint_cli), "serve", str(union), "--host", "127.0.0.1"],
        }
        argvs["endpoint"] += ["--port", str(ports["endpoint"])]
        ready = {"old": "/healthz", "new": "/healthz", "endpoint": "/?query=ASK%7B%7D"}
        envs = {"old": {**env, "PYTHONPATH": str(old)}, "new": env, "endpoint": env}
        started = time.monotonic()
        with ExitStack() as stack:
            for s in SERVERS:
                cwd = old if s == "old" else ROOT
                stack.enter_context(server(argvs[s], envs[s], bases[s] + ready[s], work / f"{s}.log", cwd))
            up = time.monotonic() - started
            print(f"seed KG ({len(kg.union)} triples in the union); servers up in {up:.0f} s: old "
                  f"({opts.old}) and new, gunicorn {opts.workers} workers; rdflib-endpoint (uvicorn, one "
                  f"process); load average {os.getloadavg()[0]:.1f}")  # fmt: skip
            catalogue = load_catalogue(settings.queries_dir, settings.root)
            names = [n for n, q in catalogue.items() if q.kind == "SELECT"] if opts.all else list(QUERIES)
            ratios = bench_queries(catalogue, names, bases, opts) if opts.part != "pages" else []
            if opts.part != "queries":
                bench_pages(page_sets(kg), bases, opts, work)
        if not ratios:
            return 0
        median = statistics.median(ratios)
        verdict = "ok" if median >= QUERY_GOAL else "MISSED"
        print(f"\nstored queries: new/endpoint median {median:.2f} over {len(ratios)} queries "
              f"(goal >= {QUERY_GOAL:g}: {verdict}); load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
