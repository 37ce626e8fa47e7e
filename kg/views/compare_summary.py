"""The four answers a student asks first (pay, schooling, licence, certification), in a few words each, for
one profession (its page) or two side by side (/compare). Read from the same cells and structure as the
detailed rows, so the short answer never disagrees with the long one; an answer the data does not give is
"not recorded", never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.rdf.labels import label
from kg.rdf.namespaces import CKG, ID
from kg.views.compare_facts import Cell, _credentials, _level, _programs, _short, format_months

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

QUESTIONS = (
    ("pay", "Pay"),
    ("schooling", "Schooling"),
    ("licence", "Licence"),
    ("certification", "Certification"),
)
NOT_RECORDED = "Not recorded"
# A licensing status whose true answer is "it depends on where you work".
CERTIFICATION_STATUS = {True: "Required", False: "Optional", None: "Related"}
BY_STATE = {ID["licensing-required-in-some-states"]: "Depends on your state"}


@dataclass(frozen=True)
class Answer:
    text: str  # "$31,540 a year"
    detail: str | None = None  # "median, May 2016" / "about 2 years"


@dataclass(frozen=True)
class SummaryLine:
    key: str  # pay | schooling | licence | certification
    question: str
    a: Answer
    b: Answer | None = None  # None on a single profession's page
    verdict: str | None = None  # "Medical Coder pays more"


@dataclass(frozen=True)
class Currency:
    """How current the pay figures are: their period, publication date, age and source."""

    ref_period: str | None
    published: str | None
    age_years: int | None
    source: str | None
    url: str | None


def answers(kg: KnowledgeGraph, p: URIRef, annual: Cell) -> dict[str, Answer]:
    """The four short answers for the profession *p*; *annual* is its median-annual-pay cell."""
    return {
        "pay": _pay(annual),
        "schooling": _schooling(kg, p),
        "licence": _licence(kg, p),
        "certification": _certification(kg, p),
    }


def summary(
    a: dict[str, Answer], b: dict[str, Answer], a_cell: Cell, b_cell: Cell, names: tuple[str, str]
) -> tuple[SummaryLine, ...]:
    """The four lines comparing two professions, with who pays more."""
    lines = []
    for key, question in QUESTIONS:
        verdict = _who_pays_more(a_cell, b_cell, names) if key == "pay" else None
        lines.append(SummaryLine(key, question, a[key], b[key], verdict))
    return tuple(lines)


def single(a: dict[str, Answer]) -> tuple[SummaryLine, ...]:
    return tuple(SummaryLine(key, question, a[key]) for key, question in QUESTIONS)


def currency(*cells: Cell) -> Currency | None:
    """The period, publication and source of the pay figures (the first side that has them)."""
    for cell in cells:
        if cell.figures:
            cite = cell.citations[0] if cell.citations else None
            return Currency(
                cell.ref_period,
                cell.published,
                cell.age_years,
                cite.label if cite else None,
                (cite.url or cite.iri) if cite else None,
            )
    return None


def _pay(annual: Cell) -> Answer:
    if not annual.figures or annual.figures[0].number is None:
        return Answer("No pay figures recorded")
    figure = annual.figures[0]
    prefix = "$" if figure.currency == "USD" else ""
    whose = f"; all {annual.via}" if annual.via else ""  # whose figures: the occupation BLS counts
    return Answer(f"{prefix}{figure.number:,} a year", f"median{whose}")


def _who_pays_more(a: Cell, b: Cell, names: tuple[str, str]) -> str | None:
    if not (a.numbers and b.numbers):
        return None
    if a.numbers[0] == b.numbers[0]:
        return "Both have the same median pay"
    higher = names[0] if a.numbers[0] > b.numbers[0] else names[1]
    gap = abs(a.numbers[0] - b.numbers[0])
    return f"{higher} pays more (by ${gap:,.0f} a year at the median)"


def _schooling(kg: KnowledgeGraph, p: URIRef) -> Answer:
    """Whether a degree is required, and how long the shortest (required) program of known length takes."""
    g, programs = kg.union, _programs(kg, p)
    if not programs:
        return Answer(NOT_RECORDED)
    required = [x for x in programs if g.value(x, CKG.required) == Literal(True)]
    text = f"{' or '.join(_level(kg, x) for x in required)} required" if required else "No degree required"
    spans = [(m, x) for x in (required or programs) if (m := _months(g, x)) is not None]
    if not spans:
        return Answer(text)
    (low, high), program = min(spans, key=lambda s: s[0])
    span = f"about {format_months(high)}" if low == high else f"{low}–{high} months"
    return Answer(text, f"shortest: {_level(kg, program).lower()}, {span}")


def _months(g: Any, program: URIRef) -> tuple[int, int] | None:
    low, high = (g.value(program, prop) for prop in (CKG.minMonths, CKG.maxMonths))
    if high is None:
        return None
    return (int(low) if low is not None else int(high), int(high))


def _licence(kg: KnowledgeGraph, p: URIRef) -> Answer:
    """The licensing status; where a license is needed, who grants it (a state agency, for instance)."""
    g = kg.union
    requirements = sorted(g.objects(p, CKG.licensing))
    statuses = sorted({s for r in requirements for s in g.objects(r, CKG.licensingStatus)})
    if not statuses:
        return Answer(NOT_RECORDED)
    texts = [BY_STATE.get(s, label(g, s)) for s in statuses]
    detail = [label(g, s) for s in statuses if s in BY_STATE]
    detail += sorted({label(g, a) for r in requirements for a in g.objects(r, CKG.licensingAuthority)})
    return Answer("; ".join(texts), "; ".join(detail) or None)


def _certification(kg: KnowledgeGraph, p: URIRef) -> Answer:
    """Required, optional or related certifications, with who issues them or what the data says of them."""
    g = kg.union
    found = [(c, r) for c, r in _credentials(kg, p) if (c, RDF.type, CKG.Certification) in g]
    if not found:
        return Answer(NOT_RECORDED)
    cred, required = found[0]
    issuers = sorted({_short(g, o) for o in g.objects(cred, CKG.issuedBy)})
    detail = f"through {', '.join(issuers)}" if issuers else None
    if required is None:
        note = g.value(cred, DCTERMS.description)
        detail = str(note) if note is not None else detail
    text = f"{CERTIFICATION_STATUS[required]}: {label(g, cred)}"
    more = len(found) - 1
    return Answer(text + (f" (and {more} more)" if more else ""), detail)
