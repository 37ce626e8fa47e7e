"""Stored queries over HTTP (issue 6): the Oxigraph store against the rdflib (memory) store, side by side.

    .venv/bin/python bench/scale_http.py [--professions N ...] [--rounds R] [--duration S]
        [--connections C] [--workers W] [--timeout T] [--budget B]

For the seed (data/*.ttl) and for the seed plus a synthetic data set of N professions each
(kg/importers/synth.py;
default 2000, about 10^5 asserted triples), the KG is built once (`python -m kg build --store oxigraph`, a
temporary build cache), then two real servers are started on free loopback ports — `python -m kg serve
--store memory` and `--store oxigraph`, the same number of gunicorn workers, `--query-timeout T` — and every
stored query (queries/*.rq) is requested on its example parameters: `/queries/NAME.json?param=example`
(`.jsonld` for CONSTRUCT queries).

Every request carries `Cache-Control: no-cache`, so the server's response cache (kg.web.cache) does not
answer it: each one runs its query. Before measuring, each URL is fetched once from both servers: it must be
200 and both stores must return the same JSON: "same" (the same bytes), "same (order)" (the same solutions
in another order), "same (JSON-LD)" (isomorphic graphs); otherwise "LEXICAL" (the same values, some numeric
literals written differently, e.g. "1.50" and "1.5") or "MISMATCH", both printed loudly with an example. That
single request (repeated once when it is quick) is also the probe of the query's latency on each store.

Then, per query, R rounds alternate the two servers (memory first in odd rounds, oxigraph first in even
ones), C connections for S seconds each. Load comes from `wrk` when it is installed and the cell's probe says
a request under load takes under a tenth of a round; otherwise from a closed-loop client in this process (C
threads with keep-alive connections, which lets the requests in flight at the end finish and counts them:
wrk drops them, which under-counts slow queries; the tool is shown per cell). Per cell (query, store): req/s
of 200 responses and p50 latency per round, their medians, and the ratios oxigraph/memory of both. A request
has T seconds (client and server side): a cell whose check, or most of whose rounds, got no answer within
them prints "timeout" ("t/o" for a round). A cell stops after B seconds of rounds (one round at least), or
once most of its rounds have gone unanswered. The machine may be shared and noisy: only the medians of rounds
measured in the same run, close in time, are compared. Prints only; asserts nothing.
"""

from __future__ import annotations

import argparse
import decimal
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web_throughput import server, wrk_failures  # noqa: E402
from kg.config import Settings  # noqa: E402
from kg.importers import synth  # noqa: E402
from kg.query.catalogue import StoredQuery, load_catalogue  # noqa: E402
from kg.rdf import formats  # noqa: E402
from kg.stores.processes import free_port  # noqa: E402

STORES = ("memory", "oxigraph")
NO_CACHE = {"Cache-Control": "no-cache", "Accept": "application/json"}
BUILD_TIMEOUT = 1800.0
WRK_SHARE = 10  # wrk only when a request under load takes at most 1/WRK_SHARE of a round
REPROBE = 1.0  # a checking request quicker than this is repeated (the quicker one decides the tool)


# ------------------------------------------------------------------------------------------- measures


@dataclass
class Round:
    """One load run on one server: 200 responses per second, their p50 (s), what went wrong."""

    rps: float
    p50: float | None
    ok: int
    timeouts: int = 0
    failed: int = 0
    elapsed: float = 0.0

    @property
    def answered(self) -> bool:
        return self.ok > 0


