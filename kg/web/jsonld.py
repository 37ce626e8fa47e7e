"""schema.org markup for profession pages: an `Occupation` with `estimatedSalary`, `occupationalCategory`,
`educationRequirements` and `qualifications`, derived from the graph, safe to embed in a <script> element."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from markupsafe import Markup
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, ID, SCHEMA
from kg.views.provenance import ReportedUnder, figure_dates, reported_under

# (variable, schema.org duration of the pay period)
SALARY_VARIABLES = ((ID["var-median-annual-wage"], "P1Y"), (ID["var-median-hourly-wage"], "PT1H"))
CREDENTIAL_CATEGORIES = (
    (CKG.Certification, "certification"),
    (CKG.License, "license"),
    (CKG.Degree, "degree"),
    (CKG.Diploma, "certificate"),
)


def occupation(kg: Any, iri: URIRef) -> dict[str, Any]:
    """The schema.org JSON-LD document for the profession *iri*."""
    g: Graph = kg.union
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "@id": str(iri),
        "name": label(g, iri),
    }
    description = g.value(iri, SCHEMA.description) or g.value(iri, DCTERMS.description)
    if description is not None:
        doc["description"] = str(description)
    alt = sorted(str(a) for a in g.objects(iri, SKOS.altLabel))
    if alt:
        doc["alternateName"] = alt
    codes = [_code(g, c) for c in sorted(set(g.objects(iri, CKG.occupationCode)))]
    if codes:
        doc["occupationalCategory"] = codes
    salaries = _salaries(g, iri)
    if salaries:
        doc["estimatedSalary"] = salaries
    education = [_program(g, p) for p in sorted(set(g.objects(iri, CKG.educationPath)))]
    if education:
        doc["educationRequirements"] = education
    creds = [_credential(g, c) for c in sorted(set(g.objects(iri, CKG.relatedCredential)))]
    if creds:
        doc["qualifications"] = creds
    for prop, key in ((CKG.hasSkill, "skills"), (CKG.hasDuty, "responsibilities")):
        values = sorted({label(g, n) for n in g.objects(iri, prop)})
        if values:
            doc[key] = values
    return doc


def script_json(doc: dict[str, Any]) -> Markup:
    """*doc* as JSON that cannot close or confuse its <script> element ("</" and "<!--" escaped)."""
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return Markup(text)


def _code(g: Graph, code: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "CategoryCode", "name": label(g, code)}
    value = g.value(code, SCHEMA.codeValue)
    if value is not None:
        out["codeValue"] = str(value)
    code_set = g.value(code, SCHEMA.inCodeSet)
    if code_set is not None:
        out["inCodeSet"] = {"@type": "CategoryCodeSet", "name": label(g, code_set)}
    return out


def _salaries(g: Graph, iri: URIRef) -> list[dict[str, Any]]:
    """Median pay, each described by its source, reference period, publication date and, for figures of
    the occupation the profession is reported under, whose figures they are."""
    subjects = [iri, *sorted(o for o in g.objects(iri, CKG.reportedUnder) if isinstance(o, URIRef))]
    under = {URIRef(r.iri): r for r in reported_under(g, iri)}
    for subject in subjects:
        found = []
        for variable, duration in SALARY_VARIABLES:
            for stat in sorted(set(g.subjects(CKG.variable, variable))):
                if (stat, CKG.about, subject) not in g:
                    continue
                value = g.value(stat, CKG.value)
                if not isinstance(value, Literal):
                    continue
                entry: dict[str, Any] = {
                    "@type": "MonetaryAmountDistribution",
                    "name": label(g, variable),
                    "currency": str(g.value(stat, CKG.currency) or "USD"),
                    "duration": duration,
                    "median": _number(value),
                }
                entry["description"] = _salary_note(g, stat, under.get(subject))
                found.append(entry)
        if found:
            return found
    return []


def _salary_note(g: Graph, stat: Node, under: ReportedUnder | None) -> str:
    dates = figure_dates(g, stat, date.today())
    parts = [", ".join(sorted(label(g, s) for s in g.objects(stat, CKG.source)))]
    if dates.ref_period:
        parts.append(f"reference period {dates.ref_period}")
    if dates.published:
        parts.append(f"published {dates.published}")
    note = "; ".join(p for p in parts if p)
    return note + (f"; figures for {under.text()}" if under is not None else "")


def _number(value: Literal) -> int | float:
    number = float(value.toPython())
    return int(number) if number.is_integer() else number


def _program(g: Graph, program: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "EducationalOccupationalCredential", "name": label(g, program)}
    level = g.value(program, CKG.programLevel)
    if level is not None:
        out["credentialCategory"] = label(g, level)
    return out


def _credential(g: Graph, cred: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "EducationalOccupationalCredential", "name": label(g, cred)}
    for cls, category in CREDENTIAL_CATEGORIES:
        if (cred, RDF.type, cls) in g:
            out["credentialCategory"] = category
            break
    issuers = [
        {"@type": "Organization", "name": label(g, o)} for o in sorted(set(g.objects(cred, CKG.issuedBy)))
    ]
    if issuers:
        out["recognizedBy"] = issuers
    return out
