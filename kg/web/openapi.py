"""The OpenAPI 3.1 description of the HTTP API: one GET operation per stored query (typed parameters),
and /sparql."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from kg.rdf import formats

SCHEMAS: dict[str, dict[str, Any]] = {
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


def openapi_document(
    queries: Iterable[Any], formats_for: Callable[[Any], tuple[str, ...]], version: str
) -> dict:
    paths: dict[str, Any] = {"/sparql": _sparql()}
    for query in queries:
        paths[f"/queries/{query.name}"] = {"get": _operation(query, formats_for(query))}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Careers KG",
            "version": version,
            "description": "Stored SPARQL queries over the Careers KG knowledge graph, and a read-only "
            "SPARQL 1.1 "
            "endpoint. Every stored query also answers at /queries/<name>.<ext> (json, csv, tsv, "
            "xml for SELECT/ASK; ttl, jsonld for CONSTRUCT).",
            "license": {"name": "CC BY 4.0 (data)", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "paths": paths,
        "components": {
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
                                },
                                "required": ["error", "status", "message"],
                            }
                        }
                    },
                }
            }
        },
    }


def _operation(query: Any, fmts: tuple[str, ...]) -> dict[str, Any]:
    params = []
    for p in query.params:
        schema = dict(SCHEMAS[p.type])
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
    content = {formats.BY_NAME[f].media_type: {} for f in fmts if f != "html"}
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
        formats.BY_NAME[f].media_type: {}
        for f in ("json", "xml", "csv", "tsv", "turtle", "jsonld", "ntriples", "rdfxml")
    }
    responses = {
        "200": {"description": "Query results (by Accept)", "content": content},
        "400": ERROR,
        "403": ERROR,
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
                {"name": "query", "in": "query", "required": True, "schema": {"type": "string"}},
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
                    "application/sparql-query": {"schema": {"type": "string"}},
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
