"""Synthetic Careers KG data for benchmarks and scale tests: `careers-kg synth --professions N -o FILE`.

The data uses the vocabulary of data/careers.ttl and conforms to ontology/shapes.ttl. Each profession brings
51 triples (50 when there is only one): the profession itself (labels, description, an occupation code,
skills, a specialization, a work setting, duties, a related profession, a credential, an education path, a
source), its occupation code node (a SOC-like code, unique per profession, in a synthetic code set), two
statistics (employment; median annual wage with currency), each with value, unit, reference period and
source, a certification issued by a shared certifying body, and an education program accredited by a shared
accrediting body (recognized by a shared recognition body) that leads to the certification. Skills,
specializations, work settings, duties, organizations and sources come from shared pools that grow slowly with
N, so the fan-in is realistic (many professions per skill, many facts per source).

Entities are named ``https://w3id.org/careers-kg/id/synth-…`` and labelled "Synthetic …", so synthetic
data can be loaded next to the seed without clashing. The few shared vocabulary nodes (statistical variables,
units, program levels) are the seed's own (``id:var-employment``, ``id:unit-persons``,
``id:level-associate``, …) with the seed's exact triples, so stored queries that name them work on synthetic
data too.

The output depends only on (professions, seed). `write` streams N-Triples (``.nt``) or Turtle (any other
suffix) without building a graph, at about a million triples in a few seconds.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rdflib import Graph, Literal, URIRef

PER_PROFESSION = 51
PREFIXES = {
    "ckg": "https://w3id.org/careers-kg/ontology#",
    "id": "https://w3id.org/careers-kg/id/",
    "dct": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
URL_BASE = "https://example.org/careers-kg-synthetic/"

# The seed's own vocabulary nodes (data/careers.ttl), triple for triple: (slug, class, label, description).
SEED_VOCABULARY = (
    ("unit-persons", "ckg:Unit", "persons", "A count of people."),
    ("unit-usd-per-year", "ckg:MonetaryUnit", "US dollars per year", "Pay in US dollars per year."),
    ("var-employment", "ckg:StatisticalVariable", "Employment",
     "The number of people employed in an occupation in the United States."),
    ("var-median-annual-wage", "ckg:StatisticalVariable", "Median annual wage",
     "The median pay of an occupation, per year."),
    ("level-certificate", "ckg:ProgramLevel", "Postsecondary certificate or diploma",
     "A non-degree postsecondary program ending in a certificate or diploma."),
    ("level-associate", "ckg:ProgramLevel", "Associate degree",
     "An undergraduate degree program, typically about two years."),
    ("level-bachelor", "ckg:ProgramLevel", "Bachelor's degree",
     "An undergraduate degree program, typically four years."),
)  # fmt: skip
_LEVELS = (("id:level-certificate", "P1Y"), ("id:level-associate", "P2Y"), ("id:level-bachelor", "P4Y"))
_DATES = ("2016-05", "2017-05", "2018-05", "2019-05", "2020-05", "2021-05", "2022-05", "2023-05")


@dataclass(frozen=True)
class Lit:
    """A literal: lexical form and either a language tag or a datatype CURIE (neither: xsd:string)."""

    lex: str
    lang: str | None = None
    datatype: str | None = None


Term = str | Lit  # a str is a CURIE ("id:synth-skill-3") or an absolute IRI in angle brackets
Entity = tuple[str, list[tuple[str, Term]]]  # subject CURIE, (predicate CURIE, object) pairs


@dataclass(frozen=True)
class Pools:
    """How many shared entities of each kind there are for N professions."""

    sources: int
    publishers: int
    certifiers: int
    accreditors: int
    recognizers: int
    skills: int
    specializations: int
    settings: int
    duties: int

    @classmethod
    def for_professions(cls, n: int) -> Pools:
        return cls(
            sources=3 + n // 50,
            publishers=2 + n // 500,
            certifiers=2 + n // 40,
            accreditors=2 + n // 100,
            recognizers=1 + n // 2000,
            skills=10 + n // 20,
            specializations=5 + n // 20,
            settings=5 + n // 50,
            duties=10 + n // 10,
        )


# triples per pooled entity, in the order of `Pools` fields; the code set and seed vocabulary are fixed
_POOL_TRIPLES = (6, 4, 4, 5, 4, 4, 4, 4, 4)
_FIXED_TRIPLES = 5 + 3 * len(SEED_VOCABULARY)


def triple_count(professions: int) -> int:
    """The number of triples `generate(professions)` yields (whatever the seed), without generating them."""
    _check(professions)
    pools = Pools.for_professions(professions)
    pooled = sum(
        k * getattr(pools, f) for k, f in zip(_POOL_TRIPLES, pools.__dataclass_fields__, strict=True)
    )
    per = PER_PROFESSION if professions > 1 else PER_PROFESSION - 1
    return per * professions + pooled + _FIXED_TRIPLES


def professions_for(triples: int) -> int:
    """The smallest number of professions whose data has at least *triples* triples (at least 1)."""
    lo, hi = 1, max(1, triples // (PER_PROFESSION - 1) + 1)
    while lo < hi:
        mid = (lo + hi) // 2
        if triple_count(mid) >= triples:
            hi = mid
        else:
            lo = mid + 1
    return lo


def entities(professions: int, seed: int = 0) -> Iterator[Entity]:
    """The synthetic data, one entity (subject and its predicate-object pairs) at a time."""
    _check(professions)
    rng = random.Random(seed)
    pools = Pools.for_professions(professions)
    code_offset = rng.randrange(900_000)
    yield from _vocabulary(pools, rng)
    for i in range(professions):
        yield from _profession(i, professions, pools, rng, code_offset)


def generate(professions: int, seed: int = 0) -> Graph:
    """The synthetic data as an rdflib graph (for small N; use `write` for large N)."""
    graph = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    graph.addN((_rdflib(s), _rdflib(p), _rdflib(o), graph) for s, p, o in _triples(professions, seed))
    return graph


def write(path: str | Path | TextIO, professions: int, seed: int = 0, fmt: str | None = None) -> int:
    """Write the synthetic data to *path* (a file name or a text stream; ``-`` is stdout) as N-Triples
    (*fmt* ``nt``, or a ``.nt`` file) or Turtle (``ttl``, the default); returns the number of triples."""
    _check(professions)
    if isinstance(path, str | Path) and str(path) != "-":
        fmt = fmt or ("nt" if str(path).endswith(".nt") else "ttl")
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            return write(out, professions, seed, fmt)
    out = sys.stdout if not hasattr(path, "write") else path
    if (fmt or "ttl") not in ("nt", "ttl"):
        raise ValueError(f"unknown format {fmt!r}: use nt or ttl")
    if fmt == "nt":
        return _write_ntriples(out, professions, seed)
    return _write_turtle(out, professions, seed)


# --- the data -----------------------------------------------------------------------------------------------


def _vocabulary(pools: Pools, rng: random.Random) -> Iterator[Entity]:
    for slug, cls, label, description in SEED_VOCABULARY:
        yield (
            f"id:{slug}",
            [("a", cls), ("skos:prefLabel", _en(label)), ("dct:description", _en(description))],
        )
    for k in range(pools.publishers):
        yield _org("publisher", k, "ckg:StatisticsPublisher", "publishes synthetic statistics", pools, rng)
    for k in range(pools.sources):
        kind = "ckg:DatasetRelease" if k % 2 == 0 else "ckg:Publication"
        yield (
            f"id:synth-source-{k}",
            [
                ("a", kind),
                ("skos:prefLabel", _en(f"Synthetic source {k}")),
                ("dct:title", Lit(f"Synthetic source {k}")),
                ("dct:publisher", f"id:synth-publisher-{k % pools.publishers}"),
                ("dct:issued", Lit(f"{2015 + k % 10}-0{1 + k % 9}", datatype="xsd:gYearMonth")),
                ("schema:url", f"<{URL_BASE}source-{k}>"),
            ],
        )
    yield (
        "id:synth-soc",
        [
            ("a", "ckg:OccupationCodeSet"),
            ("skos:prefLabel", _en("Synthetic occupational classification")),
            ("schema:name", Lit("Synthetic occupational classification")),
            ("dct:description", _en("A synthetic SOC-like code set for benchmarks.")),
            ("ckg:source", _pick_source(pools, rng)),
        ],
    )
    for k in range(pools.certifiers):
        yield _org("certifier", k, "ckg:CertifyingBody", "issues synthetic certifications", pools, rng)
    for k in range(pools.recognizers):
        yield _org(
            "recognizer", k, "ckg:RecognitionBody", "recognizes synthetic accrediting bodies", pools, rng
        )
    for k in range(pools.accreditors):
        name, pairs = _org("accreditor", k, "ckg:AccreditingBody", "accredits synthetic programs", pools, rng)
        pairs.insert(3, ("ckg:recognizedBy", f"id:synth-recognizer-{rng.randrange(pools.recognizers)}"))
        yield name, pairs
    for kind, cls, count in (
        ("skill", "ckg:Skill", pools.skills),
        ("specialization", "ckg:Specialization", pools.specializations),
        ("setting", "ckg:WorkSetting", pools.settings),
        ("duty", "ckg:Duty", pools.duties),
    ):
        for k in range(count):
            yield (
                f"id:synth-{kind}-{k}",
                [
                    ("a", cls),
                    ("skos:prefLabel", _en(f"Synthetic {kind} {k}")),
                    ("dct:description", _en(f"A synthetic {kind} shared by several synthetic professions.")),
                    ("ckg:source", _pick_source(pools, rng)),
                ],
            )


def _org(kind: str, k: int, cls: str, does: str, pools: Pools, rng: random.Random) -> Entity:
    return f"id:synth-{kind}-{k}", [
        ("a", cls),
        ("skos:prefLabel", _en(f"Synthetic {kind} {k}")),
        ("dct:description", _en(f"A synthetic organization that {does}.")),
        ("ckg:source", _pick_source(pools, rng)),
    ]


def _profession(i: int, n: int, pools: Pools, rng: random.Random, code_offset: int) -> Iterator[Entity]:
    me = f"id:synth-profession-{i}"
    code = (7919 * i + code_offset) % 900_000 + 100_000  # 7919 is coprime to 900 000: unique for i < 900 000
    soc = f"{code // 10_000:02d}-{code % 10_000:04d}"
    name = f"Synthetic profession {i}"
    description = _en(f"A synthetic profession generated for benchmarks (number {i}).")
    credential, program = f"id:synth-certification-{i}", f"id:synth-program-{i}"
    pairs: list[tuple[str, Term]] = [
        ("a", "ckg:Profession"),
        ("skos:prefLabel", _en(name)),
        ("schema:name", Lit(name)),
        ("dct:description", description),
        ("schema:description", description),
        ("ckg:occupationCode", f"id:synth-soc-{soc}"),
    ]
    pairs += [("ckg:hasSkill", f"id:synth-skill-{k}") for k in rng.sample(range(pools.skills), 3)]
    pairs.append(("ckg:specialization", f"id:synth-specialization-{rng.randrange(pools.specializations)}"))
    pairs.append(("ckg:workSetting", f"id:synth-setting-{rng.randrange(pools.settings)}"))
    pairs += [("ckg:hasDuty", f"id:synth-duty-{k}") for k in rng.sample(range(pools.duties), 2)]
    if n > 1:
        other = rng.randrange(n - 1)
        pairs.append(("ckg:relatedProfession", f"id:synth-profession-{other + (other >= i)}"))
    pairs.append(("ckg:requiredCredential" if i % 2 == 0 else "ckg:optionalCredential", credential))
    pairs.append(("ckg:educationPath", program))
    pairs.append(("ckg:source", _pick_source(pools, rng)))
    yield me, pairs
    yield (
        f"id:synth-soc-{soc}",
        [
            ("a", "ckg:OccupationCode"),
            ("skos:prefLabel", _en(f"Synthetic SOC {soc}")),
            ("schema:name", Lit(name)),
            ("schema:codeValue", Lit(soc)),
            ("schema:inCodeSet", "id:synth-soc"),
            ("ckg:source", _pick_source(pools, rng)),
        ],
    )
    date = rng.choice(_DATES)
    source = _pick_source(pools, rng)
    yield (
        f"id:synth-stat-{i}-employment-{date}",
        [
            ("a", "ckg:Statistic"),
            ("skos:prefLabel", _en(f"{name}: employment, {date}")),
            ("ckg:about", me),
            ("ckg:variable", "id:var-employment"),
            ("ckg:value", Lit(str(rng.randrange(1_000, 700_000)), datatype="xsd:integer")),
            ("ckg:unit", "id:unit-persons"),
            ("ckg:refPeriod", Lit(date, datatype="xsd:gYearMonth")),
            ("ckg:source", source),
        ],
    )
    wage = rng.randrange(2_000_000, 15_000_000)
    yield (
        f"id:synth-stat-{i}-median-annual-wage-{date}",
        [
            ("a", "ckg:Statistic"),
            ("skos:prefLabel", _en(f"{name}: median annual wage, {date}")),
            ("ckg:about", me),
            ("ckg:variable", "id:var-median-annual-wage"),
            ("ckg:value", Lit(f"{wage // 100}.{wage % 100:02d}", datatype="xsd:decimal")),
            ("ckg:unit", "id:unit-usd-per-year"),
            ("ckg:currency", Lit("USD")),
            ("ckg:refPeriod", Lit(date, datatype="xsd:gYearMonth")),
            ("ckg:source", source),
        ],
    )
    yield (
        credential,
        [
            ("a", "ckg:Certification"),
            ("skos:prefLabel", _en(f"Synthetic certification {i}")),
            ("ckg:issuedBy", f"id:synth-certifier-{rng.randrange(pools.certifiers)}"),
            ("ckg:source", _pick_source(pools, rng)),
        ],
    )
    level, duration = rng.choice(_LEVELS)
    yield (
        program,
        [
            ("a", "ckg:EducationProgram"),
            ("skos:prefLabel", _en(f"Synthetic education program {i}")),
            ("ckg:programLevel", level),
            ("ckg:typicalDuration", Lit(duration, datatype="xsd:duration")),
            ("ckg:accreditedBy", f"id:synth-accreditor-{rng.randrange(pools.accreditors)}"),
            ("ckg:leadsTo", credential),
            ("ckg:source", _pick_source(pools, rng)),
        ],
    )


def _pick_source(pools: Pools, rng: random.Random) -> str:
    return f"id:synth-source-{rng.randrange(pools.sources)}"


def _en(text: str) -> Lit:
    return Lit(text, lang="en")


def _check(professions: int) -> None:
    if not isinstance(professions, int) or professions < 1:
        raise ValueError(f"the number of professions must be a positive integer, got {professions!r}")


# --- output -------------------------------------------------------------------------------------------------

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _triples(professions: int, seed: int) -> Iterator[tuple[Term, Term, Term]]:
    for subject, pairs in entities(professions, seed):
        for predicate, obj in pairs:
            yield subject, predicate, obj


def _iri(term: str) -> str:
    """A CURIE or ``<IRI>`` as an N-Triples IRI."""
    if term == "a":
        return _RDF_TYPE
    if term.startswith("<"):
        return term
    prefix, local = term.split(":", 1)
    return f"<{PREFIXES[prefix]}{local}>"


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _nt(term: Term) -> str:
    if isinstance(term, str):
        return _iri(term)
    if term.lang:
        return f"{_quote(term.lex)}@{term.lang}"
    if term.datatype:
        return f"{_quote(term.lex)}^^{_iri(term.datatype)}"
    return _quote(term.lex)


def _ttl(term: Term) -> str:
    if isinstance(term, str):
        return term
    if term.lang:
        return f"{_quote(term.lex)}@{term.lang}"
    if term.datatype:
        return f"{_quote(term.lex)}^^{term.datatype}"
    return _quote(term.lex)


def _write_ntriples(out: TextIO, professions: int, seed: int) -> int:
    count = 0
    for subject, pairs in entities(professions, seed):
        s = _iri(subject)
        out.write("".join(f"{s} {_iri(p)} {_nt(o)} .\n" for p, o in pairs))
        count += len(pairs)
    return count


def _write_turtle(out: TextIO, professions: int, seed: int) -> int:
    out.write(
        "# Synthetic Careers KG data (kg/importers/synth.py): not real professions; "
        "for benchmarks and scale tests.\n"
    )
    out.write(f"# professions={professions} seed={seed}\n")
    out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()))
    count = 0
    for subject, pairs in entities(professions, seed):
        body = " ;\n    ".join(f"{p} {_ttl(o)}" for p, o in pairs)
        out.write(f"\n{subject}\n    {body} .\n")
        count += len(pairs)
    return count


def _rdflib(term: Term) -> URIRef | Literal:
    if isinstance(term, str):
        return URIRef(_iri(term)[1:-1])
    if term.lang:
        return Literal(term.lex, lang=term.lang)
    if term.datatype:
        return Literal(term.lex, datatype=URIRef(_iri(term.datatype)[1:-1]))
    return Literal(term.lex)
