"""Run one piece of work in a forked, locked-down child process with a hard deadline.

The child inherits the in-memory graph for free (copy-on-write), so nothing is serialized on the way in. It closes
every inherited descriptor except its result pipe, installs an audit hook that refuses network, file writes, reads
outside the Python installation and process creation, limits its recursion, memory and CPU time, and sends back one
length-prefixed frame. The parent waits with a deadline and SIGKILLs and reaps the child at the limit, so a runaway
query (a regex looping in C included) stops burning CPU. Thread-safe: every call has its own pipe and child.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import os
import re
import resource
import select
import signal
import struct
import sys
import sysconfig
import threading
import time
import traceback
import warnings
from collections.abc import Callable

from kg.guard import MSG_NESTED, QueryError

log = logging.getLogger(__name__)

RECURSION_LIMIT = 20_000  # in the child (a 5 000-step path needs ~12 000); a C stack overflow kills only it
MEMORY_HEADROOM = 2 * 1024**3  # bytes the child may allocate beyond what it inherits (RLIMIT_AS)
_HEADER = struct.Struct("!Q")
_CHILD_EXIT_OK, _CHILD_EXIT_FAIL = 0, 70
_STOP_SIGNALS = {signal.SIGKILL, signal.SIGALRM, signal.SIGXCPU}
_RESET_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGXCPU",
                  "SIGWINCH", "SIGABRT", "SIGCHLD", "SIGTTIN", "SIGTTOU")


class Blocked(PermissionError):
    """Raised inside the child by the audit hook for a refused operation."""


def timeout_message(timeout: float) -> str:
    return f"the query took longer than {timeout:g} s and was stopped"


def run(task: Callable[[], bytes], *, timeout: float | None = None,
        max_memory: int | None = MEMORY_HEADROOM) -> bytes:
    """Return ``task()`` computed in a sandboxed child; QueryError on timeout (503), refusal or failure."""
    if not hasattr(os, "fork"):  # pragma: no cover - POSIX only; no isolation possible
        return task()
    reap_exited()
    read_fd, write_fd = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child: never returns
        _child(task, read_fd, write_fd, timeout, max_memory)
    os.close(write_fd)
    deadline = None if timeout is None else start + timeout
    frame: bytes | None = None
    status: int | None = None
    try:
        frame, status = _collect(pid, read_fd, deadline)
        if frame is None:
            raise _death(status, timeout)
        return _unframe(frame)
    finally:
        os.close(read_fd)
        if status is None and frame is not None:  # it sent everything and is exiting: reap it later
            with _exiting_lock:
                _exiting.add(pid)
        elif status is None:
            _kill_and_reap(pid)


_exiting: set[int] = set()
_exiting_lock = threading.Lock()


def reap_exited(*, wait: bool = False) -> None:
    """Reap children that sent their result and were left to exit on their own (their teardown is
    not waited for on the request path); with *wait*, block until they all have."""
    with _exiting_lock:
        pids = list(_exiting)
    for pid in pids:
        if _reap(pid, block=wait) is not None:
            with _exiting_lock:
                _exiting.discard(pid)


def _collect(pid: int, read_fd: int, deadline: float | None) -> tuple[bytes | None, int | None]:
    """Read the child's frame until it is complete, the child dies, or the deadline passes.

    Returns (frame or None, wait status or None if the child was not reaped)."""
    buf = bytearray()
    pidfd = _pidfd_open(pid)
    poller = select.poll()
    poller.register(read_fd, select.POLLIN)
    if pidfd is not None:
        poller.register(pidfd, select.POLLIN)
    try:
        while not _complete(buf):
            wait_ms = -1 if deadline is None else math.ceil((deadline - time.monotonic()) * 1000)
            if deadline is not None and wait_ms <= 0:
                return None, None
            if pidfd is None:  # no pidfd: poll in slices and look for the child's death in between
                wait_ms = 50 if wait_ms < 0 else min(wait_ms, 50)
            events = dict(poller.poll(wait_ms))
            if read_fd in events:
                chunk = os.read(read_fd, 1 << 20)
                if chunk:
                    buf += chunk
                    continue
                poller.unregister(read_fd)  # EOF: the child is exiting; wait for its pidfd
            if pidfd is None or pidfd in events:
                status = _reap(pid, block=pidfd is not None)
                if status is not None:
                    buf += _drain(read_fd)
                    return (bytes(buf) if _complete(buf) else None), status
        return bytes(buf), _reap(pid, block=False)
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _complete(buf: bytearray) -> bool:
    return len(buf) >= _HEADER.size and len(buf) >= _HEADER.size + _HEADER.unpack_from(buf)[0]


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


def _kill_and_reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid, block=True)


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
    return QueryError(500, "the query could not be evaluated")


def _unframe(frame: bytes) -> bytes:
    body = frame[_HEADER.size:]
    if body[:1] == b"K":
        return body[1:]
    error = json.loads(body[1:])
    if error.get("detail"):  # the detail goes to the log, never to the client
        log.warning("query failed in the sandbox (%s): %s", error["message"], error["detail"])
    raise QueryError(error["status"], error["message"])


# --- the child ---------------------------------------------------------------------------------------------


def _child(task: Callable[[], bytes], read_fd: int, write_fd: int, timeout: float | None,
           max_memory: int | None) -> None:
    code = _CHILD_EXIT_FAIL
    try:
        os.close(read_fd)
        lockdown(keep_fd=write_fd, timeout=timeout, max_memory=max_memory)
        body = b"K" + task()
        _write_all(write_fd, _HEADER.pack(len(body)) + body)
        code = _CHILD_EXIT_OK
    except BaseException as exc:  # noqa: B036 - everything must end in a frame and os._exit
        try:
            _write_all(write_fd, _error_frame(exc))
        except BaseException:  # noqa: B036
            pass
    finally:
        os._exit(code)


def _error_frame(exc: BaseException) -> bytes:
    if isinstance(exc, QueryError):
        status, message, detail = exc.status, exc.message, ""
    elif isinstance(exc, RecursionError):
        status, message, detail = 400, MSG_NESTED, ""
    elif isinstance(exc, MemoryError):
        status, message, detail = 503, "the query needed more memory than allowed and was stopped", ""
    elif isinstance(exc, re.error):
        status, message, detail = 400, f"invalid regular expression in the query: {exc}", ""
    elif isinstance(exc, Blocked):
        status, message, detail = 400, "the query tried to reach something outside the knowledge graph", str(exc)
    else:
        status, message = 400, "the query could not be evaluated"
        detail = "".join(traceback.format_exception(exc, limit=20))
    body = b"E" + json.dumps({"status": status, "message": message, "detail": detail[-8000:]}).encode()
    return _HEADER.pack(len(body)) + body


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def lockdown(*, keep_fd: int, timeout: float | None, max_memory: int | None) -> None:
    """Confine the current (child) process; irreversible, so only ever called after fork."""
    os.closerange(3, keep_fd)
    os.closerange(keep_fd + 1, _max_fd())
    try:
        signal.set_wakeup_fd(-1)
    except (ValueError, OSError):
        pass
    for name in _RESET_SIGNALS:  # the server's handlers (gunicorn's, pytest's) must not run here
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) not in (signal.SIG_DFL, None):
            signal.signal(sig, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if timeout is not None:  # backstops if the parent dies: wall clock (SIGALRM) and CPU time (SIGXCPU)
        signal.setitimer(signal.ITIMER_REAL, timeout + 0.5)
        cpu = math.ceil(timeout) + 1
        _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard if hard != resource.RLIM_INFINITY else cpu + 1))
    if max_memory is not None:
        _limit_memory(max_memory)
    try:
        os.nice(5)  # runaway queries yield the CPU to requests being served
    except OSError:
        pass
    gc.freeze()  # inherited objects are never traversed by the child's collector: fewer copied pages
    warnings.simplefilter("ignore")
    sys.setrecursionlimit(RECURSION_LIMIT)
    sys.addaudithook(_audit)


def _max_fd() -> int:
    try:
        return min(os.sysconf("SC_OPEN_MAX"), 1 << 20)
    except (ValueError, OSError):
        return 65536


def _limit_memory(headroom: int) -> None:
    try:
        fd = os.open("/proc/self/statm", os.O_RDONLY)
        try:
            size = int(os.read(fd, 256).split()[0]) * os.sysconf("SC_PAGE_SIZE")
        finally:
            os.close(fd)
    except (OSError, ValueError, IndexError):
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + headroom if hard == resource.RLIM_INFINITY else min(size + headroom, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


_READ_ROOTS = tuple(
    {os.path.realpath(p) + os.sep for k in ("stdlib", "platstdlib", "purelib", "platlib")
     if (p := sysconfig.get_paths().get(k))}
)
_CODE_SUFFIXES = (".py", ".pyc", ".so")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_BLOCKED_PREFIXES = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "subprocess.", "os.exec", "os.spawn",
                     "os.posix_spawn", "os.fork", "os.system", "os.kill", "os.remove", "os.rename", "os.unlink",
                     "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.link", "os.symlink", "os.truncate",
                     "shutil.", "ctypes.", "sqlite3.", "webbrowser.", "pty.", "os.putenv", "os.unsetenv")


def _audit(event: str, args: tuple) -> None:
    """Refuse network, process creation, writes, and reads other than Python's own code files."""
    if event == "open":
        path, mode, flags = (args + (None, None))[:3]
        if isinstance(path, int):
            return
        read_only = (("w" not in mode and "a" not in mode and "+" not in mode and "x" not in mode)
                     if isinstance(mode, str) else not (flags or 0) & _WRITE_FLAGS)
        real = os.path.realpath(os.fsdecode(path))
        if read_only and real.endswith(_CODE_SUFFIXES) and real.startswith(_READ_ROOTS):
            return
        raise Blocked(f"open {real!r} refused")
    if event.startswith(_BLOCKED_PREFIXES):
        raise Blocked(f"{event} refused")
