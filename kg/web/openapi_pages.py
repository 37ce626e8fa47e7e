"""OpenAPI for the OEWS pages' parameters and bodies (an occupation's and a state's page at /id/<slug>,
two occupations or one occupation in two places at /compare) and the CTDL and versioned-export routes.

Each parameter's named ``examples`` form scenarios: the examples of one name, taken together, are one call
that answers 200 (tests/test_openapi.py makes every scenario of every operation). `fixed_paths` adds these
to the routes `kg.web.openapi_routes` documents."""

from __future__ import annotations

from typing import Any

from kg.views.area import RANKS
from kg.views.occupation import STATE_SORTS
from kg.views.oews import BY_KEY

TEXT = {"type": "string"}
NUMBER_OR_NULL = {"type": ["number", "null"]}
OCCUPATION_EXAMPLE, OCCUPATION_B, STATE_EXAMPLE = "soc2018-31-9092", "soc2018-29-2072", "us-ca"
FIGURE = {
    "type": "object",
    "required": ["measure", "value", "text", "note", "footnote", "lower_bound"],
    "properties": {
        "measure": {"enum": list(BY_KEY)},
        "value": {**NUMBER_OR_NULL, "description": "the number BLS published; null when it published none"},
        "text": TEXT,
        "note": {"type": ["string", "null"], "description": "why there is no value, in plain words"},
        "footnote": {"type": ["string", "null"], "description": "BLS's footnote code (4, 5, 8 …)"},
        "lower_bound": {**NUMBER_OR_NULL, "description": "a top-coded wage's lower bound (footnote 5)"},
    },
    "description": "One OEWS figure; every figure is cited to the page's release",
}
FIGURES = {"type": "object", "additionalProperties": FIGURE}
OCCUPATION = {"type": "object", "required": ["iri", "slug", "code", "title", "level"]}
AREA = {"type": "object", "required": ["iri", "slug", "name", "kind"]}
RELEASE = {
    "type": "object",
    "required": ["iri", "title", "url", "ref_period", "published"],
    "description": "The release every figure cites (BLS OEWS): reference period and publication date",
}
SIDE = {"type": "object", "required": ["occupation", "area", "figures"],
        "properties": {"occupation": OCCUPATION, "area": AREA, "figures": FIGURES}}  # fmt: skip
SCHEMAS: dict[str, dict[str, Any]] = {
    "OccupationPage": {
        "type": "object",
        "required": ["occupation", "release", "national", "states", "sort", "descending", "breadcrumb"],
        "properties": {
            "occupation": OCCUPATION,
            "release": RELEASE,
            "national": FIGURES,
            "states": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["area", "figures"],
                    "properties": {"figures": FIGURES},
                },
            },
            "sort": {"enum": list(STATE_SORTS)},
            "descending": {"type": "boolean"},
            "same_as": {"type": "array", "items": TEXT},
        },  # fmt: skip
        "description": "A SOC 2018 occupation: national figures, every state's, its place in the SOC",
    },
    "AreaPage": {
        "type": "object",
        "required": ["area", "release", "rank_by", "group", "rows", "count", "limit"],
        "properties": {
            "area": AREA,
            "release": RELEASE,
            "rank_by": {"enum": list(RANKS)},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["rank", "occupation", "figures"],
                    "properties": {"figures": FIGURES},
                },
            },
            "count": {"type": "integer", "minimum": 0},
            "limit": {"type": ["integer", "null"]},
        },  # fmt: skip
        "description": "A state's detailed occupations ranked; count is how many match, rows the first limit",
    },
    "OccupationComparison": {
        "type": "object",
        "required": ["title", "a", "b", "mode", "release", "summary", "rows"],
        "properties": {
            "a": SIDE,
            "b": SIDE,
            "mode": {"enum": ["occupations", "places"]},
            "release": RELEASE,
            "summary": {"type": "array", "items": TEXT},
        },  # fmt: skip
        "description": "Two occupations, or one occupation in two places, side by side",
    },
}


def _param(name: str, schema: dict[str, Any], description: str, **examples: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description,
            "examples": {k: {"value": v} for k, v in examples.items()}}  # fmt: skip


