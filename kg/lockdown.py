"""Confine a forked child before it evaluates a query: irreversible, so only ever called in the child.

- closes every inherited descriptor but the result pipe (the server's sockets, other queries' pipes);
- restores default signal handling (the server's handlers must not run here; SIGALRM/SIGXCPU must kill);
- backstops that stop the child on its own if its parent dies: a wall-clock timer (SIGALRM) and a CPU-time
  limit (SIGXCPU); no core dumps; an address-space limit (MemoryError beyond the headroom);
- a lower priority (runaway queries yield the CPU to requests being served); no logging, no warnings;
- a recursion limit high enough for a 5 000-step property path; the static nesting check (kg.guard) and
  this limit turn deeper queries into 400 — a C stack overflow beyond it would kill only the child;
- an audit hook that refuses sockets, urllib/http, process creation, file writes, and any file read other than
  Python's own code (so a late import still works): whatever rdflib might try, nothing leaves the process.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import resource
import signal
import sys
import sysconfig
import threading
import warnings

RECURSION_LIMIT = 20_000  # a 5 000-step path needs ~12 000 frames; 2 000 nested groups are refused before
_RESET_SIGNALS = (
    "SIGTERM",
    "SIGINT",
    "SIGHUP",
    "SIGQUIT",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGXCPU",
    "SIGWINCH",
    "SIGABRT",
    "SIGCHLD",
    "SIGTTIN",
    "SIGTTOU",
)


class Blocked(PermissionError):
    """Raised inside the child by the audit hook for a refused operation (an OSError, so callers that
    tolerate a failed open, such as linecache or importlib's bytecode cache, carry on)."""


def lockdown(*, keep_fd: int, timeout: float | None, max_memory: int | None) -> None:
    """Confine the current (child) process; see the module docstring."""
    os.closerange(3, keep_fd)
    os.closerange(keep_fd + 1, _max_fd())
    try:
        signal.set_wakeup_fd(-1)
    except (ValueError, OSError):
        pass
    for name in _RESET_SIGNALS:
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) not in (signal.SIG_DFL, None):
            signal.signal(sig, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if timeout is not None:
        signal.setitimer(signal.ITIMER_REAL, timeout + 0.5)
        cpu = math.ceil(timeout) + 1
        _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard if hard != resource.RLIM_INFINITY else cpu + 1))
    if max_memory is not None:
        _limit_memory(max_memory)
    try:
        os.nice(5)
    except OSError:
        pass
    _reset_inherited_locks()
    gc.freeze()  # inherited objects are never traversed by the child's collector: fewer copied pages
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)  # the server's handlers write to descriptors closed above
    sys.setrecursionlimit(RECURSION_LIMIT)
    sys.addaudithook(_audit)


def _reset_inherited_locks() -> None:
    """A lock another thread of the parent held at fork time stays held forever in the child."""
    parser_element = getattr(sys.modules.get("pyparsing"), "ParserElement", None)
    if parser_element is not None and hasattr(parser_element, "packrat_cache_lock"):
        parser_element.packrat_cache_lock = threading.RLock()


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


_CODE_ROOTS = tuple(
    {
        os.path.realpath(p) + os.sep
        for k in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(k))
    }
    | {os.path.dirname(os.path.realpath(__file__)) + os.sep}  # this package
)
_CODE_SUFFIXES = (".py", ".pyc", ".so")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_WRITE_MODES = frozenset("wax+")
_BLOCKED_PREFIXES = (
    "socket.",
    "urllib.",
    "http.",
    "ftplib.",
    "smtplib.",
    "imaplib.",
    "poplib.",
    "nntplib.",
    "telnetlib.",
    "subprocess.",
    "os.exec",
    "os.spawn",
    "os.posix_spawn",
    "os.fork",
    "os.system",
    "os.kill",
    "os.killpg",
    "os.remove",
    "os.rename",
    "os.unlink",
    "os.rmdir",
    "os.mkdir",
    "os.chmod",
    "os.chown",
    "os.link",
    "os.symlink",
    "os.truncate",
    "os.putenv",
    "os.unsetenv",
    "shutil.",
    "ctypes.",
    "sqlite3.",
    "webbrowser.",
    "pty.",
    "mmap.",
)


def _audit(event: str, args: tuple) -> None:
    """Refuse network, process creation, writes, and reads other than Python's own code files."""
    if event == "open":
        path, mode, flags = (tuple(args) + (None, None))[:3]
        if isinstance(path, int):  # an already open descriptor: only the result pipe is left
            return
        if isinstance(mode, str):
            read_only = not _WRITE_MODES.intersection(mode)
        else:
            read_only = not (flags or 0) & _WRITE_FLAGS
        real = os.path.realpath(os.fsdecode(path))
        if read_only and real.endswith(_CODE_SUFFIXES) and real.startswith(_CODE_ROOTS):
            return
        raise Blocked(f"open {real!r} refused")
    if event.startswith(_BLOCKED_PREFIXES):
        raise Blocked(f"{event} refused")
