"""The compiled SHACL validator (kg.pipeline.shacl) gives exactly pyshacl's report, and `validate` picks it
as documented.

Every comparison runs both engines on the same graphs, prepared as the build prepares them (the data, its
OWL-RL closure from `kg.pipeline.rules.infer`, the ontology, labels from all three), and compares the
`Report`s with
``==``: same results (focus, labels, path, message, severity, shape), same multiplicity, same order, same
`conforms`.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace
from rdflib.namespace import DCTERMS
from test_shapes import CASES, EX

from kg.importers import synth
from kg.pipeline import rules, shacl
from kg.pipeline import validate as validation
from kg.pipeline.load import load_files
from kg.pipeline.report import Report
from kg.pipeline.validate import validate
from kg.rdf.namespaces import bind_prefixes

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "data"
SEED = sorted((REPO / "data").glob("*.ttl"))
CKG = Namespace("https://w3id.org/careers-kg/ontology#")
ID = Namespace("https://w3id.org/careers-kg/id/")
SCHEMA = Namespace("http://schema.org/")
ZOO = Namespace("https://example.org/zoo/")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_files([REPO / "ontology" / "careers.ttl"])


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_files([REPO / "ontology" / "shapes.ttl"])


def both(data: Graph, ontology: Graph, shapes: Graph) -> tuple[Report, Report]:
    """pyshacl's and the compiled validator's report on *data*, validated as the build validates it."""
    closure = rules.infer(data, ontology)
    bind_prefixes(closure.inferred)
    labels = data + closure.inferred + ontology
    graphs = [data, closure.inferred]
    reference = validate(graphs, shapes, ontology, labels=labels, engine="pyshacl")
    return reference, validate(graphs, shapes, ontology, labels=labels, engine="compiled")


def test_the_project_shapes_compile(shapes):
    compiled = shacl.compile_shapes(shapes)
    assert compiled is not None
    # 51 named shapes, the blank-node sh:qualifiedValueShape and eight sh:or members; 21 have targets;
    # the OEWS shapes add 13 named shapes (7 with targets), 87 blank-node members of their 17 sh:or lists
    # and the 8 blank-node property shapes of the percentile order (sh:lessThanOrEquals)
    assert len(compiled.shapes) == 60 + 13 + 87 + 8
    assert len(compiled.top) == 21 + 7


# --- the equality gate --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.ttl")))
def test_a_fixture_gets_pyshacls_report(ontology, shapes, name):
    reference, compiled = both(load_files([FIXTURES / f"{name}.ttl"]), ontology, shapes)
    assert compiled == reference
    if name == "valid-minimal":
        assert compiled.conforms and compiled.count() == 0
    else:
        _shape, messages, focus = CASES[name]
        assert not compiled.conforms
        assert {r.message for r in compiled.results} == messages
        assert {r.focus for r in compiled.results} >= {EX + f for f in focus}


def test_the_seed_gets_pyshacls_report(ontology, shapes):
    reference, compiled = both(load_files(SEED), ontology, shapes)
    assert compiled == reference
    assert compiled.conforms and compiled.results == ()


def test_synthetic_data_gets_pyshacls_report(tmp_path, ontology, shapes):
    reference, compiled = both(_synthetic(tmp_path, 200), ontology, shapes)
    assert compiled == reference
    assert compiled.conforms and compiled.results == ()


def test_synthetic_data_broken_in_many_ways_gets_pyshacls_report(tmp_path, ontology, shapes):
    data = _mutate(_synthetic(tmp_path, 200), seed=7)
    reference, compiled = both(data, ontology, shapes)
    assert compiled == reference
    assert not compiled.conforms
    assert len({r.shape for r in compiled.results}) == 37  # every message-bearing leaf shape of shapes.ttl
    assert len(compiled.results) == 142


def _synthetic(tmp_path: Path, professions: int) -> Graph:
    path = tmp_path / "synthetic.nt"
    synth.write(path, professions, seed=0)
    return load_files([path])


# --- mutations of synthetic data: (class of the nodes to break, how), each applied to 3 random nodes --------

Change = Callable[[Graph, object], None]


def _drop(p) -> Change:
    return lambda g, node: g.remove((node, p, None))


def _set(p, o) -> Change:
    return lambda g, node: g.set((node, p, o))


def _add(p, o) -> Change:
    return lambda g, node: g.add((node, p, o))


def _percent(g: Graph, stat) -> None:
    g.set((stat, CKG.unit, ID["unit-percent"]))
    g.set((stat, CKG.value, Literal(150)))


def _shares(g: Graph, profession) -> None:
    """Two work-setting shares of 60 % for the same subject and date."""
    for j in range(2):
        share = ID[f"mutant-share-{str(profession).rsplit('/', 1)[-1]}-{j}"]
        g.add((share, RDF.type, CKG.Statistic))
        for p, o in ((CKG.about, profession), (CKG.unit, ID["unit-percent"]), (CKG.value, Literal(60))):
            g.add((share, p, o))
        g.add((share, CKG.refPeriod, Literal("2023-05", datatype=XSD.gYearMonth)))
        g.add((share, CKG.source, ID["synth-source-0"]))
        g.add((share, CKG.setting, ID["synth-setting-0"]))


def _durations(g: Graph, program) -> None:
    g.set((program, CKG.typicalDuration, Literal("two years")))
    g.add((program, CKG.minDuration, Literal("P4M")))
    g.add((program, CKG.maxDuration, Literal(15)))


def _months(g: Graph, program) -> None:
    g.add((program, CKG.minMonths, Literal("4.5", datatype=XSD.decimal)))
    g.add((program, CKG.maxMonths, Literal("24 months")))


def _months_reversed(g: Graph, program) -> None:
    g.set((program, CKG.minMonths, Literal(30)))
    g.set((program, CKG.maxMonths, Literal(24)))


def _slug(node) -> str:
    return str(node).rsplit("/", 1)[-1]


def _claim(g: Graph, profession) -> None:
    """A claim citing a source for a statement the data does not make."""
    claim = BNode()
    g.add((claim, RDF.type, CKG.Claim))
    for p, o in ((RDF.subject, profession), (RDF.predicate, CKG.hasSkill), (RDF.object, ID["synth-nothing"])):
        g.add((claim, p, o))
    g.add((claim, CKG.source, ID["synth-source-0"]))


def _reported_under(g: Graph, profession) -> None:
    """Figures reported under another profession, and a statistical occupation without a code."""
    g.add((profession, CKG.reportedUnder, ID["synth-profession-0"]))
    occupation = ID[f"mutant-occupation-{_slug(profession)}"]
    g.add((occupation, RDF.type, CKG.StatisticalOccupation))
    g.add((occupation, CKG.source, ID["synth-source-0"]))


def _licensing(g: Graph, profession) -> None:
    requirement = ID[f"mutant-licensing-{_slug(profession)}"]
    g.add((profession, CKG.licensing, requirement))
    g.add((requirement, RDF.type, CKG.LicensingRequirement))
    g.add((requirement, CKG.source, ID["synth-source-0"]))


def _undated(g: Graph, stat) -> None:
    """No reference period, and a source that gives no publication date."""
    source = ID[f"mutant-source-{_slug(stat)}"]
    g.remove((stat, CKG.refPeriod, None))
    g.set((stat, CKG.source, source))
    g.add((source, RDF.type, CKG.Publication))
    g.add((source, DCTERMS.title, Literal("Undated")))
    g.add((source, DCTERMS.publisher, ID["synth-publisher-0"]))
    g.add((source, CKG.issuedUnknown, Literal("No date.", lang="en")))


def _renewal(g: Graph, credential) -> None:
    renewal = ID[f"mutant-renewal-{str(credential).rsplit('/', 1)[-1]}"]
    g.add((credential, CKG.renewal, renewal))
    g.add((renewal, RDF.type, CKG.RenewalRequirement))
    g.add((renewal, CKG.renewalFrequency, Literal("every five years", lang="en")))


def _rdfs_labels(g: Graph, node) -> None:
    g.add((node, RDFS.label, Literal("one", lang="en")))
    g.add((node, RDFS.label, Literal("two", lang="EN")))


MUTATIONS: list[tuple[object, Change]] = [
    (CKG.Profession, _drop(DCTERMS.description)),
    (CKG.Profession, _drop(CKG.occupationCode)),
    (CKG.Profession, _add(SKOS.prefLabel, Literal("Second name", lang="en"))),
    (CKG.Profession, _set(SKOS.prefLabel, Literal("Nom", lang="fr"))),
    (CKG.Profession, _shares),
    (CKG.OccupationCode, _drop(SCHEMA.inCodeSet)),
    (CKG.OccupationCode, _set(SCHEMA.codeValue, Literal("X-12"))),
    (CKG.Statistic, _set(CKG.value, Literal("abc", datatype=XSD.integer))),  # ill-typed
    (CKG.Statistic, _add(CKG.variable, ID["synth-skill-0"])),  # a second variable, and not a variable
    (CKG.Statistic, _drop(CKG.unit)),
    (CKG.Statistic, _drop(CKG.refPeriod)),
    (CKG.Statistic, _set(CKG.refPeriod, Literal("2020"))),
    (CKG.Statistic, _drop(CKG.about)),
    (CKG.Statistic, _set(CKG.about, Literal("a literal"))),
    (CKG.Statistic, _drop(CKG.source)),
    (CKG.Statistic, _drop(CKG.currency)),
    (CKG.Statistic, _percent),
    (CKG.DatasetRelease, _drop(DCTERMS.publisher)),
    (CKG.DatasetRelease, _drop(DCTERMS.issued)),
    (CKG.Publication, _set(DCTERMS.issued, Literal("May 2016"))),
    (CKG.Publication, _drop(DCTERMS.title)),
    (CKG.CertifyingBody, _drop(CKG.source)),
    (CKG.Certification, _drop(CKG.issuedBy)),
    (CKG.Certification, _add(CKG.source, ID["synth-skill-1"])),  # a source that is not a source
    (CKG.Certification, _renewal),
    (CKG.EducationProgram, _set(CKG.accreditedBy, ID["synth-certifier-0"])),
    (CKG.EducationProgram, _durations),
    (CKG.EducationProgram, _months),
    (CKG.EducationProgram, _months_reversed),
    (CKG.Profession, _claim),
    (CKG.Profession, _reported_under),
    (CKG.Profession, _licensing),
    (CKG.Statistic, _undated),
    (CKG.Skill, _rdfs_labels),
]


def _mutate(g: Graph, seed: int) -> Graph:
    """*g* broken in many ways at once, the same ways for the same seed."""
    rng = random.Random(seed)
    g.add((ID["unit-percent"], RDF.type, CKG.Unit))
    for cls, change in MUTATIONS:
        nodes = sorted(g.subjects(RDF.type, cls), key=str)
        for node in rng.sample(nodes, min(3, len(nodes))):
            change(g, node)
    return g


# --- features shapes.ttl does not use ----------------------------------------------------------------------

ZOO_SHAPES = """
@prefix ex:  <https://example.org/zoo/> .
@prefix sh:  <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .

