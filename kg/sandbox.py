"""Run one piece of work in a forked, locked-down child process with a hard deadline.

The child inherits the in-memory graph for free (copy-on-write): nothing is serialized on the way in. It locks
itself down (kg.lockdown), runs the task and sends back one length-prefixed frame through a pipe. The parent
waits with a deadline (poll on the pipe and on a pidfd), and at the limit SIGKILLs the child and reaps it, so
a runaway query — a regex looping in C included — stops burning CPU. Thread-safe: every call has its own pipe
and child (gunicorn gthread workers fork from request threads).
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import select
import signal
import struct
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable

from kg.guard import MSG_NESTED, QueryError
from kg.lockdown import Blocked, lockdown

log = logging.getLogger(__name__)

MEMORY_HEADROOM = 2 * 1024**3  # bytes the child may allocate beyond what it inherits (RLIMIT_AS)
MSG_MEMORY = "the query needed more memory than allowed and was stopped"
MSG_OUTSIDE = "the query tried to reach something outside the knowledge graph"
MSG_FAILED = "the query could not be evaluated"
MAX_RESULT_BYTES = 256 * 1024**2  # one result frame (the row cap bounds rows, not the size of each value)
MSG_TOO_BIG = "the result is larger than 256 MB"
_HEADER = struct.Struct("!Q")
_STOP_SIGNALS = {signal.SIGKILL, signal.SIGALRM, signal.SIGXCPU}
_exiting: set[int] = set()  # children that sent their frame and are exiting on their own
_exiting_lock = threading.Lock()


def timeout_message(timeout: float) -> str:
    return f"the query took longer than {timeout:g} s and was stopped"


def run(
    task: Callable[[], bytes],
    *,
    timeout: float | None = None,
    max_memory: int | None = MEMORY_HEADROOM,
    keep_paths: tuple[str, ...] = (),
    connect: frozenset[tuple[str, int]] = frozenset(),
) -> bytes:
    """``task()`` computed in a sandboxed child; QueryError on timeout (503), refusal or failure.
    *keep_paths* and *connect*: what the child's store needs (see kg.lockdown)."""
    if not hasattr(os, "fork"):  # pragma: no cover - POSIX only: no isolation possible
        return task()
    reap_exited()
    read_fd, write_fd = os.pipe()
    start = time.monotonic()
    pid = _fork()
    if pid == 0:
        _child(task, read_fd, write_fd, timeout, max_memory, keep_paths, connect)  # never returns
    os.close(write_fd)
    pidfd = _pidfd_open(pid)
    frame: bytes | None = None
    status: int | None = None
    try:
        frame, status = _collect(pid, pidfd, read_fd, None if timeout is None else start + timeout)
        if frame is None:
            raise _death(status, timeout)
        return _unframe(frame)
    finally:
        os.close(read_fd)
        if status is None and frame is not None:  # reap it later: its teardown is off the request path
            with _exiting_lock:
                _exiting.add(pid)
        elif status is None:
            _kill(pid, pidfd)
            _reap(pid, block=True)
        if pidfd is not None:
            os.close(pidfd)


def reap_exited(*, wait: bool = False) -> None:
    """Reap children that sent their result and were left to exit on their own; *wait*: block for them."""
    with _exiting_lock:
        pids = list(_exiting)
    for pid in pids:
        if _reap(pid, block=wait) is not None:
            with _exiting_lock:
                _exiting.discard(pid)


def _fork() -> int:
    if sys.version_info < (3, 12):
        return os.fork()
    with warnings.catch_warnings():  # 3.12+ warns on fork with threads: the child only runs the task
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _collect(
    pid: int, pidfd: int | None, read_fd: int, deadline: float | None
) -> tuple[bytes | None, int | None]:
    """Read the child's frame until it is complete, the child dies, or the deadline passes.

    Returns (the frame or None, the wait status or None if the child was not reaped)."""
    buf = bytearray()
    poller = select.poll()
    poller.register(read_fd, select.POLLIN)
    if pidfd is not None:
        poller.register(pidfd, select.POLLIN)
    demoted = False
    while not _complete(buf):
        wait_ms = -1 if deadline is None else math.ceil((deadline - time.monotonic()) * 1000)
        if deadline is not None and wait_ms <= 0:
            return None, None
        if pidfd is None:  # no pidfd: poll in slices and look for the child's death in between
            wait_ms = 50 if wait_ms < 0 else min(wait_ms, 50)
        if not demoted:  # look at the child's CPU time every DEMOTE_POLL_MS until it is demoted
            wait_ms = DEMOTE_POLL_MS if wait_ms < 0 else min(wait_ms, DEMOTE_POLL_MS)
        events = dict(poller.poll(wait_ms))
        if not demoted and not events:
            demoted = demote_if_busy(pid)
        if read_fd in events:
            chunk = os.read(read_fd, 1 << 20)
            if chunk:
                buf += chunk
                continue
            poller.unregister(read_fd)  # EOF: the child is exiting
        if pidfd is None or pidfd in events:
            status = _reap(pid, block=pidfd is not None)
            if status is not None:
                buf += _drain(read_fd)
                return (bytes(buf) if _complete(buf) else None), status
    return bytes(buf), _reap(pid, block=False)


