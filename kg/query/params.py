"""Typed query parameters: a raw string from a URL or a command line → one RDF term, or a `ParamError`.

- iri: a slug (``medical-coder``, read as ``https://w3id.org/careers-kg/id/medical-coder``), a CURIE with a
  project prefix (``id:medical-coder``, ``schema:Occupation``) or a full ``http``/``https``/``urn`` IRI;
- string: any text, as a plain literal;
- integer: ``-12``, ``+3``, ``40`` (``xsd:integer``); decimal: ``12.5``, ``-.5``, ``3`` (``xsd:decimal``);
- boolean: ``true``, ``false``, ``1``, ``0`` in any case (``xsd:boolean``);
- date: ``2016-05-01`` (``xsd:date``).

An ``iri`` parameter may name the class its values belong to (``class: ckg:Profession``): `choices` lists the
members (for a form's picker) and `check_member` refuses any other value with the closest members named.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import ParamError
from kg.rdf.labels import label
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


@dataclass(frozen=True)
class Choice:
    """One value a parameter may take: what to type (a slug, else the IRI) and the label people read."""

    value: str
    label: str


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


def class_iri(value: str) -> URIRef | None:
    """The class named by a ``class:`` header value: a CURIE with a project prefix or a full IRI."""
    return _iri(value.strip()) if ":" in value else None


def choices(graph: Any, cls: URIRef) -> tuple[Choice, ...]:
    """The members of *cls* in *graph* (asserted or inferred), by label."""
    members = {s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}
    found = (Choice(_value(s), label(graph, s)) for s in members)
    return tuple(sorted(found, key=lambda c: (c.label.casefold(), c.value)))


def check_member(
    graph: Any, name: str, term: Node, cls: URIRef, raw: str, members: tuple[Choice, ...] | None = None
) -> None:
    """`ParamError` naming parameter *name* unless *term* is a member of *cls*; the error suggests up to
    three members whose slug or label is closest to *raw* (*members*: `choices`, when already known)."""
    if (term, RDF.type, cls) in graph:
        return
    members = choices(graph, cls) if members is None else members
    raise unknown_member(name, label(graph, cls).lower(), raw, members)


def unknown_member(name: str, kind: str, raw: str, members: tuple[Choice, ...]) -> ParamError:
    """The `ParamError` of a value of parameter *name* that is no *kind*: it names the parameter and
    suggests up to three *members* closest to *raw*."""
    shown = raw if len(raw) <= 60 else raw[:59] + "…"
    close = closest(raw, members)
    hint = "; did you mean " + " or ".join(f"{c.value} ({c.label})" for c in close) + "?" if close else ""
    return ParamError(name, f"parameter {name!r}: there is no {kind} called {shown!r}{hint}", close)


def closest(raw: str, members: tuple[Choice, ...], n: int = 3) -> tuple[Choice, ...]:
    """The *n* members whose value or label reads most like *raw* (a typo, a label typed for a slug)."""
    typed = raw.strip().casefold()
    keys: dict[str, Choice] = {}
    for choice in members:
        keys.setdefault(choice.value.casefold(), choice)
        keys.setdefault(choice.label.casefold(), choice)
    picked: list[Choice] = []
    for key in difflib.get_close_matches(typed, list(keys), n=3 * n, cutoff=0.6):
        if keys[key] not in picked:
            picked.append(keys[key])
    return tuple(picked[:n])


def _value(iri: URIRef) -> str:
    text = str(iri)
    rest = text[len(str(ID)) :] if text.startswith(str(ID)) else None
    return rest if rest and _SLUG.fullmatch(rest) else text


_CONVERTERS = {
    "iri": _iri,
    "string": Literal,
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
    "date": _date,
}
