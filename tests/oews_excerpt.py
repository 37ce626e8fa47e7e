"""The OEWS excerpt (tests/fixtures/oews/excerpt.sql: exact rows of the BLS OEWS May 2025 snapshot) imported
with `careers-kg import oews`, for tests that need a graph with OEWS figures: the data files to build with."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from kg.cli import main

REPO = Path(__file__).resolve().parent.parent
EXCERPT = REPO / "tests" / "fixtures" / "oews" / "excerpt.sql"


def import_excerpt(folder: Path) -> tuple[Path, ...]:
    """Import the excerpt (national, state, metro) into *folder*; returns the seed and the imported files."""
    snapshot = folder / "oews-2025.sqlite"
    db = sqlite3.connect(snapshot)
    db.executescript(EXCERPT.read_text(encoding="utf-8"))
    db.commit()
    db.close()
    out = folder / "data"
    assert main(["import", "oews", str(snapshot), "--areas", "national,state,metro", "-o", str(out)]) == 0
    return (REPO / "data" / "careers.ttl", out / "oews-2025.nt.gz", out / "oews-2025-provenance.nt")


def excerpt_settings(folder: Path) -> Any:
    """Settings of the seed plus the excerpt imported into *folder*, on the memory store."""
    from kg.config import Settings

    return Settings.from_env(data_files=import_excerpt(folder), cache_dir=folder / "cache", store="memory")