SLUG_EXAMPLES = {"occupation": {"value": OCCUPATION_EXAMPLE}, "state": {"value": STATE_EXAMPLE}}
PAGE_PARAMS = [
    _param("sort", {"enum": list(STATE_SORTS), "default": "area"},
           "an occupation's state table: the column to sort by", occupation="median_annual"),
    _param("order", {"enum": ["asc", "desc"]},
           "an occupation's state table: the order (asc by name, desc by a figure by default)",
           occupation="desc"),
    _param("rank", {"enum": list(RANKS), "default": "employment"},
           "a state's occupations: the measure to rank by (a top-coded wage by its lower bound)",
           state="median_annual"),
    _param("group", {"type": "string", "pattern": "^[0-9]{2}$"},
           "a state's occupations: one SOC major group's two digits", state="29"),
    _param("limit", {"type": "string", "pattern": "^([1-9][0-9]{0,3}|all)$", "default": "25"},
           "a state's occupations: how many rows (1 to 2000, or all)", state="all"),
    _param("pretty", TEXT, "accepted for symmetry with /queries; these JSON bodies are always indented"),
]  # fmt: skip
COMPARE_PARAMS = {
    "a": {"occupations": OCCUPATION_EXAMPLE, "places": "31-9092"},
    "b": {"occupations": OCCUPATION_B},
}
AREA_PARAMS = [
    _param("area", TEXT, "SOC occupations: side a's area (us, us-ca or ca; the nation by default)",
           occupations=STATE_EXAMPLE, places="ca"),
    _param("b_area", TEXT, "SOC occupations: side b's area (defaults to area)", places="us"),
]  # fmt: skip


def add_pages(paths: dict[str, Any], version: str) -> None:
    """Document the OEWS pages' parameters on /id/{slug}(.json) and /compare(.json|.csv), and the CTDL and
    versioned-export routes (*version*: the dataset version the example names)."""
    for path in ("/id/{slug}", "/id/{slug}.json"):
        op = paths[path]["get"]
        op["parameters"][0]["examples"] = SLUG_EXAMPLES
        op["parameters"] += PAGE_PARAMS if path.endswith(".json") else PAGE_PARAMS[:-1]
    entity = paths["/id/{slug}.json"]["get"]["responses"]["200"]["content"]["application/json"]
    entity["schema"] = {"anyOf": [entity["schema"], *({"$ref": f"#/components/schemas/{n}"}
                                                       for n in ("OccupationPage", "AreaPage"))]}  # fmt: skip
    for path in ("/compare.json", "/compare.csv"):
        op = paths[path]["get"]
        for param in op["parameters"]:
            param["examples"] = {k: {"value": v} for k, v in COMPARE_PARAMS[param["name"]].items()}
            param["description"] += "; or a SOC 2018 occupation (soc2018-31-9092 or 31-9092)"
        op["parameters"] = [p for p in op["parameters"] if p["name"] == "a"] + [
            {**p, "required": False, "description": p["description"] + "; for an occupation, defaults to a"}
            for p in op["parameters"] if p["name"] == "b"] + AREA_PARAMS  # fmt: skip
    body = paths["/compare.json"]["get"]["responses"]["200"]["content"]["application/json"]
    body["schema"] = {"anyOf": [body["schema"], {"$ref": "#/components/schemas/OccupationComparison"}]}
    paths.update(_more_routes(version))


def _more_routes(version: str) -> dict[str, Any]:
    def get(summary: str, params: list[dict[str, Any]], media: str, op_id: str) -> dict[str, Any]:
        return {"get": {"operationId": op_id, "summary": summary, "tags": ["data"], "parameters": params,
                        "responses": {"200": {"description": summary, "content": {media: {}}},
                                      "404": {"$ref": "#/components/responses/Error"}}}}  # fmt: skip

    slug = {"name": "slug", "in": "path", "required": True, "schema": TEXT, "example": "cma-certification",
            "description": "a credential, licence, program or organization's slug"}  # fmt: skip
    name = {"name": "name", "in": "path", "required": True, "schema": TEXT, "example": f"{version}.ttl",
            "description": "<dataset version><.ttl|.jsonld|.nt|.ctdl.jsonld>: only the version served "
            "answers; another gets a 404 naming it"}  # fmt: skip
    return {
        "/id/{slug}.ctdl.jsonld": get("A credential's, program's or organization's CTDL JSON-LD", [slug],
                                      "application/ld+json", "get_id_slug_ctdl_jsonld"),
        "/export.ctdl.jsonld": get("Credentials, programs and organizations in CTDL JSON-LD", [],
                                   "application/ld+json", "get_export_ctdl_jsonld"),
        "/export/{name}": get("The export of the dataset version cited (the same bytes as /export.<ext>)",
                              [name], "text/turtle", "get_export_name"),
    }  # fmt: skip
