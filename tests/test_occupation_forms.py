"""The occupation compare form (issue 13, item 7): pickers of SOC occupations (a <datalist>: the title shown,
the code submitted) and of areas (a <select>), and unknown values answered with a 400 that names the
parameter and suggests the closest, in the API (JSON) and on the page (links)."""

from __future__ import annotations

import pytest
from oews_excerpt import excerpt_settings
from web_fixtures import HTML, web_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from kg.pipeline.build import build

    settings = excerpt_settings(tmp_path_factory.mktemp("oews-forms"))
    return web_app(settings, build(settings)).test_client()


def test_the_form_picks_occupations_and_areas_by_name(client):
    body = client.get("/compare?a=31-9092&b=29-2072&area=us-ca", headers=HTML).get_data(as_text=True)
    assert '<datalist id="soc-occupations">' in body
    assert '<option value="31-9092">Medical Assistants</option>' in body
    assert '<option value="29-2072">Medical Records Specialists</option>' in body
    assert 'name="a" type="text" list="soc-occupations" value="31-9092"' in body
    assert 'name="b" type="text" list="soc-occupations" value="29-2072"' in body
    assert '<select id="pick-area" name="area"><option value="us">United States</option>' in body
    assert '<option value="us-ca" selected>California</option>' in body


def test_titles_and_state_names_are_understood(client):
    r = client.get("/compare.json?a=Medical Assistants&b=medical records specialists&area=California")
    assert r.status_code == 200
    page = r.get_json()
    assert (page["a"]["occupation"]["code"], page["b"]["occupation"]["code"]) == ("31-9092", "29-2072")
    assert page["a"]["area"]["slug"] == page["b"]["area"]["slug"] == "us-ca"


@pytest.mark.parametrize(
    ("query", "name", "message", "suggestion"),
    [
        (
            "a=medical asistants&b=29-2072",
            "a",
            "parameter 'a': there is no SOC occupation called 'medical asistants'; "
            "did you mean 31-9092 (Medical Assistants)?",
            {"value": "31-9092", "label": "Medical Assistants"},
        ),
        (
            "a=31-9092&area=us&b_area=californa",
            "b_area",
            "parameter 'b_area': there is no state or nation called 'californa'; "
            "did you mean us-ca (California)?",
            {"value": "us-ca", "label": "California"},
        ),
    ],
)
def test_an_unknown_value_is_a_400_naming_the_parameter_with_suggestions(
    client, query, name, message, suggestion
):
    r = client.get("/compare.json?" + query)
    assert r.status_code == 400
    body = r.get_json()
    assert (body["parameter"], body["message"], body["suggestions"]) == (name, message, [suggestion])


def test_the_page_links_each_suggestion(client):
    r = client.get("/compare?a=medical asistants&b=29-2072", headers=HTML)
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "there is no SOC occupation called &#39;medical asistants&#39;" in body
    assert '<li><a href="/compare?a=31-9092&amp;b=29-2072">Medical Assistants (31-9092)</a></li>' in body
