"""Run one piece of work in a forked, locked-down child process with a hard deadline.

The child inherits the in-memory graph for free (copy-on-write): nothing is serialized on the way in. It locks
itself down (kg.query.lockdown), runs the task and sends back one length-prefixed frame through a pipe. The
parent
waits with a deadline (poll on the pipe and on a pidfd), and at the limit SIGKILLs the child and reaps it, so
a runaway query — a regex looping in C included — stops burning CPU. Thread-safe: every call has its own pipe
and child (gunicorn gthread workers fork from request threads).

`Pool` keeps such children alive between tasks, for stores whose graph is not in this process's memory
(Oxigraph on disk, a remote endpoint): the same lockdown and limits per task, without a fork per query.
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
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from kg.errors import QueryError
from kg.query.guard import MSG_NESTED
from kg.query.lockdown import Blocked, arm_deadline, disarm_deadline, lockdown

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
    *keep_paths* and *connect*: what the child's store needs (see kg.query.lockdown)."""
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
        frame, status, _demoted = _collect(pid, pidfd, read_fd, None if timeout is None else start + timeout)
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
    pid: int, pidfd: int | None, read_fd: int, deadline: float | None, cpu_before: float = 0.0
) -> tuple[bytes | None, int | None, bool]:
    """Read the child's frame until it is complete, the child dies, or the deadline passes; the child is
    demoted once it has used DEMOTE_AFTER_CPU_S more than *cpu_before*.

    Returns (the frame or None, the wait status or None if the child was not reaped, whether demoted)."""
    buf = bytearray()
    poller = select.poll()
    poller.register(read_fd, select.POLLIN)
    if pidfd is not None:
        poller.register(pidfd, select.POLLIN)
    demoted = False
    while not _complete(buf):
        wait_ms = -1 if deadline is None else math.ceil((deadline - time.monotonic()) * 1000)
        if deadline is not None and wait_ms <= 0:
            return None, None, demoted
        if pidfd is None:  # no pidfd: poll in slices and look for the child's death in between
            wait_ms = 50 if wait_ms < 0 else min(wait_ms, 50)
        if not demoted:  # look at the child's CPU time every DEMOTE_POLL_MS until it is demoted
            wait_ms = DEMOTE_POLL_MS if wait_ms < 0 else min(wait_ms, DEMOTE_POLL_MS)
        events = dict(poller.poll(wait_ms))
        if not demoted and not events:
            demoted = demote_if_busy(pid, cpu_before)
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
                return (bytes(buf) if _complete(buf) else None), status, demoted
    return bytes(buf), _reap(pid, block=False), demoted


# --- long-lived children -----------------------------------------------------------------------------------

MAX_TASKS = 1000  # tasks one long-lived child serves before it is replaced
MAX_GROWTH = 256 * 1024**2  # resident memory a child may gain over its first task before it is replaced
_LIMIT = struct.Struct("!d")  # a request frame starts with the task's time limit (negative: none)


class Pool:
    """Long-lived sandboxed children, each serving many tasks of one *handler* (``handler(payload) -> bytes``,
    run in the child) one at a time, with `run`'s lockdown, limits and errors per task. For stores whose graph
    does not live in this process's memory: the fork, the lockdown and the store's cold caches are paid once
    per child instead of once per query. (Not for the in-memory store's rdflib graph: a long-lived child
    touching a large graph would copy it page by page; its stored queries go to an Oxigraph copy instead,
    `kg.stores.mirror`.) *nice*: how much lower the children's priority starts (`kg.query.lockdown`).

    A child is forked on demand (so it sees the process as it is then) and kept while it behaves: it is
    SIGKILLed after a timeout or any failed task, and let go after a task that got it demoted (a runaway),
    after MAX_TASKS tasks, or once its memory grew by MAX_GROWTH. A child whose parent dies sees its request
    pipe close and exits. A pool belongs to the process that made it: in a forked copy (a gunicorn worker)
    it starts empty."""

    def __init__(
        self,
        handler: Callable[[bytes], bytes],
        *,
        max_memory: int | None = MEMORY_HEADROOM,
        keep_paths: tuple[str, ...] = (),
        connect: frozenset[tuple[str, int]] = frozenset(),
        nice: int = 5,
    ) -> None:
        self._handler = handler
        self._limits = {"max_memory": max_memory, "keep_paths": keep_paths, "connect": connect, "nice": nice}
        self.spawned = 0  # children forked so far (in this process): for benchmarks and tests
        self._start()

    def _start(self) -> None:
        self._owner = os.getpid()
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._live: dict[int, _Worker] = {}
        self._finalizer = weakref.finalize(self, _stop_all, self._owner, self._live)

    def call(self, payload: bytes, *, timeout: float | None = None) -> bytes:
        """``handler(payload)`` computed in one of the pool's children; QueryError as `run` raises it."""
        start = time.monotonic()
        deadline = None if timeout is None else start + timeout
        worker = self._checkout()
        keep = False
        try:
            try:
                worker.send(payload, timeout)
            except OSError:  # it died while idle (killed from outside): nothing was lost, take a new one
                self._discard(worker, kill=True)
                worker = self._spawn()
                worker.send(payload, timeout)
            frame, status, demoted = _collect(worker.pid, worker.pidfd, worker.answers, deadline, worker.cpu)
            if frame is None:
                raise _death(status, timeout)
            keep = status is None and frame[_HEADER.size : _HEADER.size + 1] == b"K" and not demoted
            return _unframe(frame)
        finally:
            if keep and worker.served():
                with self._lock:
                    self._idle.append(worker)
            else:
                self._discard(worker, kill=not keep)

    def children(self) -> list[int]:
        """PIDs of the pool's live children (idle or busy)."""
        with self._lock:
            return list(self._live) if self._owner == os.getpid() else []

    def close(self) -> None:
        """Stop every child (idle ones at once; a busy one is killed as well: its call fails)."""
        with self._lock:
            self._idle.clear()
        self._finalizer()
        self._start()

    def _checkout(self) -> _Worker:
        with self._lock:
            if self._owner != os.getpid():  # a forked copy: the children are the other process's
                self._finalizer.detach()
                self._start()
            if self._idle:
                return self._idle.pop()
        return self._spawn()

    def _spawn(self) -> _Worker:
        reap_exited()
        requests_r, requests_w = os.pipe()
        answers_r, answers_w = os.pipe()
        pid = _fork()
        if pid == 0:
            _serve(self._handler, requests_r, answers_w, **self._limits)  # never returns
        os.close(requests_r)
        os.close(answers_w)
        worker = _Worker(pid, _pidfd_open(pid), requests_w, answers_r)
        with self._lock:
            self._live[pid] = worker
            self.spawned += 1
        return worker

    def _discard(self, worker: _Worker, *, kill: bool) -> None:
        with self._lock:
            self._live.pop(worker.pid, None)
        worker.stop(kill=kill)


