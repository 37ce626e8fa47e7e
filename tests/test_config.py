"""Settings: defaults from the repository, then the environment, then keyword overrides."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kg.config import Settings
from kg.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


def test_defaults_point_into_the_repository():
    s = Settings.from_env(environ={})
    assert s.root == REPO
    assert s.data_files == (
        REPO / "data" / "careers.ttl",
        REPO / "data" / "oews-2025" / "oews-2025-provenance.nt",
        REPO / "data" / "oews-2025" / "oews-2025.nt.gz",
    )
    assert s.ontology_file == REPO / "ontology" / "careers.ttl"
    assert s.shapes_file == REPO / "ontology" / "shapes.ttl"
    assert s.queries_dir == REPO / "queries"
    assert s.cache_dir == REPO / ".cache"
    assert (s.host, s.port, s.workers, s.query_timeout, s.max_rows, s.named_graphs) == (
        "127.0.0.1",
        8000,
        2,
        10.0,
        10000,
        (),
    )


def test_root_argument_moves_every_default_path():
    s = Settings.from_env(root=FIXTURES, environ={})
    assert s.data_files == (FIXTURES / "data" / "careers.ttl",)
    assert s.cache_dir == FIXTURES / ".cache"
    assert s.queries_dir == FIXTURES / "queries"


def test_environment_is_read(tmp_path):
    env = {
        "CAREERS_KG_ROOT": str(FIXTURES),
        "CAREERS_KG_CACHE": str(tmp_path / "c"),
        "CAREERS_KG_DATA": f"{tmp_path / 'a.ttl'}:{tmp_path / 'b.ttl'}",
        "HOST": "0.0.0.0",
        "PORT": "9000",
        "CAREERS_KG_WORKERS": "4",
        "CAREERS_KG_QUERY_TIMEOUT": "2.5",
        "CAREERS_KG_MAX_ROWS": "50",
    }
    s = Settings.from_env(environ=env)
    assert s.root == FIXTURES
    assert s.cache_dir == tmp_path / "c"
    assert s.data_files == (tmp_path / "a.ttl", tmp_path / "b.ttl")
    assert (s.host, s.port, s.workers, s.query_timeout, s.max_rows) == ("0.0.0.0", 9000, 4, 2.5, 50)


def test_overrides_win_over_the_environment(tmp_path):
    s = Settings.from_env(environ={"PORT": "9000"}, port=9100, cache_dir=str(tmp_path))
    assert s.port == 9100
    assert s.cache_dir == tmp_path  # a str path becomes a Path


def test_ill_typed_environment_value_is_one_sentence():
    with pytest.raises(ConfigError) as err:
        Settings.from_env(environ={"PORT": "eighty"})
    assert str(err.value) == "PORT must be an integer, got 'eighty'"


def test_unknown_override_is_refused():
    with pytest.raises(ConfigError) as err:
        Settings.from_env(environ={}, prot=1)
    assert str(err.value) == "unknown setting 'prot'"


def test_settings_are_frozen_and_replace_returns_a_copy():
    s = Settings.from_env(environ={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.port = 1  # type: ignore[misc]
    t = s.replace(port=1, data_files=["x.ttl"], named_graphs=[("urn:g", "g.ttl")])
    assert (s.port, t.port) == (8000, 1)
    assert t.data_files == (Path("x.ttl"),)
    assert t.named_graphs == (("urn:g", Path("g.ttl")),)
    assert hash(t) != hash(s)