ex:shapes a owl:Ontology ;
    sh:declare [ sh:prefix "ex" ; sh:namespace "https://example.org/zoo/"^^xsd:anyURI ] .

ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property ex:NameShape , ex:AgeShape , ex:KnowsShape , ex:EmailShape , ex:ParentShape , ex:NickShape ,
        ex:IntTagShape , ex:LiteralTagShape .
ex:NameShape a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 ; sh:maxCount 2 ; sh:datatype xsd:string ;
    sh:message "A person has one or two plain names." .
ex:AgeShape a sh:PropertyShape ; sh:path ex:age ; sh:datatype xsd:integer ; sh:severity sh:Warning ;
    sh:name "age" ; sh:message "An age should be an integer." .
ex:KnowsShape a sh:PropertyShape ; sh:path ex:knows ; sh:class ex:Person ; sh:nodeKind sh:IRI ;
    sh:message "Knows a person." , "Kennt eine Person."@de .
ex:EmailShape a sh:PropertyShape ; sh:path ex:email ; sh:pattern "^[a-z]+@example\\\\.org$" ; sh:flags "i" ;
    sh:message "An e-mail address at example.org." .
ex:ParentShape a sh:PropertyShape ; sh:path [ sh:inversePath ex:child ] ; sh:maxCount 2 ;
    sh:node ex:AdultShape ; sh:message "At most two parents, each an adult." .
