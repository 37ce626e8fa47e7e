"""A time limit for Python code running in this process's own thread: the cheap path of stored queries.

``with deadline(seconds): ...`` raises `Expired` in the calling thread once *seconds* have passed. One
watchdog thread per process keeps the deadlines and, when one passes, raises the exception in the late thread
(``PyThreadState_SetAsyncExc``): the interpreter delivers it at the thread's next bytecode boundary, so pure
Python work (rdflib's SPARQL engine) stops there. Code that stays in C for long (a regular expression looping
inside ``re``) is not interrupted until it returns: that is why untrusted query text never runs this way (see
docs/architecture.md, "What runs in the sandbox"), only the project's stored queries.

Leaving the block in time withdraws the deadline, and any exception the watchdog had already raised but the
interpreter not yet delivered is withdrawn with it, under the same lock: nothing fires outside the block.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


class Expired(BaseException):  # noqa: N818 - not an Exception: rdflib's `except Exception` must not eat it
    """The time limit of a `deadline` block passed."""


@dataclass(order=True)
class _Entry:
    at: float
    order: int
    thread: int = field(compare=False)
    done: bool = field(default=False, compare=False)
    fired: bool = field(default=False, compare=False)


_lock = threading.Lock()
_wake = threading.Condition(_lock)
_heap: list[_Entry] = []
_counter = itertools.count()
_owner: int | None = None  # the process whose watchdog thread is running


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise `Expired` in this thread if the block is still running after *seconds* (None: no limit)."""
    if seconds is None:
        yield
        return
    entry = _Entry(time.monotonic() + seconds, next(_counter), threading.get_ident())
    with _lock:
        _ensure_watchdog()
        heapq.heappush(_heap, entry)
        _wake.notify()
    try:
        yield
    finally:
        with _lock:
            entry.done = True
            if entry.fired:  # raised but perhaps not delivered yet: withdraw it
                _raise_in(entry.thread, None)


def _ensure_watchdog() -> None:
    global _owner
    if _owner != os.getpid():
        _owner = os.getpid()
        threading.Thread(target=_watch, name="careers-kg-deadline", daemon=True).start()


def _watch() -> None:
    with _lock:
        while True:
            while _heap and (_heap[0].done or _heap[0].at <= time.monotonic()):
                entry = heapq.heappop(_heap)
                if not entry.done:
                    entry.fired = True
                    _raise_in(entry.thread, Expired)
            _wake.wait(None if not _heap else max(0.0, _heap[0].at - time.monotonic()))


def _raise_in(thread: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(exc) if exc else None)


def _after_fork() -> None:
    """A forked child has none of the parent's threads: a fresh lock, no deadlines, no watchdog yet."""
    global _lock, _wake, _heap, _owner
    _lock = threading.Lock()
    _wake = threading.Condition(_lock)
    _heap = []
    _owner = None


os.register_at_fork(after_in_child=_after_fork)
