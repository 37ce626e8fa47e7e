"""The synthetic data generator (kg.importers.synth): deterministic, exact sizes, conforming to the shapes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, URIRef

from kg.config import Settings
from kg.importers import synth
from kg.pipeline.build import validate_files
from kg.pipeline.load import load_files
from kg.rdf.namespaces import CKG, ID, SCHEMA

REPO = Path(__file__).resolve().parent.parent


def test_exact_triple_count():
    assert len(synth.generate(10)) == 708
    assert synth.triple_count(10) == 708
    for n in (1, 2, 57, 450):
        assert len(synth.generate(n, seed=n)) == synth.triple_count(n)


def test_about_fifty_triples_per_profession():
    assert synth.triple_count(20_001) - synth.triple_count(20_000) in range(51, 60)
    assert synth.professions_for(1_000_000) == 19_169
    assert synth.triple_count(19_169) >= 1_000_000 > synth.triple_count(19_168)


def test_deterministic_for_a_seed():
    def text(seed: int) -> str:
        out = io.StringIO()
        synth.write(out, 25, seed=seed, fmt="nt")
        return out.getvalue()

    assert text(0) == text(0)
    assert text(0) != text(1)
    assert set(synth.generate(25, seed=4)) == set(synth.generate(25, seed=4))


def test_turtle_and_ntriples_say_the_same(tmp_path):
    assert synth.write(tmp_path / "s.ttl", 12) == synth.triple_count(12)
    assert synth.write(tmp_path / "s.nt", 12) == synth.triple_count(12)
    turtle = Graph().parse(tmp_path / "s.ttl", format="turtle")
    ntriples = Graph().parse(tmp_path / "s.nt", format="nt")
    assert set(turtle) == set(ntriples) == set(synth.generate(12))


def test_conforms_to_the_shapes(tmp_path):
    synth.write(tmp_path / "synthetic.ttl", 10)
    settings = Settings.from_env(
        root=REPO, cache_dir=tmp_path / "cache", data_files=(tmp_path / "synthetic.ttl",)
    )
    report = validate_files(settings)
    assert report.conforms, report.text()


def test_synthetic_names_and_codes():
    g = synth.generate(300)
    professions = set(g.subjects(RDF.type, CKG.Profession))
    assert len(professions) == 300
    assert all(str(p).startswith(str(ID) + "synth-profession-") for p in professions)
    assert g.value(ID["synth-profession-17"], SKOS.prefLabel).value == "Synthetic profession 17"
    codes = [
        str(g.value(code, SCHEMA.codeValue)) for p in professions for code in g.objects(p, CKG.occupationCode)
    ]
    assert len(codes) == len(set(codes)) == 300
    assert all(re.fullmatch(r"\d{2}-\d{4}", c) for c in codes)
    # shared pools: many professions per skill, issuer and source
    assert len(set(g.objects(None, CKG.hasSkill))) == 25
    assert len(set(g.objects(None, CKG.issuedBy))) <= 9


def test_shared_vocabulary_nodes_are_the_seeds_own():
    """Synthetic data loaded next to the seed adds nothing to the seed's nodes (no second label)."""
    seed = load_files([REPO / "data" / "careers.ttl"])
    g = synth.generate(5)
    seed_subjects = set(seed.subjects())
    for s, p, o in g:
        if s in seed_subjects:
            assert (s, p, o) in seed, (s, p, o)
        else:
            assert str(s).startswith(str(ID) + "synth-"), s
    assert URIRef(ID["var-employment"]) in seed_subjects


def test_rejects_no_professions():
    with pytest.raises(ValueError):
        synth.generate(0)
    with pytest.raises(ValueError):
        synth.write(io.StringIO(), 5, fmt="xml")
