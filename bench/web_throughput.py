"""HTTP benchmark (issue 4, "Performance"), in one run, side by side with its goals:

1. throughput: a stored query over HTTP from the real server (`python -m kg serve`, gunicorn) against a bare
   Flask app returning the same bytes under the same gunicorn configuration (bench/bare_app.py); requests/s
   of each, alternating, for several rounds; medians and their ratio (goal: >= 0.90);
2. render time: entity and compare pages rendered by the Flask app in this process, bypassing the response
   cache (kg.web.cache.ResponseCache is WSGI middleware: the app behind it is called directly); p50/p95 per
   page kind, "warm" (the app's per-entity memo filled, as in a running server whose response cache misses)
   and "cold" (memo cleared before each render: the first request for a page) (goal: p50 <= 10 ms).

    .venv/bin/python bench/web_throughput.py [--rounds 5] [--seconds 3] [--connections 8]
        [--query professions]

Load comes from `wrk` when it is installed (apt-get install wrk), else from client processes holding
keep-alive http.client connections. Loopback only; every round is bounded in time, every phase in requests.
Both servers use a temporary build cache. Prints only; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.stores.processes import free_port, stop_process

ROOT = Path(__file__).resolve().parent.parent
THROUGHPUT_GOAL = 0.90
RENDER_GOAL_MS = 10.0
START_TIMEOUT = 120.0


# ------------------------------------------------------------------------------------------- servers


def wait_until_up(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"no answer from {url} within {START_TIMEOUT:.0f} s")


@contextmanager
def server(
    argv: list[str], env: dict[str, str], ready_url: str, log: Path, cwd: Path = ROOT
) -> Iterator[int]:
    """Run *argv* (its own process group, in *cwd*) until the block ends: SIGTERM, then SIGKILL to the
    group."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_until_up(proc, ready_url, log)
        yield proc.pid
    finally:
        stop_process(proc)


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers["Content-Type"], response.read()


# ---------------------------------------------------------------------------------------------- load


def wrk_rps(url: str, seconds: float, connections: int, threads: int) -> tuple[float, int]:
    """(requests/s, non-2xx responses) measured by wrk."""
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", url],
        capture_output=True, text=True, timeout=seconds + 30, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad, errors = wrk_failures(out)
    return rps, bad + sum(errors)


def wrk_failures(out: str) -> tuple[int, tuple[int, int, int, int]]:
    """From a wrk report: non-2xx/3xx responses, and socket errors (connect, read, write, timeout)."""
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    counts = tuple(int(n) for n in errors.groups()) if errors else (0, 0, 0, 0)
    return (int(bad.group(1)) if bad else 0), counts  # type: ignore[return-value]


def _client(args: tuple[str, int, str, float]) -> tuple[int, int]:
    """One keep-alive connection sending GETs until the deadline: (responses, non-200 responses)."""
    host, port, path, deadline = args
    conn = http.client.HTTPConnection(host, port, timeout=10)
    done = bad = 0
    try:
        while time.monotonic() < deadline:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            done += 1
            bad += response.status != 200
    finally:
        conn.close()
    return done, bad


def python_rps(url: str, seconds: float, connections: int) -> tuple[float, int]:
    """(requests/s, non-200 responses) from *connections* client processes (no shared GIL)."""
    match = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
    host, port, path = match.group(1), int(match.group(2)), match.group(3)
    with multiprocessing.get_context("fork").Pool(connections) as pool:
        start = time.monotonic()
        deadline = start + seconds
        results = pool.map(_client, [(host, port, path, deadline)] * connections)
        elapsed = time.monotonic() - start
    return sum(done for done, _ in results) / elapsed, sum(bad for _, bad in results)


def measure_throughput(
    real_url: str, bare_url: str, rounds: int, seconds: float, connections: int, threads: int
) -> tuple[list[float], list[float]]:
    use_wrk = shutil.which("wrk") is not None
    tool = f"wrk -t{threads} -c{connections}" if use_wrk else f"{connections} keep-alive client processes"

    def load(url: str, secs: float) -> tuple[float, int]:
        return wrk_rps(url, secs, connections, threads) if use_wrk else python_rps(url, secs, connections)

    print(f"\nthroughput: {rounds} rounds of {seconds:g} s per server ({tool}), order alternating")
    load(real_url, 1)  # warm-up: fills the response cache of both workers, opens the pools
    load(bare_url, 1)
    real, bare = [], []
    print(f"  {'round':>5}  {'real req/s':>11}  {'bare req/s':>11}  {'ratio':>6}")
    for n in range(rounds):
        order = [(real_url, real), (bare_url, bare)]
        for url, results in order if n % 2 == 0 else reversed(order):
            rps, failures = load(url, seconds)
            if failures:
                print(f"  ! {failures} failed or non-2xx responses from {url}")
            results.append(rps)
        print(f"  {n + 1:>5}  {real[-1]:>11.0f}  {bare[-1]:>11.0f}  {real[-1] / bare[-1]:>6.2f}")
    return real, bare


