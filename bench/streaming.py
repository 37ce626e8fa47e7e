"""Results streamed by the store that made them (issue 11, item 4): stored queries over HTTP on the Oxigraph
store, old path vs new path vs bare pyoxigraph, side by side.

    .venv/bin/python bench/streaming.py [--professions 2000] [--formats json] [--requests 5]
        [--old 93162bc | --no-old] [--big] [--data FILE ... --cache DIR --tag oews]

The KG (seed + a synthetic data set of N professions, kg/importers/synth.py; 2000 is about 10^5 triples,
``--big`` is 40 000 professions, about 2 * 10^6; or the ``--data`` files, such as the seed and the OEWS
release with metros and industries) is built once and loaded into an Oxigraph store in a
temporary build cache. Three servers then read that same store, each gunicorn with the options of
`careers-kg serve` (`kg.web.server.gunicorn_options`), 2 workers:

- old: `careers-kg serve --store oxigraph` from the commit *--old* (the code before this change, extracted
  with `git archive` into a temporary folder): rows come back to the worker as terms and are written by
  Python (indented JSON);
- new: the same command from this checkout: pyoxigraph's own writers in the store's sandboxed child;
- bare: a Flask app (this file, ``--serve-bare``) that runs the same query text with the same parameters on
  the same pyoxigraph store and answers ``serialize(format)`` — no sandbox, no row cap, no checks.

Every stored query is requested on its example parameters, as /queries/NAME.json (``.ttl`` for a graph
query), with ``Cache-Control: no-cache``. Each URL is checked once on the three servers (200, the same number
of rows), then requested *--requests* times per round on one keep-alive connection, three rounds with the
servers in rotating order; per (query, server) the median latency. Printed: the medians, new/bare and
old/bare, and the median of each ratio over the queries (goal: new/bare <= 1.5). Prints only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale_http import build_once  # noqa: E402
from bench.web_throughput import server  # noqa: E402
from kg.config import Settings  # noqa: E402
from kg.importers import synth  # noqa: E402
from kg.query.catalogue import StoredQuery, load_catalogue  # noqa: E402
from kg.stores.processes import free_port  # noqa: E402

OLD_REF = "93162bc"  # the commit before results were written by the store
SERVERS = ("old", "new", "bare")
GOAL = 1.5
EXTENSIONS = {"json": ".json", "xml": ".xml", "csv": ".csv", "tsv": ".tsv", "turtle": ".ttl"}
HEADERS = {"Cache-Control": "no-cache"}


# --------------------------------------------------------------------------------------------- bare app


def bare_app(settings: Settings):  # noqa: ANN201 - Flask is imported here only
    """Flask over bare pyoxigraph: the stored query's text, parameters substituted as terms, the store's
    dataset, ``serialize`` in the asked format."""
    import pyoxigraph as ox
    from flask import Flask, Response, request

    from kg.query.catalogue import bind
    from kg.stores.base import substitute
    from kg.stores.oxigraph import query_kwargs, to_ox
    from kg.stores.store import open_kg

    kg = open_kg(settings.replace(store="oxigraph"))
    store = kg.union.store
    catalogue = load_catalogue(settings.queries_dir, settings.root)
    prefixes = {prefix: str(ns) for prefix, ns in kg.union.namespaces()}
    app = Flask(__name__)

    @app.get("/queries/<name>")
    def answer(name: str) -> Response:
        stem, _, ext = name.rpartition(".")
        stored = catalogue[stem]
        bindings = bind(stored, request.args.to_dict())
        kwargs = query_kwargs(store, (), ())
        text = stored.prepared.text
        if stored.kind == "SELECT" and bindings:
            text = substitute(text, bindings)
        elif bindings:
            kwargs["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
        result = store._inner.query(text, **kwargs)
        if ext == "ttl":
            body = ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
            return Response(body, content_type="text/turtle")
        body = result.serialize(format=getattr(ox.QueryResultsFormat, ext.upper()))
        return Response(body, content_type="application/octet-stream")

    return app


def serve_bare(port: int, workers: int) -> None:
    from kg.web.server import EmbeddedServer, gunicorn_options

    settings = Settings.from_env()
    options = gunicorn_options(settings, host="127.0.0.1", port=port, workers=workers)
    options["proc_name"] = "careers-kg-bare-oxigraph"
    EmbeddedServer(bare_app(settings), options).run()


# ------------------------------------------------------------------------------------------- measures


def target(stored: StoredQuery, fmt: str) -> str:
    ext = EXTENSIONS["turtle" if stored.kind in ("CONSTRUCT", "DESCRIBE") else fmt]
    params = {p.name: p.example for p in stored.params if p.example}
    return f"/queries/{stored.name}{ext}" + (f"?{urlencode(params)}" if params else "")


def timed(base: str, path: str, count: int) -> tuple[list[float], bytes]:
    """*count* sequential GETs on one keep-alive connection: their seconds, and the last body."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    times, body = [], b""
    try:
        for _ in range(count):
            start = time.perf_counter()
            conn.request("GET", path, headers=HEADERS)
            response = conn.getresponse()
            body = response.read()
            times.append(time.perf_counter() - start)
            if response.status != 200:
                raise RuntimeError(f"{base}{path}: HTTP {response.status}: {body[:200]!r}")
    finally:
        conn.close()
    return times, body


