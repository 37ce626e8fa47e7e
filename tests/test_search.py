"""kg.views.search: labels, alternative labels (acronyms), schema:name and codes; typos, stop words,
plurals; ranked
exact > prefix > word > typo > contains > some words, with the kind of each hit."""

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
    g.add((ID["french"], SKOS.prefLabel, Literal("Programmeur informatique", lang="fr")))
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
    assert index.search("programmeur") == ()
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
        "kind": "thing",
        "matched": "CAAHEP",
        "field": "altLabel",
        "match": "exact",
        "types": [],
    }


# ------------------------------------------------------------ forgiving: typos, stop words, codes, kinds


def _labels(hits):
    return [h.label for h in hits]


def test_a_typo_finds_the_word(kg):
    hits = search(kg, "codr")
    assert hits[0].iri == str(ID["medical-coder"])
    assert (hits[0].label, hits[0].kind, hits[0].match) == ("Medical Coder", "profession", "typo")
    assert search(kg, "cancer registar")[0].iri == str(ID["cancer-registrar"])  # one letter missing
    assert search(kg, "medcial biller")[0].iri == str(ID["medical-biller"])  # two letters swapped


def test_stop_words_are_left_out(kg):
    hits = search(kg, "medical assistant salary")
    # the occupation the salary figures are about first, then the certified profession
    assert [h.iri for h in hits[:2]] == [str(ID["medical-assistant"]), str(ID["certified-medical-assistant"])]
    assert hits[0].match == "word"
    assert search(kg, "how to become a medical coder")[0].iri == str(ID["medical-coder"])
    assert search(kg, "salary") == ()  # a query of stop words only is searched as it is


def test_occupation_codes_find_the_code_and_the_professions(kg):
    hits = search(kg, "29-2072")
    assert [(h.iri, h.kind, h.field, h.match) for h in hits[:2]] == [
        (str(ID["medical-coder"]), "profession", "code", "exact"),
        (str(ID["soc-29-2072"]), "occupation code", "code", "exact"),
    ]
    assert [h.iri for h in search(kg, "31-9092")] == [
        str(ID["certified-medical-assistant"]),
        str(ID["medical-assistant"]),
        str(ID["soc-31-9092"]),
    ]


def test_alternative_names_and_plurals(kg):
    (hit, *_rest) = search(kg, "CMA")
    assert (hit.iri, hit.field, hit.matched) == (str(ID["certified-medical-assistant"]), "altLabel", "CMA")
    # The occupation and the codes named exactly "Medical assistants" first, then the profession.
    assert [h.iri for h in search(kg, "medical assistants")[:4]] == [
        str(ID["medical-assistant"]),
        str(ID["isco-08-3256"]),
        str(ID["soc-31-9092"]),
        str(ID["certified-medical-assistant"]),
    ]


def test_kinds_of_hits(kg):
    kinds = {h.iri: h.kind for h in search(kg, "medical assistant")}
    assert kinds[str(ID["certified-medical-assistant"])] == "profession"
    assert kinds[str(ID["cma-certification"])] == "credential"
    assert kinds[str(ID["aama"])] == "organization"
    assert kinds[str(ID["soc-31-9092"])] == "occupation code"


def test_statistics_are_not_indexed(kg):
    statistics = {str(s) for s in kg.data.subjects(RDF.type, CKG.Statistic)}
    assert len(statistics) == 20
    for q in ("median annual wage", "Certified medical assistants: employment, May 2016"):
        assert not {h.iri for h in search(kg, q, limit=500)} & statistics


def test_beginning_of_a_word_as_you_type():
    index = SearchIndex.build(_graph())
    assert _labels(index.search("medic")) == ["Medical Coder"]
    assert index.search("medic")[0].match == "prefix"
    assert _labels(index.search("cod trai")) == ["Coder training"]


def test_accents_and_case_do_not_matter():
    g = _graph()
    g.add((ID["cafe"], SKOS.prefLabel, Literal("Café Réseau", lang="en")))
    assert _labels(SearchIndex.build(g).search("CAFE reseau")) == ["Café Réseau"]


def test_some_words_only_when_nothing_has_them_all():
    index = SearchIndex.build(_graph())
    hits = index.search("medical nurse coder")
    assert _labels(hits) == [
        "Medical Coder",  # two of the three words
        "Coder",  # then one word, whole words first, shorter first
        "Nurse",
        "Coder training",
        "Professional Coders",
        "Decoder ring",  # inside a word
    ]
    assert {h.match for h in hits} == {"some words"}
    assert _labels(index.search("nurse")) == ["Nurse"]


def test_edit_distance():
    from kg.views.search import _distance

    assert _distance("codr", "coder", 2) == 1
    assert _distance("cdoer", "coder", 2) == 1  # a swap of neighbours
    assert _distance("kitten", "sitting", 5) == 3
    assert _distance("kitten", "sitting", 1) == 2  # capped: cap + 1


def test_the_index_kept_in_the_cache_answers_as_the_built_one(kg, tmp_path, monkeypatch):
    from kg.views.search import SearchIndex

    built = SearchIndex.cached(kg.union, kg.data, tmp_path, kg.version)
    assert len(list(tmp_path.glob("search-*.pickle"))) == 1
    monkeypatch.setattr(SearchIndex, "build", None)  # a second start must not rebuild it
    loaded = SearchIndex.cached(kg.union, kg.data, tmp_path, kg.version)
    assert loaded is not built
    for q in ("codr", "medical assistant salary", "29-2072", "CMA"):
        assert loaded.search(q) == built.search(q)
