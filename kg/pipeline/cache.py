"""The on-disk build cache: one pickle per input hash, written atomically, checked before it is trusted.

Format (measured in bench/startup.py and the issue note): a pickle of the rdflib Dataset (memory store) and
the union Graph loads in about a third of the time an N-Triples parse of the same triples takes, and faster
than re-adding pickled tuples to a fresh store. The file starts with a header line (magic, format, the SHA-256
of the payload) so a truncated or corrupt file is detected before unpickling and is then ignored (and
rebuilt). Unpickling runs code: the cache directory (`.cache/` by default) must be writable only by the
project's user.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT = "4"  # bump when the pickled structure changes
MAGIC = b"careers-kg-cache"
KEEP = 4  # cache files kept per directory (the newest); older ones are removed after a write


def library_versions() -> tuple[str, ...]:
    """Versions of the libraries whose output or pickled classes the cache holds (read without importing
    them)."""
    out = []
    for dist in ("rdflib", "owlrl", "pyshacl"):
        try:
            out.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist}=?")
    return tuple(out)


def path_for(cache_dir: Path, key: str, kind: str = "kg") -> Path:
    return Path(cache_dir) / f"{kind}-{key}.pickle"


def load(cache_dir: Path, key: str, kind: str = "kg") -> dict[str, Any] | None:
    """The parts stored under *key*, or None when absent, unreadable, corrupt or of another format. *kind*
    names the family of cache files (the build: ``kg``; the prepared stored queries: ``queries``)."""
    path = path_for(cache_dir, key, kind)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    header, _, payload = blob.partition(b"\n")
    if header != _header(payload):
        _discard(path)
        return None
    try:
        # unpickling allocates many objects that live on: collecting meanwhile only costs time
        with gc_paused():
            parts = pickle.loads(payload)
    except Exception:  # a payload that matches its checksum but will not load (e.g. an rdflib change)
        _discard(path)
        return None
    return parts if isinstance(parts, dict) else None


def store(
    cache_dir: Path,
    key: str,
    parts: dict[str, Any],
    kind: str = "kg",
    dumps: Callable[[Any], bytes] | None = None,
) -> Path | None:
    """Write *parts* under *key* atomically (temporary file + rename); None if the directory is not
    writable. *dumps* pickles (default `pickle.dumps`)."""
    payload = dumps(parts) if dumps else pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
    path = path_for(cache_dir, key, kind)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kg-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_header(payload) + b"\n")
                out.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return None
    _prune(path.parent, keep=path, kind=kind)
    return path


def _header(payload: bytes) -> bytes:
    return b"%s %s %s" % (MAGIC, FORMAT.encode(), hashlib.sha256(payload).hexdigest().encode())


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _prune(cache_dir: Path, keep: Path, kind: str) -> None:
    try:
        files = sorted(cache_dir.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in files[KEEP:]:
        if old != keep:
            _discard(old)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: millions of new tuples (which make no cycles) would otherwise
    trigger many full collections, each slower as the heap grows (a third of the time at 10⁶ triples)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