def rows(body: bytes, path: str) -> int:
    """Rows (or lines) of a body, to check that the servers answer the same thing."""
    if ".json" in path:
        doc = json.loads(body)
        return len(doc["results"]["bindings"]) if "results" in doc else -1
    if ".xml" in path:
        return body.count(b"<result>")
    if ".ttl" in path:
        from rdflib import Graph

        return len(Graph().parse(data=body, format="turtle"))
    return len(body.splitlines()) - 1


def bench(catalogue, fmts: list[str], bases: dict[str, str], count: int) -> list[tuple[str, dict]]:
    servers = tuple(bases)
    table = []
    for fmt in fmts:
        for stored in catalogue.values():
            path = target(stored, fmt)
            if stored.kind in ("CONSTRUCT", "DESCRIBE") and fmt != fmts[0]:
                continue
            counts = {s: rows(timed(bases[s], path, 1)[1], path) for s in servers}
            if len(set(counts.values())) != 1:
                print(f"!!! {path}: the servers answer different row counts {counts}")
            times: dict[str, list[float]] = {s: [] for s in servers}
            for n in range(3):
                order = servers[n:] + servers[:n]
                for s in order:
                    times[s] += timed(bases[s], path, count)[0]
            medians = {s: statistics.median(t) for s, t in times.items()}
            table.append((path.split("?")[0], {"rows": counts["new"], **medians}))
            ms = " ".join(f"{medians[s] * 1e3:>9.1f}" for s in servers)
            ratios = " ".join(f"{medians[s] / medians['bare']:>8.2f}" for s in servers if s != "bare")
            print(f"{path.split('?')[0][9:]:<32} {counts['new']:>6} {ms} {ratios}")
    return table


# ----------------------------------------------------------------------------------------------- main


