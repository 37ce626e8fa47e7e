"""/void.ttl and the exports on a built KG, served by `careers-kg serve` (one worker): seconds per request
and the worker's peak RSS.

    CAREERS_KG_CACHE=DIR .venv/bin/python bench/void_exports.py [--paths /void.ttl,/export.ttl] [--cold]

The KG of the environment (the default data unless CAREERS_KG_DATA says otherwise) must be built in the
cache already (`careers-kg build`). With ``--cold`` the export files of the cache (CACHE/exports) are removed
first: the first /void.ttl then writes every export once. The server is started twice: the first run
requests each path twice (the first request of a path, then the app's memo), the second (a new process,
the export files kept) once, which is a warm cache's first request. Printed per path: HTTP status, bytes,
seconds; then the worker's peak RSS (VmHWM). Prints only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web_throughput import server  # noqa: E402
from kg.config import Settings  # noqa: E402
from kg.stores.processes import free_port  # noqa: E402

PATHS = "/void.ttl,/export.ttl,/export.nt,/export.jsonld,/export.ttl?inferred=true"


def get(url: str) -> tuple[int, int, float]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=1800) as response:
        size = len(response.read())
        return response.status, size, time.perf_counter() - start


def peak_rss_mb(master: int) -> float:
    """The largest VmHWM among the children of *master* (its gunicorn workers), in MB."""
    best = 0
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                best = max(best, int(line.split()[1]))
    return best / 1024


def run(paths: list[str], repeat: int, label: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    log = Path(Settings.from_env(root=ROOT).cache_dir) / "bench-void-exports.log"
    with server(argv, dict(os.environ), base + "/healthz", log) as master:
        print(f"{label}: worker RSS at start {peak_rss_mb(master):.0f} MB")
        for path in paths:
            for n in range(repeat):
                status, size, seconds = get(base + path)
                print(f"  {path:<32} #{n + 1} HTTP {status} {size:>11} bytes {seconds:8.2f} s")
        print(f"{label}: worker peak RSS {peak_rss_mb(master):.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", default=PATHS, help=f"comma-separated (default {PATHS})")
    parser.add_argument("--cold", action="store_true", help="remove the export files of the cache first")
    parser.add_argument("--once", action="store_true", help="one server, one request per path")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    paths = [p for p in args.paths.split(",") if p]
    if args.cold:
        shutil.rmtree(Path(Settings.from_env(root=ROOT).cache_dir) / "exports", ignore_errors=True)
    run(paths, 1 if args.once else 2, "first server")
    if not args.once:
        run(paths, 1, "second server (export files kept)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
