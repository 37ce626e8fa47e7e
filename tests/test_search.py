"""kg.views.search: labels, alternative labels (acronyms), schema:name; ranked exact > prefix > word >
contains."""

from __future__ import annotations

from rdflib import RDF, RDFS, SKOS, Graph, Literal

from kg.rdf.namespaces import CKG, ID, SCHEMA
from kg.views.search import SearchIndex, search


def _graph() -> Graph:
    g = Graph()
    for slug, text in (
        ("exact", "Coder"),
        ("prefix", "Coder training"),
        ("word", "Medical Coder"),
        ("word-prefix", "Professional Coders"),
        ("contains", "Decoder ring"),
        ("unrelated", "Nurse"),
    ):
        g.add((ID[slug], SKOS.prefLabel, Literal(text, lang="en")))
        g.add((ID[slug], RDF.type, CKG.Skill))
    g.add((ID["acronym"], SKOS.prefLabel, Literal("Commission on Accreditation", lang="en")))
    g.add((ID["acronym"], SKOS.altLabel, Literal("CAAHEP", lang="en")))
    g.add((ID["named"], SCHEMA.name, Literal("Registry of Things")))
    g.add((ID["rdfs"], RDFS.label, Literal("Plain label")))
    g.add((ID["french"], SKOS.prefLabel, Literal("Codeur", lang="fr")))
    return g


def test_ranking_exact_then_prefix_then_word_then_contains():
    hits = SearchIndex.build(_graph()).search("coder")
    assert [h.iri for h in hits] == [
        str(ID["exact"]),
        str(ID["prefix"]),
        str(ID["word"]),  # the whole word "coder"
        str(ID["word-prefix"]),  # "coders" only starts with it
        str(ID["contains"]),
    ]
    assert [h.match for h in hits] == ["exact", "prefix", "word", "word", "contains"]


def test_case_insensitive_and_whitespace_normalised():
    index = SearchIndex.build(_graph())
    assert [h.iri for h in index.search("  MEDICAL   coder ")] == [str(ID["word"])]
    assert index.search("  MEDICAL   coder ")[0].match == "exact"


def test_acronym_alt_label_found_with_its_preferred_label():
    (hit,) = SearchIndex.build(_graph()).search("caahep")
    assert hit.iri == str(ID["acronym"])
    assert hit.label == "Commission on Accreditation"
    assert hit.matched == "CAAHEP"
    assert hit.field == "altLabel"
    assert hit.match == "exact"


def test_schema_name_and_rdfs_label_are_searched():
    index = SearchIndex.build(_graph())
    assert [h.field for h in index.search("registry")] == ["name"]
    assert [h.field for h in index.search("plain label")] == ["label"]


def test_other_languages_ignored_empty_query_and_limit():
    index = SearchIndex.build(_graph())
    assert index.search("codeur") == ()
    assert index.search("   ") == ()
    assert len(index.search("coder", limit=2)) == 2
    assert index.search("coder", limit=0) == ()


def test_one_hit_per_entity_with_types():
    hits = SearchIndex.build(_graph()).search("co")
    assert len({h.iri for h in hits}) == len(hits)
    assert hits[0].types == ("Skill",)


def test_real_graph_caahep_finds_the_commission(kg):
    hits = search(kg, "CAAHEP")
    assert hits[0].iri == str(ID["caahep"])
    assert hits[0].label == "Commission on Accreditation of Allied Health Education Programs"
    assert hits[0].match == "exact"


def test_real_graph_coder_ranks_the_profession_first(kg):
    hits = search(kg, "coder")
    assert hits[0].iri == str(ID["medical-coder"])
    assert hits[0].label == "Medical Coder"
    assert str(ID["aapc"]) in [h.iri for h in hits]  # "American Academy of Professional Coders"


def test_real_graph_cma_acronym(kg):
    assert search(kg, "CMA")[0].iri == str(ID["certified-medical-assistant"])


def test_hit_as_dict():
    hit = SearchIndex.build(_graph()).search("caahep")[0]
    assert hit.as_dict() == {
        "iri": str(ID["acronym"]),
        "label": "Commission on Accreditation",
        "matched": "CAAHEP",
        "field": "altLabel",
        "match": "exact",
        "types": [],
    }
