"""kg.sandbox and kg.lockdown: the forked child — audit hook, crashes, limits — behind the static checks."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from rdflib import Dataset
from standins import MSG_NESTED, Canary, small_kg

from kg import sandbox
from kg.sparql import QueryError


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
