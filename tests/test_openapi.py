"""/openapi.json documents every JSON/CSV/RDF route, and every documented route answers as documented: each
operation is called with its parameters' examples once per documented media type (Accept), and must answer
200 with that media type; JSON bodies are checked against the documented schema (JSON Schema 2020-12, the
dialect of OpenAPI 3.1), RDF bodies are parsed with rdflib, CSV with the csv module.

The calls: the parameters' ``example`` values together, and one call per name of the parameters' named
``examples`` (the examples of that name together: e.g. an occupation's page sorted, a state's page ranked
within a group, two SOC occupations compared in a state). Every call must answer 200 in one of the
documented media types. The app serves the seed and the OEWS excerpt (tests/fixtures/oews), so the
occupation, state and occupation-compare pages answer too."""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from oews_excerpt import excerpt_settings
from rdflib import Graph

from kg.rdf import formats

CTDL_CONTEXT_URL = "https://credreg.net/ctdl/schema/context/json"
CTDL_CONTEXT = Path(__file__).resolve().parent / "fixtures" / "ctdl" / "context.json"
RDF_TYPES = {formats.BY_NAME[f].media_type: formats.BY_NAME[f].rdflib_name for f in formats.GRAPH_FORMATS}
DOCUMENTED = {
    "/queries.json",
    "/search.json",
    "/compare.json",
    "/compare.csv",
    "/id/{slug}",
    "/id/{slug}.json",
    "/id/{slug}.ttl",
    "/id/{slug}.jsonld",
    "/id/{slug}.nt",
    "/id/{slug}.rdf",
    "/export.ttl",
    "/export.jsonld",
    "/export.nt",
    "/healthz",
    "/shapes.ttl",
    "/void.ttl",
    "/ontology.ttl",
    "/sparql",
    "/id/{slug}.ctdl.jsonld",
    "/export.ctdl.jsonld",
    "/export/{name}",
}
# The OEWS pages' parameters, each documented on these operations (issue 13, item 9).
PAGE_PARAMS = {
    "/id/{slug}": {"slug", "sort", "order", "rank", "group", "limit"},
    "/id/{slug}.json": {"slug", "sort", "order", "rank", "group", "limit", "pretty"},
    "/compare.json": {"a", "b", "area", "b_area"},
    "/compare.csv": {"a", "b", "area", "b_area"},
}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The app over the seed and the OEWS excerpt with the real stored queries (queries/): the document a
    user gets."""
    from kg.pipeline.build import build
    from kg.web import create_app

    settings = excerpt_settings(tmp_path_factory.mktemp("openapi"))
    return create_app(settings, build(settings)).test_client()


@pytest.fixture(scope="module")
def doc(shipped):
    r = shipped.get("/openapi.json")
    assert r.status_code == 200 and r.content_type == "application/json; charset=utf-8"
    return r.get_json()


def test_the_document_is_valid_openapi_shaped(doc):
    assert doc["openapi"] == "3.1.0"
    Draft202012Validator.check_schema({"$defs": doc["components"]["schemas"]})
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))  # operation ids are unique


def test_every_data_route_is_documented(doc, shipped):
    assert DOCUMENTED <= set(doc["paths"])
    catalogue = shipped.application.extensions["careers_kg"].catalogue
    for name, query in catalogue.items():
        assert f"/queries/{name}" in doc["paths"]
        twins = {".ttl", ".jsonld"} if query.kind == "CONSTRUCT" else {".json", ".csv", ".tsv", ".xml"}
        assert {f"/queries/{name}{ext}" for ext in twins} <= set(doc["paths"]), name
    # Nothing documented that the app does not route (each path's first segment is served).
    routed = {rule.rule.split("/")[1].split(".")[0] for rule in shipped.application.url_map.iter_rules()}
    assert {path.split("/")[1].split(".")[0] for path in doc["paths"]} <= routed


def _value(example: Any) -> str:
    return json.dumps(example) if isinstance(example, bool) else str(example)


def _calls(path: str, method: str, op: dict[str, Any]) -> list[tuple[str, dict[str, str], bytes | None]]:
    """(url, query arguments, body): the parameters' ``example`` values together, then one call per name of
    their named ``examples`` (a parameter without that name: its ``example`` if required, else left out)."""
    params = op.get("parameters", [])
    scenarios: list[dict[str, Any]] = [{p["name"]: p["example"] for p in params if "example" in p}]
    names = dict.fromkeys(n for p in params for n in p.get("examples", {}))
    for name in names:
        scenario = {}
        for p in params:
            if name in p.get("examples", {}):
                scenario[p["name"]] = p["examples"][name]["value"]
            elif p["required"] and "example" in p:
                scenario[p["name"]] = p["example"]
        scenarios.append(scenario)
    required = [p["name"] for p in params if p["required"]]
    body_examples = [None]
    if method == "post":
        spec = op["requestBody"]["content"]["application/sparql-query"]
        body_examples = [e["value"].encode() for e in spec["examples"].values()]
    calls = []
    by_name = {p["name"]: p for p in params}
    for scenario in scenarios:
        if not all(r in scenario for r in required):
            assert scenario is not scenarios[0] or names, (
                f"{method} {path}: a required parameter has no example"
            )
            continue
        url, query = path, {}
        for name, value in scenario.items():
            if by_name[name]["in"] == "path":
                url = url.replace("{" + name + "}", _value(value))
            else:
                query[name] = _value(value)
        calls += [(url, query, body) for body in body_examples]
    return calls


def _check_body(media: str, spec: dict[str, Any], body: bytes, components: dict[str, Any]) -> None:
    if media.endswith("json"):
        value = json.loads(body)
        if "schema" in spec:
            schema = dict(spec["schema"], components=components)  # "#/components/..." resolves here
            Draft202012Validator(schema).validate(value)
    if media in RDF_TYPES:
        if media == "application/ld+json" and json.loads(body).get("@context") == CTDL_CONTEXT_URL:
            # the published CTDL context, vendored (tests/fixtures/ctdl): parsed offline
            local = json.loads(CTDL_CONTEXT.read_text(encoding="utf-8"))["@context"]
            body = json.dumps({**json.loads(body), "@context": local}).encode()
        with warnings.catch_warnings():  # rdflib's JSON-LD parser builds a (deprecated) ConjunctiveGraph
            warnings.simplefilter("ignore", DeprecationWarning)
            assert len(Graph().parse(data=body, format=RDF_TYPES[media])) > 0
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows and rows[0]
    if media == "text/html":
        assert body.lstrip().lower().startswith(b"<!doctype html>")


def test_every_documented_route_answers_as_documented(doc, shipped):
    checked = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            content = op["responses"]["200"]["content"]
            calls = _calls(path, method, op)
            for media, spec in content.items():
                answered = []
                for url, query, body in calls:
                    headers = {"Accept": media, "Cache-Control": "no-cache"}
                    if method == "post":
                        r = shipped.post(
                            url, query_string=query, data=body, headers=headers,
                            content_type="application/sparql-query",
                        )  # fmt: skip
                    else:
                        r = shipped.get(url, query_string=query, headers=headers)
                    answered.append((url, query, r.status_code, r.mimetype))
                    if r.status_code == 200 and r.mimetype == media:
                        _check_body(media, spec, r.get_data(), doc["components"])
                        checked += 1
                        break
                else:
                    pytest.fail(f"{method.upper()} {path} never answered 200 {media}: {answered}")
            for url, query, body in calls:  # every call (each scenario) answers in a documented type
                statuses = []
                for media in content:
                    headers = {"Accept": media, "Cache-Control": "no-cache"}
                    if method == "post":
                        r = shipped.post(url, query_string=query, data=body, headers=headers,
                                         content_type="application/sparql-query")  # fmt: skip
                    else:
                        r = shipped.get(url, query_string=query, headers=headers)
                    statuses.append((media, r.status_code))
                    if r.status_code == 200 and r.mimetype == media:
                        _check_body(media, content[media], r.get_data(), doc["components"])
                        break
                else:
                    pytest.fail(f"{method.upper()} {url} {query} answered none of its types: {statuses}")
    assert checked >= 150


def test_the_pages_parameters_are_documented_with_examples(doc):
    for path, names in PAGE_PARAMS.items():
        params = {p["name"]: p for p in doc["paths"][path]["get"]["parameters"]}
        assert names <= set(params), path
        for name in names - {"pretty"}:  # each has an example, so the test above calls it
            assert params[name].get("examples") or "example" in params[name], (path, name)
    sort = next(p for p in doc["paths"]["/id/{slug}.json"]["get"]["parameters"] if p["name"] == "sort")
    assert sort["schema"]["enum"] == ["area", "employment", "per_1000", "lq", "median_hourly",
                                      "median_annual", "mean_annual", "annual_p10", "annual_p90"]  # fmt: skip


def test_an_error_matches_the_error_schema(doc, shipped):
    schema = doc["components"]["responses"]["Error"]["content"]["application/json"]["schema"]
    bad = ("/search.json", "/compare.json?a=nope&b=x", "/queries/work-settings.json?profession=x")
    for url in bad:
        r = shipped.get(url)
        assert r.status_code in (400, 404)
        Draft202012Validator(schema).validate(r.get_json())
    body = shipped.get("/queries/work-settings.json?profession=medical-codr").get_json()
    assert body["parameter"] == "profession"
    assert body["suggestions"][0] == {"value": "medical-coder", "label": "Medical Coder"}
