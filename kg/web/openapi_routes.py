"""The OpenAPI operations of the fixed data routes (every JSON, CSV and RDF twin of a page, the downloads,
search, the catalogue, health), with JSON Schemas for the JSON bodies. `kg.web.openapi` adds the stored
queries and /sparql. tests/test_openapi.py calls every operation with its examples and checks the status,
the content type and the body against these schemas."""

from __future__ import annotations

from typing import Any

from kg.query.params import TYPES as PARAM_TYPES
from kg.rdf import formats

ERROR = {"$ref": "#/components/responses/Error"}
SLUG_EXAMPLE = "medical-coder"
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}

SIDE = {
    "type": "object",
    "required": ["iri", "label"],
    "properties": {"iri": TEXT, "label": TEXT},
}
NUMBER_OR_NULL = {"type": ["number", "null"]}
FIGURE = {
    "type": "object",
    "required": [
        "text",
        "number",
        "unit",
        "currency",
        "ref_period",
        "published",
        "source_titles",
        "source_urls",
    ],
    "properties": {
        "text": TEXT,
        "number": NUMBER_OR_NULL,
        "unit": TEXT,
        "currency": NULLABLE_TEXT,
        "ref_period": NULLABLE_TEXT,
        "published": NULLABLE_TEXT,
        "source_titles": {"type": "array", "items": TEXT},
        "source_urls": {"type": "array", "items": TEXT},
    },
    "description": "One statistic: its number, unit, currency, period and sources, each in its own field",
}
CELL = {
    "type": "object",
    "required": ["values", "citations", "figures"],
    "properties": {
        "values": {"type": "array", "items": TEXT},
        "citations": {"type": "array", "items": {"type": "object"}},
        "figures": {"type": "array", "items": FIGURE},
        "ref_period": NULLABLE_TEXT,
        "published": NULLABLE_TEXT,
        "age_years": {"type": ["integer", "null"]},
    },
}
ANSWER = {
    "type": "object",
    "required": ["text", "detail"],
    "properties": {"text": TEXT, "detail": NULLABLE_TEXT},
}
SCHEMAS: dict[str, dict[str, Any]] = {
    "SearchResults": {
        "type": "object",
        "required": ["q", "count", "results"],
        "properties": {
            "q": TEXT,
            "count": {"type": "integer", "minimum": 0},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["iri", "label", "kind", "matched", "field", "match", "types", "url"],
                    "properties": {
                        "iri": TEXT,
                        "label": TEXT,
                        "kind": {"type": "string", "description": "profession, occupation, credential, ..."},
                        "matched": {"type": "string", "description": "the name, other name or code matched"},
                        "field": {"enum": ["prefLabel", "label", "name", "altLabel", "code"]},
                        "match": {"enum": ["exact", "prefix", "word", "typo", "contains", "some words"]},
                        "types": {"type": "array", "items": TEXT},
                        "url": NULLABLE_TEXT,
                    },
                },
            },
        },
    },
    "Catalogue": {
        "type": "object",
        "required": ["queries"],
        "properties": {
            "queries": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "title", "description", "tags", "kind", "url", "formats", "params"],
                    "properties": {
                        "name": TEXT,
                        "title": TEXT,
                        "description": TEXT,
                        "tags": {"type": "array", "items": TEXT},
                        "kind": {"enum": ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]},
                        "url": TEXT,
                        "formats": {"type": "object", "additionalProperties": TEXT},
                        "params": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["name", "type", "required", "class"],
                                "properties": {
                                    "name": TEXT,
                                    "type": {"enum": list(PARAM_TYPES)},
                                    "required": {"type": "boolean"},
                                    "default": NULLABLE_TEXT,
                                    "example": NULLABLE_TEXT,
                                    "description": TEXT,
                                    "class": {**NULLABLE_TEXT, "description": "the class of the values"},
                                },
                            },
                        },
                    },
                },
            }
        },
    },
    "Comparison": {
        "type": "object",
        "required": ["a", "b", "rows", "summary", "pay_currency"],
        "properties": {
            "a": SIDE,
            "b": SIDE,
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "label", "a", "b"],
                    "properties": {"key": TEXT, "label": TEXT, "a": CELL, "b": CELL},
                },
            },
            "summary": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "question", "a", "b", "verdict"],
                    "properties": {
                        "key": {"enum": ["pay", "schooling", "licence", "certification"]},
                        "question": TEXT,
                        "a": ANSWER,
                        "b": ANSWER,
                        "verdict": NULLABLE_TEXT,
                    },
                },
            },
            "pay_currency": {
                "type": ["object", "null"],
                "description": "How current the pay figures are: period, publication date, age and source",
            },
        },
        "description": "Two professions side by side: the four short answers first, then every row, each "
        "cell cited and each figure with its number, unit, period and source",
    },
    "Entity": {
        "type": "object",
        "required": ["iri", "label"],
        "properties": {"iri": TEXT, "label": TEXT},
        "description": "An entity's facts, asserted and inferred, with their sources",
    },
    "Health": {
        "type": "object",
        "required": ["status", "version", "conforms", "triples"],
        "properties": {
            "status": {"const": "ok"},
            "version": TEXT,
            "conforms": {"type": ["boolean", "null"]},
            "triples": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    },
    "SparqlResults": {
        "type": "object",
        "required": ["head"],
        "properties": {
            "head": {"type": "object"},
            "results": {
                "type": "object",
                "required": ["bindings"],
                "properties": {"bindings": {"type": "array", "items": {"type": "object"}}},
            },
            "boolean": {"type": "boolean"},
        },
    },
}
GRAPH_TWINS = ("turtle", "jsonld", "ntriples", "rdfxml")


