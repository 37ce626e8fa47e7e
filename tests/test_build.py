"""The build pipeline and its cache, on the small fixture tree (independent of the real data)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import kg.pipeline.rules
import kg.pipeline.validate
from kg.config import Settings
from kg.errors import DataError, ValidationFailed
from kg.pipeline import cache
from kg.pipeline.build import KnowledgeGraph, build, validate_files
from kg.rdf.namespaces import GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY, ID

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
COUNTS = {"data": 38, "ontology": 49, "inferred": 35, "union": 122}


@pytest.fixture
def tree(tmp_path) -> Path:
    """A private copy of the fixture tree, free to change."""
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES, root)
    return root


def settings_for(root: Path, cache_dir: Path, **changes) -> Settings:
    return Settings.from_env(root=root, environ={}, cache_dir=cache_dir, **changes)


@pytest.fixture
def count_reasoning(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = kg.pipeline.rules.infer

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(kg.pipeline.rules, "infer", counting)
    return calls


def test_build_holds_named_graphs_union_and_counts(tmp_path):
    built = build(settings_for(FIXTURES, tmp_path))
    assert dict(built.triple_counts) == COUNTS
    assert len(built.data) == 38 and len(built.ontology) == 49 and len(built.inferred) == 35
    assert len(built.union) == 122
    assert {str(g.identifier) for g in built.dataset.graphs() if len(g)} == {
        str(GRAPH_DATA),
        str(GRAPH_ONTOLOGY),
        str(GRAPH_INFERRED),
    }
    assert built.dataset.graph(GRAPH_DATA).identifier == GRAPH_DATA
    assert (
        ID["medical-coder"],
        URIRef("http://schema.org/qualifications"),
        ID["cpc-certification"],
    ) in built.union
    assert len(built.version) == 12 and int(built.version, 16) >= 0
    assert built.report.conforms and built.report.count("Warning") == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.version = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        built.triple_counts["data"] = 0  # type: ignore[index]


def test_cache_hit_skips_reasoning_and_validation(tmp_path, monkeypatch):
    first = build(settings_for(FIXTURES, tmp_path))

    def fail(*args, **kwargs):
        raise AssertionError("reasoning or validation ran on a cache hit")

    monkeypatch.setattr(kg.pipeline.rules, "infer", fail)
    monkeypatch.setattr(kg.pipeline.validate, "validate", fail)
    second = build(settings_for(FIXTURES, tmp_path))
    assert second is not first
    assert (second.version, dict(second.triple_counts), second.report) == (
        first.version,
        dict(first.triple_counts),
        first.report,
    )
    assert set(second.union) == set(first.union)
    assert second.data.store is second.dataset.store  # views of the dataset, as after a fresh build


def test_warm_start_does_not_import_the_reasoner_or_validator(tmp_path):
    build(settings_for(FIXTURES, tmp_path))
    code = (
        "import sys; from pathlib import Path; from kg.pipeline.build import build; "
        "from kg.config import Settings; "
        f"s = Settings.from_env(root=Path({str(FIXTURES)!r}), environ={{}}, cache_dir={str(tmp_path)!r}); "
        "kg = build(s); "
        "print(len(kg.union), sorted(m for m in sys.modules if m.split('.')[0] in ('owlrl', 'pyshacl')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "122 []"


def test_changed_input_rebuilds(tree, tmp_path, count_reasoning):
    s = settings_for(tree, tmp_path / "cache")
    first = build(s)
    build(s)
    assert count_reasoning == [1]
    with (tree / "data" / "careers.ttl").open("a", encoding="utf-8") as f:
        f.write('\nid:aapc skos:altLabel "American Academy of Professional Coders"@en .\n')
    second = build(s)
    assert count_reasoning == [1, 1]
    assert second.version != first.version
    assert second.triple_counts["data"] == 39


@pytest.mark.parametrize("which", ["ontology_file", "shapes_file"])
def test_changed_ontology_or_shapes_rebuilds(tree, tmp_path, count_reasoning, which):
    s = settings_for(tree, tmp_path / "cache")
    build(s)
    path = getattr(s, which)
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    build(s)
    assert count_reasoning == [1, 1]


def test_library_versions_are_part_of_the_key(tmp_path, monkeypatch, count_reasoning):
    s = settings_for(FIXTURES, tmp_path)
    build(s)
    monkeypatch.setattr(cache, "library_versions", lambda: ("rdflib=99",))
    build(s)
    assert count_reasoning == [1, 1]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "valid checksum, bad pickle", "empty"])
def test_corrupt_cache_is_ignored_and_rebuilt(tmp_path, count_reasoning, damage):
    s = settings_for(FIXTURES, tmp_path)
    build(s)
    (path,) = tmp_path.glob("kg-*.pickle")
    blob = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not a cache at all")
    elif damage == "truncated":
        path.write_bytes(blob[: len(blob) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        payload = b"\x80\x05not a pickle"
        path.write_bytes(cache._header(payload) + b"\n" + payload)
    rebuilt = build(s)
    assert count_reasoning == [1, 1]
    assert dict(rebuilt.triple_counts) == COUNTS
    assert cache.load(tmp_path, path.stem.removeprefix("kg-")) is not None  # rewritten whole


def test_cache_is_written_atomically_and_pruned(tmp_path, tree):
    s = settings_for(tree, tmp_path)
    for n in range(cache.KEEP + 2):
        (tree / "data" / "extra.ttl").write_text(f"<urn:x:s> <urn:x:p> {n} .\n", encoding="utf-8")
        build(s.replace(data_files=(tree / "data" / "careers.ttl", tree / "data" / "extra.ttl")))
    assert len(list(tmp_path.glob("kg-*.pickle"))) == cache.KEEP
    assert not list(tmp_path.glob(".kg-*"))  # no temporary files left behind


def test_unwritable_cache_directory_still_builds(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    built = build(settings_for(FIXTURES, blocker / "cache"))
    assert dict(built.triple_counts) == COUNTS


def test_use_cache_false_neither_reads_nor_writes(tmp_path, count_reasoning):
    s = settings_for(FIXTURES, tmp_path)
    build(s, use_cache=False)
    build(s, use_cache=False)
    assert count_reasoning == [1, 1]
    assert not list(tmp_path.glob("kg-*"))


def test_invalid_data_is_never_served(tmp_path):
    s = settings_for(FIXTURES, tmp_path, data_files=(FIXTURES / "broken" / "invalid.ttl",))
    with pytest.raises(ValidationFailed) as err:
        build(s)
    assert str(err.value) == "the data does not conform: 2 violation(s)"
    assert err.value.report.count() == 2
    assert not list(tmp_path.glob("kg-*"))
    report = validate_files(s)  # the same report, without raising
    assert report.text() == err.value.report.text()


def test_inconsistent_data_fails_with_the_reasoners_message(tmp_path):
    s = settings_for(FIXTURES, tmp_path, data_files=(FIXTURES / "broken" / "inconsistent.ttl",))
    with pytest.raises(ValidationFailed) as err:
        build(s)
    assert err.value.report.text().startswith(
        "OWL-RL reasoning — (node) — Lexical value of the literal 'not a date'"
    )


def test_unparsable_data_is_a_data_error_with_file_and_line(tmp_path):
    s = settings_for(FIXTURES, tmp_path, data_files=(FIXTURES / "broken" / "syntax.ttl",))
    with pytest.raises(DataError) as err:
        build(s)
    assert err.value.message == "broken/syntax.ttl line 5: newline found in string literal"
    with pytest.raises(DataError):
        validate_files(s)


def test_missing_shapes_file_is_a_data_error(tmp_path):
    s = settings_for(FIXTURES, tmp_path, shapes_file=FIXTURES / "ontology" / "nope.ttl")
    with pytest.raises(DataError) as err:
        build(s)
    assert err.value.message == "ontology/nope.ttl: cannot read the file: No such file or directory"


def test_validate_files_uses_a_conforming_cache(tmp_path, monkeypatch):
    s = settings_for(FIXTURES, tmp_path)
    built = build(s)
    monkeypatch.setattr(kg.pipeline.rules, "infer", lambda *a: pytest.fail("reasoned although cached"))
    assert validate_files(s) == built.report


def test_with_named_graphs_returns_a_new_value(tmp_path):
    built = build(settings_for(FIXTURES, tmp_path))
    extra = Graph()
    extra.add((URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("o")))
    more = built.with_named_graphs([("urn:x:graph", extra)])
    assert isinstance(more, KnowledgeGraph)
    assert len(more.union) == 123 and len(built.union) == 122
    assert len(more.dataset.graph(URIRef("urn:x:graph"))) == 1
    assert len(built.dataset.graph(URIRef("urn:x:graph"))) == 0
    assert more.triple_counts["urn:x:graph"] == 1 and more.triple_counts["union"] == 123
    assert len(more.data) == 38 and more.version == built.version


def test_named_graphs_setting_loads_extra_graphs(tmp_path):
    extra = tmp_path / "extra.nt"
    extra.write_text("<urn:x:s> <urn:x:p> <urn:x:o> .\n", encoding="utf-8")
    built = build(settings_for(FIXTURES, tmp_path / "c", named_graphs=(("urn:x:extra", extra),)))
    assert built.triple_counts["urn:x:extra"] == 1
    assert (URIRef("urn:x:s"), URIRef("urn:x:p"), URIRef("urn:x:o")) in built.union
    again = build(settings_for(FIXTURES, tmp_path / "c", named_graphs=(("urn:x:extra", extra),)))
    assert len(again.dataset.graph(URIRef("urn:x:extra"))) == 1


def test_export_graph(tmp_path):
    built = build(settings_for(FIXTURES, tmp_path))
    assert built.export_graph() is built.data
    assert len(built.export_graph(inferred=True)) == 38 + 35


def test_progress_reports_each_step(tmp_path):
    steps: list[str] = []
    build(settings_for(FIXTURES, tmp_path), progress=steps.append)
    assert steps == [
        "parsing 3 files",
        "reasoning (OWL-RL) over 87 triples",
        "validating (SHACL)",
        "writing the build cache",
    ]
    steps.clear()
    build(settings_for(FIXTURES, tmp_path), progress=steps.append)
    assert steps == []


def test_the_real_data_builds(kg):
    assert kg.report.conforms
    assert kg.triple_counts["data"] > 0 and kg.triple_counts["inferred"] > 0
    assert kg.triple_counts["union"] == len(kg.union)
