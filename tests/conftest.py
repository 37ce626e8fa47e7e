"""Shared fixtures: the real settings and the built knowledge graph (session-scoped: built once)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    from kg.config import Settings

    return Settings.from_env(root=REPO, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def kg(settings):
    from kg.pipeline.build import build

    return build(settings)
