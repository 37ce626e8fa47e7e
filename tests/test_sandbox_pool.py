"""kg.query.sandbox.Pool: long-lived sandboxed children — reused while they behave, replaced when they do
not, and
under the same lockdown and limits per task as a fresh fork (kg.query.sandbox.run)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from standins import MSG_TIMEOUT_1S, Canary

from kg.errors import QueryError
from kg.query import lockdown, sandbox

REPO = Path(__file__).resolve().parent.parent


def handler(payload: bytes) -> bytes:
    """The test handler, run in the child: a small command language."""
    command, _, arg = payload.decode().partition(" ")
    if command == "pid":
        return str(os.getpid()).encode()
    if command == "sleep":
        time.sleep(float(arg))
        return str(os.getpid()).encode()
    if command == "spin":
        end = time.process_time() + (float("inf") if arg == "forever" else float(arg))
        while time.process_time() < end:
            pass
        return str(os.getpid()).encode()
    if command == "fail":
        raise ValueError("internal detail 5678")
    if command == "connect":
        socket.create_connection(("127.0.0.1", int(arg)), timeout=2).close()
        return b"connected"
    if command == "write":
        Path(arg).write_text("x")
        return b"written"
    if command == "allocate":
        return str(len(b"x" * int(arg))).encode()
    raise AssertionError(command)


@pytest.fixture
def pool():
    made = sandbox.Pool(handler)
    yield made
    made.close()


def call(pool: sandbox.Pool, command: str, timeout: float | None = 10) -> str:
    return pool.call(command.encode(), timeout=timeout).decode()


def gone(pid: int) -> bool:
    """The process has exited (reaped, or a zombie nobody reaped yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def wait_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_one_child_serves_call_after_call(pool):
    first = call(pool, "pid")
    assert int(first) != os.getpid()
    assert [call(pool, "pid") for _ in range(5)] == [first] * 5
    assert pool.children() == [int(first)]
    assert pool.spawned == 1


def test_concurrent_calls_get_their_own_children_which_are_then_reused(pool):
    answers: list[str] = []
    together = threading.Barrier(3)  # the three calls start at once: each finds no idle child

    def one() -> None:
        together.wait()
        answers.append(call(pool, "sleep 1"))

    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(answers)) == 3
    assert sorted(pool.children()) == sorted(map(int, answers))
    assert call(pool, "pid") in answers


def test_a_timeout_kills_the_child_and_the_next_call_gets_a_new_one(pool):
    before = int(call(pool, "pid"))
    with pytest.raises(QueryError) as err:
        call(pool, "spin forever", timeout=1)
    assert (err.value.status, err.value.message) == (503, MSG_TIMEOUT_1S)
    assert gone(before)  # killed and reaped before the error was raised
    assert pool.children() == []
    after = int(call(pool, "pid"))
    assert after != before and pool.children() == [after]


def test_a_failed_task_ends_its_child_and_the_detail_stays_in_the_log(pool, caplog):
    before = int(call(pool, "pid"))
    with pytest.raises(QueryError) as err:
        call(pool, "fail")
    assert (err.value.status, err.value.message) == (400, "the query could not be evaluated")
    assert "5678" not in str(err.value)
    assert "ValueError: internal detail 5678" in caplog.text
    assert gone(before)
    assert int(call(pool, "pid")) != before


def test_the_lockdown_holds_for_every_task_of_a_long_lived_child(pool, tmp_path):
    canary = Canary()
    target = tmp_path / "written.txt"
    child = call(pool, "pid")
    for command in (f"connect {canary.port}", f"write {target}"):
        with pytest.raises(QueryError) as err:
            call(pool, command)
        assert (err.value.status, err.value.message) == (400, sandbox.MSG_OUTSIDE)
    assert canary.close() == []
    assert not target.exists()
    assert call(pool, "pid") != child  # each refusal ended the child that was asked


def test_the_memory_limit_holds_in_a_long_lived_child():
    small = sandbox.Pool(handler, max_memory=128 * 1024**2)
    try:
        assert call(small, f"allocate {16 * 1024**2}") == str(16 * 1024**2)
        with pytest.raises(QueryError) as err:
            call(small, f"allocate {512 * 1024**2}")
        assert (err.value.status, err.value.message) == (503, sandbox.MSG_MEMORY)
        assert call(small, f"allocate {16 * 1024**2}") == str(16 * 1024**2)  # a fresh child, full headroom
    finally:
        small.close()


def test_a_child_demoted_for_a_long_task_answers_and_is_then_replaced(pool):
    busy = int(call(pool, "spin 1.0"))  # over DEMOTE_AFTER_CPU_S: dropped to nice 19 while it ran
    assert pool.children() == []
    assert wait_gone(busy)
    assert int(call(pool, "pid")) != busy


def test_a_child_serves_max_tasks_then_is_replaced(pool, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_TASKS", 3)
    pids = [call(pool, "pid") for _ in range(4)]
    assert pids[0] == pids[1] == pids[2] != pids[3]
    assert wait_gone(int(pids[0]))


def test_an_idle_child_killed_from_outside_is_replaced_without_an_error(pool):
    idle = int(call(pool, "pid"))
    os.kill(idle, signal.SIGKILL)
    assert wait_gone(idle)
    replacement = int(call(pool, "pid"))
    assert replacement != idle and pool.children() == [replacement]


def test_close_stops_every_child(pool):
    pids = [int(call(pool, "pid"))]
    pool.close()
    assert pool.children() == [] and all(gone(pid) for pid in pids)
    assert int(call(pool, "pid")) not in pids  # a closed pool starts again on demand


def test_a_forked_copy_of_the_pool_starts_empty(pool):
    """A gunicorn worker forked from a process that used the pool gets its own children, not the parent's."""
    parent_child = int(call(pool, "pid"))
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked copy
        code = 1
        try:
            os.close(read_fd)
            empty = pool.children() == []
            mine = int(call(pool, "pid"))
            os.write(write_fd, f"{empty} {mine} {pool.children() == [mine]}".encode())
            pool.close()
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        report = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    empty, mine, own = report.split()
    assert (os.waitstatus_to_exitcode(status), empty, own) == (0, "True", "True")
    assert int(mine) != parent_child
    assert pool.children() == [parent_child] and not gone(parent_child)  # the copy left ours alone


def test_children_exit_when_their_parent_dies():
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path[:0] = [{str(REPO)!r}, {str(REPO / "tests")!r}]
        from kg.query import sandbox
        from test_sandbox_pool import handler
        pool = sandbox.Pool(handler)
        print(pool.call(b"pid", timeout=10).decode(), flush=True)
        os._exit(0)  # no cleanup: as if the worker were killed
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert wait_gone(int(done.stdout.strip()))


def test_arm_deadline_is_a_per_task_backstop():
    """In a long-lived child, each task gets its own SIGALRM / SIGXCPU backstop, and disarming ends it."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked process
        try:
            lockdown.arm_deadline(0.2)
            lockdown.disarm_deadline()
            time.sleep(0.5)  # disarmed: no alarm
            lockdown.arm_deadline(0.2)
            time.sleep(5)  # the alarm ends it at 0.7 s
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM
