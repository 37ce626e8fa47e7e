"""Load benchmark (issue 5, "Load"): 50 concurrent clients on a mix of routes, against a server started here.

    .venv/bin/python bench/load.py [--seconds 30] [--clients 50] [--procs 2] [--query-timeout 10]
        [--workers 2] [--liveness-seconds 10] [--data seed|default] [--cache DIR]

``--data seed`` (the default) serves data/careers.ttl from the memory store; ``--data default`` the shipped
data (the seed and BLS OEWS May 2025, national and state: about 1.3 million triples) from the Oxigraph store,
and adds occupation pages, state pages, occupation compares and the OEWS stored queries to the mix
(bench/load_mix.py). ``--cache DIR`` keeps the build cache (and the Oxigraph store) for the next run: the
default data is built into it once (minutes), then the server starts in about a second.

After a warm-up (every cacheable request of the mix, 4 times; not counted), three phases against one server
(``python -m kg serve`` on a free loopback port, a temporary build cache):

1. load: *clients* keep-alive clients for *seconds* on a mix of routes — entity pages and their data twins,
   compare (page and JSON), search, stored queries and ad-hoc SPARQL (with --data default, also the OEWS
   pages and queries). Ad-hoc queries carry a unique comment
   and half of the stored queries a unique Accept header, so they miss the response cache and really run in
   the sandbox; pages may be answered from it, as in production. Every response must be 200: zero errors is
   the check;
2. load + runaways: the same, with two runaway queries (cartesian products) re-issued as soon as they are
   stopped (503 at the time limit) running in the background; phases 1 and 2 alternate in slices (--slice,
   10 s), so that a drift of a shared machine weighs on both alike;
3. liveness: a probe asking /healthz and a stored query in turn (20 requests/s; the stored query with a unique
   Accept header, so it runs), first on the idle server (the reference), then with only the two runaways.

Prints throughput and p50/p99 per phase side by side with ratios, per route kind, and the /healthz and
stored-query p99 while the runaways run (goal: p99 < 100 ms). Clients run in *procs* processes (threads in
each) so the GIL of one client process is not the bottleneck; on a small machine they share its CPUs with the
server, which the numbers include. Loopback only; every phase is bounded in time and every request by a 60 s
socket timeout. Exit status 1 if any error was seen.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from load_mix import JSON, KINDS, MIXES, PROFESSIONS, SPARQL_JSON, Mix, uncached

from kg.stores.processes import free_port, stop_process

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START_TIMEOUT = 120.0  # the seed; the default data, built into an empty --cache, takes minutes
BUILD_TIMEOUT = 900.0
SEED = ROOT / "data" / "careers.ttl"
REQUEST_TIMEOUT = 60.0
LIVENESS_GOAL_MS = 100.0
PROBE_INTERVAL = 0.05

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


# --- HTTP client -----------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; reconnects (and retries once) only when a reused connection was closed by
    the server before answering, as HTTP clients do."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def get(self, target: str, headers: dict[str, str]) -> tuple[int, float]:
        for attempt in (0, 1):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            start = time.monotonic()
            try:
                self.conn.request("GET", target, headers=headers)
                response = self.conn.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, time.monotonic() - start
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if not reused or attempt:
                    raise
                self.reconnects += 1
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Samples:
    """Latencies (seconds) by route kind, and what went wrong."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    reconnects: int = 0

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def merge(self, other: Samples) -> None:
        for kind, values in other.latencies.items():
            self.latencies.setdefault(kind, []).extend(values)
        self.errors.extend(other.errors)
        self.reconnects += other.reconnects

    def all(self) -> list[float]:
        return [v for values in self.latencies.values() for v in values]


