"""/openapi.json documents every JSON/CSV/RDF route, and every documented route answers as documented: each
operation is called with its parameters' examples once per documented media type (Accept), and must answer
200 with that media type; JSON bodies are checked against the documented schema (JSON Schema 2020-12, the
dialect of OpenAPI 3.1), RDF bodies are parsed with rdflib, CSV with the csv module."""

from __future__ import annotations

import csv
import io
import itertools
import json
import warnings
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from rdflib import Graph

from kg.rdf import formats

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
}


@pytest.fixture(scope="module")
def shipped(settings, kg):
    """The app over the real data and the real stored queries (queries/): the document a user gets."""
    from kg.web import create_app

    return create_app(settings, kg).test_client()


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
    """(url, query arguments, body) for each combination of the operation's examples."""
    options: list[list[tuple[dict[str, Any], str]]] = []
    for param in op.get("parameters", []):
        values = [e["value"] for e in param.get("examples", {}).values()]
        if "example" in param:
            values.append(param["example"])
        assert values or not param["required"], f"{method} {path}: required {param['name']} has no example"
        if values:
            options.append([(param, _value(v)) for v in values])
    body_examples = [None]
    if method == "post":
        spec = op["requestBody"]["content"]["application/sparql-query"]
        body_examples = [e["value"].encode() for e in spec["examples"].values()]
    calls = []
    for combination in itertools.product(*options):
        url, query = path, {}
        for param, value in combination:
            if param["in"] == "path":
                url = url.replace("{" + param["name"] + "}", value)
            else:
                query[param["name"]] = value
        calls += [(url, query, body) for body in body_examples]
    return calls


def _check_body(media: str, spec: dict[str, Any], body: bytes, components: dict[str, Any]) -> None:
    if media.endswith("json"):
        value = json.loads(body)
        if "schema" in spec:
            schema = dict(spec["schema"], components=components)  # "#/components/..." resolves here
            Draft202012Validator(schema).validate(value)
    if media in RDF_TYPES:
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
    assert checked >= 150


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