def fixed_paths() -> dict[str, Any]:
    """Every fixed data route, as OpenAPI path items."""
    pair = [_query("a", "certified-medical-assistant", "the first profession (a slug)"),
            _query("b", SLUG_EXAMPLE, "the second profession (a slug)")]  # fmt: skip
    slug = {
        "name": "slug",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$"},
        "example": SLUG_EXAMPLE,
        "description": "the entity's slug: https://w3id.org/careers-kg/id/<slug>",
    }
    inferred = _query("inferred", "false", "also the inferred triples (true/false)", required=False)
    inferred["schema"] = {"type": "boolean", "default": False}
    inferred["example"] = False
    paths: dict[str, Any] = {
        "/queries.json": _get("The stored-query catalogue", [], {"application/json": "Catalogue"}),
        "/search.json": _get(
            "Search names, other names, acronyms and occupation codes; typos are forgiven",
            [_query("q", "codr", "what to look for (at most 200 characters)")],
            {"application/json": "SearchResults"},
        ),
        "/compare.json": _get(
            "Two professions side by side", pair, {"application/json": "Comparison"}, (400, 404)
        ),
        "/compare.csv": _get(
            "Two professions side by side, as CSV: one line per value of each side, with the columns "
            "row_key, row, profession, profession_iri, value, number, unit, currency, reference_period, "
            "published, age_years, figures_for, source_title, source_url",
            pair,
            {"text/csv": None},
            (400, 404),
        ),
        "/id/{slug}": _get(
            "An entity: its page, or its description in an RDF format (by Accept)",
            [slug],
            {"text/html": None, **{formats.BY_NAME[f].media_type: None for f in GRAPH_TWINS}},
            (404, 406),
        ),
        "/id/{slug}.json": _get("An entity's facts as JSON", [slug], {"application/json": "Entity"}, (404,)),
        "/healthz": _get("Status, dataset version and triple counts", [], {"application/json": "Health"}),
        "/shapes.ttl": _get("The SHACL shapes", [], {"text/turtle": None}),
        "/void.ttl": _get("VoID and DCAT description of the dataset", [], {"text/turtle": None}),
        "/ontology.ttl": _get("The ontology", [], {"text/turtle": None}),
    }
    for fmt in GRAPH_TWINS:
        spec = formats.BY_NAME[fmt]
        paths[f"/id/{{slug}}{spec.extension}"] = _get(
            f"An entity's description as {fmt}", [slug], {spec.media_type: None}, (404,)
        )
    for fmt in ("turtle", "jsonld", "ntriples"):
        spec = formats.BY_NAME[fmt]
        paths[f"/export{spec.extension}"] = _get(
            f"The whole dataset as {fmt} (asserted data and ontology; inferred=true adds the closure)",
            [inferred],
            {spec.media_type: None},
        )
    for path, item in paths.items():
        item["get"]["operationId"] = _operation_id(path)
    return paths


def _query(name: str, example: str, description: str, required: bool = True) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": {"type": "string"},
        "example": example,
        "description": description,
    }


def _get(
    summary: str,
    parameters: list[dict[str, Any]],
    content: dict[str, str | None],
    errors: tuple[int, ...] = (400,),
) -> dict[str, Any]:
    """One GET operation answering 200 with *content* (media type -> schema name or None)."""
    body = {
        media: ({"schema": {"$ref": f"#/components/schemas/{name}"}} if name else {})
        for media, name in content.items()
    }
    responses: dict[str, Any] = {"200": {"description": summary, "content": body}}
    for status in errors:
        responses[str(status)] = ERROR
    return {"get": {"summary": summary, "tags": ["data"], "parameters": parameters, "responses": responses}}


def _operation_id(path: str) -> str:
    return "get" + "".join(c if c.isalnum() else "_" for c in path).rstrip("_")