@dataclass
class Cell:
    """A (query, store) pair: the probe, then its rounds."""

    status: str = "ok"  # ok | timeout | failed: ... (the probe)
    probe: float = float("nan")  # seconds of the checking request (the quicker of two when it is short)
    tool: str = "-"  # wrk | loop
    rounds: list[Round] = field(default_factory=list)

    def spent(self) -> float:
        return sum(r.elapsed for r in self.rounds)

    def unanswered(self) -> int:
        return sum(not r.answered for r in self.rounds)

    def timed_out(self) -> bool:
        """The probe timed out, or most rounds got no answer in time."""
        return self.status != "ok" or self.unanswered() * 2 > len(self.rounds)

    def rps(self) -> float | None:
        return statistics.median(r.rps for r in self.rounds) if self.rounds and not self.timed_out() else None

    def p50(self) -> float | None:
        values = [r.p50 for r in self.rounds if r.p50 is not None]
        return statistics.median(values) if values and not self.timed_out() else None

    def troubles(self) -> int:
        return sum(r.timeouts + r.failed for r in self.rounds)


@dataclass
class Row:
    """One stored query: its URL on each server, its two cells, what the check found."""

    urls: dict[str, str]
    cells: dict[str, Cell]
    verdict: str = "-"
    detail: str = ""
    size: str = "-"

    @property
    def tools(self) -> str:
        """The load tool of each cell: "wrk", "loop", or "memory/oxigraph" when they differ."""
        tools = [self.cells[store].tool for store in STORES]
        return tools[0] if len(set(tools)) == 1 else "/".join(tools)

    def answered(self) -> bool:
        return any(c.status == "ok" for c in self.cells.values())


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _seconds(number: str, unit: str) -> float:
    return float(number) * _UNITS[unit]


def wrk_round(url: str, seconds: float, connections: int, threads: int, timeout: float) -> Round:
    """One wrk run (its report parsed as bench/web_throughput.py does, plus --latency's p50)."""
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    argv += [f"--timeout={max(1, round(timeout))}s"]
    for name, value in NO_CACHE.items():
        argv += ["-H", f"{name}: {value}"]
    started = time.monotonic()
    out = subprocess.run(
        [*argv, url], capture_output=True, text=True, timeout=seconds + timeout + 30, check=True
    ).stdout
    elapsed = time.monotonic() - started
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", out)
    total, window = int(done.group(1)), _seconds(done.group(2), done.group(3))
    bad, (connect, read, write, timeouts) = wrk_failures(out)
    failed = bad + connect + read + write
    ok = total - bad
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.MULTILINE)
    latency = _seconds(p50.group(1), p50.group(2)) if p50 and ok else None
    return Round(ok / window if window else 0.0, latency, ok, timeouts, failed, elapsed)


def closed_loop_round(url: str, seconds: float, connections: int, timeout: float) -> Round:
    """*connections* threads, each with a keep-alive connection, sending GETs until *seconds* have passed;
    requests in flight then are waited for (at most *timeout*) and counted: req/s over the real elapsed."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lock = threading.Lock()
    latencies: list[float] = []
    troubles = {"timeouts": 0, "failed": 0}

    def count(kind: str) -> None:
        with lock:
            troubles[kind] += 1

    def run(deadline: float) -> None:
        conn: http.client.HTTPConnection | None = None
        while time.monotonic() < deadline:
            if conn is None:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
            start = time.perf_counter()
            try:
                conn.request("GET", target, headers=NO_CACHE)
                response = conn.getresponse()
                response.read()
            except TimeoutError:
                count("timeouts")
                conn.close()
                conn = None
                continue
            except (OSError, http.client.HTTPException):
                count("failed")
                conn.close()
                conn = None
                continue
            took = time.perf_counter() - start
            if response.status == 200:
                with lock:
                    latencies.append(took)
            else:
                count("timeouts" if response.status == 503 else "failed")  # 503: the server's time limit
        if conn is not None:
            conn.close()

    started = time.monotonic()
    workers = [
        threading.Thread(target=run, args=(started + seconds,), daemon=True) for _ in range(connections)
    ]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    elapsed = time.monotonic() - started
    p50 = statistics.median(latencies) if latencies else None
    return Round(
        len(latencies) / elapsed, p50, len(latencies), troubles["timeouts"], troubles["failed"], elapsed
    )


# ----------------------------------------------------------------------------------------------- check


def url_path(stored: StoredQuery) -> str:
    """/queries/NAME.json (.jsonld for a graph query) with every parameter's example value."""
    graph = stored.kind in ("CONSTRUCT", "DESCRIBE")
    extension = formats.BY_NAME["jsonld" if graph else "json"].extension
    params = {p.name: p.example for p in stored.params if p.example}
    return f"/queries/{stored.name}{extension}" + (f"?{urlencode(params)}" if params else "")