ex:AdultShape a sh:NodeShape ; sh:message "An adult." ;
    sh:property [ sh:path ex:age ; sh:minCount 1 ; sh:message "An adult states an age." ] .
ex:NickShape a sh:PropertyShape ; sh:path ex:nick ; sh:languageIn ( "en" "de" ) ; sh:uniqueLang true ;
    sh:message "Nicknames in English or German, one per language." .
ex:IntTagShape a sh:PropertyShape ; sh:path ex:tag ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ;
    sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ; sh:message "At least one integer tag." .
ex:LiteralTagShape a sh:PropertyShape ; sh:path ex:tag ; sh:qualifiedValueShape [ sh:nodeKind sh:Literal ] ;
    sh:qualifiedMaxCount 1 ; sh:qualifiedValueShapesDisjoint true ;
    sh:message "At most one other literal tag." .

ex:PetShape a sh:NodeShape ; sh:targetObjectsOf ex:pet ; sh:targetNode ex:rex ; sh:message "A pet." ;
    sh:property [ sh:path ex:kind ; sh:minCount 1 ;
                  sh:or ( [ sh:datatype xsd:string ] [ sh:nodeKind sh:IRI ] ) ;
                  sh:message "A pet has a kind, a string or an IRI." ] .
ex:TagShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:tag ; sh:lessThanOrEquals ex:age ; sh:message "A tag is at most the age." ] .
ex:OffShape a sh:NodeShape ; sh:targetClass ex:Person ; sh:deactivated true ;
    sh:property [ sh:path ex:name ; sh:minCount 5 ; sh:message "Never reported." ] .
