"""Stored-query parameters that take members of a class (header key ``class:``): loading, pickers on the
form, and a 400 naming the parameter and the closest members, on the page and in the API."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from web_fixtures import HTML, web_app, web_client

from kg.errors import QueryLoadError
from kg.query.catalogue import load_catalogue, parse_query
from kg.query.params import Choice, check_member, choices, closest
from kg.rdf.namespaces import CKG, ID

BODY = "PREFIX ckg: <https://w3id.org/careers-kg/ontology#>\nSELECT ?x WHERE { ?x ckg:about ?subject }\n"
PAY = "/queries/median-pay"


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


def _header(param: str) -> str:
    return f"#+ title: T\n#+ params:\n#+   subject: {param}\n"


def test_the_class_key_is_read_as_an_iri():
    query = parse_query(_header("{type: iri, class: ckg:Profession}") + BODY, "ok")
    assert query.params[0].cls == "https://w3id.org/careers-kg/ontology#Profession"
    query = parse_query(_header("{type: iri, class: 'http://schema.org/Occupation'}") + BODY, "ok")
    assert query.params[0].cls == "http://schema.org/Occupation"
    assert parse_query(_header("{type: iri}") + BODY, "ok").params[0].cls is None


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("{type: string, class: ckg:Profession}",
         "parameter 'subject': 'class' is only for parameters of type iri"),
        ("{type: iri, class: Profession}",
         "parameter 'subject': 'class' must be a CURIE such as ckg:Profession or a full IRI"),
        ("{type: iri, class: nope:Profession}",
         "parameter 'subject': 'class' must be a CURIE such as ckg:Profession or a full IRI"),
        ("{type: iri, class: [ckg:Profession]}",
         "parameter 'subject': 'class' must be a CURIE such as ckg:Profession or a full IRI"),
    ],
)  # fmt: skip
def test_a_bad_class_names_the_file_and_the_parameter(param, message):
    with pytest.raises(QueryLoadError) as err:
        parse_query(_header(param) + BODY, "bad", "queries/bad.rq")
    assert err.value.message == f"queries/bad.rq: {message}"


def test_every_example_and_default_of_a_class_parameter_is_a_member(settings, kg):
    """The shipped queries' examples and defaults are real members of their parameters' classes."""
    checked = 0
    for query in load_catalogue(settings.queries_dir, settings.root).values():
        for p in query.params:
            if p.cls is None:
                continue
            members = {c.value for c in choices(kg.union, URIRef(p.cls))}
            for value in (p.example, p.default):
                if value is not None:
                    assert value in members, (query.name, p.name, value)
                    checked += 1
    assert checked == 23  # 3 two-profession queries x (a, b) x (example, default) + 11 examples


def _graph() -> Graph:
    g = Graph()
    for slug, text in (
        ("medical-coder", "Medical Coder"),
        ("medical-biller", "Medical Biller"),
        ("nurse", "Nurse"),
    ):
        g.add((ID[slug], RDF.type, CKG.Profession))
        g.add((ID[slug], SKOS.prefLabel, Literal(text, lang="en")))
    g.add((URIRef("https://example.org/x"), RDF.type, CKG.Profession))
    g.add((CKG.Profession, SKOS.prefLabel, Literal("Profession", lang="en")))
    return g


def test_choices_by_label_with_slugs_for_the_projects_iris():
    assert choices(_graph(), CKG.Profession) == (
        Choice("medical-biller", "Medical Biller"),
        Choice("medical-coder", "Medical Coder"),
        Choice("nurse", "Nurse"),
        Choice("https://example.org/x", "x"),
    )


def test_closest_reads_slugs_and_labels():
    members = choices(_graph(), CKG.Profession)
    assert closest("medical-codr", members) == (Choice("medical-coder", "Medical Coder"), members[0])
    assert closest("Nurse", members) == (Choice("nurse", "Nurse"),)
    assert closest("zzz", members) == ()


def test_check_member():
    g = _graph()
    check_member(g, "p", ID["nurse"], CKG.Profession, "nurse")  # a member: nothing raised
    with pytest.raises(ValueError) as caught:
        check_member(g, "p", ID["nurs"], CKG.Profession, "nurs")
    assert (
        str(caught.value)
        == "parameter 'p': there is no profession called 'nurs'; did you mean nurse (Nurse)?"
    )
    assert caught.value.suggestions == (Choice("nurse", "Nurse"),)


# ------------------------------------------------------------------------------------------------ the web


def test_an_unknown_member_in_the_api(client):
    r = client.get(f"{PAY}.json?profession=medical-codr")
    assert r.status_code == 400
    assert r.get_json() == {
        "error": "Bad request",
        "status": 400,
        "message": "parameter 'profession': there is no profession called 'medical-codr'; "
        "did you mean medical-coder (Medical Coder) or medical-biller (Medical Biller)?",
        "parameter": "profession",
        "suggestions": [
            {"value": "medical-coder", "label": "Medical Coder"},
            {"value": "medical-biller", "label": "Medical Biller"},
        ],
    }
    r = client.get(f"{PAY}.csv?profession=nope")
    assert r.status_code == 400
    assert r.get_json()["message"] == "parameter 'profession': there is no profession called 'nope'"
    assert r.get_json()["suggestions"] == []


def test_an_unknown_member_on_the_page(client):
    r = client.get(f"{PAY}?profession=medical-codr", headers=HTML)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "there is no profession called &#39;medical-codr&#39;" in html
    assert (
        '<p>Did you mean\n<a href="/queries/median-pay?profession=medical-coder">Medical Coder</a> or '
        '<a href="/queries/median-pay?profession=medical-biller">Medical Biller</a>?</p>'
    ) in html
    assert '<option value="medical-codr" selected>medical-codr (not in the list)</option>' in html


def test_the_form_labels_are_the_descriptions(client):
    html = client.get(PAY, headers=HTML).get_data(as_text=True)
    assert '<label for="param-profession">The profession (required)' in html
    assert "<code>profession</code> · one of 5 · e.g. <code>certified-medical-assistant</code>" in html


def test_many_members_get_a_text_box_with_suggestions(settings, kg, monkeypatch):
    from kg.web import views_queries

    monkeypatch.setattr(views_queries, "SELECT_UP_TO", 3)
    html = web_app(settings, kg).test_client().get(PAY, headers=HTML).get_data(as_text=True)
    assert (
        '<input id="param-profession" name="profession" type="text" value="" list="choices-profession"'
        in html
    )
    assert (
        '<datalist id="choices-profession"><option value="cancer-registrar">Cancer Registrar</option>' in html
    )
