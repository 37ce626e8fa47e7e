"""The OpenAPI 3.1 description of the HTTP API: every stored query (typed parameters; the negotiated route
and each format's twin), /sparql, and the fixed data routes (`kg.web.openapi_routes`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from kg.rdf import formats
from kg.rdf.namespaces import CKG
from kg.web.openapi_pages import SCHEMAS as PAGE_SCHEMAS
from kg.web.openapi_pages import add_pages
from kg.web.openapi_routes import SCHEMAS, fixed_paths

PARAM_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {
        "type": "string",
        "description": "a slug (medical-coder), a CURIE (id:medical-coder) or an http(s)/urn IRI",
    },
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
ERROR = {"$ref": "#/components/responses/Error"}
TEXT = {"type": "string"}
# A SELECT for the result formats, a CONSTRUCT for the graph formats (another pairing is a 406).
EXAMPLES = {
    "select": {"value": f"SELECT ?s WHERE {{ ?s a <{CKG.Profession}> }}"},
    "construct": {"value": f"CONSTRUCT {{ ?s a <{CKG.Profession}> }} WHERE {{ ?s a <{CKG.Profession}> }}"},
}


def openapi_document(
    queries: Iterable[Any], formats_for: Callable[[Any], tuple[str, ...]], version: str, dataset_version: str
) -> dict:
    """The document; *dataset_version* names the versioned export (/export/<dataset version>.<ext>)."""
    paths: dict[str, Any] = {"/sparql": _sparql()}
    for query in queries:
        fmts = formats_for(query)
        paths[f"/queries/{query.name}"] = {"get": _operation(query, fmts)}
        for fmt in fmts:
            if fmt != "html":
                twin = _operation(query, (fmt,), html=False)
                twin["operationId"] += "_" + fmt
                paths[f"/queries/{query.name}{formats.BY_NAME[fmt].extension}"] = {"get": twin}
    paths.update(fixed_paths())
    add_pages(paths, dataset_version)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Careers KG",
            "version": version,
            "description": "The Careers KG knowledge graph over HTTP: stored SPARQL queries (at "
            "/queries/<name>, by Accept, and at /queries/<name>.<ext>: json, csv, tsv, xml for SELECT/ASK; "
            "ttl, jsonld for CONSTRUCT), a read-only SPARQL 1.1 endpoint, search, comparisons, every "
            "entity's data twins and the downloads. Errors are JSON objects naming what is wrong.",
            "license": {"name": "CC BY 4.0 (data)", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "paths": paths,
        "components": {
            "schemas": {**SCHEMAS, **PAGE_SCHEMAS},
            "responses": {
                "Error": {
                    "description": "A short error message naming what is wrong",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "error": {"type": "string"},
                                    "status": {"type": "integer"},
                                    "message": {"type": "string"},
                                    "parameter": {"type": "string"},
                                    "suggestions": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {"value": TEXT, "label": TEXT},
                                        },
                                    },
                                },
                                "required": ["error", "status", "message"],
                            }
                        }
                    },
                }
            },
        },
    }


def _operation(query: Any, fmts: tuple[str, ...], html: bool = True) -> dict[str, Any]:
    params = []
    for p in query.params:
        schema = dict(PARAM_SCHEMAS[p.type])
        if p.cls is not None:
            schema["description"] += f"; a member of <{p.cls}> (others get a 400 naming the closest)"
        if p.default is not None:
            schema["default"] = _typed(p.type, p.default)
        entry: dict[str, Any] = {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "schema": schema,
            "description": p.description or f"{p.name} ({p.type})",
        }
        if p.example is not None:
            entry["example"] = _typed(p.type, p.example)
        params.append(entry)
    content = {formats.BY_NAME[f].media_type: _schema(f) for f in fmts if f != "html"}
    if html:
        content["text/html"] = {}
    return {
        "operationId": re.sub(r"\W", "_", query.name),
        "summary": query.title,
        "description": query.description,
        "tags": list(query.tags) or ["queries"],
        "parameters": params,
        "responses": {
            "200": {"description": f"The {query.kind} results", "content": content},
            "400": ERROR,
            "406": ERROR,
            "503": ERROR,
        },
    }


def _schema(fmt: str) -> dict[str, Any]:
    return {"schema": {"$ref": "#/components/schemas/SparqlResults"}} if fmt == "json" else {}


def _sparql() -> dict[str, Any]:
    graphs = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form",
            "explode": True,
            "description": "a graph held by this endpoint (never fetched)",
        }
        for name in ("default-graph-uri", "named-graph-uri")
    ]
    content = {
        formats.BY_NAME[f].media_type: _schema(f)
        for f in ("json", "xml", "csv", "tsv", "turtle", "jsonld", "ntriples", "rdfxml")
    }
    responses = {
        "200": {"description": "Query results (by Accept)", "content": content},
        "400": ERROR,
        "403": ERROR,
        "406": ERROR,
        "413": ERROR,
        "415": ERROR,
        "503": ERROR,
    }
    form = {
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["query"],
    }
    return {
        "get": {
            "operationId": "sparql_get",
            "summary": "SPARQL 1.1 query (GET)",
            "tags": ["sparql"],
            "parameters": [
                {
                    "name": "query",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string"},
                    "examples": EXAMPLES,
                },
                *graphs,
            ],
            "responses": responses,
        },
        "post": {
            "operationId": "sparql_post",
            "summary": "SPARQL 1.1 query (POST form or application/sparql-query); updates get 403",
            "tags": ["sparql"],
            "parameters": graphs,
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": form},
                    "application/sparql-query": {"schema": {"type": "string"}, "examples": EXAMPLES},
                },
            },
            "responses": responses,
        },
    }


def _typed(ptype: str, value: str) -> Any:
    if ptype == "integer":
        return int(value)
    if ptype == "decimal":
        return float(value)
    if ptype == "boolean":
        return value.strip().lower() in ("true", "1")
    return value
