"""schema.org markup for profession pages: an `Occupation` with `estimatedSalary`, `occupationalCategory`,
`educationRequirements` and `qualifications`, derived from the graph, safe to embed in a <script> element."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, ID, SCHEMA
from kg.views.provenance import ReportedUnder, figure_dates, reported_under

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

REF_AREA = URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refArea")
# (variable, schema.org duration of the pay period)
SALARY_VARIABLES = ((ID["var-median-annual-wage"], "P1Y"), (ID["var-median-hourly-wage"], "PT1H"))
CREDENTIAL_CATEGORIES = (
    (CKG.Certification, "certification"),
    (CKG.License, "license"),
    (CKG.Degree, "degree"),
    (CKG.Diploma, "certificate"),
)


def occupation(kg: KnowledgeGraph, iri: URIRef) -> dict[str, Any]:
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
    salaries, stats = _salaries(g, iri)
    if salaries:
        doc["estimatedSalary"] = salaries
        places = sorted({_area(g, stat) for stat in stats} - {None})
        if places:
            doc["occupationLocation"] = [{"@type": kind, "name": name} for kind, name in places]
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
    out: dict[str, Any] = {"@type": "CategoryCode", "@id": str(code), "name": label(g, code)}
    value = g.value(code, SCHEMA.codeValue)
    if value is not None:
        out["codeValue"] = str(value)
    sets = sorted(set(g.objects(code, SCHEMA.inCodeSet)))
    if sets:
        out["inCodeSet"] = [{"@type": "CategoryCodeSet", "@id": str(s), "name": label(g, s)} for s in sets]
    same = _onet_pages(g, code, value)
    if same:
        out["sameAs"] = same
    return out


def _onet_pages(g: Graph, code: Node, value: Node | None) -> list[str]:
    """The O*NET OnLine page of this very SOC code (O*NET-SOC ``<code>.00``) where the data cites one for an
    assignment of the code: the same occupation, named by another site. A page of a narrower O*NET occupation
    (``43-3021.02``) is not the same and is left out."""
    if value is None:
        return []
    pages = set()
    for claim in g.subjects(RDF.object, code):
        if (claim, RDF.type, CKG.Claim) not in g:
            continue
        for source in g.objects(claim, CKG.source):
            url = g.value(source, SCHEMA.url)
            if url is not None and str(url).rstrip("/").endswith(f"/link/summary/{value}.00"):
                pages.add(str(url))
    return sorted(pages)


def _salaries(g: Graph, iri: URIRef) -> tuple[list[dict[str, Any]], list[Node]]:
    """Median pay, each with its source as a schema:Dataset (title, URL, publication date, reference period)
    and, for figures of the occupation the profession is reported under, whose figures they are."""
    subjects = [iri, *sorted(o for o in g.objects(iri, CKG.reportedUnder) if isinstance(o, URIRef))]
    under = {URIRef(r.iri): r for r in reported_under(g, iri)}
    for subject in subjects:
        found, stats = [], []
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
                    "description": _salary_note(g, stat, under.get(subject)),
                }
                datasets = [_dataset(g, stat, s) for s in sorted(set(g.objects(stat, CKG.source)))]
                if datasets:
                    entry["subjectOf"] = datasets
                found.append(entry)
                stats.append(stat)
        if found:
            return found, stats
    return [], []


def _dataset(g: Graph, stat: Node, source: Node) -> dict[str, Any]:
    """The release a figure comes from, with the dates that say how current it is: ``datePublished`` (the
    release's dct:issued) and ``temporalCoverage`` (the period the figure refers to, ISO 8601)."""
    out: dict[str, Any] = {"@type": "Dataset", "@id": str(source), "name": label(g, source)}
    url, issued = g.value(source, SCHEMA.url), g.value(source, DCTERMS.issued)
    if url is not None:
        out["url"] = str(url)
    if issued is not None:
        out["datePublished"] = str(issued)
    period = figure_dates(g, stat, date.today()).ref_period
    if period:
        out["temporalCoverage"] = period.replace("–", "/")
    publisher = g.value(source, DCTERMS.publisher)
    if publisher is not None:
        out["publisher"] = {"@type": "Organization", "name": label(g, publisher)}
    return out


def _area(g: Graph, stat: Node) -> tuple[str, str] | None:
    """Where a figure applies: its stated area (sdmx-dimension:refArea), else the United States for a
    release of the Bureau of Labor Statistics, whose occupational estimates without an area are national."""
    area = g.value(stat, REF_AREA)
    if area is not None:
        return ("Place", label(g, area))
    if any(g.value(s, DCTERMS.publisher) == ID["bls"] for s in g.objects(stat, CKG.source)):
        return ("Country", "United States")
    return None


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
