"""One live Careers KG server for the live and browser tests: real gunicorn, started once per session.

A test module uses it with ``pytest_plugins = ["live"]`` and asks for the ``live_server`` fixture (a plugin
module, not ``from live import live_server``: an imported fixture is defined once per importing module, which
would start one server per module). The server runs ``python -m kg serve`` on a free loopback port with two
workers over the real data, a build cache of its own (a temporary folder), the stable stored-query catalogue
of the web tests (tests/web_queries) and the three one-triple graphs of the W3C SPARQL 1.1 Protocol tests as
named graphs (tests/data/protocol). It is stopped with SIGTERM, and killed by its process group if it does not
stop; its log is kept in the temporary folder and shown when it fails to start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.stores.processes import free_port, stop_process

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
ARTIFACTS = REPO / "test-artifacts"
WEB_QUERIES = TESTS / "web_queries"
PROTOCOL_DATA = TESTS / "data" / "protocol"
KASEI = "http://kasei.us/2009/09/sparql/data/"
NAMED_GRAPHS: tuple[tuple[str, Path], ...] = tuple(
    (f"{KASEI}data{n}.rdf", PROTOCOL_DATA / f"data{n}.nt") for n in (1, 2, 3)
)
START_TIMEOUT = 90.0  # seconds: a cold build (reasoning, validation) takes a few seconds
STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class LiveServer:
    """A running server: its base URL (no trailing slash), port, process id and log file."""

    base: str
    port: int
    pid: int
    log: Path

    def url(self, path: str) -> str:
        return self.base + path


def serve_command(port: int, workers: int = 2, named_graphs: Sequence[tuple[str, Path]] = ()) -> list[str]:
    """The argv that serves the KG on 127.0.0.1:*port* with *named_graphs* loaded as named graphs."""
    argv = [sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(workers)]
    for iri, path in named_graphs:
        argv += ["--named-graph", f"{iri}={path}"]
    return argv


def get_json(url: str, timeout: float = 5.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def wait_healthy(proc: subprocess.Popen, base: str, log: Path, timeout: float = START_TIMEOUT) -> None:
    """Poll GET /healthz until it answers 200; raise (with the server log) if the process dies or hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f} s:\n{_tail(log)}")


def start_server(
    workdir: Path,
    *,
    named_graphs: Sequence[tuple[str, Path]] = NAMED_GRAPHS,
    queries_dir: Path | None = WEB_QUERIES,
    workers: int = 2,
) -> tuple[subprocess.Popen, LiveServer]:
    """Start a server (its cache and log in *workdir*) and wait until it is healthy."""
    port = free_port()
    env = {**os.environ, "CAREERS_KG_CACHE": str(workdir / "cache")}
    if queries_dir is not None:
        env["CAREERS_KG_QUERIES"] = str(queries_dir)
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            serve_command(port, workers, named_graphs),
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", port, proc.pid, log)
    try:
        wait_healthy(proc, server.base, log)
    except BaseException:
        stop_server(proc)
        raise
    return proc, server


def stop_server(proc: subprocess.Popen) -> None:
    stop_process(proc, STOP_TIMEOUT)


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The live server shared by every live and browser test of the session."""
    proc, server = start_server(tmp_path_factory.mktemp("live-server"))
    try:
        yield server
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """REPO/test-artifacts (created if missing): screenshots and other files worth keeping from a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
