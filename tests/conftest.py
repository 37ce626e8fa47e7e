"""Shared fixtures: the real settings and the built knowledge graph (session-scoped: built once)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
SEED = REPO / "data" / "careers.ttl"

# The suite runs on the seed alone (and on small fixtures): the default data also holds the BLS OEWS release
# (a million triples, minutes to build), which tests/test_default_data.py builds once and checks. Every
# server and command the tests start inherits this.
os.environ["CAREERS_KG_DATA"] = str(SEED)


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    from kg.config import Settings

    return Settings.from_env(root=REPO, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def kg(settings):
    from kg.pipeline.build import build

    return build(settings)
