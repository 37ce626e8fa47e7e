"""Run one import: open the source, check its release, stream the selected cells through the model into a
sorted file, and put the outputs in place only when everything succeeded.

Outputs in the output folder, for release 2025A01:

* ``oews-2025.nt.gz``: the release, its footnotes, SOC 2018 occupations, areas, industries, units,
  variables, data structure definitions, data sets and estimates (sorted N-Triples, gzip without a
  timestamp or file name: the same input always gives the same bytes, whichever route it came by);
* ``oews-2025-provenance.nt``: the copy the importer read (`kg.importers.oews.provenance`);
* ``SHA256SUMS``: the sha256 of both (``sha256sum -c SHA256SUMS`` checks them).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.importers.oews.flatfiles import FlatFiles
from kg.importers.oews.measures import RELEASES
from kg.importers.oews.model import DATASETS, Model
from kg.importers.oews.provenance import route_lines
from kg.importers.oews.snapshot import Snapshot
from kg.importers.oews.sources import OewsError, Release, Selection
from kg.importers.oews.vocab import node
from kg.importers.oews.writer import AtomicFile, SortedLines, write_lines

AREA_NAMES = {"national": "N", "state": "S", "metro": "M"}
PROGRESS_EVERY = 5.0  # seconds between progress messages


@dataclass(frozen=True)
class Summary:
    release: str
    cells: int
    triples: int
    files: dict[str, str]  # output file name → sha256


def selection_for(areas: str, industries: str, occupations: str) -> tuple[Selection, str]:
    """A `Selection` from the command-line values (occupations resolved later against the release: the
    returned string is ``all``, ``detailed`` or a comma-separated list of codes)."""
    kinds = [a.strip() for a in areas.split(",") if a.strip()]
    unknown = [a for a in kinds if a not in AREA_NAMES]
    if unknown or not kinds:
        raise ValueError(f"--areas takes national, state and metro (comma-separated), not {areas!r}")
    if industries not in ("cross", "all"):
        raise ValueError(f"--industries takes cross or all, not {industries!r}")
    selection = Selection(frozenset(AREA_NAMES[a] for a in kinds), industries == "all")
    return selection, occupations.strip() or "all"


def import_oews(
    source: Path,
    out_dir: Path,
    selection: Selection,
    occupations: str = "all",
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Import the release at *source* into *out_dir*; raises `OewsError` (nothing is written) on bad input."""
    say = progress or (lambda message: None)
    with open_source(source) as src:
        release = src.release
        facts = RELEASES.get(release.code)
        if facts is None:
            known = ", ".join(sorted(RELEASES))
            raise OewsError(
                f"{source.name}: release {release.code or '(none)'} is not one this importer knows "
                f"({known}); add its facts to kg/importers/oews/measures.py"
            )
        selection = _with_occupations(selection, occupations, release)
        model = Model(release, facts)
        out_dir.mkdir(parents=True, exist_ok=True)
        lines = SortedLines(out_dir)
        try:
            lines.extend(model.entity_lines(selection))
            cells, last = 0, time.monotonic()
            for cell, where in src.cells(selection):
                lines.extend(model.cell_lines(cell, where))
                cells += 1
                if time.monotonic() - last > PROGRESS_EVERY:
                    say(f"import oews: {cells:,} cells read")
                    last = time.monotonic()
            lines.extend(model.note_lines())
            datasets = [node(f"oews-{model.year}-{DATASETS[a]}") for a in sorted(selection.areatypes)]
            route = sorted(set(route_lines(src.route, source, model.source, release.code, datasets)))
            say(f"import oews: writing {out_dir}")
            files = _write(out_dir, model.year, lines, route)
        finally:
            lines.discard()
    return Summary(release.code, cells, lines.count, files)


def open_source(path: Path) -> FlatFiles | Snapshot:
    """The reader for *path*: a folder of flat files, or a .sqlite / .sqlite.gz snapshot."""
    if path.is_dir():
        return FlatFiles(path)
    if not path.is_file():
        raise OewsError(f"{path}: no such file or folder")
    if path.name.endswith((".sqlite", ".sqlite.gz")):
        return Snapshot(path)
    raise OewsError(
        f"{path}: not an OEWS source (a folder of oe.* files, or a .sqlite or .sqlite.gz snapshot)"
    )


def _with_occupations(selection: Selection, spec: str, release: Release) -> Selection:
    if spec == "all":
        return selection
    if spec == "detailed":
        codes = {code for code, (_, level) in release.occupations.items() if level == 3}
    else:
        codes = set()
        for raw in (c.strip() for c in spec.split(",") if c.strip()):
            code = raw.replace("-", "")
            if code not in release.occupations:
                raise OewsError(f"--occupations: {raw} is not an occupation code of release {release.code}")
            codes.add(code)
    return Selection(selection.areatypes, selection.all_industries, frozenset(codes))


def _write(out_dir: Path, year: str, lines: SortedLines, route: list[str]) -> dict[str, str]:
    """Write the three outputs to temporary files, then rename them into place (all or none)."""
    main, provenance = f"oews-{year}.nt.gz", f"oews-{year}-provenance.nt"
    pending = {name: AtomicFile(out_dir / name) for name in (main, provenance, "SHA256SUMS")}
    try:
        sums = {
            main: write_lines(pending[main].tmp, lines.sorted_unique(), compress=True),
            provenance: write_lines(pending[provenance].tmp, route, compress=False),
        }
        manifest = "".join(f"{sha}  {name}\n" for name, sha in sorted(sums.items()))
        write_lines(pending["SHA256SUMS"].tmp, [manifest], compress=False)
    except BaseException:
        for f in pending.values():
            f.abort()
        raise
    for f in pending.values():
        f.commit()
    return sums