def old_checkout(ref: str, into: Path) -> Path:
    """The tree of *ref* extracted into *into* (`git archive`: nothing is registered in the repository)."""
    into.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--professions", type=int, default=2000)
    parser.add_argument("--big", action="store_true", help="40 000 professions (about 2 * 10^6 triples)")
    parser.add_argument("--formats", default="json", help="comma-separated: json,xml,csv,tsv")
    parser.add_argument("--requests", type=int, default=5, help="requests per round (3 rounds)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--old", default=OLD_REF, help=f"the commit of the old path (default {OLD_REF})")
    parser.add_argument("--no-old", action="store_true", help="new and bare only")
    parser.add_argument(
        "--data",
        action="append",
        type=Path,
        metavar="FILE",
        help="data files instead of the seed and synthetic professions (repeatable)",
    )
    parser.add_argument("--cache", type=Path, help="a build cache to keep and reuse (default: temporary)")
    parser.add_argument("--tag", help="only the stored queries with this tag (e.g. oews)")
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare:
        serve_bare(args.serve_bare, args.workers)
        return 0
    professions = 40_000 if args.big else args.professions
    fmts = [f.strip() for f in args.formats.split(",") if f.strip() in EXTENSIONS]
    settings = Settings.from_env(root=ROOT)
    sys.stdout.reconfigure(line_buffering=True)
    with tempfile.TemporaryDirectory(prefix="careers-kg-streaming-") as tmp:
        work = Path(tmp)
        if args.data:
            files, described = [p.resolve() for p in args.data], ", ".join(p.name for p in args.data)
        else:
            files = [*settings.data_files, work / "synth.nt"]
            triples = synth.write(files[-1], professions)
            described = f"seed + {professions} synthetic professions ({triples} triples)"
        env = {
            **os.environ,
            "CAREERS_KG_CACHE": str(args.cache or work / "cache"),
            "CAREERS_KG_DATA": os.pathsep.join(map(str, files)),
            "CAREERS_KG_QUERIES": str(settings.queries_dir),
        }
        env.pop("CAREERS_KG_STORE", None)
        started = time.monotonic()
        summary = build_once(env, work / "build.log")
        print(f"{described}: {summary} ({time.monotonic() - started:.0f} s)")
        servers = ("new", "bare") if args.no_old else SERVERS
        ports = {s: free_port() for s in servers}
        serve = [sys.executable, "-m", "kg", "serve", "--store", "oxigraph", "--workers", str(args.workers)]
        argvs = {
            "old": [*serve, "--port", str(ports.get("old", 0))],
            "new": [*serve, "--port", str(ports["new"])],
            "bare": [
                sys.executable,
                __file__,
                "--serve-bare",
                str(ports["bare"]),
                "--workers",
                str(args.workers),
            ],
        }
        old = None if args.no_old else old_checkout(args.old, work / "old")
        envs = {"old": {**env, "PYTHONPATH": str(old)}, "new": env, "bare": env}
        bases = {s: f"http://127.0.0.1:{p}" for s, p in ports.items()}
        catalogue = load_catalogue(settings.queries_dir, settings.root)
        if args.tag:
            catalogue = {name: q for name, q in catalogue.items() if args.tag in q.tags}
        first = next(iter(catalogue.values()))
        ready = {"old": "/healthz", "new": "/healthz", "bare": target(first, "json")}
        with ExitStack() as stack:
            for s in servers:
                cwd = old if s == "old" else ROOT  # python -m imports kg from the folder it runs in
                stack.enter_context(server(argvs[s], envs[s], bases[s] + ready[s], work / f"{s}.log", cwd))
            each = f"{args.workers} workers each; {args.requests} requests x 3 rounds per cell, no-cache"
            print(f"servers: {', '.join(servers)} (old: {args.old}); gunicorn, {each}")
            head = " ".join(f"{s + ' ms':>9}" for s in servers)
            ratios = " ".join(f"{s + '/bare':>8}" for s in servers if s != "bare")
            print(f"\n{'stored query':<32} {'rows':>6} {head} {ratios}")
            table = bench(catalogue, fmts, bases, args.requests)
        new = statistics.median(c["new"] / c["bare"] for _, c in table)
        verdict = "ok" if new <= GOAL else "MISSED"
        line = f"\nmedian over {len(table)} cells: new/bare {new:.2f} (goal <= {GOAL}: {verdict})"
        if "old" in servers:
            old_ratio = statistics.median(c["old"] / c["bare"] for _, c in table)
            gain = statistics.median(c["old"] / c["new"] for _, c in table)
            line += f", old/bare {old_ratio:.2f}, old/new {gain:.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