def probe(url: str, timeout: float) -> tuple[str, float, bytes]:
    """(status, seconds, body) of one uncached GET: status "ok", "timeout" or "failed: …"."""
    request = urllib.request.Request(url, headers=NO_CACHE)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return "ok", time.perf_counter() - start, body
    except urllib.error.HTTPError as exc:
        took = time.perf_counter() - start
        return ("timeout" if exc.code == 503 else f"failed: HTTP {exc.code}"), took, b""
    except TimeoutError:
        return "timeout", time.perf_counter() - start, b""
    except OSError as exc:
        return f"failed: {type(exc).__name__}: {exc}", time.perf_counter() - start, b""


def compare_bodies(stored: StoredQuery, memory: bytes, oxigraph: bytes) -> tuple[str, str, str]:
    """(verdict, detail, size) for the two stores' bodies. Verdicts: "same" (the same bytes), "same (order)"
    (the same solutions in another order), "same (JSON-LD)" (isomorphic graphs), "LEXICAL" (the same values,
    but some numeric literals written differently, e.g. "1.50" and "1.5") and "MISMATCH"."""
    if stored.kind in ("CONSTRUCT", "DESCRIBE"):
        from rdflib import Graph
        from rdflib.compare import isomorphic

        graphs = [Graph().parse(data=body, format="json-ld") for body in (memory, oxigraph)]
        size = f"{len(graphs[0])} triples"
        if memory == oxigraph:
            return "same", "", size
        if isomorphic(*graphs):
            return "same (JSON-LD)", "isomorphic graphs, other JSON-LD", size
        return "MISMATCH", f"{len(graphs[0])} triples on memory, {len(graphs[1])} on oxigraph", size
    docs = [json.loads(body) for body in (memory, oxigraph)]
    rows = [[_canonical(r) for r in d.get("results", {}).get("bindings", [])] for d in docs]
    size = f"{len(rows[0])} rows" if "results" in docs[0] else "ASK"
    if memory == oxigraph:
        return "same", "", size
    if docs[0].get("head") != docs[1].get("head"):
        return "MISMATCH", f"head {docs[0].get('head')} on memory, {docs[1].get('head')} on oxigraph", size
    if docs[0] == docs[1] or sorted(rows[0]) == sorted(rows[1]):
        return "same (order)", "the same solutions in another order", size
    values = [sorted(_canonical(json.loads(r), by_value=True) for r in side) for side in rows]
    if values[0] == values[1]:
        return "LEXICAL", "the same values, " + _lexical_example(rows), size
    ox_rows = set(rows[1])
    only = [r for r in rows[0] if r not in ox_rows]
    first = f"; e.g. only on memory: {only[0][:200]}" if only else ""
    return "MISMATCH", f"{len(rows[0])} rows on memory, {len(rows[1])} on oxigraph{first}", size


NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}": t for t in ("decimal", "double", "float")}


def _canonical(row: dict, by_value: bool = False) -> str:
    """A solution as sorted JSON; *by_value*: decimal and floating-point literals as their values."""
    if by_value:
        row = {var: _numeric_value(term) for var, term in row.items()}
    return json.dumps(row, sort_keys=True)


def _numeric_value(term: dict) -> dict:
    if term.get("type") != "literal" or term.get("datatype") not in NUMERIC:
        return term
    try:
        number = decimal.Decimal(term["value"])
    except decimal.InvalidOperation:
        return term
    return {**term, "value": str(number.normalize())}


