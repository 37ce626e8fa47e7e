"""The default data at its real size: the seed alone, the seed plus the BLS OEWS May 2025 release (national
and state) built by the old commit *--old*, and the same built by this checkout, side by side in one run —
the targets of issue 12.

    .venv/bin/python bench/default_data.py [--runs 5] [--old d18644b | --no-old]

For each, in fresh processes with a temporary cache (the old commit's tree extracted with `git archive`):
the cold build (`careers-kg build`: parse, OWL-RL closure, SHACL validation, and for the default data the
load into an Oxigraph store; wall and CPU time, peak memory) once, then `careers-kg serve` (one worker) to
its first `/healthz` 200 with that warm cache (median of --runs), the peak memory of the serving processes,
and uncached page and stored-query latencies (median of 5 requests with `Cache-Control: no-cache`).
Targets: cold build of the default graph <= 60 s, warm start <= 1 s, peak memory of a serving worker
<= 1 GB.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.streaming import old_checkout  # noqa: E402

OLD_REF = "d18644b"  # the last commit before the light build path (issue 12, second session)
EXE = [sys.executable, "-m", "kg"]
SEED = str(ROOT / "data" / "careers.ttl")
PAGES = (
    "/id/certified-medical-assistant",
    "/id/soc2018-31-9092",
    "/id/us-ca",
    "/compare?a=certified-medical-assistant&b=medical-coder",
    "/queries/then-and-now.json?subject=medical-assistant",
    "/search.json?q=medical+assistant",
)


def env_for(cache: str, seed_only: bool, tree: Path = ROOT) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERS_KG_")}
    env["CAREERS_KG_CACHE"] = cache
    env["PYTHONPATH"] = str(tree)  # the package of that tree (the old commit's, or this checkout's)
    env["BENCH_TREE"] = str(tree)
    if seed_only:
        env["CAREERS_KG_DATA"] = SEED
    return env


def cold_build(env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one `careers-kg build` with an empty cache."""
    start = time.perf_counter()
    argv = [*EXE, "build"]
    proc = subprocess.Popen(argv, cwd=env["BENCH_TREE"], env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own usage (RUSAGE_CHILDREN keeps a running max)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"careers-kg build exited with {proc.returncode}")
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> float:
    request = urllib.request.Request(url, headers={"Cache-Control": "no-cache"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as reply:
        reply.read()
    return time.perf_counter() - start


def serve(env: dict[str, str], runs: int) -> tuple[float, float, dict[str, float]]:
    """Median seconds to the first /healthz 200, peak RSS (MB) of the serving processes, page latencies."""
    starts: list[float] = []
    peak = 0.0
    pages: dict[str, float] = {}
    for run in range(runs):
        port = free_port()
        start = time.perf_counter()
        argv = [*EXE, "serve", "--port", str(port), "--workers", "1"]
        proc = subprocess.Popen(
            argv, cwd=env["BENCH_TREE"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            while True:
                try:
                    get(f"http://127.0.0.1:{port}/healthz")
                    break
                except OSError:
                    if proc.poll() is not None or time.perf_counter() - start > 120:
                        raise RuntimeError("the server did not start") from None
                    time.sleep(0.005)
            starts.append(time.perf_counter() - start)
            if run == runs - 1:
                for path in PAGES:
                    times = []
                    for _ in range(6):
                        try:
                            times.append(get(f"http://127.0.0.1:{port}{path}"))
                        except OSError:
                            break
                    if len(times) > 1:
                        pages[path] = statistics.median(times[1:])  # the first request warms the worker
                children = subprocess.run(
                    ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
                ).stdout
                for pid in [str(proc.pid), *children.split()]:
                    status = Path(f"/proc/{pid}/status").read_text()
                    peak = max(peak, int(status.split("VmHWM:")[1].split()[0]) / 1024)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return statistics.median(starts), peak, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--old", default=OLD_REF, help=f"the commit of the old path (default {OLD_REF})")
    parser.add_argument("--no-old", action="store_true", help="measure this checkout only")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory(prefix="careers-kg-bench-") as work:
        runs = [("seed", True, ROOT), ("seed + OEWS", False, ROOT)]
        if not args.no_old:
            runs.insert(1, (f"OEWS, {args.old}", False, old_checkout(args.old, Path(work) / "old")))
        for name, seed_only, tree in runs:
            with tempfile.TemporaryDirectory(prefix="careers-kg-bench-") as cache:
                env = env_for(cache, seed_only, tree)
                wall, cpu, build_peak = cold_build(env)
                warm, serve_peak, pages = serve(env, args.runs)
                rows[name] = (wall, cpu, build_peak, warm, serve_peak, pages)
    names = list(rows)
    print(f"{'':28}" + "".join(f"{n:>16}" for n in names) + f"{'new/old':>9}   target")
    labels = (
        ("cold build, wall (s)", 0, "60"),
        ("cold build, CPU (s)", 1, ""),
        ("cold build, peak RSS (MB)", 2, ""),
        ("warm start to /healthz (s)", 3, "1"),
        ("serving peak RSS (MB)", 4, "1024"),
    )
    new, old = rows["seed + OEWS"], rows.get(names[1]) if len(names) == 3 else None
    for label, i, target in labels:
        ratio = f"{new[i] / old[i]:>9.2f}" if old else f"{'':>9}"
        print(f"{label:<28}" + "".join(f"{rows[n][i]:>16.3f}" for n in names) + f"{ratio}   {target}")
    print("\nuncached page p50 (ms), median of 5 after one warm-up request")
    for path in PAGES:
        fmt = lambda v: f"{v * 1000:>16.1f}" if v is not None else f"{'-':>16}"  # noqa: E731
        print(f"  {path[:58]:<60}" + "".join(fmt(rows[n][5].get(path)) for n in names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
