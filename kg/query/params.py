"""Typed query parameters: a raw string from a URL or a command line → one RDF term, or a `ParamError`.

- iri: a slug (``medical-coder``, read as ``https://w3id.org/careers-kg/id/medical-coder``), a CURIE with a
  project prefix (``id:medical-coder``, ``schema:Occupation``) or a full ``http``/``https``/``urn`` IRI;
- string: any text, as a plain literal;
- integer: ``-12``, ``+3``, ``40`` (``xsd:integer``); decimal: ``12.5``, ``-.5``, ``3`` (``xsd:decimal``);
- boolean: ``true``, ``false``, ``1``, ``0`` in any case (``xsd:boolean``);
- date: ``2016-05-01`` (``xsd:date``).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import ParamError
from kg.rdf.namespaces import ID, PREFIXES

TYPES = ("iri", "string", "integer", "decimal", "boolean", "date")
MAX_VALUE = 2000  # characters in one parameter value
EXPECTED = {
    "iri": "an IRI (a slug such as medical-coder, a CURIE such as id:medical-coder, "
    "or a full http(s) or urn IRI)",
    "string": "text",
    "integer": "an integer",
    "decimal": "a decimal number",
    "boolean": "true or false",
    "date": "a date (YYYY-MM-DD)",
}
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_][A-Za-z0-9._~%-]*)")
_IRI = re.compile(r"(https?://[^\s<>\"{}|\\^`]+|urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[^\s<>\"{}|\\^`]+)")
_INTEGER = re.compile(r"[+-]?\d{1,100}")
_DECIMAL = re.compile(r"[+-]?(\d{1,100}(\.\d{0,100})?|\.\d{1,100})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOOLEAN = {"true": True, "1": True, "false": False, "0": False}


def convert(ptype: str, raw: str, name: str = "value") -> Node:
    """The RDF term for *raw* read as *ptype*; `ParamError` when it is not one."""
    if not isinstance(raw, str) or len(raw) > MAX_VALUE:
        raise _bad(name, ptype, raw)
    value = raw if ptype == "string" else raw.strip()
    term = _CONVERTERS[ptype](value)
    if term is None:
        raise _bad(name, ptype, raw)
    return term


def _bad(name: str, ptype: str, raw: object) -> ParamError:
    shown = raw if not isinstance(raw, str) or len(raw) <= 40 else raw[:39] + "…"
    return ParamError(name, f"parameter {name!r} must be {EXPECTED.get(ptype, ptype)}, got {shown!r}")


def _iri(value: str) -> URIRef | None:
    if _IRI.fullmatch(value):
        return URIRef(value)
    curie = _CURIE.fullmatch(value)
    if curie:
        ns = PREFIXES.get(curie.group(1))
        return ns[curie.group(2)] if ns is not None else None
    return ID[value] if _SLUG.fullmatch(value) else None


def _integer(value: str) -> Literal | None:
    return Literal(int(value), datatype=XSD.integer) if _INTEGER.fullmatch(value) else None


def _decimal(value: str) -> Literal | None:
    return Literal(Decimal(value), datatype=XSD.decimal) if _DECIMAL.fullmatch(value) else None


def _boolean(value: str) -> Literal | None:
    flag = _BOOLEAN.get(value.lower())
    return None if flag is None else Literal(flag, datatype=XSD.boolean)


def _date(value: str) -> Literal | None:
    if not _DATE.fullmatch(value):
        return None
    try:
        return Literal(datetime.date.fromisoformat(value), datatype=XSD.date)
    except ValueError:
        return None


_CONVERTERS = {
    "iri": _iri,
    "string": Literal,
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
    "date": _date,
}