def _lexical_example(rows: list[list[str]]) -> str:
    """'?var "1.50" on memory, "1.5" on oxigraph (xsd:decimal)' for the first solution that differs."""
    ox_rows = set(rows[1])
    by_value = {
        _canonical(json.loads(r), by_value=True): json.loads(r) for r in rows[1] if r not in set(rows[0])
    }
    for raw in (r for r in rows[0] if r not in ox_rows):
        mem = json.loads(raw)
        ox = by_value.get(_canonical(mem, by_value=True))
        for var, term in sorted(mem.items()):
            if ox is not None and ox.get(var) != term:
                kind = NUMERIC.get(term.get("datatype"), "?")
                return f'?{var} "{term["value"]}" on memory, "{ox[var]["value"]}" on oxigraph (xsd:{kind})'
    return "numeric literals written differently"


# ------------------------------------------------------------------------------------------------ runs


@dataclass
class Options:
    rounds: int
    duration: float
    connections: int
    workers: int
    threads: int
    timeout: float
    budget: float


def build_once(env: dict[str, str], log: Path) -> str:
    """Build the KG and load the Oxigraph store into the temporary cache (both servers then start from it);
    returns the build's summary line."""
    argv = [sys.executable, "-m", "kg", "build", "--store", "oxigraph"]
    with log.open("wb") as out:
        done = subprocess.run(
            argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            timeout=BUILD_TIMEOUT, check=False,
        )  # fmt: skip
    text = log.read_text(errors="replace")
    if done.returncode != 0:
        sys.exit(f"the build failed ({done.returncode}):\n{text[-3000:]}")
    return next((line for line in text.splitlines() if line.startswith("built ")), "built")


def serve_argv(store: str, port: int, opts: Options) -> list[str]:
    argv = [sys.executable, "-m", "kg", "serve", "--store", store, "--host", "127.0.0.1", "--port", str(port)]
    return argv + ["--workers", str(opts.workers), "--query-timeout", f"{opts.timeout:g}"]


def choose_tool(cell: Cell, opts: Options, use_wrk: bool) -> str:
    """wrk when a request under load (the probe's latency, times connections per CPU) is short against a
    round (wrk drops the requests in flight at its end), else the closed loop (which waits for them)."""
    under_load = cell.probe * max(1.0, opts.connections / (os.cpu_count() or 1))
    return "wrk" if use_wrk and under_load * WRK_SHARE <= opts.duration else "loop"


def measure(row: Row, opts: Options, use_wrk: bool) -> None:
    """The rounds of one query, alternating the stores. A cell stops when its budget is spent (after one
    round at least), or when most of its rounds have already gone unanswered."""
    for cell in row.cells.values():
        cell.tool = choose_tool(cell, opts, use_wrk) if cell.status == "ok" else "-"
    for n in range(opts.rounds):
        for store in STORES if n % 2 == 0 else tuple(reversed(STORES)):
            cell = row.cells[store]
            spent = cell.rounds and cell.spent() >= opts.budget
            if cell.status != "ok" or spent or cell.unanswered() * 2 > opts.rounds:
                continue
            url = row.urls[store]
            if cell.tool == "wrk":
                result = wrk_round(url, opts.duration, opts.connections, opts.threads, opts.timeout)
            else:
                result = closed_loop_round(url, opts.duration, opts.connections, opts.timeout)
            cell.rounds.append(result)


def warm_up(url: str, opts: Options) -> None:
    """A short closed loop (not counted): every worker has run a query before the first round."""
    closed_loop_round(url, 1.0, opts.connections, opts.timeout)


