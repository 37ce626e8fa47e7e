"""Who says what, and when: citations of sources, the dates and age of a figure, per-claim sources, and the
statistical occupation a profession's figures are reported under. Pages, /compare and the schema.org markup
all read these values, so every page dates and cites a figure the same way.

Dates mean one thing each (docs/data-model.md): a source's publication date is ``dct:issued`` (or
``ckg:issuedUnknown`` says why it is not known); the period a figure refers to is ``ckg:refPeriod``, or
``ckg:periodStart``/``ckg:periodEnd`` for a projection. A figure's age counts from its publication date, or
from the start of its reference period when that is all there is, never from the end of a projection period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, SCHEMA


@dataclass(frozen=True)
class Citation:
    iri: str
    label: str
    url: str | None
    published: str | None  # dct:issued
    publisher: str | None
    undated: str | None = None  # why the publication date is not known (ckg:issuedUnknown)
    not_before: str | None = None  # an inferred lower bound on the publication date (ckg:issuedNotBefore)


@dataclass(frozen=True)
class FigureDates:
    ref_period: str | None  # "2016-05", or "2014–2024" for a projection
    published: str | None  # the earliest dct:issued of the figure's sources
    age_years: int | None
    age_from: str | None  # "publication" | "reference period"


@dataclass(frozen=True)
class ReportedUnder:
    """The statistical occupation a profession's figures are about (ckg:reportedUnder)."""

    iri: str
    label: str
    codes: str  # "SOC 31-9092"
    scope: str | None  # skos:scopeNote: "All medical assistants, certified or not."

    def text(self) -> str:
        code = f" ({self.codes})" if self.codes else ""
        return f"{self.label}{code}" + (f": {self.scope}" if self.scope else "")


def citation(graph: Graph, source: Node) -> Citation:
    url, issued, publisher, undated, not_before = (
        graph.value(source, p)
        for p in (SCHEMA.url, DCTERMS.issued, DCTERMS.publisher, CKG.issuedUnknown, CKG.issuedNotBefore)
    )
    return Citation(
        iri=str(source),
        label=label(graph, source),
        url=_text(url),
        published=_text(issued),
        publisher=label(graph, publisher) if publisher is not None else None,
        undated=_text(undated),
        not_before=_text(not_before),
    )


def citations(graph: Graph, sources: Iterable[Node]) -> tuple[Citation, ...]:
    """The citations of *sources*, each once, by label."""
    return tuple(sorted({citation(graph, s) for s in sources}, key=lambda c: (c.label.casefold(), c.iri)))


def figure_dates(graph: Graph, stat: Node, today: date) -> FigureDates:
    """The reference period, publication date and age of the statistic *stat*."""
    period = graph.value(stat, CKG.refPeriod)
    start, end = graph.value(stat, CKG.periodStart), graph.value(stat, CKG.periodEnd)
    issued = sorted(str(i) for s in graph.objects(stat, CKG.source) for i in graph.objects(s, DCTERMS.issued))
    published = issued[0] if issued else None
    if start is not None and end is not None:
        ref = f"{start}–{end}"
    else:
        ref = _text(period if period is not None else start)
    since, basis = (published, "publication") if published else (_text(period or start), "reference period")
    age = age_years(since, today)
    return FigureDates(ref, published, age, basis if age is not None else None)


def age_years(when: Literal | str | None, today: date) -> int | None:
    """Whole years from the start of the period a date names (2016-05 → 1 May 2016) to *today*."""
    if when is None:
        return None
    text = str(when)
    try:
        year = int(text[:4])
        month = int(text[5:7]) if len(text) >= 7 and text[4] == "-" else 1
        day = int(text[8:10]) if len(text) >= 10 and text[7] == "-" else 1
    except ValueError:
        return None
    years = today.year - year - ((today.month, today.day) < (month, day))
    return max(years, 0)


def claim_sources(graph: Graph, subject: Node) -> dict[tuple[Node, Node], tuple[Node, ...]]:
    """(predicate, object) → the sources of the ckg:Claim on that statement of *subject*."""
    found: dict[tuple[Node, Node], set[Node]] = {}
    for claim in graph.subjects(RDF.subject, subject):
        if (claim, RDF.type, CKG.Claim) not in graph:
            continue
        key = (graph.value(claim, RDF.predicate), graph.value(claim, RDF.object))
        found.setdefault(key, set()).update(graph.objects(claim, CKG.source))
    return {key: tuple(sorted(sources)) for key, sources in found.items()}


def statement_sources(graph: Graph, subject: Node, predicate: Node, obj: Node) -> tuple[Node, ...]:
    """Who makes the statement (subject predicate obj): its claim's sources, else the subject's own."""
    claimed = claim_sources(graph, subject).get((predicate, obj))
    return claimed if claimed else tuple(sorted(graph.objects(subject, CKG.source)))


def node_sources(graph: Graph, node: Node) -> tuple[Node, ...]:
    """Every source of *node*'s statements: its own ckg:source and those of claims on its statements."""
    claimed = {s for sources in claim_sources(graph, node).values() for s in sources}
    return tuple(sorted(set(graph.objects(node, CKG.source)) | claimed))


def reported_under(graph: Graph, profession: Node) -> tuple[ReportedUnder, ...]:
    """The statistical occupations *profession*'s figures are reported under, by label."""
    found = [o for o in graph.objects(profession, CKG.reportedUnder) if isinstance(o, URIRef)]
    return tuple(
        sorted(
            (
                ReportedUnder(
                    str(o), label(graph, o), _codes(graph, o), _text(graph.value(o, SKOS.scopeNote))
                )
                for o in found
            ),
            key=lambda r: r.label,
        )
    )


def _codes(graph: Graph, occupation: Node) -> str:
    """``SOC 31-9092`` (one code in SOC 2010 and 2018), ``SOC 2010 29-2071``: the SOC codes."""
    out = []
    for code in sorted(graph.objects(occupation, CKG.occupationCode), key=str):
        value = graph.value(code, SCHEMA.codeValue)
        sets = sorted(_short(graph, s) for s in graph.objects(code, SCHEMA.inCodeSet))
        if value is None or not sets:
            continue
        family = {s.split()[0] for s in sets}
        prefix = family.pop() if len(sets) > 1 and len(family) == 1 else sets[0]
        out.append(f"{prefix} {value}")
    soc = [c for c in out if c.startswith("SOC")]  # what US statistics count by; other codes only if none
    return ", ".join(sorted(soc or out))


def _short(graph: Graph, node: Node) -> str:
    alts = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
    return alts[0] if alts else label(graph, node)


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)