# A query that has used this much CPU is likely a runaway: it drops to the lowest priority, so that the quick
# queries and pages served beside it keep their latency (it still runs, and stops at the time limit).
DEMOTE_AFTER_CPU_S = 0.5
DEMOTE_POLL_MS = 100
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process from /proc (None when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime: fields 14 and 15 of stat
    except (OSError, IndexError, ValueError):
        return None


def demote_if_busy(pid: int) -> bool:
    """Give child *pid* the lowest CPU priority once it has used DEMOTE_AFTER_CPU_S; True once done. The child
    is not reaped yet when this is called, so *pid* cannot have been reused."""
    used = cpu_seconds(pid)
    if used is None or used < DEMOTE_AFTER_CPU_S:
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, pid, 19)
    except OSError:
        pass
    return True


def _complete(buf: bytearray) -> bool:
    if len(buf) < _HEADER.size:
        return False
    size = _HEADER.unpack_from(buf)[0]
    if size > MAX_RESULT_BYTES + 1:  # the child refuses to send more: it is not itself any more
        raise QueryError(500, MSG_FAILED)
    return len(buf) >= _HEADER.size + size


def _drain(fd: int) -> bytes:
    os.set_blocking(fd, False)
    chunks = []
    try:
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    except BlockingIOError:
        pass
    return b"".join(chunks)


def _pidfd_open(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _reap(pid: int, *, block: bool) -> int | None:
    """The wait status once the child has exited (None while it runs); -1 if someone else reaped it."""
    try:
        got, status = os.waitpid(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return -1
    return status if got == pid else None


def _kill(pid: int, pidfd: int | None) -> None:
    """SIGKILL the child (through its pidfd when there is one: immune to PID reuse)."""
    try:
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, OSError):
        pass


def _death(status: int | None, timeout: float | None) -> QueryError:
    """The error for a child that sent no complete frame."""
    if status is None and timeout is not None:
        return QueryError(503, timeout_message(timeout))
    if status is not None and status > 0 and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in _STOP_SIGNALS and timeout is not None:
            return QueryError(503, timeout_message(timeout))
        if sig == signal.SIGSEGV:  # a C stack overflow in deep recursion
            return QueryError(400, MSG_NESTED)
    log.warning("sandboxed query died without an answer (wait status %s)", status)
    return QueryError(500, MSG_FAILED)


def _unframe(frame: bytes) -> bytes:
    body = frame[_HEADER.size :]
    if body[:1] == b"K":
        return body[1:]
    error = json.loads(body[1:])
    if error.get("detail"):  # the detail goes to the log, never to the client
        log.warning("query failed in the sandbox (%s): %s", error["message"], error["detail"])
    raise QueryError(error["status"], error["message"])


# --- in the child ------------------------------------------------------------------------------------------


def _child(
    task: Callable[[], bytes],
    read_fd: int,
    write_fd: int,
    timeout: float | None,
    max_memory: int | None,
    keep_paths: tuple[str, ...] = (),
    connect: frozenset[tuple[str, int]] = frozenset(),
) -> None:
    code = 70
    try:
        os.close(read_fd)
        lockdown(
            keep_fd=write_fd, timeout=timeout, max_memory=max_memory, keep_paths=keep_paths, connect=connect
        )
        body = b"K" + task()
        if len(body) > MAX_RESULT_BYTES:
            raise QueryError(503, MSG_TOO_BIG)
        _write_all(write_fd, _HEADER.pack(len(body)) + body)
        code = 0
    except BaseException as exc:  # noqa: B036 - everything must end in a frame and os._exit
        try:
            _write_all(write_fd, _error_frame(exc))
        except BaseException:  # noqa: B036
            pass
    finally:
        os._exit(code)


def _error_frame(exc: BaseException) -> bytes:
    detail = ""
    if isinstance(exc, QueryError):
        status, message = exc.status, exc.message
    elif isinstance(exc, RecursionError):
        status, message = 400, MSG_NESTED
    elif isinstance(exc, MemoryError):
        status, message = 503, MSG_MEMORY
    elif isinstance(exc, re.error):
        status, message = 400, f"invalid regular expression in the query: {exc}"
    elif (blocked := _blocked_cause(exc)) is not None:
        status, message, detail = 400, MSG_OUTSIDE, str(blocked)
    else:
        status, message = 400, MSG_FAILED
        detail = "".join(traceback.format_exception(exc, limit=20))
    body = b"E" + json.dumps({"status": status, "message": message, "detail": detail[-8000:]}).encode()
    return _HEADER.pack(len(body)) + body


def _blocked_cause(exc: BaseException) -> Blocked | None:
    """The audit hook's refusal behind *exc*, however wrapped (URLError.reason, __cause__, __context__)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, Blocked):
            return exc
        seen.add(id(exc))
        reason = getattr(exc, "reason", None)
        exc = reason if isinstance(reason, BaseException) else (exc.__cause__ or exc.__context__)
    return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