ex:SoftShape a sh:NodeShape ; sh:targetSubjectsOf ex:email ; sh:severity sh:Info ;
    sh:property [ sh:path ex:name ; sh:maxCount 1 ; sh:message "One name is nicer." ] .

ex:OldShape a sh:NodeShape ; sh:targetClass ex:Person ; sh:message "Too old." ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "{$this} is {?value} years old." ; sh:prefixes ex:shapes ;
                sh:select "SELECT $this ?value WHERE { $this ex:age ?value . FILTER (?value > 150) }" ] .
ex:LonelyShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:sparql [ sh:prefixes ex:shapes ; sh:select
        "SELECT DISTINCT $this WHERE { $this a ex:Person . FILTER NOT EXISTS { $this ex:knows ?x } }" ] .
"""

ZOO_DATA = """
@prefix ex:   <https://example.org/zoo/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:Student rdfs:subClassOf ex:Person .
ex:ann a ex:Person ; ex:name "Ann" ; ex:age 40 ; ex:knows ex:bob ; ex:email "ANN@EXAMPLE.ORG" ;
    ex:child ex:cid ; ex:tag 1 , "x" ; ex:nick "Annie"@en , "Anni"@de ; ex:pet ex:rex , ex:tom .
ex:bob a ex:Student ; ex:name "Bob"@en , "Bobby" , "Robert" ; ex:age "old" , 200 ; ex:knows "ann" , ex:zed ;
    ex:email "bob@elsewhere.com" , "bob@example.org" ; ex:child ex:cid ; ex:tag "a" , "b" ;
    ex:nick "Bobo"@fr , "B"@en-GB , "Bee"@EN-gb , "Bo"@en .
