"""Occupation, state and occupation-compare pages (issue 13, item 1 and "one occupation in two places") over
the OEWS excerpt: exact figures of the BLS OEWS May 2025 release (tests/fixtures/oews/excerpt.sql), each
cited; the seed's May 2016 figure beside the May 2025 one; footnotes as notes, never numbers; bad input.

The same pages over the Oxigraph store (pyoxigraph evaluating the queries) give the same JSON as over the
memory store (rdflib evaluating them).
"""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from oews_excerpt import excerpt_settings
from web_fixtures import HTML, web_app

REPO_CITE = "BLS OEWS May 2025, published 2026-05-15"


@pytest.fixture(scope="module")
def oews_settings(tmp_path_factory):
    return excerpt_settings(tmp_path_factory.mktemp("oews-pages"))


@pytest.fixture(scope="module")
def oews_kg(oews_settings):
    from kg.pipeline.build import build

    return build(oews_settings)


@pytest.fixture(scope="module")
def client(oews_settings, oews_kg):
    return web_app(oews_settings, oews_kg).test_client()


def text_of(response) -> str:
    """The page's visible text: tags become spaces, spaces are collapsed, none before punctuation."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()
    return html.unescape(re.sub(r" ([,.:;])", r"\1", text))


def figures(rows, name):
    return {key: (f["value"], f["text"], f["footnote"], f["lower_bound"]) for key, f in rows[name].items()}


# --- the occupation page ----------------------------------------------------------------------------------


def test_national_and_state_figures_of_medical_assistants(client):
    page = client.get("/id/soc2018-31-9092.json").get_json()
    assert page["occupation"]["code"] == "31-9092"
    assert page["occupation"]["title"] == "Medical Assistants"
    assert page["occupation"]["level"] == "Detailed occupation"
    national = {k: f["value"] for k, f in page["national"].items()}
    assert national["employment"] == 817870
    assert national["median_annual"] == 45690
    assert national["median_hourly"] == 21.97
    assert national["mean_annual"] == 46120
    assert [f["value"] for f in page["percentiles"]] == [36050, 38470, 45690, 49180, 59310]
    states = {row["area"]["slug"]: row for row in page["states"]}
    assert list(states) == ["us-ca"]
    ca = {k: f["value"] for k, f in states["us-ca"]["figures"].items()}
    assert (ca["employment"], ca["median_annual"], ca["median_hourly"], ca["lq"]) == (
        117060,
        49660,
        23.88,
        1.22,
    )
    assert page["release"]["published"] == "2026-05-15"
    assert page["release"]["ref_period"] == "2025-05"


def test_the_page_cites_every_figure_to_the_release(client):
    response = client.get("/id/soc2018-31-9092", headers=HTML)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    text = text_of(response)
    assert "Medical Assistants SOC 31-9092" in text
    assert "Jobs 817,870 [1] " + REPO_CITE in text
    assert "Median annual wage $45,690 [1] " + REPO_CITE in text
    assert "Median hourly wage $21.97 [1] " + REPO_CITE in text
    assert "California $117,060" not in text  # employment is a count, not money
    assert re.search(r"California 117,060 \[1\] 6\.427 \[1\] 1\.22 \[1\] \$23\.88 \[1\] \$49,660 \[1\]", text)
    figures_shown = body.count("<data value=")
    assert figures_shown == body.count(f'title="{REPO_CITE}"')  # each figure carries the citation mark
    assert figures_shown >= 30
    assert "[1] Occupational Employment and Wage Statistics (OEWS), May 2025 estimates" in text
    assert "reference period May 2025, published 2026-05-15" in text
    assert '<svg viewBox="0 0 360' in body and "Annual wage percentiles, United States, May 2025" in text


def test_then_and_now(client):
    text = text_of(client.get("/id/soc2018-31-9092", headers=HTML))
    assert (
        "Median annual wage: $31,540 (May 2016) → $45,690 [1] (May 2025), a change of +$14,150 (+44.9 %)."
        in text
    )
    assert "Employment: 623,560 (May 2016) → 817,870 [1] (May 2025), a change of +194,310 (+31.2 %)." in text
    assert "May 2016: BLS Occupational Employment Statistics, May 2016, published 2017-03-31" in text
    page = client.get("/id/soc2018-31-9092.json").get_json()
    pair = next(t for t in page["then_now"] if t["label"] == "Median annual wage")
    assert (pair["then"]["value"], pair["then_period"], pair["now"]["value"], pair["now_period"]) == (
        31540,
        "May 2016",
        45690,
        "May 2025",
    )


def test_hierarchy_and_seed_professions(client):
    page = client.get("/id/soc2018-31-9092.json").get_json()
    assert [b["code"] for b in page["breadcrumb"]] == ["31-0000", "31-9000", "31-9090"]
    assert page["children"] == []
    assert [(p["link"]["slug"], p["how"]) for p in page["professions"]] == [
        ("certified-medical-assistant", "coded SOC 31-9092")
    ]
    group = client.get("/id/soc2018-31-9090.json").get_json()
    assert group["occupation"]["level"] == "Broad occupation"
    assert [c["code"] for c in group["children"]] == ["31-9092"]
    text = text_of(client.get("/id/soc2018-31-9092", headers=HTML))
    assert (
        "SOC 2018 31-0000 Healthcare Support Occupations 31-9000 Other Healthcare Support Occupations" in text
    )
    assert "Certified Medical Assistant (coded SOC 31-9092)" in text


def test_a_top_coded_wage_is_a_note_with_its_lower_bound(client):
    page = client.get("/id/soc2018-29-1022.json").get_json()  # Oral and Maxillofacial Surgeons, Alabama
    alabama = figures({"al": page["states"][0]["figures"]}, "al")
    assert alabama["employment"] == (130, "130", None, None)
    assert alabama["median_annual"] == (None, "≥ $239,200", "5", 239200)
    assert alabama["median_hourly"] == (None, "≥ $115.00", "5", 115)
    text = text_of(client.get("/id/soc2018-29-1022", headers=HTML))
    note = "at least $239,200: the wage is at or above the top of the survey's range (BLS footnote 5)"
    assert "≥ $239,200 [1] " + note in text
    assert "239200" not in client.get("/id/soc2018-29-1022", headers=HTML).get_data(as_text=True)


def test_an_estimate_not_released_is_a_note(client):
    page = client.get("/id/soc2018-13-1074.json").get_json()  # Farm Labor Contractors, California
    ca = figures({"ca": page["states"][0]["figures"]}, "ca")
    assert ca["employment"] == (None, "not released", "8", None)
    assert ca["median_annual"] == (85710, "$85,710", None, None)
    assert "not released [1] not released by BLS (footnote 8)" in text_of(
        client.get("/id/soc2018-13-1074", headers=HTML)
    )


def test_wages_paid_annually_only(client):
    page = client.get("/id/soc2018-25-2021.json").get_json()  # Elementary School Teachers: annual only
    national = figures(page, "national")
    assert national["median_hourly"] == (None, "not published", "4", None)
    assert national["median_annual"] == (63970, "$63,970", None, None)
    body = client.get("/id/soc2018-25-2021", headers=HTML).get_data(as_text=True)
    assert '<data value="1388390">1,388,390</data>' in body  # the value attribute is never in exponent form


def test_the_state_table_sorts_without_javascript(client):
    body = client.get("/id/soc2018-31-9092?sort=median_annual&order=desc", headers=HTML).get_data(
        as_text=True
    )
    assert (
        'aria-sort="descending"><a href="?sort=median_annual&amp;order=asc#states">Median annual</a>' in body
    )
    assert '<a href="?sort=employment&amp;order=desc#states">Jobs</a>' in body
    assert client.get("/id/soc2018-31-9092.json?sort=lq&order=desc").get_json()["sort"] == "lq"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/id/soc2018-99-9999", 404, "there is no entity called 'soc2018-99-9999' in Careers KG"),
        ("/id/soc2018-31-9092?sort=salary", 400, "parameter 'sort' must be one of area, employment,"),
        ("/id/soc2018-31-9092?order=up", 400, "parameter 'order' must be asc or desc, not 'up'"),
        ("/id/soc2018-31-9092?colour=red", 400, "unknown parameter 'colour'"),
        (
            "/id/us-ca?rank=height",
            400,
            "parameter 'rank' must be one of employment, median_annual, not 'height'",
        ),
        (
            "/id/us-ca?group=99",
            400,
            "parameter 'group' must be a SOC major group's two digits (e.g. 29), not '99'",
        ),
        ("/id/us-ca?limit=0", 400, "parameter 'limit' must be 1 to 2000 or 'all', not '0'"),
        (
            "/compare?a=soc2018-99-9999&b=soc2018-31-9092",
            400,
            "parameter 'a': there is no SOC occupation called",
        ),
        (
            "/compare?a=soc2018-31-9092&area=us-zz",
            400,
            "parameter 'area': there is no state or nation called",
        ),
        ("/compare?a=soc2018-31-9092&area=us-ca", 400, "the two sides are the same"),
    ],
)
def test_bad_input(client, path, status, message):
    response = client.get(path)
    assert response.status_code == status
    assert response.get_json()["message"].startswith(message)


# --- the state page ---------------------------------------------------------------------------------------


def ranked(page):
    return [(row["occupation"]["code"], row["figures"]["employment"]["text"]) for row in page["rows"]]


def test_a_state_ranks_its_occupations(client):
    page = client.get("/id/us-ca.json").get_json()
    assert page["area"]["name"] == "California" and page["rank_by"] == "employment"
    assert ranked(page) == [("31-9092", "117,060"), ("29-2072", "18,700"), ("13-1074", "not released")]
    by_wage = client.get("/id/us-ca.json?rank=median_annual").get_json()
    assert [(r["occupation"]["code"], r["figures"]["median_annual"]["value"]) for r in by_wage["rows"]] == [
        ("13-1074", 85710),
        ("29-2072", 61810),
        ("31-9092", 49660),
    ]
    healthcare = client.get("/id/us-ca.json?group=29").get_json()
    assert ranked(healthcare) == [("29-2072", "18,700")]
    assert healthcare["group"] == {
        "code": "29",
        "title": "Healthcare Practitioners and Technical Occupations",
    }
    assert ranked(client.get("/id/us-ca.json?limit=1").get_json()) == [("31-9092", "117,060")]


def test_the_state_page_cites_each_figure(client):
    response = client.get("/id/us-ca?rank=median_annual", headers=HTML)
    text = text_of(response)
    assert "Occupations in California" in text and REPO_CITE in text
    assert re.search(
        r"1 Farm Labor Contractors 13-1074 not released \[1\] not released by BLS \(footnote 8\)", text
    )
    assert "2 Medical Records Specialists 29-2072 18,700 [1]" in text
    body = response.get_data(as_text=True)
    assert body.count("<data value=") == body.count(f'title="{REPO_CITE}"') - body.count('class="no-value"')


# --- compare ----------------------------------------------------------------------------------------------


def test_one_occupation_in_two_places(client):
    page = client.get("/compare.json?a=soc2018-31-9092&area=us&b_area=us-ca").get_json()
    assert page["mode"] == "places"
    assert page["title"] == "Medical Assistants: United States vs. California"
    rows = {r["key"]: (r["a"]["value"], r["b"]["value"]) for r in page["rows"]}
    assert rows["median_annual"] == (45690, 49660)
    assert rows["employment"] == (817870, 117060)
    assert page["summary"][0] == (
        "Pay: Medical Assistants in California has the higher median annual wage, $49,660 against $45,690 "
        "($3,970 more)."
    )
    text = text_of(client.get("/compare?a=soc2018-31-9092&area=us&b_area=us-ca", headers=HTML))
    assert text.index("Pay: Medical Assistants in California") < text.index("Side by side")
    assert "Annual wage percentiles, May 2025: 10th percentile, median, 90th percentile. " + REPO_CITE in text


def test_two_occupations_in_one_state_and_csv(client):
    assert client.get("/compare.json?a=31-9092&b=29-2072").get_json()["mode"] == "occupations"
    page = client.get("/compare.json?a=31-9092&b=soc2018-29-2072&area=ca").get_json()
    assert page["mode"] == "occupations"
    assert page["title"] == "Medical Assistants vs. Medical Records Specialists"
    rows = {r["key"]: (r["a"]["value"], r["b"]["value"]) for r in page["rows"]}
    assert rows["median_annual"] == (49660, 61810)
    response = client.get("/compare.csv?a=soc2018-31-9092&b=soc2018-29-2072&area=us-ca")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    line = next(r for r in table if r["measure"] == "median_annual" and r["side"] == "b")
    assert line == {
        "measure": "median_annual",
        "side": "b",
        "soc_code": "29-2072",
        "occupation": "Medical Records Specialists",
        "area": "California",
        "value": "61810",
        "lower_bound": "",
        "unit": "USD per year",
        "footnote": "",
        "note": "",
        "reference_period": "2025-05",
        "source_title": "Occupational Employment and Wage Statistics (OEWS), May 2025 estimates",
        "source_url": "https://www.bls.gov/oes/",
        "published": "2026-05-15",
    }


def test_professions_still_compare_as_before(client):
    response = client.get("/compare.json?a=certified-medical-assistant&b=medical-coder")
    assert response.status_code == 200
    assert response.get_json()["a"]["slug"] == "certified-medical-assistant"


# --- the same pages on the Oxigraph store -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/id/soc2018-31-9092.json",
        "/id/soc2018-29-1022.json",
        "/id/us-ca.json?rank=median_annual",
        "/compare.json?a=soc2018-31-9092&area=us&b_area=us-ca",
    ],
)
def test_oxigraph_gives_the_same_pages(client, oews_settings, oews_kg, tmp_path_factory, path):
    from kg.stores.store import open_store

    folder = tmp_path_factory.mktemp("ox")
    settings = oews_settings.replace(store=f"oxigraph:{folder / 'store'}")
    ox_client = web_app(settings, open_store(settings, oews_kg)).test_client()
    assert ox_client.get(path).get_json() == client.get(path).get_json()


def test_rankings_hold_a_top_coded_wage_by_its_lower_bound_and_come_back_from_the_cache(
    oews_kg, tmp_path, monkeypatch
):
    from kg.views import area
    from kg.views.oews import reference

    ref = reference(oews_kg)
    first = area.rankings(oews_kg, ref, tmp_path)
    id_ = "https://w3id.org/careers-kg/id/"
    # Oral and Maxillofacial Surgeons, Alabama: employment 130, median annual wage top-coded (>= $239,200)
    assert first.areas[id_ + "us-al"] == (
        (id_ + "soc2018-29-1022", id_ + "oews-2025-us-al-29-1022", (130.0, 239200.0)),
    )
    assert len(list(tmp_path.glob("oews-ranks-*.pickle"))) == 1

    def unread(*_args):
        raise AssertionError("read from the store again")

    monkeypatch.setattr(area, "read_rankings", unread)
    assert area.rankings(oews_kg, ref, tmp_path) == first


def test_the_state_page_links_the_rows_it_does_not_show(client):
    body = client.get("/id/us-ca?limit=1&group=", headers=HTML).get_data(as_text=True)
    assert '<a href="/id/us-ca?rank=employment&amp;limit=all">Show all 3</a>' in body
    json_link = '<a href="/id/us-ca.json?rank=employment&amp;limit=all" type="application/json">'
    assert json_link + "all 3 as JSON</a>" in body
    assert "Show all" not in client.get("/id/us-ca", headers=HTML).get_data(as_text=True)  # 3 of 3 shown
