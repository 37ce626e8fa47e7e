"""An entity's page for people: what the data asserts, grouped and labelled in plain words, apart from what a
data user wants (IRIs, statements inferred by the reasoner, the validation result).

Reads the `Entity` value of kg.views.describe and regroups it; it adds no facts. A statement the reasoner
derived is not shown among the facts (it restates one: "skills" for "has skill", "was derived from" for
"source", or the other end of a link shown under "Mentioned by"), only in the data users' section.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rdflib import RDFS, SKOS, URIRef

from kg.rdf.namespaces import CKG, SCHEMA
from kg.views.describe import Entity, PropertyGroup, Term
from kg.views.provenance import Citation

# (section key, heading, predicates in the order shown, each with its plain-words label)
SECTIONS: tuple[tuple[str, str, tuple[tuple[URIRef, str], ...]], ...] = (
    (
        "work",
        "The work",
        (
            (CKG.hasDuty, "Duties"),
            (CKG.hasSkill, "Skills"),
            (CKG.workSetting, "Where they work"),
            (CKG.practiceFramework, "How they work with others"),
            (CKG.specialization, "Specializations"),
            (CKG.usesCodingSystem, "Coding systems used"),
        ),
    ),
    (
        "training",
        "Training, certification and licence",
        (
            (CKG.educationPath, "Ways to train"),
            (CKG.requiredCredential, "Required credential"),
            (CKG.optionalCredential, "Optional credential"),
            (CKG.relatedCredential, "Related credential"),
            (CKG.preferredByEmployers, "Many employers prefer"),
            (CKG.predominantAccreditor, "Main accreditors of programs"),
            (CKG.licensing, "Licence"),
        ),
    ),
    (
        "related",
        "Related careers",
        (
            (CKG.relatedProfession, "Related careers"),
            (CKG.moreClinicalThan, "More clinical and patient-facing than"),
            (CKG.sometimesTrainedWith, "Sometimes trained together with"),
        ),
    ),
    (
        "classification",
        "How official statistics count it",
        ((CKG.reportedUnder, "Figures reported under"), (CKG.occupationCode, "Occupation codes")),
    ),
)
# Said in the page header already (name, other names) or in the sources' own section.
HIDDEN = frozenset({SCHEMA.name, SKOS.altLabel, SCHEMA.description, CKG.source})
NOTES = frozenset({RDFS.comment, SKOS.scopeNote})


@dataclass(frozen=True)
class FactGroup:
    predicate: str
    label: str  # in plain words: "Duties", "Where they work"
    values: tuple[Term, ...]
    sources: tuple[Citation, ...] = ()  # when every value has the same source, said once for the group


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    groups: tuple[FactGroup, ...]


@dataclass(frozen=True)
class Mention:
    """Another entry's statement about this one: "<subject> <phrase> <this entity>"."""

    subject: Term
    phrase: str  # "more clinical and patient-facing than"


@dataclass(frozen=True)
class PeopleView:
    sections: tuple[Section, ...]
    notes: tuple[str, ...]  # rdfs:comment, skos:scopeNote: shown as plain notes
    sources: tuple[Term, ...]  # the entity's own sources (ckg:source)
    mentioned_by: tuple[Mention, ...]  # asserted links from other entities, not already said the other way
    inferred: tuple[PropertyGroup, ...]  # for data users: statements the reasoner derived
    inferred_incoming: tuple[PropertyGroup, ...]
    asserted_types: tuple[Term, ...]


def people_view(entity: Entity) -> PeopleView:
    """Regroup *entity* for people: asserted facts by section, the rest for data users."""
    asserted = {g.predicate: _asserted(g) for g in entity.properties}
    asserted = {p: g for p, g in asserted.items() if g.values}
    placed: set[str] = set()
    sections = []
    for key, heading, members in SECTIONS:
        groups = []
        for predicate, text in members:
            group = asserted.get(str(predicate))
            if group is not None:
                groups.append(_fact_group(group, text))
                placed.add(str(predicate))
        if groups:
            sections.append(Section(key, heading, tuple(groups)))
    skip = {str(p) for p in HIDDEN | NOTES} | placed
    other = [_fact_group(g, _plain(g.label)) for p, g in asserted.items() if p not in skip]
    if other:
        sections.append(Section("details", "Details", tuple(other)))
    notes = tuple(v.label for p in NOTES for v in asserted.get(str(p), _EMPTY).values)
    sources = asserted.get(str(CKG.source), _EMPTY).values
    said = {(p, v.value) for p, g in asserted.items() for v in g.values}
    mentioned = [
        Mention(v, g.label.split(" (", 1)[0])
        for g in entity.incoming
        for v in g.values
        if not v.inferred and (g.predicate, v.value) not in said
    ]
    return PeopleView(
        sections=tuple(sections),
        notes=notes,
        sources=sources,
        mentioned_by=tuple(sorted(mentioned, key=lambda m: (m.subject.label.casefold(), m.phrase))),
        inferred=_inferred(entity.properties),
        inferred_incoming=_inferred(entity.incoming),
        asserted_types=tuple(t for t in entity.types if not t.inferred),
    )


_EMPTY = PropertyGroup("", "", ())


def _asserted(group: PropertyGroup) -> PropertyGroup:
    return replace(group, values=tuple(v for v in group.values if not v.inferred))


def _inferred(groups: tuple[PropertyGroup, ...]) -> tuple[PropertyGroup, ...]:
    kept = (replace(g, values=tuple(v for v in g.values if v.inferred)) for g in groups)
    return tuple(g for g in kept if g.values)


def _fact_group(group: PropertyGroup, text: str) -> FactGroup:
    """A group in plain words; the values' shared source said once for the group."""
    shared = {v.sources for v in group.values}
    if len(shared) == 1 and group.values[0].sources and len(group.values) > 1:
        values = tuple(replace(v, sources=()) for v in group.values)
        return FactGroup(group.predicate, text, values, group.values[0].sources)
    return FactGroup(group.predicate, text, group.values)


def _plain(text: str) -> str:
    """An ontology label as a heading: "issued by" → "Issued by"; a CURIE suffix dropped."""
    text = text.split(" (", 1)[0] if text.endswith(")") and ":" in text else text
    return text[:1].upper() + text[1:]