ex:dan a ex:Person ; ex:name "Dan" ; ex:child ex:cid ; ex:tag 3 ; ex:knows ex:ann .
ex:cid a ex:Person ; ex:name "Cid" ; ex:tag 2 ; ex:knows [ a ex:Person ] ; ex:age 9 .
ex:zed ex:name "Zed" .
ex:rex ex:kind "dog" .
ex:tom ex:kind 42 .
_:stray ex:pet [ ex:kind ex:Cat ] .
"""


def _turtle(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def test_every_supported_feature_gets_pyshacls_report():
    shapes = _turtle(ZOO_SHAPES)
    assert shacl.compile_shapes(shapes) is not None
    data = _turtle(ZOO_DATA)
    reference = validate(data, shapes, engine="pyshacl")
    compiled = validate(data, shapes, engine="compiled")
    assert compiled == reference
    assert (compiled.conforms, len(compiled.results), compiled.count("Warning")) == (False, 28, 1)
    assert "Too old.; https://example.org/zoo/bob is 200 years old." in {r.message for r in compiled.results}
    assert "^https://example.org/zoo/child" in {
        r.path_label for r in compiled.results if r.focus_label == "cid"
    }


def test_results_under_an_info_shape_do_not_stop_conformance_as_in_pyshacl():
    shapes = _turtle(ZOO_SHAPES)
    data = _turtle(
        '@prefix ex: <https://example.org/zoo/> . ex:x ex:email "x@example.org" ; ex:name "A" , "B" .'
    )
    data.add((ZOO.rex, ZOO.kind, Literal("dog")))
    reference = validate(data, shapes, engine="pyshacl")
    compiled = validate(data, shapes, engine="compiled")
    assert compiled == reference
    assert compiled.conforms and [(r.message, r.severity) for r in compiled.results] == [
        ("One name is nicer.", "Violation")
    ]


# --- what does not compile falls back to pyshacl ------------------------------------------------------------

SMALL_DATA = '@prefix ex: <https://example.org/zoo/> . ex:ann a ex:Person ; ex:name "Bob" ; ex:knows ex:bob .'
HEADER = "@prefix ex: <https://example.org/zoo/> . @prefix sh: <http://www.w3.org/ns/shacl#> . "
UNSUPPORTED = {
    "sh:hasValue": 'sh:property [ sh:path ex:name ; sh:hasValue "Ann" ; sh:message "m" ]',
    "sh:equals": 'sh:property [ sh:path ex:name ; sh:equals ex:knows ; sh:message "m" ]',
    "a sh:path other than an IRI or an inverse IRI": (
        'sh:property [ sh:path ( ex:knows ex:name ) ; sh:minCount 1 ; sh:message "m" ]'
    ),
    "a shape without sh:message whose results reach the report": (
        "sh:property [ sh:path ex:age ; sh:minCount 1 ]"
    ),
}


@pytest.mark.parametrize("feature", sorted(UNSUPPORTED))
def test_shapes_with_an_unsupported_feature_fall_back_to_pyshacl(monkeypatch, feature):
    shapes = _turtle(f"{HEADER} ex:S a sh:NodeShape ; sh:targetClass ex:Person ; {UNSUPPORTED[feature]} .")
    assert shacl.compile_shapes(shapes) is None
    data = _turtle(SMALL_DATA)
    reference = validate(data, shapes, engine="pyshacl")
    monkeypatch.setattr(validation, "COMPILED_FROM", 0)
    assert validate(data, shapes, engine="auto") == reference
    assert not reference.conforms
    with pytest.raises(ValueError) as refused:
        validate(data, shapes, engine="compiled")
    assert str(refused.value) == f"The compiled SHACL validator does not support {feature}."


def test_an_ontology_with_blank_nodes_falls_back_to_pyshacl(monkeypatch, shapes):
    data = load_files([FIXTURES / "broken-credential-no-issuer.ttl"])
    ontology = load_files([REPO / "ontology" / "careers.ttl"])
    ontology.add((BNode(), RDF.type, OWL.AllDisjointClasses))
    reference = validate(data, shapes, ontology, engine="pyshacl")
    monkeypatch.setattr(validation, "COMPILED_FROM", 0)
    assert validate(data, shapes, ontology, engine="auto") == reference
    with pytest.raises(ValueError) as refused:
        validate(data, shapes, ontology, engine="compiled")
    assert str(refused.value) == "The compiled SHACL validator does not support an ontology with blank nodes."


# --- which engine `validate` picks --------------------------------------------------------------------------


def test_auto_uses_the_compiled_validator_from_compiled_from_triples(monkeypatch, ontology, shapes):
    data = load_files(SEED)
    inferred = rules.infer(data, ontology).inferred
    reference = validate([data, inferred], shapes, ontology, engine="pyshacl")
    size = len(data) + len(inferred)
    assert validation.COMPILED_FROM == 50_000 > size

    with monkeypatch.context() as patch:  # at the threshold: compiled, pyshacl cannot even be imported
        patch.setattr(validation, "COMPILED_FROM", size)
        patch.setitem(sys.modules, "pyshacl", None)
        assert validate([data, inferred], shapes, ontology) == reference

    def refuse(shapes):
        raise AssertionError("the compiled validator must not run below the threshold")

    monkeypatch.setattr(validation, "COMPILED_FROM", size + 1)  # below it: pyshacl
    monkeypatch.setattr(shacl, "compile_or_raise", refuse)
    assert validate([data, inferred], shapes, ontology) == reference


def test_the_compiled_path_never_imports_pyshacl():
    code = (
        "import sys\n"
        "from kg.pipeline.load import load_files\n"
        "from kg.pipeline.validate import validate\n"
        "files = ['tests/data/broken-source-no-title.ttl', 'ontology/shapes.ttl', 'ontology/careers.ttl']\n"
        "data, shapes, ontology = (load_files([f]) for f in files)\n"
        "report = validate(data, shapes, ontology, engine='compiled')\n"
        "print(report.count(), 'pyshacl' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "False"]


def test_an_unknown_engine_is_refused(shapes):
    with pytest.raises(ValueError) as refused:
        validate(Graph(), shapes, engine="fast")
    assert str(refused.value) == "unknown validation engine 'fast': use one of auto, pyshacl, compiled"
