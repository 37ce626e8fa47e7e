"""Settings: one frozen value with every path and limit; `Settings.from_env()` is the only reader of the
environment.

Environment variables (all optional; keyword overrides win over them, they win over the defaults):

| variable | setting | default |
|---|---|---|
| `CAREERS_KG_ROOT` | `root` | the source checkout (the parent of `kg/`), else the wheel's `kg/share/` |
| `CAREERS_KG_DATA` | `data_files` (separated by `os.pathsep`) | `data/*.ttl`, then `data/*/*.nt[.gz]` |
| `CAREERS_KG_ONTOLOGY` | `ontology_file` | `root/ontology/careers.ttl` |
| `CAREERS_KG_SHAPES` | `shapes_file` | `root/ontology/shapes.ttl` |
| `CAREERS_KG_QUERIES` | `queries_dir` | `root/queries` |
| `CAREERS_KG_CACHE` | `cache_dir` | `root/.cache` in a checkout, else the user's cache folder |
| `HOST`, `PORT` | `host`, `port` | `127.0.0.1`, `8000` |
| `CAREERS_KG_WORKERS` | `workers` | `2` |
| `CAREERS_KG_QUERY_TIMEOUT` | `query_timeout` (seconds) | `10.0` |
| `CAREERS_KG_MAX_ROWS` | `max_rows` | `10000` |
| `CAREERS_KG_STORE` | `store`: `auto`, `memory`, `oxigraph[:DIR]`, `sparql:QUERY_URL` (kg/stores) | `auto` |
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ConfigError

CHECKOUT = Path(__file__).resolve().parent.parent


def package_root() -> Path:
    """Where `ontology/`, `data/` and `queries/` are: the source checkout when this module runs from one, else
    the copies an installed wheel carries as package data (`kg/share/`)."""
    if (CHECKOUT / "ontology" / "careers.ttl").is_file():
        return CHECKOUT
    return Path(str(importlib.resources.files("kg") / "share"))


def default_cache(root: Path, env: Mapping[str, str]) -> Path:
    """`root/.cache`, except for an installed wheel's own data: the user's cache folder ($XDG_CACHE_HOME or
    ~/.cache) then, since site-packages is no place for a cache."""
    if root == CHECKOUT or root != package_root():
        return root / ".cache"
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).resolve() / "careers-kg"


@dataclass(frozen=True)
class Settings:
    root: Path
    data_files: tuple[Path, ...]
    ontology_file: Path
    shapes_file: Path
    queries_dir: Path
    cache_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    query_timeout: float = 10.0
    max_rows: int = 10000
    named_graphs: tuple[tuple[str, Path], ...] = ()
    store: str = "auto"

    @classmethod
    def from_env(
        cls, root: Path | str | None = None, *, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> Settings:
        """Settings from keyword *overrides*, then the environment (*environ*, default `os.environ`),
        then defaults."""
        env = os.environ if environ is None else environ
        unknown = set(overrides) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(f"unknown setting {sorted(unknown)[0]!r}")
        if root is None:
            root = env.get("CAREERS_KG_ROOT") or package_root()
        base = Path(root).resolve()

        def path_or(name: str, default: Path) -> Path:
            return Path(env[name]).resolve() if env.get(name) else default

        values: dict[str, Any] = {
            "root": base,
            "data_files": _data_files(env.get("CAREERS_KG_DATA"), base),
            "ontology_file": path_or("CAREERS_KG_ONTOLOGY", base / "ontology" / "careers.ttl"),
            "shapes_file": path_or("CAREERS_KG_SHAPES", base / "ontology" / "shapes.ttl"),
            "queries_dir": path_or("CAREERS_KG_QUERIES", base / "queries"),
            "cache_dir": path_or("CAREERS_KG_CACHE", default_cache(base, env)),
        }
        for var, name, convert in _SCALARS:
            if env.get(var):
                values[name] = _convert(var, env[var], convert)
        values.update(overrides)
        return cls(**_normalise(values))

    def replace(self, **changes: Any) -> Settings:
        """A copy with *changes* applied (paths given as strings become `Path`s)."""
        return dataclasses.replace(self, **_normalise(changes))


_SCALARS: tuple[tuple[str, str, Callable[[str], Any]], ...] = (
    ("HOST", "host", str),
    ("PORT", "port", int),
    ("CAREERS_KG_WORKERS", "workers", int),
    ("CAREERS_KG_QUERY_TIMEOUT", "query_timeout", float),
    ("CAREERS_KG_MAX_ROWS", "max_rows", int),
    ("CAREERS_KG_STORE", "store", str),
)
_KIND = {int: "an integer", float: "a number", str: "a string"}


def _convert(var: str, raw: str, convert: Callable[[str], Any]) -> Any:
    try:
        return convert(raw)
    except ValueError:
        raise ConfigError(f"{var} must be {_KIND.get(convert, 'valid')}, got {raw!r}") from None


def _data_files(raw: str | None, root: Path) -> tuple[Path, ...]:
    if raw:
        return tuple(Path(p).resolve() for p in raw.split(os.pathsep) if p)
    return default_data_files(root / "data")


DATA_PATTERNS = ("*.ttl", "*/*.nt", "*/*.nt.gz")  # the seed, then imported releases (data/oews-2025/...)


def default_data_files(folder: Path) -> tuple[Path, ...]:
    """The data files the build reads by default: the seed and every imported release under *folder*."""
    return tuple(path for pattern in DATA_PATTERNS for path in sorted(folder.glob(pattern)))


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    """Coerce str paths to Path and lists to tuples, so a Settings value is always hashable and comparable."""
    out = dict(values)
    for name in ("root", "ontology_file", "shapes_file", "queries_dir", "cache_dir"):
        if name in out:
            out[name] = Path(out[name])
    if "data_files" in out:
        out["data_files"] = tuple(Path(p) for p in out["data_files"])
    if "named_graphs" in out:
        out["named_graphs"] = tuple((str(iri), Path(p)) for iri, p in out["named_graphs"])
    return out
