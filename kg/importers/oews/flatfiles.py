"""The official flat files: a folder of BLS's tab-separated ``oe.*`` files, each with a header line. Data rows
of ``oe.data.0.Current`` are ``series_id  year  period  value  footnote_codes``, the series id and the value
padded with spaces; the rows of one cell (its 17 datatypes) are adjacent."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.importers.oews.sources import (
    DATATYPES,
    NUMBER,
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

DATA_FILE = "oe.data.0.Current"
DATA_HEADER = ["series_id", "year", "period", "value", "footnote_codes"]
TABLES: dict[str, tuple[str, ...]] = {  # flat file → the columns the importer reads
    "oe.release": ("release_date", "description"),
    "oe.occupation": ("occupation_code", "occupation_name", "display_level"),
    "oe.area": ("state_code", "area_code", "areatype_code", "area_name"),
    "oe.industry": ("industry_code", "industry_name", "display_level"),
    "oe.footnote": ("footnote_code", "footnote_text"),
    "oe.datatype": ("datatype_code", "datatype_name"),
}


class FlatFiles:
    """A folder of BLS ``oe.*`` flat files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = read_manifest(folder / "manifest.json")
        self.route = Route("flat-files", manifest=self.manifest)
        self.release = self._read_release()

    def __enter__(self) -> FlatFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _path(self, name: str) -> Path:
        path = self.folder / name
        if not path.is_file():
            raise OewsError(f"{path}: the file is missing (an OEWS flat-file folder holds {name})")
        return path

    def _expected_sha(self, name: str) -> object:
        return (self.manifest.get("sources") or {}).get(name, {}).get("sha256")

    def _table(self, name: str) -> Iterator[tuple[int, dict[str, str]]]:
        raw = self._path(name).read_bytes()
        actual = hashlib.sha256(raw).hexdigest()
        check_sha256(name, actual, self._expected_sha(name))
        self.route.files[name] = actual
        lines = _decode_lines(raw, name)
        if not lines:
            raise OewsError(f"{name} line 1: the file is empty (a header line is expected)")
        header = [h.strip() for h in lines[0].split("\t")]
        missing = [c for c in TABLES[name] if c not in header]
        if missing:
            raise OewsError(f"{name} line 1: the header has no column {missing[0]!r}")
        need = max(header.index(c) for c in TABLES[name]) + 1
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            fields = [f.strip() for f in line.split("\t")]
            if len(fields) < need:
                raise OewsError(f"{name} line {number}: {len(fields)} tab-separated fields, expected {need}")
            yield number, dict(zip(header, fields, strict=False))

    def _read_release(self) -> Release:
        releases = [row for _, row in self._table("oe.release")]
        if len(releases) != 1:
            raise OewsError(f"oe.release: {len(releases)} releases listed, expected exactly one")
        code, description = releases[0]["release_date"], releases[0]["description"]
        return Release(
            code=code,
            description=description,
            occupations=_unique(self._table("oe.occupation"), "oe.occupation", "occupation_code",
                                lambda r: (r["occupation_name"], _level(r, "oe.occupation"))),
            areas=_unique(self._table("oe.area"), "oe.area", "area_code",
                          lambda r: Area(r["areatype_code"], r["state_code"], r["area_name"])),
            industries=_unique(self._table("oe.industry"), "oe.industry", "industry_code",
                               lambda r: (r["industry_name"], _level(r, "oe.industry"))),
            footnotes=_unique(self._table("oe.footnote"), "oe.footnote", "footnote_code",
                              lambda r: r["footnote_text"]),
            datatypes=_unique(self._table("oe.datatype"), "oe.datatype", "datatype_code",
                              lambda r: r["datatype_name"]),
        )  # fmt: skip

    def cells(self, selection: Selection) -> Iterator[tuple[Cell, str]]:
        """Each selected cell with where its first line is; rows of one cell must be adjacent."""
        digest = hashlib.sha256()
        year, period = self.release.code[:4], self.release.code[4:]
        done: set[str] = set()
        key, rows, first = "", {}, ""
        for number, line in _data_lines(self._path(DATA_FILE), digest):
            where = f"{DATA_FILE} line {number}"
            fields = line.split("\t")
            if len(fields) != 5:
                raise OewsError(f"{where}: {len(fields)} tab-separated fields, expected 5")
            series, row_year, row_period, value, notes = (f.strip() for f in fields)
            match = SERIES.match(series)
            if match is None:
                raise OewsError(f"{where}: {series!r} is not an OEWS series id (OEU + N/S/M + 21 digits)")
            if (row_year, row_period) != (year, period):
                raise OewsError(
                    f"{where}: the row is for {row_year} {row_period}, "
                    f"but oe.release names {self.release.code}"
                )
            if series[:-2] != key:
                if key:
                    done.add(key)
                    yield from self._finish(key, rows, first, selection)
                key, rows, first = series[:-2], {}, where
                if key in done:
                    raise OewsError(
                        f"{where}: series {series} repeats a cell listed earlier (duplicate series)"
                    )
            if series[-2:] in rows:
                raise OewsError(f"{where}: series {series} is listed twice (duplicate series)")
            if series[-2:] not in DATATYPES:
                raise OewsError(f"{where}: datatype {series[-2:]} of {series} is not one of 01–17")
            if value != "-" and not NUMBER.match(value):
                raise OewsError(f"{where}: value {value!r} of datatype {series[-2:]} is not a number or '-'")
            rows[series[-2:]] = (value, split_codes(notes))
        if key:
            yield from self._finish(key, rows, first, selection)
        self.route.files[DATA_FILE] = digest.hexdigest()
        check_sha256(DATA_FILE, digest.hexdigest(), self._expected_sha(DATA_FILE))

    def _finish(self, key: str, rows: dict, where: str, selection: Selection) -> Iterator[tuple[Cell, str]]:
        cell = Cell(
            areatype=key[3],
            area=key[4:11],
            industry=key[11:17],
            occupation=key[17:23],
            values=tuple(rows[d][0] if d in rows else None for d in DATATYPES),
            footnotes=tuple(rows[d][1] if d in rows else () for d in DATATYPES),
        )
        check_cell(self.release, cell, where)
        if selection.wants(cell.areatype, cell.industry, cell.occupation):
            yield cell, where