def bench_dataset(
    label: str, data_files: tuple[Path, ...], settings: Settings, opts: Options, work: Path
) -> None:
    work.mkdir()
    env = {
        **os.environ,
        "CAREERS_KG_CACHE": str(work / "cache"),
        "CAREERS_KG_DATA": os.pathsep.join(map(str, data_files)),
        "CAREERS_KG_QUERIES": str(settings.queries_dir),
    }
    env.pop("CAREERS_KG_STORE", None)
    started = time.monotonic()
    summary = build_once(env, work / "build.log")
    print(f"\n## {label}: {summary} ({time.monotonic() - started:.0f} s, memory build + Oxigraph load)")
    catalogue = load_catalogue(settings.queries_dir, settings.root)
    use_wrk = shutil.which("wrk") is not None
    ports = {store: free_port() for store in STORES}
    bases = {store: f"http://127.0.0.1:{port}" for store, port in ports.items()}
    with (
        server(
            serve_argv("memory", ports["memory"], opts), env, bases["memory"] + "/healthz", work / "m.log"
        ),
        server(
            serve_argv("oxigraph", ports["oxigraph"], opts),
            env,
            bases["oxigraph"] + "/healthz",
            work / "o.log",
        ),
    ):
        print(
            f"servers up in {time.monotonic() - started:.0f} s: gunicorn, {opts.workers} workers each, "
            f"--query-timeout {opts.timeout:g}; {opts.rounds} rounds of {opts.duration:g} s per store, "
            f"{opts.connections} connections, Cache-Control: no-cache; budget {opts.budget:g} s per cell"
        )
        rows = check_all(catalogue, bases, opts)
        for store in STORES:
            answered = [
                (r.cells[store].probe, r.urls[store]) for r in rows.values() if r.cells[store].status == "ok"
            ]
            if answered:
                warm_up(min(answered)[1], opts)
        print(f"\n{'query':<22} {'tool':<8} | memory: req/s by round, p50 ms by round | oxigraph: the same")
        for name, row in rows.items():
            if row.answered():
                measure(row, opts, use_wrk)
            memory, oxigraph = rounds_text(row.cells["memory"]), rounds_text(row.cells["oxigraph"])
            print(f"{name:<22} {row.tools:<8} | {memory} | {oxigraph}")
    report(rows)


def check_all(catalogue: Mapping[str, StoredQuery], bases: dict[str, str], opts: Options) -> dict[str, Row]:
    """Each URL once from both servers: statuses, probe latencies and the comparison of the bodies."""
    rows = {}
    differ = 0
    for name, stored in catalogue.items():
        path = url_path(stored)
        row = Row({store: bases[store] + path for store in STORES}, {})
        bodies = {}
        for store in STORES:
            status, took, bodies[store] = probe(row.urls[store], opts.timeout)
            if status == "ok" and took < REPROBE:  # the first request may be a cold one: a second look
                again, took_again, _body = probe(row.urls[store], opts.timeout)
                took = min(took, took_again) if again == "ok" else took
            row.cells[store] = Cell(status, took)
            if status.startswith("failed"):
                print(f"!!! {path} on {store}: {status}")
        if all(c.status == "ok" for c in row.cells.values()):
            row.verdict, row.detail, row.size = compare_bodies(stored, bodies["memory"], bodies["oxigraph"])
            if not row.verdict.startswith("same"):
                differ += 1
                print(f"!!! {row.verdict} {path}: {row.detail}")
        rows[name] = row
    both = sum(r.verdict != "-" for r in rows.values())
    same = sum(r.verdict.startswith("same") for r in rows.values())
    loud = f"!!! {differ} DIFFER (see above)" if differ else "none differ"
    print(
        f"checked {len(rows)} URLs: {both} answered 200 by both stores, {same} with the same results; {loud}"
    )
    return rows


def shown(cell: Cell, value: float | None, scale: float = 1.0) -> str:
    """A median for the table: "failed" if the check failed, "timeout" if no answer came in time."""
    if cell.status.startswith("failed"):
        return "failed"
    return "timeout" if value is None else f"{value * scale:.1f}"


def rounds_text(cell: Cell) -> str:
    if cell.status != "ok":
        return f"{cell.status} (probe {cell.probe:.1f} s)"
    rps = " ".join("t/o" if not r.answered else f"{r.rps:.1f}" for r in cell.rounds)
    p50 = " ".join("t/o" if r.p50 is None else f"{r.p50 * 1000:.0f}" for r in cell.rounds)
    trouble = f" ({cell.troubles()} timeouts/errors)" if cell.troubles() else ""
    return f"{rps:<18} {p50:<16}{trouble}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None or not a else f"{b / a:.2f}"