@dataclass
class _Worker:
    """The parent's end of one long-lived child."""

    pid: int
    pidfd: int | None
    requests: int  # write end of the request pipe
    answers: int  # read end of the answer pipe
    tasks: int = 0
    cpu: float = 0.0  # the child's CPU seconds when its current task was sent
    first_rss: int | None = None
    stopped: bool = False

    def send(self, payload: bytes, timeout: float | None) -> None:
        self.cpu = cpu_seconds(self.pid) or 0.0
        body = _LIMIT.pack(-1.0 if timeout is None else timeout) + payload
        _write_all(self.requests, _HEADER.pack(len(body)) + body)

    def served(self) -> bool:
        """Count a task done; whether the child may take another."""
        self.tasks += 1
        rss = _resident(self.pid)
        if self.first_rss is None:
            self.first_rss = rss
        return self.tasks < MAX_TASKS and rss is not None and rss - (self.first_rss or 0) < MAX_GROWTH

    def stop(self, *, kill: bool) -> None:
        """Kill and reap it, or (it behaved) close its pipes and let it exit on its own, reaped later."""
        if self.stopped:
            return
        self.stopped = True
        if kill:
            _kill(self.pid, self.pidfd)
        for fd in (self.requests, self.answers):
            try:
                os.close(fd)
            except OSError:
                pass
        if kill:
            _reap(self.pid, block=True)
        else:
            with _exiting_lock:
                _exiting.add(self.pid)
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


def _stop_all(owner: int, live: dict[int, _Worker]) -> None:
    """The pool's finalizer: kill its children (only in the process that forked them)."""
    if os.getpid() != owner:
        return
    for pid in list(live):
        worker = live.pop(pid, None)
        if worker is not None:
            worker.stop(kill=True)


def _resident(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


_PAGE = os.sysconf("SC_PAGE_SIZE")


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


def demote_if_busy(pid: int, cpu_before: float = 0.0) -> bool:
    """Give child *pid* the lowest CPU priority once it has used DEMOTE_AFTER_CPU_S (beyond *cpu_before*, its
    CPU time when the task began); True once done. The child is not reaped yet when this is called, so *pid*
    cannot have been reused."""
    used = cpu_seconds(pid)
    if used is None or used - cpu_before < DEMOTE_AFTER_CPU_S:
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


def _serve(
    handler: Callable[[bytes], bytes],
    requests: int,
    answers: int,
    max_memory: int | None,
    keep_paths: tuple[str, ...],
    connect: frozenset[tuple[str, int]],
    nice: int = 5,
) -> None:
    """A pool's child: lock down once, then answer request frames until the pipe closes or a task fails."""
    code = 70
    try:
        kept = (requests, answers)
        limits = {"max_memory": max_memory, "keep_paths": keep_paths, "connect": connect, "nice": nice}
        lockdown(keep_fd=kept, timeout=None, **limits)
        while (request := _read_frame(requests)) is not None:
            limit = _LIMIT.unpack_from(request)[0]
            arm_deadline(None if limit < 0 else limit)
            try:
                body = b"K" + handler(request[_LIMIT.size :])
                if len(body) > MAX_RESULT_BYTES:
                    raise QueryError(503, MSG_TOO_BIG)
            except BaseException as exc:  # noqa: B036 - a failed task ends the child: its state is suspect
                _write_all(answers, _error_frame(exc))
                break
            disarm_deadline()
            _write_all(answers, _HEADER.pack(len(body)) + body)
        code = 0
    except BaseException:  # noqa: B036 - everything ends in os._exit
        pass
    finally:
        os._exit(code)


def _read_frame(fd: int) -> bytes | None:
    """One length-prefixed frame from *fd* (blocking); None at end of file."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(fd, _HEADER.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def classify(exc: BaseException) -> tuple[int, str, str]:
    """(HTTP status, message for the client, detail for the log) of an exception raised by a query."""
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
    return status, message, detail


def query_error(exc: BaseException) -> QueryError:
    """The QueryError for an exception raised by a query run in this process (the detail goes to the log)."""
    status, message, detail = classify(exc)
    if detail:
        log.warning("query failed (%s): %s", message, detail[-8000:])
    return QueryError(status, message)


def _error_frame(exc: BaseException) -> bytes:
    status, message, detail = classify(exc)
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