# -------------------------------------------------------------------------------------------- render


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def measure_render(cache_dir: Path, repeats: int) -> None:
    from rdflib import RDF
    from werkzeug.test import EnvironBuilder

    from kg.config import Settings
    from kg.pipeline.build import build
    from kg.rdf.namespaces import CKG, ID
    from kg.web import create_app
    from kg.web.cache import ResponseCache

    settings = Settings.from_env(cache_dir=cache_dir)
    kg = build(settings)
    app = create_app(settings, kg)
    assert isinstance(app.wsgi_app, ResponseCache)
    inner = app.wsgi_app.app  # the Flask app behind the response cache
    state = app.extensions["careers_kg"]

    def environ(path: str) -> dict:
        query = ""
        if "?" in path:
            path, query = path.split("?", 1)
        builder = EnvironBuilder(path=path, query_string=query, headers={"Accept": "text/html"})
        try:
            return builder.get_environ()
        finally:
            builder.close()

    def render(env: dict) -> float:
        status: list[str] = []
        start = time.perf_counter()
        result = inner(dict(env), lambda s, h, exc_info=None: status.append(s))
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        elapsed = time.perf_counter() - start
        if not status[0].startswith("200") or not body:
            raise RuntimeError(f"{env['PATH_INFO']}: {status[0]}")
        return elapsed * 1000

    slugs = sorted({str(s).removeprefix(str(ID)) for s in kg.data.subjects() if str(s).startswith(str(ID))})
    professions = sorted(str(s).removeprefix(str(ID)) for s in kg.union.subjects(RDF.type, CKG.Profession))
    kinds: dict[str, list[str]] = {
        "entity (all)": [f"/id/{slug}" for slug in slugs],
        "entity (professions)": [f"/id/{slug}" for slug in professions],
        "compare": [f"/compare?a={a}&b={b}" for a in professions for b in professions if a != b],
    }
    print(f"\nserver-side render, in process, response cache bypassed ({len(slugs)} entities, "
          f"{len(professions)} professions; warm: {repeats} renders per page after one warm-up)")  # fmt: skip
    header = f"{'page kind':<22} {'pages':>5}  {'mode':<5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
    print(f"  {header}  goal p50")
    envs = {kind: [environ(p) for p in paths] for kind, paths in kinds.items()}
    for kind, pages in envs.items():
        for env in pages:
            render(env)  # warm-up: templates compiled, memo filled
        warm = [render(env) for _ in range(repeats) for env in pages]
        cold = []
        for env in pages:
            state._memo.clear()  # bench only: forget what the app derived from the graph
            cold.append(render(env))
        for mode, times in (("warm", warm), ("cold", cold)):
            p50 = statistics.median(times)
            verdict = "ok" if p50 <= RENDER_GOAL_MS else "MISSED"
            print(
                f"  {kind:<22} {len(pages):>5}  {mode:<5} {p50:>7.2f} {percentile(times, 95):>7.2f} "
                f"{max(times):>7.2f}  <= {RENDER_GOAL_MS:g} ms {verdict}"
            )


# ---------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of both servers")
    parser.add_argument("--query", default="professions", help="the stored query (no required parameters)")
    parser.add_argument("--repeats", type=int, default=5, help="warm renders per page")
    args = parser.parse_args(argv)
    bounded = dict(rounds=min(args.rounds, 20), seconds=min(args.seconds, 30.0))

    with tempfile.TemporaryDirectory(prefix="careers-kg-bench-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "CAREERS_KG_CACHE": str(work / "cache")}
        real_port, bare_port = free_port(), free_port()
        real_base, bare_base = f"http://127.0.0.1:{real_port}", f"http://127.0.0.1:{bare_port}"
        path = f"/queries/{args.query}.json"
        real_argv = [sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1", "--port", str(real_port)]
        real_argv += ["--workers", str(args.workers)]
        print(f"Careers KG HTTP benchmark · {os.cpu_count()} CPUs · Python {sys.version.split()[0]}")
        with server(real_argv, env, real_base + "/healthz", work / "real.log"):
            status, content_type, body = fetch(real_base + path)
            if status != 200:
                sys.exit(f"{path}: HTTP {status}")
            (work / "body").write_bytes(body)
            bare_argv = [sys.executable, str(ROOT / "bench" / "bare_app.py"), "--port", str(bare_port)]
            bare_argv += ["--workers", str(args.workers), "--body", str(work / "body")]
            bare_argv += ["--content-type", content_type]
            with server(bare_argv, env, bare_base + path, work / "bare.log"):
                same = fetch(bare_base + path)
                assert same[2] == body and same[1] == content_type, "the bare app must return the same bytes"
                print(f"stored query {path}: {len(body)} bytes of {content_type}; both servers: gunicorn "
                      f"gthread, {args.workers} workers (kg.web.server.gunicorn_options)")  # fmt: skip
                real, bare = measure_throughput(
                    real_base + path, bare_base + path, **bounded,
                    connections=args.connections, threads=args.threads,
                )  # fmt: skip
        ratio = statistics.median(real) / statistics.median(bare)
        verdict = "ok" if ratio >= THROUGHPUT_GOAL else "MISSED"
        print(f"  median: real {statistics.median(real):.0f} req/s, bare {statistics.median(bare):.0f} req/s")
        paired = statistics.median(r / b for r, b in zip(real, bare, strict=True))
        print(f"  ratio real/bare {ratio:.2f} (goal >= {THROUGHPUT_GOAL:.2f}: {verdict}); "
              f"median of the rounds' ratios {paired:.2f}")  # fmt: skip
        measure_render(work / "cache", args.repeats)


if __name__ == "__main__":
    main()
