"""The remote store with OEWS data (issue 12, "Scale and defaults"): the seed plus an OEWS subset imported
from the release excerpt (tests/fixtures/oews/excerpt.sql: the nation, Alabama and California, the Los
Angeles metro area and a California nonmetropolitan area; the excerpt holds cross-industry cells only) is
loaded into a real Virtuoso the way tests/test_store.py loads the seed, and the occupation and state pages'
data and every OEWS stored query give the same answers there as on the memory store.

Skips with a visible reason when `virtuoso-t` is not installed; with CI=true that is a failure.
"""

from __future__ import annotations

import os

import pytest
import virtuoso
from oews_excerpt import import_excerpt
from test_store import REPO, _answer
from web_fixtures import web_client

from kg.config import Settings
from kg.query.catalogue import load_catalogue, run

IN_CI = os.environ.get("CI", "").lower() == "true"
CATALOGUE = load_catalogue(REPO / "queries", REPO)

# every OEWS stored query on its example, without parameters where none is required, and on a few more places
# of the excerpt: a state with a top-coded wage (Alabama), a metro area (Los Angeles), the nation
EXTRA = {
    "oews-highest-paid-in-state": ({"state": "us-al"},),
    "oews-state-concentration": ({"state": "us-al"},),
    "oews-healthcare-median-wages": ({"area": "us"}, {"area": "us-al"}, {"area": "cbsa-31080"}),
    "oews-occupation-wages-by-state": ({"occupation": "soc2018-29-1022"}, {"occupation": "soc2018-13-1074"}),
}


def _cases() -> list[tuple[str, dict[str, str]]]:
    cases = []
    for name, stored in sorted(CATALOGUE.items()):
        if "oews" not in stored.tags:
            continue
        if not any(p.required for p in stored.params):
            cases.append((name, {}))
        example = {p.name: p.example for p in stored.params if p.example}
        if example:
            cases.append((name, example))
        cases.extend((name, params) for params in EXTRA.get(name, ()))
    return cases


CASES = _cases()
IDS = [name + "(" + ",".join(f"{k}={v}" for k, v in params.items()) + ")" for name, params in CASES]

PAGES = (
    "/id/soc2018-31-9092.json",  # national, California, then and now, two seed professions
    "/id/soc2018-31-9092.json?sort=median_annual&order=desc",
    "/id/soc2018-29-1022.json",  # top-coded wages in Alabama
    "/id/soc2018-13-1074.json",  # an estimate not released in California
    "/id/soc2018-25-2021.json",  # paid annually only
    "/id/soc2018-29-0000.json",  # a major group
    "/id/us-ca.json",
    "/id/us-ca.json?rank=median_annual",
    "/id/us-ca.json?group=29",
    "/id/us-al.json?rank=median_annual&limit=all",
    "/compare.json?a=soc2018-31-9092&area=us&b_area=us-ca",
    "/compare.json?a=soc2018-31-9092&b=soc2018-29-2072&area=us-ca",
)


@pytest.fixture(scope="module")
def oews(tmp_path_factory):
    """The settings and the built KG (memory store) of the seed plus the imported excerpt."""
    from kg.pipeline.build import build

    folder = tmp_path_factory.mktemp("store-oews")
    files = import_excerpt(folder)
    settings = Settings.from_env(root=REPO, data_files=files, cache_dir=folder / "cache", store="memory")
    return settings, build(settings)


@pytest.fixture(scope="module")
def remote(request, tmp_path_factory):
    """The same KG on a real Virtuoso, loaded with its named graphs."""
    from kg.stores.store import open_store

    if not virtuoso.installed():
        if IN_CI:
            pytest.fail("virtuoso-t is not installed: CI must install the Debian package virtuoso-opensource")
        pytest.skip("virtuoso-t is not installed (Debian package virtuoso-opensource): test skipped")
    settings, kg = request.getfixturevalue("oews")  # built only when Virtuoso can take it
    server = virtuoso.start(tmp_path_factory.mktemp("virtuoso-oews"))
    try:
        loaded = server.load(kg)
        assert sum(loaded.values()) == sum(kg.triple_counts[g] for g in ("data", "ontology", "inferred"))
        yield open_store(settings.replace(store=f"sparql:{server.endpoint}"), kg)
    finally:
        server.stop()


def test_pages_and_oews_queries_answer_the_same_on_virtuoso(remote, oews):
    settings, kg = oews
    memory, other = web_client(settings, kg), web_client(settings, remote)
    pages = {}
    for path in PAGES:
        expected, got = memory.get(path), other.get(path)
        assert got.status_code == expected.status_code == 200, (path, got.get_data(as_text=True)[:300])
        pages[path] = got.get_json()
        assert pages[path] == expected.get_json(), path
    # the figures Virtuoso answered are the release's (medical assistants: nation and California; Alabama's
    # oral and maxillofacial surgeons, a median top-coded at $239,200 or more)
    occupation = pages["/id/soc2018-31-9092.json"]
    assert occupation["national"]["median_annual"]["value"] == 45690
    assert [(r["area"]["slug"], r["figures"]["employment"]["value"]) for r in occupation["states"]] == [
        ("us-ca", 117060)
    ]
    state = pages["/id/us-ca.json?rank=median_annual"]
    assert [(r["occupation"]["code"], r["figures"]["median_annual"]["value"]) for r in state["rows"]] == [
        ("13-1074", 85710), ("29-2072", 61810), ("31-9092", 49660),
    ]  # fmt: skip
    alabama = pages["/id/us-al.json?rank=median_annual&limit=all"]["rows"][0]["figures"]["median_annual"]
    assert (alabama["value"], alabama["footnote"], alabama["lower_bound"]) == (None, "5", 239200)
    assert {name for name, _ in CASES} >= {
        "oews-highest-paid-in-state", "oews-occupation-wages-by-state", "oews-state-concentration",
        "oews-healthcare-median-wages", "then-and-now",
    }  # fmt: skip
    for case, (name, params) in zip(IDS, CASES, strict=True):
        expected = run(kg, CATALOGUE[name], params)
        assert expected.rows, case  # each case finds something in the excerpt
        assert _answer(run(remote, CATALOGUE[name], params)) == _answer(expected), case