def _decode_lines(raw: bytes, name: str) -> list[str]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise OewsError(f"{name} line {line}: the file is not UTF-8 text") from None
    if text and not text.endswith("\n"):
        line = text.count("\n") + 1
        raise OewsError(f"{name} line {line}: the last line is cut off (the file is truncated)")
    return text.replace("\r\n", "\n").split("\n")[:-1] if text else []


def _data_lines(path: Path, digest: Any) -> Iterator[tuple[int, str]]:
    """The data file's lines after its header, decoded, hashing the bytes as they are read."""
    with open(path, "rb") as f:
        number = 0
        for number, raw in enumerate(f, start=1):  # noqa: B007 (number is used after the loop)
            digest.update(raw)
            if not raw.endswith(b"\n"):
                raise OewsError(
                    f"{DATA_FILE} line {number}: the last line is cut off (the file is truncated)"
                )
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise OewsError(f"{DATA_FILE} line {number}: the line is not UTF-8 text") from None
            if number == 1:
                if [h.strip() for h in line.split("\t")] != DATA_HEADER:
                    raise OewsError(f"{DATA_FILE} line 1: the header is not {' '.join(DATA_HEADER)}")
                continue
            if line.strip():
                yield number, line
        if number == 0:
            raise OewsError(f"{DATA_FILE} line 1: the file is empty (a header line is expected)")


def _level(row: dict[str, str], name: str) -> int:
    try:
        return int(row["display_level"])
    except ValueError:
        raise OewsError(f"{name}: display level {row['display_level']!r} is not a number") from None


def _unique(rows: Iterator[tuple[int, dict[str, str]]], name: str, key: str, value: Callable) -> dict:
    out: dict[str, Any] = {}
    for number, row in rows:
        code = row[key]
        if code in out:
            raise OewsError(f"{name} line {number}: code {code} is listed twice")
        out[code] = value(row)
    return out
