"""OEWS records → triples (N-Triples lines).

One cell (an occupation in an area and industry) is one `ckg:OccupationEstimate`, a multi-measure
`qb:Observation` holding each published datatype as its own measure property (`ckg:employment`,
`ckg:medianAnnualWage`, …) in a `qb:DataSet` with a `qb:DataStructureDefinition`. A datatype BLS does not
publish (``-``) has no value: the estimate points with `ckg:estimateNote` to a note saying which measure and
which footnote explains it; a top-coded wage's note (footnote 5) carries the lower bound as `ckg:lowerBound`,
never as a value. Occupations are SKOS concepts of SOC 2018; areas are in `kg.importers.oews.areas`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.importers.oews.areas import area_slug, area_triples, states_of
from kg.importers.oews.measures import (
    BY_DATATYPE,
    MEASURES,
    NEW_UNITS,
    NEW_VARIABLES,
    SUBNATIONAL_ONLY,
    TOP_CODED,
    Measure,
    ReleaseFacts,
)
from kg.importers.oews.sources import DATATYPES, Cell, OewsError, Release, Selection
from kg.importers.oews.vocab import (
    BROADER,
    COMMENT,
    DEFINITION,
    IN_SCHEME,
    NOTATION,
    PREF_LABEL,
    REF_AREA,
    SCOPE_NOTE,
    SOURCE,
    TOP_CONCEPT_OF,
    TYPE,
    ckg,
    dct,
    node,
    qb,
    schema,
)
from kg.importers.oews.writer import iri, literal, triple

LEVEL_CLASSES = {0: "SocMajorGroup", 1: "SocMinorGroup", 2: "SocBroadOccupation", 3: "SocDetailedOccupation"}
DATASETS = {"N": "national", "S": "states", "M": "metros"}
AREA_KINDS = {"N": "national", "S": "state and territory", "M": "metropolitan and nonmetropolitan area"}
DIMENSIONS = (("about", 1), ("refArea", 2), ("industry", 3), ("refPeriod", 4))
ATTRIBUTES = ("source", "estimateNote")
SOC_2018 = node("soc-2018")  # the seed's SOC 2018 code set (data/careers.ttl)
TOP_CODE = re.compile(r"\$([0-9,]+\.[0-9]{2}) per hour or \$([0-9,]+) per year")


def soc_slug(code: str) -> str:
    """``319092`` → ``soc2018-31-9092``."""
    return f"soc2018-{code[:2]}-{code[2:]}"


def dashed(code: str) -> str:
    return f"{code[:2]}-{code[2:]}"


class Model:
    """The triples of one release: entities first (`entity_lines`), then one cell at a time (`cell_lines`),
    then the notes the cells used (`note_lines`)."""

    def __init__(self, release: Release, facts: ReleaseFacts) -> None:
        self.release, self.facts = release, facts
        self.year = facts.code[:4]
        self.month = literal(facts.month, "gYearMonth")
        self.source = node(f"source-bls-oews-{release.description.lower().replace(' ', '-')}")
        self.notes: set[tuple[str, str]] = set()  # (datatype, footnote) pairs the cells used
        self.bounds = _top_codes(release.footnotes)

    # --- entities -------------------------------------------------------------------------------------------

    def entity_lines(self, selection: Selection) -> Iterator[str]:
        yield from self.release_lines()
        yield from self.occupation_lines()
        yield from self.area_lines(selection)
        for code, (name, _level) in sorted(self.release.industries.items()):
            if selection.all_industries or code == "000000":
                yield from self.industry_lines(code, name)
        yield from self.vocabulary_lines()
        for areatype in sorted(selection.areatypes):
            yield from self.dataset_lines(areatype)

    def release_lines(self) -> Iterator[str]:
        s, r = self.source, self.release
        yield triple(s, TYPE, ckg("DatasetRelease"))
        yield triple(
            s,
            PREF_LABEL,
            literal(f"BLS Occupational Employment and Wage Statistics, {r.description}", lang="en"),
        )
        yield triple(
            s,
            dct("title"),
            literal(f"Occupational Employment and Wage Statistics (OEWS), {r.description} estimates"),
        )
        yield triple(
            s,
            dct("description"),
            literal(
                f"Employment and wage estimates for about 830 occupations in the nation, the states and "
                f"territories and metropolitan and nonmetropolitan areas, reference period {r.description}, "
                "by the BLS Occupational Employment and Wage Statistics program.",
                lang="en",
            ),
        )
        yield triple(s, dct("publisher"), node("bls"))
        yield triple(s, ckg("refPeriod"), self.month)
        yield triple(s, dct("issued"), literal(self.facts.issued, "date"))
        yield triple(s, dct("identifier"), literal(r.code))
        yield triple(s, schema("url"), iri(self.facts.url))
        yield triple(s, dct("license"), iri("https://creativecommons.org/publicdomain/mark/1.0/"))
        yield triple(
            s,
            COMMENT,
            literal(
                "ckg:refPeriod is the reference month of the estimates and dct:issued the day BLS published "
                "them. BLS data are in the public domain.",
                lang="en",
            ),
        )
        for code, text in sorted(r.footnotes.items()):
            f = node(f"oews-footnote-{code}")
            yield triple(f, TYPE, ckg("Footnote"))
            yield triple(f, PREF_LABEL, literal(f"OEWS footnote {code}", lang="en"))
            yield triple(f, NOTATION, literal(code))
            yield triple(f, DEFINITION, literal(text, lang="en"))
            yield triple(f, SOURCE, s)

    def occupation_lines(self) -> Iterator[str]:
        occupations = self.release.occupations
        for code, (title, level) in sorted(occupations.items()):
            s = node(soc_slug(code))
            yield triple(s, TYPE, ckg(LEVEL_CLASSES[level] if code != "000000" else "SocOccupation"))
            yield triple(s, PREF_LABEL, literal(title, lang="en"))
            yield triple(s, NOTATION, literal(dashed(code)))
            yield triple(s, schema("codeValue"), literal(dashed(code)))
            yield triple(s, schema("inCodeSet"), SOC_2018)
            yield triple(s, IN_SCHEME, SOC_2018)
            yield triple(s, SOURCE, self.source)
            parent = _parent(code, level, occupations)
            yield (
                triple(s, BROADER, node(soc_slug(parent))) if parent else triple(s, TOP_CONCEPT_OF, SOC_2018)
            )
            if code == "000000":
                yield triple(
                    s, SCOPE_NOTE, literal("The OEWS total of all occupations; not a SOC code.", lang="en")
                )
            elif level == 3 and code.endswith("0"):
                yield triple(
                    s,
                    SCOPE_NOTE,
                    literal(
                        "A SOC 2018 broad occupation that OEWS publishes as one detailed occupation: its "
                        "detailed occupations are not estimated separately.",
                        lang="en",
                    ),
                )

    def area_lines(self, selection: Selection) -> Iterator[str]:
        """The areas of the selected kinds, and every state a selected area lies in."""
        areas = self.release.areas
        wanted = {code for code, a in areas.items() if a.areatype in selection.areatypes or a.areatype == "N"}
        for code in list(wanted):
            if areas[code].areatype == "M":
                wanted |= {
                    c
                    for c, a in areas.items()
                    if a.areatype == "S" and a.state_code in states_of(code, areas[code])
                }
        for code in sorted(wanted):
            yield from area_triples(code, areas[code], self.source)

    def industry_lines(self, code: str, name: str) -> Iterator[str]:
        s = node(f"oews-industry-{code}")
        yield triple(s, TYPE, ckg("Industry"))
        yield triple(s, PREF_LABEL, literal(name, lang="en"))
        yield triple(s, NOTATION, literal(code))
        yield triple(s, SOURCE, self.source)

    def vocabulary_lines(self) -> Iterator[str]:
        """What the measures are: unit, currency, variable and OEWS datatype of each; the new units and
        variables; the data structure definitions."""
        for m in MEASURES:
            p = ckg(m.prop)
            yield triple(p, ckg("unit"), node(m.unit))
            yield triple(p, ckg("variable"), node(m.variable))
            yield triple(p, ckg("oewsDatatype"), literal(m.datatype))
            if m.money:
                yield triple(p, ckg("currency"), literal("USD"))
        for slug, (name, description) in NEW_UNITS.items():
            yield triple(node(slug), TYPE, ckg("Unit"))
            yield triple(node(slug), PREF_LABEL, literal(name, lang="en"))
            yield triple(node(slug), dct("description"), literal(description, lang="en"))
        for slug, (name, description) in NEW_VARIABLES.items():
            yield triple(node(slug), TYPE, ckg("StatisticalVariable"))
            yield triple(node(slug), PREF_LABEL, literal(name, lang="en"))
            yield triple(node(slug), dct("description"), literal(description, lang="en"))
        for kind in ("national", "subnational"):
            yield from _structure_lines(kind)

    def dataset_lines(self, areatype: str) -> Iterator[str]:
        s = node(f"oews-{self.year}-{DATASETS[areatype]}")
        kind = "national" if areatype == "N" else "subnational"
        label = f"BLS OEWS {self.release.description}: {AREA_KINDS[areatype]} estimates"
        yield triple(s, TYPE, qb("DataSet"))
        yield triple(s, PREF_LABEL, literal(label, lang="en"))
        yield triple(s, qb("structure"), node(f"oews-dsd-{kind}"))
        yield triple(s, SOURCE, self.source)

    # --- cells ----------------------------------------------------------------------------------------------

    def cell_lines(self, cell: Cell, where: str) -> Iterator[str]:
        r = self.release
        area = r.areas[cell.area]
        occupation = r.occupations[cell.occupation][0]
        slug = f"oews-{self.year}-{area_slug(cell.area, area)}-{dashed(cell.occupation)}"
        place = "United States" if cell.areatype == "N" else area.name
        label = f"{occupation}, {place}, {r.description}"
        if cell.industry != "000000":
            slug += f"-industry-{cell.industry}"
            label = f"{occupation} in {r.industries[cell.industry][0]}, {place}, {r.description}"
        s = node(slug)
        yield triple(s, TYPE, ckg("OccupationEstimate"))
        yield triple(s, PREF_LABEL, literal(label, lang="en"))
        yield triple(s, qb("dataSet"), node(f"oews-{self.year}-{DATASETS[cell.areatype]}"))
        yield triple(s, ckg("about"), node(soc_slug(cell.occupation)))
        yield triple(s, REF_AREA, node(area_slug(cell.area, area)))
        yield triple(s, ckg("industry"), node(f"oews-industry-{cell.industry}"))
        yield triple(s, ckg("refPeriod"), self.month)
        yield triple(s, SOURCE, self.source)
        for datatype, value, notes in zip(DATATYPES, cell.values, cell.footnotes, strict=True):
            measure = BY_DATATYPE[datatype]
            if value is not None and value != "-":
                yield triple(
                    s, ckg(measure.prop), literal(value, "integer" if measure.integer else "decimal")
                )
            for code in notes if value == "-" else ():
                if code == TOP_CODED and not measure.money:
                    raise OewsError(
                        f"{where}: footnote 5 (a top-coded wage) on datatype {datatype}, not a wage"
                    )
                self.notes.add((datatype, code))
                yield triple(s, ckg("estimateNote"), self.note(measure, code))

    def note(self, measure: Measure, code: str) -> str:
        return node(f"oews-{self.year}-{measure.slug}-footnote-{code}")

    def note_lines(self) -> Iterator[str]:
        """The notes the cells pointed to: which measure, which footnote, and a top-coded wage's bound."""
        for datatype, code in sorted(self.notes):
            m = BY_DATATYPE[datatype]
            s = self.note(m, code)
            why = self.release.footnotes[code]
            yield triple(s, TYPE, ckg("EstimateNote"))
            yield triple(s, ckg("measure"), ckg(m.prop))
            yield triple(s, ckg("footnote"), node(f"oews-footnote-{code}"))
            yield triple(s, SOURCE, self.source)
            if code == TOP_CODED:
                bound = self.bounds[0 if m.hourly else 1]
                why = f"at least ${bound} per {'hour' if m.hourly else 'year'} (top-coded)"
                yield triple(s, ckg("lowerBound"), literal(bound.replace(",", ""), "decimal"))
                yield triple(s, ckg("unit"), node(m.unit))
                yield triple(s, ckg("currency"), literal("USD"))
            name = NEW_VARIABLES.get(m.variable, (m.slug.replace("-", " "),))[0]
            yield triple(s, PREF_LABEL, literal(f"{name.capitalize()} not published: {why}", lang="en"))