def report(rows: dict[str, Row]) -> None:
    print(
        "\n| query | result | bodies | tool | memory req/s | oxigraph req/s | ox/mem req/s "
        "| memory p50 ms | oxigraph p50 ms | ox/mem p50 |"
    )
    print("|---|---|---|---|--:|--:|--:|--:|--:|--:|")
    rps_ratios, p50_ratios = [], []
    for name, row in rows.items():
        mem, ox = row.cells["memory"], row.cells["oxigraph"]
        m_rps, o_rps, m_p50, o_p50 = mem.rps(), ox.rps(), mem.p50(), ox.p50()
        if m_rps and o_rps:
            rps_ratios.append(o_rps / m_rps)
        if m_p50 and o_p50:
            p50_ratios.append(o_p50 / m_p50)
        print(
            f"| {name} | {row.size} | {row.verdict} | {row.tools} | {shown(mem, m_rps)} | {shown(ox, o_rps)} "
            f"| {ratio(m_rps, o_rps)} | {shown(mem, m_p50, 1000)} | {shown(ox, o_p50, 1000)} "
            f"| {ratio(m_p50, o_p50)} |"
        )
    if rps_ratios:
        geomean = statistics.geometric_mean(rps_ratios)
        print(
            f"\nover {len(rps_ratios)} queries answered by both: ox/mem req/s median "
            f"{statistics.median(rps_ratios):.2f} (geometric mean {geomean:.2f}); "
            f"ox/mem p50 median {statistics.median(p50_ratios):.2f}"
        )


# ------------------------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--professions", type=int, nargs="*", default=[2000], help="synthetic sizes (default 2000)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds per store and query (default 3)")
    parser.add_argument("--duration", type=float, default=1.0, help="seconds of load per round (default 1)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds of rounds per cell (default 30)")
    args = parser.parse_args(argv)
    if not (
        1 <= args.rounds <= 20
        and 0 < args.duration <= 60
        and 1 <= args.connections <= 64
        and 1 <= args.threads <= args.connections
        and 0 < args.timeout <= 300
        and all(n > 0 for n in args.professions)
    ):
        parser.error("need 1 <= rounds <= 20, 0 < duration <= 60, 1 <= threads <= connections <= 64, "
                     "0 < timeout <= 300 and professions > 0")  # fmt: skip
    opts = Options(
        args.rounds, args.duration, args.connections, args.workers, args.threads, args.timeout, args.budget
    )
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it comes, even into a file
    settings = Settings.from_env(root=ROOT)
    started = time.monotonic()
    tool = (
        "wrk where a request is short, else a closed-loop client"
        if shutil.which("wrk")
        else "a closed-loop client (no wrk)"
    )
    print(
        f"Careers KG over HTTP: Oxigraph vs memory store · {os.cpu_count()} CPUs · Python "
        f"{sys.version.split()[0]} · load from {tool} · load average {os.getloadavg()[0]:.2f}"
    )
    try:
        with tempfile.TemporaryDirectory(prefix="careers-kg-scale-http-") as tmp:
            work = Path(tmp)
            bench_dataset("seed", settings.data_files, settings, opts, work / "seed")
            for n in args.professions:
                data = work / f"synth-{n}.nt"
                triples = synth.write(data, n)
                label = f"seed + synthetic {n} professions ({triples} triples)"
                bench_dataset(label, (*settings.data_files, data), settings, opts, work / f"synth-{n}")
    except KeyboardInterrupt:
        print("\ninterrupted: servers stopped", file=sys.stderr)
        return 130
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        print(f"\nthe benchmark stopped: {type(exc).__name__}: {exc} (servers stopped)", file=sys.stderr)
        return 1
    print(f"\ntotal {time.monotonic() - started:.0f} s, load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