def client_process(
    mix: Mix, port: int, threads: int, seconds: float, seed: int, start_at: float, out
) -> None:
    """*threads* clients for *seconds* from *start_at* (time.time()); the samples go to *out* (a Queue)."""
    samples = Samples()
    lock = threading.Lock()

    def run(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        client = Client(port)
        mine = Samples()
        delay = start_at - time.time()
        if delay > 0:
            time.sleep(delay)
        end = time.monotonic() + seconds
        i = 0
        while time.monotonic() < end:
            kind, target, headers = mix.pick(rng, f"{seed}-{n}-{i}")
            i += 1
            try:
                status, elapsed = client.get(target, headers)
            except Exception as exc:  # noqa: BLE001 - every failure is an error to report
                mine.errors.append(f"{target[:80]}: {type(exc).__name__}: {exc}")
                continue
            if status != 200:
                mine.errors.append(f"{target[:80]}: HTTP {status}")
            else:
                mine.add(kind, elapsed)
        client.close()
        mine.reconnects = client.reconnects
        with lock:
            samples.merge(mine)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    out.put((samples.latencies, samples.errors, samples.reconnects))


def run_load(mix: Mix, port: int, clients: int, procs: int, seconds: float) -> tuple[Samples, float]:
    """*clients* clients spread over *procs* processes for *seconds*; (samples, wall seconds)."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 0.5
    shares = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    children = [
        ctx.Process(target=client_process, args=(mix, port, n, seconds, i + 1, start_at, out))
        for i, n in enumerate(shares)
        if n
    ]
    for child in children:
        child.start()
    samples = Samples()
    for _ in children:
        latencies, errors, reconnects = out.get(timeout=seconds + REQUEST_TIMEOUT + 30)
        samples.merge(Samples(latencies, errors, reconnects))
    for child in children:
        child.join(timeout=10)
    return samples, seconds


def warm_up(mix: Mix, port: int, rounds: int = 4, threads: int = 8) -> tuple[int, list[str]]:
    """Request every cacheable target *rounds* times on fresh connections (so every worker sees it): the
    measured phases then see a stationary mix (cached pages, stored and ad-hoc queries that run)."""
    todo = [item for item in mix.cacheable() for _ in range(rounds)]
    errors: list[str] = []
    lock = threading.Lock()

    def run(items: list[tuple[str, str, dict[str, str]]]) -> None:
        for _kind, target, headers in items:
            client = Client(port)
            try:
                status, _elapsed = client.get(target, headers)
                if status != 200:
                    with lock:
                        errors.append(f"warm-up {target}: HTTP {status}")
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"warm-up {target}: {type(exc).__name__}: {exc}")
            finally:
                client.close()

    workers = [threading.Thread(target=run, args=(todo[i::threads],)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return len(todo), errors


# --- runaways and probes ---------------------------------------------------------------------------------


class Runaways:
    """Two (or *n*) threads each re-issuing a runaway query as soon as the server stops it."""

    def __init__(self, port: int, n: int = 2) -> None:
        self.port = port
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.durations: list[float] = []
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(n)]

    def __enter__(self) -> Runaways:
        for t in self.threads:
            t.start()
        time.sleep(0.3)  # both are running before anything is measured
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=REQUEST_TIMEOUT)

    def absorb(self, other: Runaways) -> None:
        self.statuses += other.statuses
        self.durations += other.durations
        self.errors += other.errors

    def _run(self) -> None:
        client = Client(self.port)
        target = "/sparql?query=" + quote(RUNAWAY, safe="")
        while not self.stop.is_set():
            try:
                status, elapsed = client.get(target, SPARQL_JSON)
            except Exception as exc:  # noqa: BLE001
                self.errors.append(f"runaway: {type(exc).__name__}: {exc}")
                time.sleep(0.1)
                continue
            self.statuses.append(status)
            self.durations.append(elapsed)
        client.close()


class Probe:
    """/healthz and a stored query in turn, every PROBE_INTERVAL, on one keep-alive connection."""

    TARGETS = (
        ("healthz", "/healthz"),
        ("stored", "/queries/profession-statistics.json?profession={p}"),
    )

    def __init__(self, port: int) -> None:
        self.port = port
        self.stop = threading.Event()
        self.samples = Samples()
        self.rng = random.Random()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Probe:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=REQUEST_TIMEOUT)

    def _run(self) -> None:
        client = Client(self.port)
        i = 0
        while not self.stop.is_set():
            kind, target = self.TARGETS[i % 2]
            target = target.format(p=PROFESSIONS[(i // 2) % len(PROFESSIONS)])
            headers = uncached(self.rng.randrange(1 << 40)) if kind == "stored" else JSON  # really runs
            i += 1
            try:
                status, elapsed = client.get(target, headers)
            except Exception as exc:  # noqa: BLE001
                self.samples.errors.append(f"probe {target}: {type(exc).__name__}: {exc}")
                continue
            if status != 200:
                self.samples.errors.append(f"probe {target}: HTTP {status}")
            else:
                self.samples.add(kind, elapsed)
            self.stop.wait(PROBE_INTERVAL)
        client.close()


# --- the server ------------------------------------------------------------------------------------------


def start_server(
    port: int, workers: int, timeout: float, cache: Path, log: Path, data: str = "seed"
) -> subprocess.Popen:
    """The server on *data*: ``seed`` (data/careers.ttl, memory store) or ``default`` (the shipped data, the
    seed and BLS OEWS, on the Oxigraph store), with the build cache *cache*."""
    argv = [sys.executable, "-m", "kg", "serve", "--host", HOST, "--port", str(port)]
    argv += ["--workers", str(workers), "--query-timeout", f"{timeout:g}"]
    env = {k: v for k, v in os.environ.items() if k not in ("CAREERS_KG_QUERIES", "CAREERS_KG_DATA")}
    env["CAREERS_KG_CACHE"] = str(cache)
    env.update({"CAREERS_KG_DATA": str(SEED), "CAREERS_KG_STORE": "memory"} if data == "seed" else {})
    env.update({"CAREERS_KG_STORE": "oxigraph"} if data == "default" else {})
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    limit = START_TIMEOUT if data == "seed" else BUILD_TIMEOUT
    deadline = time.monotonic() + limit
    probe = Client(port)
    while True:
        if proc.poll() is not None:
            sys.exit(f"the server exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if probe.get("/healthz", JSON)[0] == 200:
                probe.close()
                return proc
        except OSError:
            probe.close()
        if time.monotonic() > deadline:
            stop_server(proc)
            sys.exit(f"no /healthz within {limit:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)


stop_server = stop_process


# --- report ----------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) in milliseconds; nan if empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] * 1000


def ratio(a: float, b: float) -> str:
    return f"{b / a:6.2f}x" if a and a == a and b == b else "    - "


def report(base: tuple[Samples, float], loaded: tuple[Samples, float]) -> None:
    (a, sa), (b, sb) = base, loaded
    print(f"\n{'':24}{'load':>14}{'load + 2 runaways':>20}{'ratio':>9}")
    rows = [("requests", len(a.all()), len(b.all()), "{:14d}", "{:20d}")]
    for name, x, y, fa, fb in rows:
        print(f"{name:24}" + fa.format(x) + fb.format(y) + f"{ratio(x, y):>9}")
    ta, tb = len(a.all()) / sa, len(b.all()) / sb
    print(f"{'throughput (req/s)':24}{ta:14.1f}{tb:20.1f}{ratio(ta, tb):>9}")
    for q, label in ((0.5, "p50"), (0.99, "p99")):
        x, y = pct(a.all(), q), pct(b.all(), q)
        print(f"{'all ' + label + ' (ms)':24}{x:14.1f}{y:20.1f}{ratio(x, y):>9}")
    for kind in (k for k in KINDS if k in a.latencies or k in b.latencies):
        for q, label in ((0.5, "p50"), (0.99, "p99")):
            x, y = pct(a.latencies.get(kind, []), q), pct(b.latencies.get(kind, []), q)
            print(f"{kind + ' ' + label + ' (ms)':24}{x:14.1f}{y:20.1f}{ratio(x, y):>9}")
    print(f"{'errors':24}{len(a.errors):14d}{len(b.errors):20d}")
    print(f"{'keep-alive reconnects':24}{a.reconnects:14d}{b.reconnects:20d}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each load phase (default 30)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--procs", type=int, default=2, help="client processes (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--query-timeout", type=float, default=10.0, help="server time limit (default 10)")
    parser.add_argument(
        "--slice", type=float, default=10.0, help="phases 1 and 2 alternate in slices this long (default 10)"
    )
    parser.add_argument("--liveness-seconds", type=float, default=10.0, help="phase 3 length (default 10)")
    parser.add_argument(
        "--data",
        choices=sorted(MIXES),
        default="seed",
        help="seed (data/careers.ttl, memory store; the default) or default (the shipped data: the seed and "
        "BLS OEWS national and state, Oxigraph store; with occupation and state pages, occupation compares "
        "and the OEWS stored queries in the mix)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="build cache to use and keep (default: a temporary one); the default data builds into it once",
    )
    args = parser.parse_args()
    if not (0 < args.seconds <= 600 and 0 < args.clients <= 500 and 0 < args.procs <= 32):
        parser.error("--seconds must be in (0, 600], --clients in (0, 500], --procs in (0, 32]")

    print(
        f"Careers KG load: {args.clients} clients in {args.procs} processes, {args.seconds:g} s per phase "
        f"(alternating slices of {min(args.slice, args.seconds):g} s); "
        f"server: {args.workers} workers, --query-timeout {args.query_timeout:g}, data {args.data}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before start"
    )
    slice_seconds = min(args.slice, args.seconds)
    mix = MIXES[args.data]
    rounds = max(1, round(args.seconds / slice_seconds))
    with tempfile.TemporaryDirectory(prefix="careers-kg-load-") as tmp:
        port = free_port()
        log = Path(tmp) / "server.log"
        started = time.monotonic()
        cache = args.cache.resolve() if args.cache else Path(tmp) / "cache"
        proc = start_server(port, args.workers, args.query_timeout, cache, log, args.data)
        print(f"server up on http://{HOST}:{port} (pid {proc.pid}) in {time.monotonic() - started:.1f} s")
        base, loaded = (Samples(), 0.0), (Samples(), 0.0)
        runaways, loaded_probe = Runaways(port), Probe(port)
        try:
            warmed, warm_errors = warm_up(mix, port)
            print(f"warm-up: {warmed} requests, {len(warm_errors)} errors (not counted)")
            # Phases 1 and 2 alternate in slices, so a drift of the machine (other processes, caches) weighs
            # on both alike; after each runaway slice the runaways still running are waited for.
            for n in range(rounds):
                samples, seconds = run_load(mix, port, args.clients, args.procs, slice_seconds)
                base = (base[0], base[1] + seconds)
                base[0].merge(samples)
                with Runaways(port) as slice_runaways, Probe(port) as slice_probe:
                    samples, seconds = run_load(mix, port, args.clients, args.procs, slice_seconds)
                    slice_runaways.stop.set()  # no new runaway once the slice is over
                loaded = (loaded[0], loaded[1] + seconds)
                loaded[0].merge(samples)
                runaways.absorb(slice_runaways)
                loaded_probe.samples.merge(slice_probe.samples)
                print(
                    f"round {n + 1}/{rounds}: {len(base[0].all())} + {len(loaded[0].all())} requests, "
                    f"{len(base[0].errors) + len(loaded[0].errors)} errors, "
                    f"load average {os.getloadavg()[0]:.2f}"
                )
            with Probe(port) as idle_probe:  # the reference: the same probe on an idle server
                time.sleep(args.liveness_seconds / 2)
            with Runaways(port) as quiet_runaways, Probe(port) as probe:
                time.sleep(args.liveness_seconds)
                quiet_runaways.stop.set()
            healthy = proc.poll() is None
        finally:
            stop_server(proc)
    report(base, loaded)

    print("\nliveness while two runaway queries run (goal: p99 < 100 ms)")
    print(f"{'':34}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    rows = [
        ("/healthz, under the 50 clients", loaded[0].latencies.get("healthz", [])),
        ("stored queries, under the 50", loaded[0].latencies.get("stored", [])),
        ("/healthz probe, phase 2", loaded_probe.samples.latencies.get("healthz", [])),
        ("stored-query probe, phase 2", loaded_probe.samples.latencies.get("stored", [])),
        ("/healthz probe, idle server", idle_probe.samples.latencies.get("healthz", [])),
        ("stored-query probe, idle server", idle_probe.samples.latencies.get("stored", [])),
        ("/healthz probe, runaways only", probe.samples.latencies.get("healthz", [])),
        ("stored-query probe, runaways only", probe.samples.latencies.get("stored", [])),
    ]
    for name, values in rows:
        print(
            f"{name:34}{len(values):6d}{pct(values, 0.5):9.1f}{pct(values, 0.99):9.1f}{pct(values, 1.0):9.1f}"
        )
    quiet = probe.samples.latencies
    liveness_ok = all(pct(quiet.get(k, []), 0.99) < LIVENESS_GOAL_MS for k in ("healthz", "stored"))
    runaway_statuses = runaways.statuses + quiet_runaways.statuses
    runaway_ok = bool(quiet_runaways.statuses) and set(runaway_statuses) == {503}
    worst = max(quiet_runaways.durations, default=float("nan"))
    print(
        f"runaways: {len(runaway_statuses)} stopped, statuses {sorted(set(runaway_statuses))}; "
        f"slowest answer {worst:.2f} s with the runaways alone (limit {args.query_timeout:g} s + 1 s), "
        f"{max(runaways.durations, default=float('nan')):.2f} s under the 50 clients (queueing included)"
    )

    errors = (
        warm_errors + base[0].errors + loaded[0].errors + loaded_probe.samples.errors + probe.samples.errors
    )
    errors += runaways.errors + quiet_runaways.errors + idle_probe.samples.errors
    print(f"\nzero-error check: {'PASS' if not errors else 'FAIL'} ({len(errors)} errors)")
    for line in sorted(set(errors))[:20]:
        print("  " + line)
    in_time = runaway_ok and worst <= args.query_timeout + 1
    print(f"runaways stopped with 503 within the limit + 1 s: {'PASS' if in_time else 'FAIL'}")
    goal = f"probe p99 < {LIVENESS_GOAL_MS:g} ms, runaways only"
    print(f"liveness goal ({goal}): {'PASS' if liveness_ok else 'MISS'}")
    print(f"server alive at the end: {'yes' if healthy else 'NO'}")
    return 0 if not errors and in_time and healthy else 1


if __name__ == "__main__":
    sys.exit(main())
