"""/search and /search.json: forgiving search on the page and in the API, each hit with its kind."""

from __future__ import annotations

import pytest
from web_fixtures import HTML, web_client

from kg.rdf.namespaces import ID


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


def test_a_typo_on_the_page(client):
    html = client.get("/search?q=codr", headers=HTML).get_data(as_text=True)
    first = html.split('<ol class="hits">', 1)[1].split("</li>", 1)[0]
    assert '<a href="/id/medical-coder">Medical Coder</a>' in first
    assert '<span class="badge kind">profession</span>' in first
    assert "match on" not in html  # no jargon ("word match on prefLabel")


def test_stop_words_in_the_api(client):
    data = client.get("/search.json?q=medical+assistant+salary").get_json()
    assert data["q"] == "medical assistant salary"
    first = data["results"][0]
    assert (first["iri"], first["label"], first["kind"]) == (
        str(ID["medical-assistant"]),
        "Medical Assistants",
        "occupation",
    )
    assert first["url"] == "/id/medical-assistant"
    assert data["results"][1]["iri"] == str(ID["certified-medical-assistant"])


def test_a_code_in_the_api_and_on_the_page(client):
    data = client.get("/search.json?q=29-2072").get_json()
    assert [(r["url"], r["kind"], r["field"], r["matched"]) for r in data["results"][:2]] == [
        ("/id/medical-coder", "profession", "code", "29-2072"),
        ("/id/soc-29-2072", "occupation code", "code", "29-2072"),
    ]
    html = client.get("/search?q=31-9092", headers=HTML).get_data(as_text=True)
    assert '<span class="muted">occupation code 31-9092</span>' in html


def test_an_alternative_name_is_shown(client):
    html = client.get("/search?q=CMA", headers=HTML).get_data(as_text=True)
    first = html.split('<ol class="hits">', 1)[1].split("</li>", 1)[0]
    assert '<a href="/id/certified-medical-assistant">Certified Medical Assistant</a>' in first
    assert "also called “CMA”" in first
