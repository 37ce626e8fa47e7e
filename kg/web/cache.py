"""A bounded in-process cache of rendered responses, as WSGI middleware in front of the Flask app.

The knowledge graph is immutable while the process serves it, so a successful GET is a pure function of
(path, query string, Accept, Host): the bytes and headers are kept and replayed without entering Flask, and
conditional GETs (If-None-Match) are answered 304 from the stored ETag. One cache belongs to one app, which
serves one dataset version, so the version is part of every key implicitly (and of every ETag explicitly).

A request with `Cache-Control: no-cache` (or, without Cache-Control, `Pragma: no-cache`) asks that no stored
response be used without validation on the origin (RFC 9111 §5.2.1.4, §5.4): it is never answered from the
cache, nor with a 304 from a stored ETag; the app renders it afresh (If-None-Match is then compared with the
fresh ETag) and the fresh response replaces the stored one. Benchmarks rely on this to make every request run.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

# A view sets this header to keep its response out of the cache (stripped before it reaches the client).
NO_CACHE_HEADER = "X-Careers-KG-No-Cache"
# ... and this one for a large body (a file) that is sent as it is read, never held here (also stripped).
STREAM_HEADER = "X-Careers-KG-Stream"
_DROP_ON_304 = frozenset({"content-type", "content-length"})


@dataclass(frozen=True)
class Entry:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None


def wants_revalidation(environ: dict) -> bool:
    """True if the request forbids answering it from the cache: `Cache-Control: no-cache`, or `Pragma:
    no-cache` when the request has no Cache-Control (RFC 9111 §5.2.1.4, §5.4)."""
    cache_control = environ.get("HTTP_CACHE_CONTROL")
    if cache_control is not None:
        return has_directive(cache_control, "no-cache")
    return has_directive(environ.get("HTTP_PRAGMA", ""), "no-cache")


def has_directive(value: str, name: str) -> bool:
    """Whether the comma-separated header *value* has the directive *name* (case-insensitive; with or
    without an argument)."""
    return any(part.split("=", 1)[0].strip().lower() == name for part in value.split(","))


def etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison of *etag* against an If-None-Match header value."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


class LRU:
    """A thread-safe LRU map bounded by entry count and total body bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._data: OrderedDict[Any, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Any) -> Entry | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Any, entry: Entry) -> None:
        size = len(entry.body)
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._data[key] = entry
            self._bytes += size
            while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
                _key, dropped = self._data.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._data)


StartResponse = Callable[..., Any]


class ResponseCache:
    """WSGI middleware: replay cached 200 responses to GET/HEAD, answer If-None-Match with 304; a request
    with `Cache-Control: no-cache` always reaches the app (and refreshes the stored response)."""

    def __init__(self, app: Callable, max_entries: int = 2048, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.app = app
        self.store = LRU(max_entries, max_bytes)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        key = (
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT", ""),
            environ.get("HTTP_HOST", ""),
        )
        entry = None if wants_revalidation(environ) else self.store.get(key)
        if entry is None:
            rendered = self._render(environ)
            if isinstance(rendered, Streamed):
                return rendered.send(environ, start_response)
            entry, cacheable = rendered
            if cacheable and method == "GET":
                self.store.put(key, entry)
        inm = environ.get("HTTP_IF_NONE_MATCH")
        if inm and entry.etag and entry.status.startswith("2") and etag_matches(inm, entry.etag):
            start_response(
                "304 Not Modified", [(k, v) for k, v in entry.headers if k.lower() not in _DROP_ON_304]
            )
            return []
        start_response(entry.status, entry.headers)
        return [] if method == "HEAD" else [entry.body]

    def _render(self, environ: dict) -> tuple[Entry, bool] | Streamed:
        captured: list[Any] = []

        def capture(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            captured[:] = [status, headers]
            return _no_write

        # The app must not answer conditionals itself: this layer does, for hits and misses alike.
        inner = {k: v for k, v in environ.items() if k != "HTTP_IF_NONE_MATCH"}
        result = self.app(inner, capture)
        if any(k == STREAM_HEADER for k, _v in captured[1]):
            return Streamed(captured[0], [(k, v) for k, v in captured[1] if k != STREAM_HEADER], result)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers = captured
        cacheable = status.startswith("200") and not any(k == NO_CACHE_HEADER for k, _v in headers)
        headers = [(k, v) for k, v in headers if k != NO_CACHE_HEADER]
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        return Entry(status, headers, body, etag), cacheable


@dataclass(frozen=True)
class Streamed:
    """A response the app marked with STREAM_HEADER: passed on as the app's iterable, read as it is sent."""

    status: str
    headers: list[tuple[str, str]]
    body: Iterable[bytes]

    def send(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        etag = next((v for k, v in self.headers if k.lower() == "etag"), None)
        inm = environ.get("HTTP_IF_NONE_MATCH")
        not_modified = bool(inm and etag and self.status.startswith("2") and etag_matches(inm, etag))
        if not_modified or environ.get("REQUEST_METHOD") == "HEAD":
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
            if not_modified:
                start_response(
                    "304 Not Modified", [(k, v) for k, v in self.headers if k.lower() not in _DROP_ON_304]
                )
                return []
            start_response(self.status, self.headers)
            return []
        start_response(self.status, self.headers)
        return self.body


def _no_write(data: bytes) -> None:  # pragma: no cover - Flask never uses the legacy write callable
    raise RuntimeError("the response cache does not support the WSGI write() callable")
