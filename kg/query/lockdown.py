"""Confine a forked child before it evaluates a query: irreversible, so only ever called in the child.

- closes every inherited descriptor but the result pipe (the server's sockets, other queries' pipes);
- restores default signal handling (the server's handlers must not run here; SIGALRM/SIGXCPU must kill);
- backstops that stop the child on its own if its parent dies: a wall-clock timer (SIGALRM) and a CPU-time
  limit (SIGXCPU); no core dumps; an address-space limit (MemoryError beyond the headroom);
- a lower priority (runaway queries yield the CPU to requests being served), unless the caller trusts the
  text (*nice*); no logging, no warnings;
- a recursion limit high enough for a 5 000-step property path; the static nesting check (kg.query.guard) and
  this limit turn deeper queries into 400 — a C stack overflow beyond it would kill only the child;
- an audit hook that refuses sockets, urllib/http, process creation, file writes, and any file read other than
  Python's own code (so a late import still works): whatever rdflib might try, nothing leaves the process.

Two exceptions serve the stores of kg.stores.store, and only when the caller asks for them: *keep_paths*
keeps the
inherited descriptors of files under those directories open (an on-disk Oxigraph store reads its files
through them; its Rust code opens no file through Python, so the hook never sees it), and *connect* lets the
child open TCP connections to exactly those (host, port) pairs (a remote SPARQL endpoint), nothing else.
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


def lockdown(
    *,
    keep_fd: int | tuple[int, ...],
    timeout: float | None,
    max_memory: int | None,
    keep_paths: tuple[str, ...] = (),
    connect: frozenset[tuple[str, int]] = frozenset(),
    nice: int = 5,
) -> None:
    """Confine the current (child) process; see the module docstring. *keep_fd*: the pipe(s) to the parent.
    *timeout* None: no time backstop yet (a long-lived child arms one per task: `arm_deadline`). *nice*: how
    much lower than the server's its priority starts (the runaway demotion of `kg.query.sandbox` holds)."""
    kept = sorted(set((keep_fd,) if isinstance(keep_fd, int) else keep_fd) | _fds_under(keep_paths))
    start = 3
    for fd in kept:
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, _max_fd())
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
        os.nice(nice)
    except OSError:
        pass
    _reset_inherited_locks()
    gc.freeze()  # inherited objects are never traversed by the child's collector: fewer copied pages
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)  # the server's handlers write to descriptors closed above
    sys.setrecursionlimit(RECURSION_LIMIT)
    global _connect
    _connect = frozenset((str(host), int(port)) for host, port in connect)
    sys.addaudithook(_audit)


def arm_deadline(timeout: float | None) -> None:
    """In a long-lived child, before each task: the backstops of `lockdown` for this task alone — SIGALRM at
    *timeout* + 0.5 s of wall-clock time and SIGXCPU once the task has used *timeout* + 1 s more CPU (the soft
    limit only: the next task raises it again). None: no backstop, as for the task itself."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if timeout is None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(usage.ru_utime + usage.ru_stime + timeout) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard == resource.RLIM_INFINITY else min(cpu, hard), hard))
    signal.setitimer(signal.ITIMER_REAL, timeout + 0.5)


def disarm_deadline() -> None:
    """After a task in a long-lived child: no wall-clock alarm while it waits for the next one."""
    signal.setitimer(signal.ITIMER_REAL, 0)


def _fds_under(paths: tuple[str, ...]) -> set[int]:
    """The open descriptors of files under *paths* (directories), from /proc/self/fd."""
    if not paths:
        return set()
    roots = tuple(os.path.realpath(p) + os.sep for p in paths)
    found = set()
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return set()
    for name in names:
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target.startswith(roots) and int(name) > 2:
            found.add(int(name))
    return found


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
    | {os.path.dirname(os.path.dirname(os.path.realpath(__file__))) + os.sep}  # the kg package
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


_connect: frozenset[tuple[str, int]] = frozenset()  # (host, port) the child may reach; set by lockdown
_CONNECT_EVENTS = frozenset(
    {
        "socket.__new__",
        "socket.connect",
        "socket.getaddrinfo",
        "urllib.Request",
        "http.client.connect",
        "http.client.send",
    }
)


def _allowed_connection(event: str, args: tuple) -> bool:
    """Whether *event* is part of a connection to one of the endpoints in `_connect`."""
    if not _connect or event not in _CONNECT_EVENTS:
        return False
    if event in ("socket.__new__", "http.client.send"):  # harmless until connected; sent on a checked one
        return True
    if event == "socket.connect":
        address = args[1]
        return isinstance(address, tuple) and (str(address[0]), address[1]) in _connect
    if event == "socket.getaddrinfo":
        return (str(args[0]), args[1]) in _connect or (str(args[0]), _port(args[1])) in _connect
    if event == "http.client.connect":
        return (str(args[1]), args[2]) in _connect
    from urllib.parse import urlsplit  # urllib.Request: the URL's host and port

    try:
        url = urlsplit(str(args[0]))
        port = url.port or (443 if url.scheme == "https" else 80)
    except ValueError:
        return False
    return url.scheme in ("http", "https") and (url.hostname or "", port) in _connect


def _port(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _audit(event: str, args: tuple) -> None:
    """Refuse network, process creation, writes, and reads other than Python's own code files."""
    if _connect and _allowed_connection(event, args):
        return
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
