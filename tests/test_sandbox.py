"""kg.query.sandbox and kg.query.lockdown: the forked child — audit hook, crashes, limits — behind the
static checks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset
from standins import MSG_NESTED, Canary, small_kg

from kg.errors import QueryError
from kg.query import sandbox


@pytest.fixture
def canary():
    listener = Canary()
    yield listener
    assert listener.close() == []


def test_audit_hook_blocks_network(canary):
    def connect() -> bytes:
        socket.create_connection(("127.0.0.1", canary.port), timeout=1).close()
        return b"connected"

    with pytest.raises(QueryError) as err:
        sandbox.run(connect, timeout=5)
    assert (err.value.status, err.value.message) == (
        400,
        "the query tried to reach something outside the knowledge graph",
    )


def test_audit_hook_blocks_rdflib_service_and_from(canary):
    """Bypass the guards: rdflib itself, asked to evaluate SERVICE or load FROM, reaches nothing."""
    graph, url = small_kg().union, canary.url

    def service() -> bytes:
        return str(list(graph.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))).encode()

    def from_clause() -> bytes:
        return str(list(Dataset().query(f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"))).encode()

    for task in (service, from_clause):
        with pytest.raises(QueryError) as err:
            sandbox.run(task, timeout=5)
        assert err.value.status == 400


def test_audit_hook_blocks_files(tmp_path):
    target = tmp_path / "written.txt"

    def read_passwd() -> bytes:
        return Path("/etc/passwd").read_bytes()

    def write_file() -> bytes:
        target.write_text("x")
        return b"written"

    def spawn() -> bytes:
        import subprocess

        return subprocess.run(["true"], check=False).stdout or b""

    for task in (read_passwd, write_file, spawn):
        with pytest.raises(QueryError) as err:
            sandbox.run(task, timeout=5)
        assert err.value.status == 400
    assert not target.exists()


def test_sandbox_allows_imports_evaluation_needs():
    def lazy_import() -> bytes:
        import colorsys  # noqa: F401 - not imported by the parent: read from the standard library

        return b"ok"

    assert sandbox.run(lazy_import, timeout=10) == b"ok"


def test_sandbox_recursion_and_crashes():
    def recurse(n: int = 0) -> bytes:
        return recurse(n + 1)

    def segfault() -> bytes:
        import signal

        signal.raise_signal(signal.SIGSEGV)
        return b""

    def abort() -> bytes:
        os.abort()

    for task, status, message in [
        (recurse, 400, MSG_NESTED),
        (segfault, 400, MSG_NESTED),
        (abort, 500, "the query could not be evaluated"),
    ]:
        with pytest.raises(QueryError) as err:
            sandbox.run(task, timeout=5)
        assert (err.value.status, err.value.message) == (status, message)


def test_sandbox_memory_limit():
    with pytest.raises(QueryError) as err:
        sandbox.run(lambda: b"x" * (512 * 1024**2), timeout=10, max_memory=128 * 1024**2)
    assert (err.value.status, err.value.message) == (
        503,
        "the query needed more memory than allowed and was stopped",
    )


def test_sandbox_returns_large_results():
    assert len(sandbox.run(lambda: b"y" * 10_000_000, timeout=10)) == 10_000_000


def test_failure_detail_goes_to_the_log_not_the_client(caplog):
    def fail() -> bytes:
        raise ValueError("internal detail 1234")

    with pytest.raises(QueryError) as err:
        sandbox.run(fail, timeout=5)
    assert (err.value.status, err.value.message) == (400, "the query could not be evaluated")
    assert "1234" not in str(err.value)
    assert "ValueError: internal detail 1234" in caplog.text


def test_sandbox_result_size_limit(monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_RESULT_BYTES", 1000)
    with pytest.raises(QueryError) as err:
        sandbox.run(lambda: b"z" * 1001, timeout=10)
    assert (err.value.status, err.value.message) == (503, "the result is larger than 256 MB")
    assert sandbox.run(lambda: b"z" * 999, timeout=10) == b"z" * 999


def test_cpu_seconds_reads_a_live_process_and_none_for_a_missing_one():
    from kg.query.sandbox import cpu_seconds

    assert cpu_seconds(os.getpid()) > 0
    assert cpu_seconds(2**22 + 12345) is None


def test_a_busy_child_is_demoted_to_the_lowest_priority_and_an_idle_one_is_not():
    from kg.query.sandbox import demote_if_busy

    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        deadline = time.monotonic() + 20
        while not demote_if_busy(busy.pid):
            assert time.monotonic() < deadline, "the busy child never reached the CPU threshold"
            time.sleep(0.1)
        assert os.getpriority(os.PRIO_PROCESS, busy.pid) == 19
        assert demote_if_busy(idle.pid) is False
        assert os.getpriority(os.PRIO_PROCESS, idle.pid) == os.getpriority(os.PRIO_PROCESS, os.getpid())
    finally:
        for p in (busy, idle):
            p.kill()
            p.wait()