def _parent(code: str, level: int, occupations: dict[str, tuple[str, int]]) -> str | None:
    """The nearest broader occupation group OEWS publishes (None for the major groups and the total)."""
    if level == 0:
        return None
    for candidate in (code[:5] + "0", code[:4] + "00", code[:3] + "000", code[:2] + "0000"):
        if candidate != code and candidate in occupations and occupations[candidate][1] < level:
            return candidate
    raise OewsError(
        f"occupation {dashed(code)}: no broader occupation group in the release's occupation table"
    )


def _top_codes(footnotes: dict[str, str]) -> tuple[str, str]:
    """The hourly and annual lower bounds footnote 5 states (e.g. ``115.00`` and ``239,200``)."""
    text = footnotes.get(TOP_CODED, "")
    match = TOP_CODE.search(text)
    if match is None:
        raise OewsError(
            f"footnote {TOP_CODED} does not state the top-coded wage ($… per hour or $… per year): {text!r}"
        )
    return match.group(1), match.group(2)


def _structure_lines(kind: str) -> Iterator[str]:
    """A qb:DataStructureDefinition: the dimensions, the measures (without the two BLS publishes only below
    the national level, for the national one) and the attributes."""
    s = node(f"oews-dsd-{kind}")
    yield triple(s, TYPE, qb("DataStructureDefinition"))
    yield triple(s, PREF_LABEL, literal(f"Structure of the OEWS {kind} estimates", lang="en"))
    parts = [("dimension", name, order) for name, order in DIMENSIONS]
    parts += [
        ("measure", m.prop, None)
        for m in MEASURES
        if kind == "subnational" or m.datatype not in SUBNATIONAL_ONLY
    ]
    parts += [("attribute", name, None) for name in ATTRIBUTES]
    for role, name, order in parts:
        c = node(f"oews-dsd-{kind}-{name}")
        yield triple(s, qb("component"), c)
        yield triple(c, TYPE, qb("ComponentSpecification"))
        yield triple(c, qb(role), REF_AREA if name == "refArea" else ckg(name))
        if order is not None:
            yield triple(c, qb("order"), literal(str(order), "integer"))
