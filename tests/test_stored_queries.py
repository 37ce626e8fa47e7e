"""The stored queries in queries/: every file loads, every query answers exactly what the seed data says, and
parameter values are bound as RDF terms (an injection payload is just text that matches nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import ParamError
from kg.query.catalogue import bind, load_catalogue, load_query, run
from kg.rdf.namespaces import curie

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "queries"
FILES = sorted(QUERIES.glob("*.rq"))

# labels and titles the answers repeat
CHEA = "Council for Higher Education Accreditation"
ABHES = "Accrediting Bureau of Health Education Schools"
CAAHEP = "Commission on Accreditation of Allied Health Education Programs"
CAHIIM = "Commission on Accreditation for Health Informatics and Information Management Education"
CMA = "Certified Medical Assistant"
CODER = "Medical Coder"
CMA_CERT = "Certified Medical Assistant (CMA) certification"
OES_TITLE = "May 2016 National Occupational Employment and Wage Estimates, United States"
EP_TITLE = "Employment Projections 2014–24"
SEED_TITLE = "Certified Medical Assistant (CMA) vs. Medical Coder"
CODER_DESCRIPTION = (
    "A professional who translates diagnoses, treatments, equipment and other aspects of healthcare into "
    "universal alphanumeric codes, working in an administrative office setting; a high-growth career with no "
    "license required."
)
MRHIT = "id:medical-records-and-health-information-technician"
MA = "id:medical-assistant"
OES = "id:source-bls-oes-may-2016"
EP = "id:source-bls-ep-dec-2015"
SEED = "id:source-seed-article"

COVERED: set[str] = set()  # stored queries with an exact-answer test below


def covers(*names: str):
    COVERED.update(names)
    return lambda test: test


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(QUERIES, REPO)


@pytest.fixture(scope="module")
def answer(kg, catalogue):
    """Run a stored query by name with raw string parameters, as the command line and the web do."""

    def answer(name: str, **params: str):
        return run(kg, catalogue[name], params)

    return answer


def simple(term):
    """A cell as the tests write it: ``id:slug`` / ``ckg:Class`` for IRIs, the lexical form for literals
    (durations stay literals: rdflib writes P15M as P1Y3M, and equal durations compare equal)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return curie(term)
    if isinstance(term, Literal) and term.datatype == XSD.duration:
        return term
    return str(term)


def rows(result, *columns: str) -> list[tuple]:
    """The result's rows, in order, restricted to *columns* (all by default), as `simple` values."""
    names = columns or result.vars
    index = [result.vars.index(name) for name in names]
    return [tuple(simple(row[i]) for i in index) for row in result.rows]


def local(iri: URIRef) -> str:
    """The last segment of an IRI: ``http://schema.org/median`` → ``median``, ``rdf:type`` → ``type``."""
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def D(text: str) -> Literal:
    return Literal(text, datatype=XSD.duration)


# --- the catalogue ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_query_file_loads_with_a_documented_header(path):
    stored = load_query(path, REPO)  # strict: unknown keys, bad YAML, unused parameters, bad SPARQL fail here
    assert stored.name == path.stem
    assert stored.title and stored.description
    assert stored.tags
    for param in stored.params:
        assert param.description, f"{stored.name}: parameter {param.name} has no description"
        assert param.example is not None, f"{stored.name}: parameter {param.name} has no example"


def test_the_catalogue_answers_what_users_ask(catalogue):
    asked = {
        "professions",
        "profession-profile",
        "compare-statistics",
        "credentials",
        "accreditation-chain",
        "coding-systems",
        "recertification",
        "education-paths",
        "work-settings",
        "shared-skills",
        "distinct-skills",
        "specializations",
        "facts-by-source",
        "sources",
        "occupation-schema",
        "statistics",
        "licensing",
        "search-label",
    }
    assert asked <= set(catalogue)
    assert len(catalogue) >= 16
    assert catalogue["occupation-schema"].kind == "CONSTRUCT"


def seed_queries(catalogue) -> dict:
    """The stored queries over the seed: those tagged oews answer over the imported OEWS data, and
    tests/test_import_oews.py tests them."""
    return {name: stored for name, stored in catalogue.items() if "oews" not in stored.tags}


def test_every_stored_query_has_an_exact_answer_test(catalogue):
    assert set(seed_queries(catalogue)) - COVERED == set()


def test_every_query_answers_its_examples_and_defaults(answer, catalogue):
    for name, stored in seed_queries(catalogue).items():
        examples = {p.name: p.example for p in stored.params if p.example is not None}
        for params in (examples, {p: v for p, v in examples.items() if stored.param(p).required}):
            result = answer(name, **params)
            size = len(result.graph) if result.kind == "CONSTRUCT" else len(result.rows)
            assert size > 0, f"{name} with {params} answers nothing"
            assert not result.truncated


def test_labels_beside_iris_are_the_entities_labels(kg, answer, catalogue):
    """Every ``xLabel`` column is the skos:prefLabel of the IRI in column ``x`` (rdfs:label for classes)."""
    checked = 0
    for name, stored in catalogue.items():
        if stored.kind != "SELECT":
            continue
        result = answer(name, **{p.name: p.example for p in stored.params if p.example is not None})
        for column in result.vars:
            if f"{column}Label" not in result.vars:
                continue
            i, j = result.vars.index(column), result.vars.index(f"{column}Label")
            for row in result.rows:
                node, shown = row[i], row[j]
                if node is None:
                    assert shown is None, (name, column, row)
                    continue
                expected = kg.union.value(node, SKOS.prefLabel) or kg.union.value(node, RDFS.label)
                assert shown == expected, (name, column, node, shown)
                checked += 1
    assert checked > 200


# --- one exact answer per stored query ----------------------------------------------------------------------


@covers("professions")
def test_professions_with_their_codes(answer):
    result = answer("professions")
    assert result.vars == (
        "profession",
        "professionLabel",
        "code",
        "codeValue",
        "codeName",
        "codeSet",
        "codeSetLabel",
    )
    assert rows(result, "profession", "code", "codeValue", "codeSet") == [
        ("id:cancer-registrar", "id:soc-29-9021", "29-9021", "id:soc-2018"),
        ("id:certified-medical-assistant", "id:isco-08-3256", "3256", "id:isco-08"),
        ("id:certified-medical-assistant", "id:soc-31-9092", "31-9092", "id:soc-2010"),
        ("id:certified-medical-assistant", "id:soc-31-9092", "31-9092", "id:soc-2018"),
        ("id:licensed-clinician", "id:isco-08-2211", "2211", "id:isco-08"),
        ("id:licensed-clinician", "id:isco-08-2212", "2212", "id:isco-08"),
        ("id:licensed-clinician", "id:isco-08-2221", "2221", "id:isco-08"),
        ("id:medical-biller", "id:soc-43-3021", "43-3021", "id:soc-2010"),
        ("id:medical-biller", "id:soc-43-3021", "43-3021", "id:soc-2018"),
        ("id:medical-coder", "id:isco-08-3252", "3252", "id:isco-08"),
        ("id:medical-coder", "id:soc-29-2072", "29-2072", "id:soc-2018"),
    ]
    assert rows(result, "professionLabel", "codeName", "codeSetLabel")[:4] == [
        (
            "Cancer Registrar",
            "Health Information Technologists and Medical Registrars",
            "Standard Occupational Classification 2018",
        ),
        (CMA, "Medical assistants", "International Standard Classification of Occupations 2008"),
        (CMA, "Medical Assistants", "Standard Occupational Classification 2010"),
        (CMA, "Medical Assistants", "Standard Occupational Classification 2018"),
    ]


@covers("profession-profile")
def test_profile_of_the_certified_medical_assistant(answer):
    result = answer("profession-profile", profession="certified-medical-assistant")
    assert result.vars == ("profession", "aspect", "item", "itemLabel", "value")
    assert {row[0] for row in rows(result)} == {"id:certified-medical-assistant"}
    clinical, administrative = (
        "Clinical duties of medical assistants",
        "Administrative duties of medical assistants",
    )
    assert rows(result, "aspect", "item", "itemLabel", "value") == [
        ("name", None, None, CMA),
        ("other name", None, None, "CMA"),
        (
            "description",
            None,
            None,
            "A medical assistant certified through the AAMA, who works directly with physicians on clinical "
            "tasks and also handles administrative duties; a high-growth career with lighter clinical "
            "responsibilities than a licensed clinician.",
        ),
        ("occupation code", "id:isco-08-3256", "ISCO-08 3256 Medical assistants", "3256"),
        ("occupation code", "id:soc-31-9092", "SOC 31-9092 Medical Assistants", "31-9092"),
        ("required credential", "id:cma-certification", CMA_CERT, None),
        ("duty", "id:duty-conduct-basic-lab-tests", "Conducting basic lab tests", clinical),
        ("duty", "id:duty-draw-blood", "Drawing blood", clinical),
        (
            "duty",
            "id:duty-facilitate-communication",
            "Facilitating communication and improving patient services",
            None,
        ),
        ("duty", "id:duty-file-insurance-forms", "Filing insurance forms", administrative),
        ("duty", "id:duty-greet-patients", "Greeting patients", administrative),
        ("duty", "id:duty-handle-bookkeeping", "Handling bookkeeping", administrative),
        ("duty", "id:duty-perform-other-medical-tasks", "Performing other medical tasks", clinical),
        ("duty", "id:duty-remove-sutures", "Removing sutures", clinical),
        ("duty", "id:duty-schedule-appointments", "Scheduling appointments", administrative),
        ("duty", "id:duty-support-patients-and-staff", "Supporting patients and healthcare personnel", None),
        ("duty", "id:duty-take-medical-histories", "Taking medical histories", clinical),
        (
            "figures reported under",
            "id:medical-assistant",
            "Medical Assistants",
            "All medical assistants, certified or not.",
        ),
    ]


def test_profile_of_the_medical_coder_names_its_optional_credential_and_figures(answer):
    result = answer("profession-profile", profession="medical-coder")
    assert rows(result, "aspect", "item", "value") == [
        ("name", None, CODER),
        ("description", None, CODER_DESCRIPTION),
        ("occupation code", "id:isco-08-3252", "3252"),
        ("occupation code", "id:soc-29-2072", "29-2072"),
        ("optional credential", "id:medical-coding-certification", None),
        ("duty", "id:duty-liaise-office-patients-billing", None),
        ("duty", "id:duty-ensure-accurate-records", None),
        ("duty", "id:duty-facilitate-communication", None),
        ("duty", "id:medical-coding", None),
        ("duty", "id:duty-support-patients-and-staff", None),
        ("duty", "id:duty-translate-records-into-codes", "Medical coding"),
        (
            "figures reported under",
            MRHIT,
            "An occupational category closely related to coding: all medical records and health information "
            "technicians, not medical coders alone.",
        ),
    ]
    registrar = answer("profession-profile", profession="cancer-registrar")
    assert ("related credential", "id:ctr-certification") in rows(registrar, "aspect", "item")


@covers("compare-statistics")
def test_compare_statistics_follows_reported_under(answer):
    result = answer("compare-statistics")  # defaults: a = certified-medical-assistant, b = medical-coder
    assert result.vars == (
        "variable",
        "variableLabel",
        "valueA",
        "valueB",
        "unit",
        "unitLabel",
        "periodStart",
        "periodEnd",
        "refPeriodA",
        "sourceA",
        "sourceATitle",
        "publishedA",
        "refPeriodB",
        "sourceB",
        "sourceBTitle",
        "publishedB",
        "subjectA",
        "subjectB",
    )
    assert rows(
        result, "variableLabel", "valueA", "valueB", "unitLabel", "refPeriodA", "periodStart", "periodEnd"
    ) == [
        ("Employment", "623560", "200140", "persons", "2016-05", None, None),
        ("Median hourly wage", "15.17", "18.29", "US dollars per hour", "2016-05", None, None),
        ("Median annual wage", "31540", "38040", "US dollars per year", "2016-05", None, None),
        ("Mean hourly wage", "15.79", "19.93", "US dollars per hour", "2016-05", None, None),
        ("Mean annual wage", "32850", "41460", "US dollars per year", "2016-05", None, None),
        ("Projected job growth", "23", "15", "percent", None, "2014", "2024"),
        ("Projected new positions", "138900", "29000", "jobs", None, "2014", "2024"),
    ]
    assert rows(result, "sourceATitle", "publishedA", "refPeriodB", "publishedB") == [
        (OES_TITLE, "2017-03-31", "2016-05", "2017-03-31"),
        (OES_TITLE, "2017-03-31", "2016-05", "2017-03-31"),
        (OES_TITLE, "2017-03-31", "2016-05", "2017-03-31"),
        (OES_TITLE, "2017-03-31", "2016-05", "2017-03-31"),
        (OES_TITLE, "2017-03-31", "2016-05", "2017-03-31"),
        (EP_TITLE, "2015-12", None, "2015-12"),
        (SEED_TITLE, None, None, None),
    ]
    assert rows(result, "variable", "sourceA", "sourceB", "sourceBTitle", "subjectA", "subjectB") == [
        ("id:var-employment", OES, OES, OES_TITLE, MA, MRHIT),
        ("id:var-median-hourly-wage", OES, OES, OES_TITLE, MA, MRHIT),
        ("id:var-median-annual-wage", OES, OES, OES_TITLE, MA, MRHIT),
        ("id:var-mean-hourly-wage", OES, OES, OES_TITLE, MA, MRHIT),
        ("id:var-mean-annual-wage", OES, OES, OES_TITLE, MA, MRHIT),
        ("id:var-projected-growth", EP, EP, EP_TITLE, MA, MRHIT),
        ("id:var-projected-new-positions", SEED, SEED, SEED_TITLE, MA, MRHIT),
    ]
    median_annual = result.rows[2]
    assert median_annual[2] == Literal("31540", datatype=XSD.decimal)
    assert median_annual[3] == Literal("38040", datatype=XSD.decimal)
    assert median_annual[8] == Literal("2016-05", datatype=XSD.gYearMonth)
    assert median_annual[11] == Literal("2017-03-31", datatype=XSD.date)
    assert result.rows[0][2] == Literal(623560)  # xsd:integer


def test_compare_statistics_with_a_profession_that_has_no_figures(answer):
    result = answer("compare-statistics", a="medical-coder", b="medical-biller")
    assert rows(result, "variable", "valueA", "valueB", "subjectA", "subjectB") == [
        ("id:var-employment", "200140", None, MRHIT, "id:medical-biller"),
        ("id:var-median-hourly-wage", "18.29", None, MRHIT, "id:medical-biller"),
        ("id:var-median-annual-wage", "38040", None, MRHIT, "id:medical-biller"),
        ("id:var-mean-hourly-wage", "19.93", None, MRHIT, "id:medical-biller"),
        ("id:var-mean-annual-wage", "41460", None, MRHIT, "id:medical-biller"),
        ("id:var-projected-growth", "15", None, MRHIT, "id:medical-biller"),
        ("id:var-projected-new-positions", "29000", None, MRHIT, "id:medical-biller"),
    ]
    assert answer("compare-statistics", a="medical-biller", b="licensed-clinician").rows == ()


@covers("credentials")
def test_credentials_with_issuers_and_professions(answer):
    result = answer("credentials")
    assert result.vars == (
        "credential",
        "credentialLabel",
        "kind",
        "kindLabel",
        "issuer",
        "issuerLabel",
        "profession",
        "professionLabel",
        "requirement",
    )
    assert rows(result, "credential", "kind", "issuer", "profession", "requirement") == [
        (
            "id:cma-certification",
            "ckg:Certification",
            "id:aama",
            "id:certified-medical-assistant",
            "required",
        ),
        ("id:ctr-certification", "ckg:Certification", "id:ncra", "id:cancer-registrar", "related"),
        ("id:medical-coding-certification", "ckg:Certification", "id:aapc", "id:medical-coder", "optional"),
        ("id:medical-coding-certification", "ckg:Certification", "id:ahima", "id:medical-coder", "optional"),
        ("id:medical-coding-certification", "ckg:Certification", "id:pmi", "id:medical-coder", "optional"),
    ]
    assert rows(result, "credentialLabel", "kindLabel", "issuerLabel")[:2] == [
        (CMA_CERT, "Certification", "American Association of Medical Assistants"),
        (
            "Certified Tumor Registrar (CTR) certification",
            "Certification",
            "National Cancer Registrars Association",
        ),
    ]


@covers("accreditation-chain")
def test_accreditation_chain(answer):
    result = answer("accreditation-chain")
    assert result.vars == (
        "recognizer",
        "recognizerLabel",
        "accreditor",
        "accreditorLabel",
        "program",
        "programLabel",
        "credential",
        "credentialLabel",
        "eligibilityRecognizer",
        "eligibilityRecognizerLabel",
        "profession",
        "professionLabel",
    )
    # No source says who recognizes CAAHEP or ABHES (no recognizer); the CMA's eligibility asks for an
    # accreditor recognized by CHEA (per the AAMA). No source says which coding programs CAHIIM accredits.
    cma_associate = "Associate degree program in medical assisting"
    cma_bachelor = "Bachelor's degree program in medical assisting"
    assert rows(
        result,
        "recognizerLabel",
        "accreditorLabel",
        "programLabel",
        "credentialLabel",
        "eligibilityRecognizerLabel",
        "professionLabel",
    ) == [
        (None, ABHES, cma_associate, CMA_CERT, CHEA, CMA),
        (None, CAAHEP, cma_associate, CMA_CERT, CHEA, CMA),
        (None, ABHES, cma_bachelor, CMA_CERT, CHEA, CMA),
        (None, CAAHEP, cma_bachelor, CMA_CERT, CHEA, CMA),
    ]
    assert rows(result, "recognizer", "accreditor", "program", "credential", "eligibilityRecognizer")[0] == (
        None,
        "id:abhes",
        "id:cma-associate-program",
        "id:cma-certification",
        "id:chea",
    )


@covers("coding-systems")
def test_coding_systems_with_maintainers(answer):
    result = answer("coding-systems")
    assert result.vars == (
        "system",
        "systemLabel",
        "maintainer",
        "maintainerLabel",
        "profession",
        "professionLabel",
    )
    assert rows(result) == [
        (
            "id:cpt",
            "Current Procedural Terminology",
            "id:ama",
            "American Medical Association",
            "id:medical-coder",
            CODER,
        ),
        (
            "id:hcpcs-level-ii",
            "Healthcare Common Procedure Coding System Level II",
            "id:cms",
            "Centers for Medicare & Medicaid Services",
            "id:medical-coder",
            CODER,
        ),
        (
            "id:icd-10-cm",
            "International Classification of Diseases, Tenth Revision, Clinical Modification",
            "id:nchs",
            "National Center for Health Statistics",
            "id:medical-coder",
            CODER,
        ),
    ]


@covers("recertification")
def test_recertification_rules(answer):
    result = answer("recertification")
    assert result.vars == (
        "credential",
        "credentialLabel",
        "renewal",
        "renewalLabel",
        "minMonths",
        "maxMonths",
        "continuingEducationPoints",
        "setBy",
        "setByLabel",
        "description",
        "source",
        "sourceTitle",
    )
    cma_rule = (
        "A CMA must recertify every 60 months with 60 points of continuing education in various educational "
        "categories."
    )
    coder_rule = (
        "The requirements for re-certification vary and ultimately depend on the source of the original "
        "certification (AAPC, AHIMA, etc.)."
    )
    cma = (
        "id:cma-certification",
        CMA_CERT,
        "id:cma-recertification",
        "CMA recertification",
        "60",
        "60",
        "60",
    )
    coder = ("id:medical-coding-certification", "Medical coding certification", "id:coder-recertification")
    assert rows(result) == [
        (
            *cma,
            None,
            None,
            cma_rule,
            "id:source-aama-recertification-handbook",
            "AAMA Recertification Handbook",
        ),
        (*cma, None, None, cma_rule, SEED, SEED_TITLE),  # the seed states the rule too
        ("id:ctr-certification", "Certified Tumor Registrar (CTR) certification", *[None] * 10),
        (
            *coder,
            "Medical coder recertification",
            None,
            None,
            None,
            "id:aapc",
            "American Academy of Professional Coders",
            coder_rule,
            SEED,
            SEED_TITLE,
        ),
        (
            *coder,
            "Medical coder recertification",
            None,
            None,
            None,
            "id:ahima",
            "American Health Information Management Association",
            coder_rule,
            SEED,
            SEED_TITLE,
        ),
    ]
    assert result.rows[0][4] == Literal(60)  # months as xsd:integer, not the normalised duration P5Y


@covers("education-paths")
def test_education_paths(answer):
    result = answer("education-paths")
    assert result.vars == (
        "profession",
        "professionLabel",
        "program",
        "programLabel",
        "level",
        "levelLabel",
        "typicalDuration",
        "minDuration",
        "maxDuration",
        "minMonths",
        "maxMonths",
        "required",
        "accreditor",
        "accreditorLabel",
    )
    cma = "id:certified-medical-assistant"
    assert rows(result, "profession", "program", "level", "required", "accreditor") == [
        (cma, "id:cma-associate-program", "id:level-associate", "true", "id:abhes"),
        (cma, "id:cma-associate-program", "id:level-associate", "true", "id:caahep"),
        (cma, "id:cma-bachelor-program", "id:level-bachelor", "true", "id:abhes"),
        (cma, "id:cma-bachelor-program", "id:level-bachelor", "true", "id:caahep"),
        (cma, "id:cma-master-program", "id:level-master", "false", None),
        ("id:medical-coder", "id:coder-high-school-and-training", "id:level-high-school", None, None),
        ("id:medical-coder", "id:coder-certificate-program", "id:level-certificate", None, None),
        ("id:medical-coder", "id:coder-associate-program", "id:level-associate", None, None),
        ("id:medical-coder", "id:coder-bachelor-program", "id:level-bachelor", "false", None),
    ]
    assert rows(result, "typicalDuration", "minDuration", "maxDuration", "minMonths", "maxMonths") == [
        (D("P2Y"), None, None, "24", "24"),
        (D("P2Y"), None, None, "24", "24"),
        (D("P4Y"), None, None, "48", "48"),
        (D("P4Y"), None, None, "48", "48"),
        (None, None, None, None, None),
        (None, None, None, None, None),
        (None, D("P4M"), D("P15M"), "4", "15"),  # "between four and 15 months"
        (D("P2Y"), None, None, "24", "24"),
        (None, None, D("P4Y"), None, "48"),  # "up to four years"
    ]
    assert result.rows[0][11] == Literal(True)  # xsd:boolean
    assert result.rows[6][9] == Literal(4)  # whole months, xsd:integer


def test_education_paths_of_one_profession(answer):
    result = answer("education-paths", profession="medical-coder")
    assert rows(result, "program", "levelLabel", "accreditorLabel") == [
        ("id:coder-high-school-and-training", "High school diploma", None),
        ("id:coder-certificate-program", "Postsecondary certificate or diploma", None),
        ("id:coder-associate-program", "Associate degree", None),
        ("id:coder-bachelor-program", "Bachelor's degree", None),
    ]


@covers("work-settings")
def test_work_settings_of_the_medical_coder_follow_reported_under(answer):
    result = answer("work-settings", profession="medical-coder")
    assert result.vars == (
        "setting",
        "settingLabel",
        "sharePercent",
        "published",
        "source",
        "sourceTitle",
        "reportedUnder",
    )
    assert rows(
        result, "settingLabel", "sharePercent", "published", "source", "sourceTitle", "reportedUnder"
    ) == [
        ("Hospitals", "38", "2015-12", EP, EP_TITLE, MRHIT),
        ("Offices of physicians", "21", "2015-12", EP, EP_TITLE, MRHIT),
        ("Nursing care facilities", "7", "2015-12", EP, EP_TITLE, MRHIT),
        ("Administrative and support services", "6", "2015-12", EP, EP_TITLE, MRHIT),
        ("Professional, scientific, and technical services", "5", "2015-12", EP, EP_TITLE, MRHIT),
        ("Administrative office setting", None, None, None, None, None),
        ("Healthcare setting", None, None, None, None, None),
    ]
    assert rows(result, "setting")[0] == ("id:setting-hospitals",)


def test_work_settings_without_shares(answer):
    result = answer("work-settings", profession="certified-medical-assistant")
    assert rows(result, "setting", "sharePercent", "reportedUnder") == [
        ("id:setting-doctors-office-or-clinic", None, None),
        ("id:setting-healthcare-setting", None, None),
        ("id:setting-other-healthcare-facility", None, None),
        ("id:setting-public-or-private-hospital", None, None),
    ]


@covers("shared-skills")
def test_shared_skills(answer):
    result = answer("shared-skills")
    assert result.vars == ("skill", "skillLabel", "description")
    both = "A skill both CMAs and medical coders need."
    assert rows(result) == [
        ("id:skill-analytical", "Analytical skills", both),
        ("id:skill-attention-to-detail", "Attention to detail", both),
        ("id:skill-interpersonal", "Interpersonal skills", both),
        ("id:skill-technical", "Technical skills", both),
    ]
    assert rows(answer("shared-skills", a="medical-coder", b="certified-medical-assistant")) == rows(result)
    assert answer("shared-skills", a="medical-coder", b="medical-biller").rows == ()


@covers("distinct-skills")
def test_distinct_skills(answer):
    result = answer("distinct-skills")
    assert result.vars == ("side", "profession", "professionLabel", "skill", "skillLabel")
    assert rows(result) == [
        ("a", "id:certified-medical-assistant", CMA, "id:skill-anatomy", "Anatomy"),
        ("a", "id:certified-medical-assistant", CMA, "id:skill-medical-terminology", "Medical terminology"),
        ("a", "id:certified-medical-assistant", CMA, "id:skill-patience", "Patience"),
        ("b", "id:medical-coder", CODER, "id:skill-integrity", "Integrity"),
    ]
    swapped = answer("distinct-skills", a="medical-coder", b="certified-medical-assistant")
    assert rows(swapped, "side", "skill") == [
        ("a", "id:skill-integrity"),
        ("b", "id:skill-anatomy"),
        ("b", "id:skill-medical-terminology"),
        ("b", "id:skill-patience"),
    ]


@covers("specializations")
def test_specializations(answer):
    result = answer("specializations")
    assert result.vars == (
        "profession",
        "professionLabel",
        "specialization",
        "specializationLabel",
        "description",
        "alsoFor",
        "alsoForLabel",
    )
    cma, coder = "id:certified-medical-assistant", "id:medical-coder"
    assert rows(result, "profession", "specialization", "alsoFor") == [
        (cma, "id:spec-administrative", None),
        (cma, "id:spec-chiropractic-care", coder),
        (cma, "id:spec-clinical", None),
        (cma, "id:spec-internal-medicine", None),
        (cma, "id:spec-obstetrics", None),
        (cma, "id:spec-podiatry", None),
        (coder, "id:spec-anesthesia-and-pain-management", None),
        (coder, "id:spec-chiropractic-care", cma),
        (coder, "id:spec-dermatology", None),
        (coder, "id:spec-gastroenterology", None),
        (coder, "id:spec-general-surgery", None),
        (coder, "id:spec-hematology-and-oncology", None),
        (coder, "id:spec-pediatrics", None),
        (coder, "id:spec-urology", None),
    ]
    only_cma = answer("specializations", profession="certified-medical-assistant")
    assert rows(only_cma, "specializationLabel", "description", "alsoForLabel") == [
        ("Administrative", "One of the two main areas CMAs generally focus on.", None),
        (
            "Chiropractic care",
            "A field some CMAs specialize in, and a specialty medical coders may focus on.",
            CODER,
        ),
        ("Clinical", "One of the two main areas CMAs generally focus on.", None),
        ("Internal medicine", "A field of medicine some CMAs specialize in.", None),
        ("Obstetrics", "A field of medicine some CMAs specialize in.", None),
        ("Podiatry", "A field of medicine some CMAs specialize in.", None),
    ]


@covers("facts-by-source")
def test_facts_citing_the_bls_may_2016_release(answer):
    result = answer("facts-by-source", source="source-bls-oes-may-2016")
    assert result.vars == (
        "entity",
        "entityLabel",
        "kind",
        "kindLabel",
        "predicate",
        "object",
        "value",
        "unit",
        "unitLabel",
    )
    ma = "id:stat-medical-assistants"
    assert rows(result, "entity", "kind", "value", "unit") == [
        (f"{ma}-employment-2016-05", "ckg:Statistic", "623560", "id:unit-persons"),
        (f"{ma}-mean-annual-wage-2016-05", "ckg:Statistic", "32850", "id:unit-usd-per-year"),
        (f"{ma}-mean-hourly-wage-2016-05", "ckg:Statistic", "15.79", "id:unit-usd-per-hour"),
        (f"{ma}-median-annual-wage-2016-05", "ckg:Statistic", "31540", "id:unit-usd-per-year"),
        (f"{ma}-median-hourly-wage-2016-05", "ckg:Statistic", "15.17", "id:unit-usd-per-hour"),
        ("id:stat-mrhit-employment-2016-05", "ckg:Statistic", "200140", "id:unit-persons"),
        ("id:stat-mrhit-mean-annual-wage-2016-05", "ckg:Statistic", "41460", "id:unit-usd-per-year"),
        ("id:stat-mrhit-mean-hourly-wage-2016-05", "ckg:Statistic", "19.93", "id:unit-usd-per-hour"),
        ("id:stat-mrhit-median-annual-wage-2016-05", "ckg:Statistic", "38040", "id:unit-usd-per-year"),
        ("id:stat-mrhit-median-hourly-wage-2016-05", "ckg:Statistic", "18.29", "id:unit-usd-per-hour"),
    ]
    assert rows(result, "kindLabel", "entityLabel")[3] == (
        "Statistic",
        "Medical assistants: median annual wage, May 2016",
    )


def test_facts_citing_the_aama(answer):
    result = answer("facts-by-source", source="id:source-aama")
    cma = "id:certified-medical-assistant"
    duties = (
        "conduct-basic-lab-tests draw-blood file-insurance-forms greet-patients handle-bookkeeping "
        "perform-other-medical-tasks remove-sutures schedule-appointments take-medical-histories"
    ).split()
    assert rows(result, "entity", "kind", "predicate", "object") == [
        ("id:duty-administrative-tasks", "ckg:Duty", None, None),
        ("id:duty-clinical-tasks", "ckg:Duty", None, None),
        *[(f"id:duty-{d}", "ckg:Duty", None, None) for d in duties],
        ("id:cma-eligibility", "ckg:EligibilityRequirement", None, None),
        # the statements the AAMA makes about the CMA, each a claim: not the CMA node as a whole
        *[(cma, "ckg:Profession", "ckg:hasDuty", f"id:duty-{d}") for d in duties],
        (cma, "ckg:Profession", "ckg:moreClinicalThan", "id:medical-coder"),
        ("id:chea", "ckg:RecognitionBody", None, None),
    ]
    with pytest.raises(ParamError, match="^parameter 'source': there is no source called 'no-such-source'$"):
        answer("facts-by-source", source="no-such-source")


@covers("sources")
def test_sources_with_citation_counts(answer):
    result = answer("sources")
    assert result.vars == (
        "source",
        "sourceLabel",
        "kind",
        "title",
        "publisher",
        "publisherLabel",
        "published",
        "publishedUnknown",
        "refPeriod",
        "url",
        "citedBy",
    )
    pub, rel = "ckg:Publication", "ckg:DatasetRelease"
    # a publication date only where one is known (no invented date), the reference period apart
    assert rows(result, "source", "kind", "publisher", "published", "refPeriod", "citedBy") == [
        (SEED, pub, "id:seed-publisher", None, None, "73"),
        ("id:source-aama", pub, "id:aama", None, None, "23"),
        ("id:source-ilo-isco-08", rel, "id:ilo", "2012", None, "13"),
        (EP, rel, "id:bls", "2015-12", None, "12"),
        (OES, rel, "id:bls", "2017-03-31", "2016-05", "10"),
        ("id:source-bls-soc-2018", rel, "id:bls", "2018", None, "9"),
        ("id:source-bls-soc-2010", rel, "id:bls", "2010", None, "7"),
        ("id:source-bls-coder-qualities", pub, "id:bls", None, None, "6"),
        ("id:source-cms-hcpcs-general-information", pub, "id:cms", "2020-09-17", None, "4"),
        ("id:source-nchs-about-icd-10-cm", pub, "id:nchs", None, None, "3"),
        ("id:source-aapc-2017", pub, "id:aapc", "2017", None, "2"),
        ("id:source-ncra-council-on-certification", pub, "id:ncra", None, None, "2"),
        ("id:source-onet-29-2072", pub, "id:onet-center", None, None, "2"),
        ("id:source-aama-recertification-handbook", pub, "id:aama", None, None, "1"),
        ("id:source-bls-ooh-health-information-technologists", pub, "id:bls", None, None, "1"),
        ("id:source-bls-dec-2019", pub, "id:bls", "2019-12", None, "1"),
        ("id:source-onet-43-3021-02", pub, "id:onet-center", None, None, "1"),
    ]
    assert rows(result, "publishedUnknown")[0] == ("The article states no publication date.",)
    assert rows(result, "url") == [
        (None,),
        (None,),
        (None,),
        ("https://www.bls.gov/emp/",),
        ("https://www.bls.gov/oes/2016/may/oes_nat.htm",),
        ("https://www.bls.gov/soc/",),
        ("https://www.bls.gov/soc/",),
        (None,),
        ("https://www.hhs.gov/guidance/document/cms-hcpcs-general-information",),
        (
            "https://webarchive.library.unt.edu/eot2008/20080921094756/"
            "http:/www.cdc.gov/nchs/about/otheract/icd9/abticd10.htm",
        ),
        (None,),
        ("http://www.ncra-usa.org/CTR/Certification-About",),
        ("https://www.onetonline.org/link/summary/29-2072.00",),
        (None,),
        ("https://www.bls.gov/ooh/healthcare/health-information-technologists-and-medical-registrars.htm",),
        (None,),
        ("http://www.onetonline.org/link/summary/43-3021.02",),
    ]
    assert rows(result, "sourceLabel", "title", "publisherLabel")[4] == (
        "BLS Occupational Employment Statistics, May 2016",
        OES_TITLE,
        "Bureau of Labor Statistics",
    )
    assert isinstance(result.rows[4][9], URIRef)  # schema:url values are IRIs


@covers("occupation-schema")
def test_occupation_schema_markup_of_the_certified_medical_assistant(answer):
    result = answer("occupation-schema", profession="certified-medical-assistant")
    assert result.kind == "CONSTRUCT"
    expected = Graph().parse(
        format="turtle",
        data="""
        @prefix id: <https://w3id.org/careers-kg/id/> .
        @prefix schema: <http://schema.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

        id:certified-medical-assistant a schema:Occupation ;
            schema:name "Certified Medical Assistant" ;
            schema:alternateName "CMA" ;
            schema:description "A medical assistant certified through the AAMA, who works directly with physicians on clinical tasks and also handles administrative duties; a high-growth career with lighter clinical responsibilities than a licensed clinician."@en ;
            schema:occupationalCategory id:soc-31-9092 , id:isco-08-3256 ;
            schema:estimatedSalary <https://w3id.org/careers-kg/id/certified-medical-assistant#estimated-salary-annual> ,
                <https://w3id.org/careers-kg/id/certified-medical-assistant#estimated-salary-hourly> ;
            schema:occupationLocation <https://w3id.org/careers-kg/id/certified-medical-assistant#occupation-location> .

        <https://w3id.org/careers-kg/id/certified-medical-assistant#occupation-location> a schema:Country ;
            schema:name "United States" .

        <https://w3id.org/careers-kg/id/certified-medical-assistant#estimated-salary-annual>
            a schema:MonetaryAmountDistribution ;
            schema:name "Median annual wage" ;
            schema:median "31540"^^xsd:decimal ;
            schema:currency "USD" ;
            schema:duration "P1Y" ;
            schema:subjectOf id:source-bls-oes-may-2016 .

        <https://w3id.org/careers-kg/id/certified-medical-assistant#estimated-salary-hourly>
            a schema:MonetaryAmountDistribution ;
            schema:name "Median hourly wage" ;
            schema:median 15.17 ;
            schema:currency "USD" ;
            schema:duration "PT1H" ;
            schema:subjectOf id:source-bls-oes-may-2016 .

        id:source-bls-oes-may-2016 a schema:Dataset ;
            schema:name "BLS Occupational Employment Statistics, May 2016" ;
            schema:url <https://www.bls.gov/oes/2016/may/oes_nat.htm> ;
            schema:datePublished "2017-03-31" ;
            schema:temporalCoverage "2016-05" .

        id:soc-31-9092 a schema:CategoryCode ;
            schema:codeValue "31-9092" ;
            schema:name "Medical Assistants" ;
            schema:inCodeSet id:soc-2010 , id:soc-2018 .
        id:isco-08-3256 a schema:CategoryCode ;
            schema:codeValue "3256" ;
            schema:name "Medical assistants" ;
            schema:inCodeSet id:isco-08 .
        id:soc-2010 a schema:CategoryCodeSet ; schema:name "Standard Occupational Classification 2010" .
        id:soc-2018 a schema:CategoryCodeSet ; schema:name "Standard Occupational Classification 2018" .
        id:isco-08 a schema:CategoryCodeSet ; schema:name "International Standard Classification of Occupations 2008" .
        """,  # noqa: E501
    )
    assert set(result.graph) == set(expected)


def test_occupation_schema_salary_of_the_medical_coder_comes_from_the_occupation_it_is_reported_under(answer):
    graph = answer("occupation-schema", profession="id:medical-coder").graph
    schema = "http://schema.org/"
    coder = URIRef("https://w3id.org/careers-kg/id/medical-coder")
    annual = URIRef(f"{coder}#estimated-salary-annual")
    hourly = URIRef(f"{coder}#estimated-salary-hourly")
    on_occupation = {(local(p), o) for p, o in graph.predicate_objects(coder)}
    assert on_occupation == {
        ("type", URIRef(schema + "Occupation")),
        ("name", Literal("Medical Coder")),
        ("description", Literal(CODER_DESCRIPTION, lang="en")),
        ("occupationalCategory", URIRef("https://w3id.org/careers-kg/id/soc-29-2072")),
        ("occupationalCategory", URIRef("https://w3id.org/careers-kg/id/isco-08-3252")),
        ("estimatedSalary", annual),
        ("estimatedSalary", hourly),
        ("occupationLocation", URIRef(f"{coder}#occupation-location")),
    }
    assert {(local(p), o) for p, o in graph.predicate_objects(annual)} == {
        ("type", URIRef(schema + "MonetaryAmountDistribution")),
        ("median", Literal("38040", datatype=XSD.decimal)),
        ("currency", Literal("USD")),
        ("duration", Literal("P1Y")),
        ("name", Literal("Median annual wage")),
        ("subjectOf", URIRef("https://w3id.org/careers-kg/id/source-bls-oes-may-2016")),
    }
    assert graph.value(hourly, URIRef(schema + "median")) == Literal("18.29", datatype=XSD.decimal)
    # the SOC code names the O*NET page the data cites for it (29-2072.00: the same occupation)
    soc = URIRef("https://w3id.org/careers-kg/id/soc-29-2072")
    assert set(graph.objects(soc, URIRef(schema + "sameAs"))) == {
        URIRef("https://www.onetonline.org/link/summary/29-2072.00")
    }
    assert len(graph) == 40
    biller = answer("occupation-schema", profession="medical-biller").graph  # no figures: no estimatedSalary
    assert sorted({local(p) for p in biller.predicates()}) == [
        "codeValue",
        "description",
        "inCodeSet",
        "name",
        "occupationalCategory",
        "type",
    ]
    assert len(biller) == 13


@covers("statistics")
def test_statistics(answer):
    result = answer("statistics")
    assert result.vars == (
        "statistic",
        "subject",
        "subjectLabel",
        "variable",
        "variableLabel",
        "value",
        "unit",
        "unitLabel",
        "refPeriod",
        "periodStart",
        "periodEnd",
        "setting",
        "settingLabel",
        "source",
        "sourceTitle",
        "published",
    )
    share = "id:var-employment-share-by-setting"
    ma, mr = "id:stat-medical-assistants", "id:stat-mrhit"
    # the reference period where a source gives one; the publication date of the source beside it
    assert rows(result, "statistic", "subject", "variable", "value", "refPeriod", "source", "published") == [
        (
            "id:stat-healthcare-fastest-growing-2019-12",
            "id:healthcare-occupations",
            "id:var-fastest-growing-count",
            "12",
            None,
            "id:source-bls-dec-2019",
            "2019-12",
        ),
        (f"{ma}-employment-2016-05", MA, "id:var-employment", "623560", "2016-05", OES, "2017-03-31"),
        (
            f"{ma}-mean-annual-wage-2016-05",
            MA,
            "id:var-mean-annual-wage",
            "32850",
            "2016-05",
            OES,
            "2017-03-31",
        ),
        (
            f"{ma}-mean-hourly-wage-2016-05",
            MA,
            "id:var-mean-hourly-wage",
            "15.79",
            "2016-05",
            OES,
            "2017-03-31",
        ),
        (
            f"{ma}-median-annual-wage-2016-05",
            MA,
            "id:var-median-annual-wage",
            "31540",
            "2016-05",
            OES,
            "2017-03-31",
        ),
        (
            f"{ma}-median-hourly-wage-2016-05",
            MA,
            "id:var-median-hourly-wage",
            "15.17",
            "2016-05",
            OES,
            "2017-03-31",
        ),
        (f"{ma}-projected-growth-2014-2024", MA, "id:var-projected-growth", "23", None, EP, "2015-12"),
        (
            f"{ma}-projected-new-positions-2024",
            MA,
            "id:var-projected-new-positions",
            "138900",
            None,
            SEED,
            None,
        ),
        (f"{mr}-employment-2016-05", MRHIT, "id:var-employment", "200140", "2016-05", OES, "2017-03-31"),
        (
            f"{mr}-mean-annual-wage-2016-05",
            MRHIT,
            "id:var-mean-annual-wage",
            "41460",
            "2016-05",
            OES,
            "2017-03-31",
        ),
        (
            f"{mr}-mean-hourly-wage-2016-05",
            MRHIT,
            "id:var-mean-hourly-wage",
            "19.93",
            "2016-05",
            OES,
            "2017-03-31",
        ),
        (
            f"{mr}-median-annual-wage-2016-05",
            MRHIT,
            "id:var-median-annual-wage",
            "38040",
            "2016-05",
            OES,
            "2017-03-31",
        ),
        (
            f"{mr}-median-hourly-wage-2016-05",
            MRHIT,
            "id:var-median-hourly-wage",
            "18.29",
            "2016-05",
            OES,
            "2017-03-31",
        ),
        (f"{mr}-projected-growth-2014-2024", MRHIT, "id:var-projected-growth", "15", None, EP, "2015-12"),
        (
            f"{mr}-projected-new-positions-2024",
            MRHIT,
            "id:var-projected-new-positions",
            "29000",
            None,
            SEED,
            None,
        ),
        (f"{mr}-share-administrative-and-support-services-2015-12", MRHIT, share, "6", None, EP, "2015-12"),
        (f"{mr}-share-hospitals-2015-12", MRHIT, share, "38", None, EP, "2015-12"),
        (f"{mr}-share-nursing-care-facilities-2015-12", MRHIT, share, "7", None, EP, "2015-12"),
        (f"{mr}-share-offices-of-physicians-2015-12", MRHIT, share, "21", None, EP, "2015-12"),
        (
            f"{mr}-share-professional-scientific-technical-services-2015-12",
            MRHIT,
            share,
            "5",
            None,
            EP,
            "2015-12",
        ),
    ]
    assert rows(result, "unit", "periodStart", "periodEnd", "setting")[:1] + rows(
        result, "unit", "periodStart", "periodEnd", "setting"
    )[6:8] == [
        ("id:unit-occupations", None, None, None),
        ("id:unit-percent", "2014", "2024", None),
        ("id:unit-jobs", "2014", "2024", None),
    ]
    assert rows(result, "setting")[16] == ("id:setting-hospitals",)


def test_statistics_of_one_variable(answer):
    result = answer("statistics", variable="var-median-annual-wage")
    assert rows(result, "statistic", "subjectLabel", "value", "unitLabel", "refPeriod", "sourceTitle") == [
        (
            "id:stat-medical-assistants-median-annual-wage-2016-05",
            "Medical Assistants",
            "31540",
            "US dollars per year",
            "2016-05",
            OES_TITLE,
        ),
        (
            "id:stat-mrhit-median-annual-wage-2016-05",
            "Medical Records and Health Information Technicians",
            "38040",
            "US dollars per year",
            "2016-05",
            OES_TITLE,
        ),
    ]


@covers("licensing")
def test_licensing(answer):
    result = answer("licensing")
    assert result.vars == (
        "profession",
        "professionLabel",
        "requirement",
        "requirementLabel",
        "status",
        "statusLabel",
        "authority",
        "authorityLabel",
        "prerequisite",
        "prerequisiteLabel",
        "description",
    )
    assert rows(result, "profession", "requirement", "status", "authority", "prerequisite") == [
        (
            "id:cancer-registrar",
            "id:cancer-registrar-licensing",
            "id:licensing-required-in-some-states",
            None,
            None,
        ),
        (
            "id:certified-medical-assistant",
            "id:cma-licensing",
            "id:licensing-required",
            "id:state-licensing-agency",
            "id:cma-certification",
        ),
        ("id:medical-coder", "id:medical-coder-licensing", "id:licensing-not-required", None, None),
    ]
    assert rows(result, "statusLabel") == [
        ("License required in some states",),
        ("License required",),
        ("No license required",),
    ]
    assert rows(answer("licensing", profession="medical-coder"), "description") == [
        (
            "A license is not required to work as a basic medical coder; because licensure is not required, "
            "no state licensing agency exists for medical coders.",
        )
    ]
    assert rows(answer("licensing", profession="certified-medical-assistant"), "authorityLabel") == [
        ("State licensing agency for CMAs (varies by state)",)
    ]


@covers("search-label")
def test_search_label_finds_preferred_and_alternative_labels_ignoring_case(answer):
    result = answer("search-label", text="CMA")
    assert result.vars == ("entity", "entityLabel", "matchedLabel", "kind")
    assert rows(result, "entity", "matchedLabel", "kind") == [
        ("id:cma-licensing", "CMA licensing", "ckg:LicensingRequirement"),
        ("id:cma-recertification", "CMA recertification", "ckg:RenewalRequirement"),
        ("id:certified-medical-assistant", "CMA", "ckg:Profession"),
        ("id:cma-certification", "CMA certification", "ckg:Certification"),
        ("id:cma-certification", CMA_CERT, "ckg:Certification"),
        ("id:cma-eligibility", "Eligibility for CMA certification", "ckg:EligibilityRequirement"),
        ("id:cma-master-program", "Master's degree (optional for CMAs)", "ckg:EducationProgram"),
        ("id:source-seed-article", f"Seed article: {SEED_TITLE}", "ckg:Publication"),
        (
            "id:state-licensing-agency",
            "State licensing agency for CMAs (varies by state)",
            "ckg:LicensingAuthority",
        ),
    ]
    coder = [
        ("id:aapc", "American Academy of Professional Coders"),
        ("id:coder-associate-program", "Associate degree for medical coders (e.g. health informatics)"),
        ("id:source-bls-coder-qualities", "BLS, qualities of medical coders, as cited in the seed"),
        ("id:medical-coder", CODER),
        ("id:medical-coder-licensing", "Medical coder licensing"),
        ("id:coder-recertification", "Medical coder recertification"),
        ("id:source-seed-article", f"Seed article: {SEED_TITLE}"),
    ]
    assert rows(answer("search-label", text="coder"), "entity", "matchedLabel") == coder
    assert rows(answer("search-label", text="cOdEr"), "entity", "matchedLabel") == coder


@covers("related-professions")
def test_related_professions(answer):
    result = answer("related-professions")
    assert result.vars == (
        "profession",
        "professionLabel",
        "related",
        "relatedLabel",
        "sometimesTrainedTogether",
    )
    cma, coder = "id:certified-medical-assistant", "id:medical-coder"
    assert rows(result, "profession", "related", "sometimesTrainedTogether") == [
        ("id:cancer-registrar", coder, "false"),
        (cma, "id:licensed-clinician", "false"),
        (cma, coder, "false"),
        ("id:licensed-clinician", cma, "false"),
        ("id:licensed-clinician", coder, "false"),
        ("id:medical-biller", coder, "true"),
        (coder, "id:cancer-registrar", "false"),
        (coder, cma, "false"),
        (coder, "id:licensed-clinician", "false"),
        (coder, "id:medical-biller", "true"),
    ]
    only = answer("related-professions", profession="medical-biller")
    assert rows(only, "professionLabel", "relatedLabel") == [("Medical Biller", CODER)]


@covers("organizations")
def test_organizations_and_their_roles(answer):
    result = answer("organizations")
    assert result.vars == ("organization", "organizationLabel", "role", "item", "itemLabel")
    assert rows(result, "organization", "role", "item") == [
        ("id:abhes", "accredits", "id:cma-associate-program"),
        ("id:abhes", "accredits", "id:cma-bachelor-program"),
        ("id:aapc", "issues", "id:medical-coding-certification"),
        ("id:aapc", "publishes", "id:source-aapc-2017"),
        ("id:aama", "issues", "id:cma-certification"),
        ("id:aama", "publishes", "id:source-aama-recertification-handbook"),
        ("id:aama", "publishes", "id:source-aama"),
        ("id:ahima", "issues", "id:medical-coding-certification"),
        ("id:ama", "maintains", "id:cpt"),
        ("id:bls", "publishes", EP),
        ("id:bls", "publishes", OES),
        ("id:bls", "publishes", "id:source-bls-ooh-health-information-technologists"),
        ("id:bls", "publishes", "id:source-bls-dec-2019"),
        ("id:bls", "publishes", "id:source-bls-coder-qualities"),
        ("id:bls", "publishes", "id:source-bls-soc-2010"),
        ("id:bls", "publishes", "id:source-bls-soc-2018"),
        ("id:cdc", None, None),
        ("id:cms", "maintains", "id:hcpcs-level-ii"),
        ("id:cms", "publishes", "id:source-cms-hcpcs-general-information"),
        ("id:cahiim", None, None),  # no source says which programs it accredits
        ("id:caahep", "accredits", "id:cma-associate-program"),
        ("id:caahep", "accredits", "id:cma-bachelor-program"),
        ("id:chea", None, None),  # no source says whom it recognizes
        ("id:ilo", "publishes", "id:source-ilo-isco-08"),
        ("id:ncra", "issues", "id:ctr-certification"),
        ("id:ncra", "publishes", "id:source-ncra-council-on-certification"),
        ("id:nchs", "is part of", "id:cdc"),
        ("id:nchs", "maintains", "id:icd-10-cm"),
        ("id:nchs", "publishes", "id:source-nchs-about-icd-10-cm"),
        ("id:onet-center", "publishes", "id:source-onet-29-2072"),
        ("id:onet-center", "publishes", "id:source-onet-43-3021-02"),
        ("id:pmi", "issues", "id:medical-coding-certification"),
        ("id:seed-publisher", "publishes", SEED),
        ("id:state-licensing-agency", "grants licenses under", "id:cma-licensing"),
    ]
    nchs = answer("organizations", organization="nchs")
    assert rows(nchs, "organizationLabel", "role", "itemLabel") == [
        ("National Center for Health Statistics", "is part of", "Centers for Disease Control and Prevention"),
        (
            "National Center for Health Statistics",
            "maintains",
            "International Classification of Diseases, Tenth Revision, Clinical Modification",
        ),
        ("National Center for Health Statistics", "publishes", "NCHS: About ICD-10-CM"),
    ]


@covers("occupation-codes")
def test_occupation_codes_and_their_crosswalk(answer):
    result = answer("occupation-codes")
    assert result.vars == (
        "code",
        "codeValue",
        "codeName",
        "codeSet",
        "codeSetLabel",
        "replacedBy",
        "replacedByValue",
        "replacedByName",
        "profession",
        "professionLabel",
    )
    assert rows(result, "code", "codeSet", "replacedBy", "profession") == [
        ("id:isco-08-2211", "id:isco-08", None, "id:licensed-clinician"),
        ("id:isco-08-2212", "id:isco-08", None, "id:licensed-clinician"),
        ("id:isco-08-2221", "id:isco-08", None, "id:licensed-clinician"),
        ("id:isco-08-3252", "id:isco-08", None, "id:medical-coder"),
        ("id:isco-08-3252", "id:isco-08", None, MRHIT),
        ("id:isco-08-3256", "id:isco-08", None, "id:certified-medical-assistant"),
        ("id:soc-29-2071", "id:soc-2010", "id:soc-29-2072", MRHIT),
        ("id:soc-29-2071", "id:soc-2010", "id:soc-29-9021", MRHIT),
        ("id:soc-31-9092", "id:soc-2010", None, "id:certified-medical-assistant"),
        ("id:soc-31-9092", "id:soc-2010", None, MA),
        ("id:soc-43-3021", "id:soc-2010", None, "id:medical-biller"),
        ("id:soc-29-2072", "id:soc-2018", None, "id:medical-coder"),
        ("id:soc-29-9021", "id:soc-2018", None, "id:cancer-registrar"),
        ("id:soc-31-9092", "id:soc-2018", None, "id:certified-medical-assistant"),
        ("id:soc-31-9092", "id:soc-2018", None, MA),
        ("id:soc-43-3021", "id:soc-2018", None, "id:medical-biller"),
    ]
    assert rows(result, "codeValue", "codeName", "replacedByValue", "replacedByName")[6:8] == [
        (
            "29-2071",
            "Medical Records and Health Information Technicians",
            "29-2072",
            "Medical Records Specialists",
        ),
        (
            "29-2071",
            "Medical Records and Health Information Technicians",
            "29-9021",
            "Health Information Technologists and Medical Registrars",
        ),
    ]


@covers("profession-statistics")
def test_figures_of_the_medical_coder_are_those_it_is_reported_under(answer):
    result = answer("profession-statistics", profession="medical-coder")
    assert result.vars == (
        "variable",
        "variableLabel",
        "setting",
        "settingLabel",
        "value",
        "unit",
        "unitLabel",
        "refPeriod",
        "periodStart",
        "periodEnd",
        "source",
        "sourceTitle",
        "published",
        "reportedUnder",
    )
    assert {row[0] for row in rows(result, "reportedUnder")} == {MRHIT}
    share = "Share of employment by work setting"
    assert rows(
        result,
        "variableLabel",
        "settingLabel",
        "value",
        "unitLabel",
        "refPeriod",
        "periodStart",
        "source",
        "published",
    ) == [
        ("Employment", None, "200140", "persons", "2016-05", None, OES, "2017-03-31"),
        ("Mean annual wage", None, "41460", "US dollars per year", "2016-05", None, OES, "2017-03-31"),
        ("Mean hourly wage", None, "19.93", "US dollars per hour", "2016-05", None, OES, "2017-03-31"),
        ("Median annual wage", None, "38040", "US dollars per year", "2016-05", None, OES, "2017-03-31"),
        ("Median hourly wage", None, "18.29", "US dollars per hour", "2016-05", None, OES, "2017-03-31"),
        ("Projected job growth", None, "15", "percent", None, "2014", EP, "2015-12"),
        ("Projected new positions", None, "29000", "jobs", None, "2014", SEED, None),
        (share, "Hospitals", "38", "percent", None, None, EP, "2015-12"),
        (share, "Offices of physicians", "21", "percent", None, None, EP, "2015-12"),
        (share, "Nursing care facilities", "7", "percent", None, None, EP, "2015-12"),
        (share, "Administrative and support services", "6", "percent", None, None, EP, "2015-12"),
        (
            share,
            "Professional, scientific, and technical services",
            "5",
            "percent",
            None,
            None,
            EP,
            "2015-12",
        ),
    ]
    cma = answer("profession-statistics", profession="certified-medical-assistant")
    assert rows(cma, "variable", "value", "reportedUnder") == [
        ("id:var-employment", "623560", MA),  # all medical assistants, not CMAs
        ("id:var-mean-annual-wage", "32850", MA),
        ("id:var-mean-hourly-wage", "15.79", MA),
        ("id:var-median-annual-wage", "31540", MA),
        ("id:var-median-hourly-wage", "15.17", MA),
        ("id:var-projected-growth", "23", MA),
        ("id:var-projected-new-positions", "138900", MA),
    ]


@covers("programs-shorter-than")
def test_programs_shorter_than_a_year(answer):
    result = answer("programs-shorter-than")  # default: 12 months
    assert result.vars == (
        "program",
        "programLabel",
        "profession",
        "professionLabel",
        "minMonths",
        "maxMonths",
    )
    # "between four and 15 months": it can be shorter than a year, not always (the longest is 15)
    assert rows(result, "program", "profession", "minMonths", "maxMonths") == [
        ("id:coder-certificate-program", "id:medical-coder", "4", "15")
    ]
    assert rows(answer("programs-shorter-than", months="30"), "program", "minMonths", "maxMonths") == [
        ("id:coder-certificate-program", "4", "15"),
        ("id:coder-associate-program", "24", "24"),  # "Associate degree for medical coders …"
        ("id:cma-associate-program", "24", "24"),  # "Associate degree program in medical assisting"
    ]
    assert answer("programs-shorter-than", months="4").rows == ()


@covers("careers-needing-a-licence")
def test_which_careers_need_a_licence(answer):
    result = answer("careers-needing-a-licence")
    assert rows(result, "profession", "licensingStatus", "authority", "prerequisite") == [
        (
            "id:certified-medical-assistant",
            "id:licensing-required",
            "id:state-licensing-agency",
            "id:cma-certification",
        ),
        ("id:cancer-registrar", "id:licensing-required-in-some-states", None, None),
    ]
    assert rows(result, "licensingStatusLabel") == [
        ("License required",),
        ("License required in some states",),
    ]
    assert "id:medical-coder" not in {row[0] for row in rows(result, "profession")}  # no licence needed


@covers("statement-sources")
def test_who_says_what_about_the_medical_coder(answer):
    result = answer("statement-sources", entity="medical-coder")
    assert result.vars == ("predicate", "object", "objectLabel", "source", "sourceTitle", "claim")
    claimed = [r for r in rows(result, "predicate", "object", "source", "claim") if r[3] is not None]
    bls = "id:source-bls-coder-qualities"
    claim = "id:medical-coder#claim-"
    assert claimed == [
        ("ckg:hasDuty", "id:medical-coding", "id:source-aapc-2017", f"{claim}hasDuty-medical-coding"),
        ("ckg:hasSkill", "id:skill-analytical", bls, f"{claim}hasSkill-skill-analytical"),
        ("ckg:hasSkill", "id:skill-attention-to-detail", bls, f"{claim}hasSkill-skill-attention-to-detail"),
        ("ckg:hasSkill", "id:skill-integrity", bls, f"{claim}hasSkill-skill-integrity"),
        ("ckg:hasSkill", "id:skill-interpersonal", bls, f"{claim}hasSkill-skill-interpersonal"),
        ("ckg:hasSkill", "id:skill-technical", bls, f"{claim}hasSkill-skill-technical"),
        (
            "ckg:occupationCode",
            "id:isco-08-3252",
            "id:source-ilo-isco-08",
            f"{claim}occupationCode-isco-08-3252",
        ),
        (
            "ckg:occupationCode",
            "id:soc-29-2072",
            "id:source-onet-29-2072",
            f"{claim}occupationCode-soc-29-2072",
        ),
    ]
    others = {r for r in rows(result, "predicate", "object", "source", "claim") if r[3] is None}
    assert ("ckg:reportedUnder", MRHIT, SEED, None) in others
    assert {r[2] for r in others} == {SEED}  # everything else is the seed's own statement
    assert len(result.rows) == 44


# --- parameters: IRI forms, typing, and values that try to become query text --------------------------------


@pytest.mark.parametrize(
    "value",
    ["medical-coder", "id:medical-coder", "https://w3id.org/careers-kg/id/medical-coder", " medical-coder "],
)
def test_an_iri_parameter_as_slug_curie_or_full_iri_gives_the_same_answer(answer, value):
    reference = rows(answer("profession-profile", profession="medical-coder"))
    assert len(reference) == 12
    assert rows(answer("profession-profile", profession=value)) == reference
    compared = rows(answer("compare-statistics", a="certified-medical-assistant", b=value))
    assert compared == rows(answer("compare-statistics"))


def test_an_unknown_iri_is_an_error_naming_the_parameter_and_close_members(answer):
    """A parameter with a class (``class: ckg:Profession``) takes only its members (issue 13)."""
    with pytest.raises(ParamError) as caught:
        answer("profession-profile", profession="no-such-profession")
    assert (
        caught.value.message == "parameter 'profession': there is no profession called 'no-such-profession'"
    )
    assert caught.value.suggestions == ()
    with pytest.raises(ParamError) as caught:
        answer("work-settings", profession="medical-codr")
    assert caught.value.message == (
        "parameter 'profession': there is no profession called 'medical-codr'; "
        "did you mean medical-coder (Medical Coder) or medical-biller (Medical Biller)?"
    )
    with pytest.raises(ParamError, match="^parameter 'a': there is no profession called 'aama'"):
        answer("compare-statistics", a="aama", b="medical-coder")  # a member of another class
    with pytest.raises(ParamError, match="^parameter 'profession': there is no profession called 'id:x'$"):
        answer("occupation-schema", profession="id:x")


INJECTIONS = [
    '"',
    "'",
    "\\u0022",  # rdflib expands \u escapes in query text before parsing: here it is six characters
    "\\u0022) } UNION { ?entity ?p ?matchedLabel } #",
    '") || true || ("',
    '" } UNION { ?entity ?p ?o } #',
    "') } UNION { ?entity ?p ?o } #",
    "} UNION {",
    "{",
    "# comment",
    "CMA # comment",
    "x\n} UNION { ?entity ?p ?o }",
    ".*",
    "\\",
    "?entity",
    "<https://w3id.org/careers-kg/id/medical-coder>",
    "\x00",
]


@pytest.mark.parametrize("payload", INJECTIONS, ids=[repr(p) for p in INJECTIONS])
def test_string_parameters_are_bound_literals_that_match_nothing(kg, answer, payload):
    before = (len(kg.data), len(kg.union))
    expected = []
    if payload == "'":  # labels with an apostrophe match it literally
        expected = [
            ("id:level-bachelor",),
            ("id:coder-bachelor-program",),
            ("id:cma-bachelor-program",),
            ("id:setting-doctors-office-or-clinic",),
            ("id:level-master",),
            ("id:cma-master-program",),
            ("id:duty-translate-records-into-codes",),
        ]
    assert rows(answer("search-label", text=payload), "entity") == expected
    assert (len(kg.data), len(kg.union)) == before


def test_string_parameters_match_text_literally(answer):
    assert rows(answer("search-label", text="'s"), "entity", "matchedLabel") == [
        ("id:level-bachelor", "Bachelor's degree"),
        (
            "id:coder-bachelor-program",
            "Bachelor's degree in health information management or healthcare administration",
        ),
        ("id:cma-bachelor-program", "Bachelor's degree program in medical assisting"),
        ("id:setting-doctors-office-or-clinic", "Doctor's office or clinic"),
        ("id:level-master", "Master's degree"),
        ("id:cma-master-program", "Master's degree (optional for CMAs)"),
    ]
    assert rows(answer("search-label", text="(CMA)"), "entity", "matchedLabel") == [
        ("id:cma-certification", CMA_CERT),
        ("id:source-seed-article", f"Seed article: {SEED_TITLE}"),
    ]
    assert rows(answer("search-label", text="O*NET"), "entity", "matchedLabel") == [
        ("id:onet-center", "National Center for O*NET Development"),
        ("id:onet-center", "O*NET"),
        ("id:source-onet-29-2072", "O*NET OnLine: 29-2072.00 Medical Records Specialists"),
        ("id:source-onet-43-3021-02", "O*NET OnLine: 43-3021.02 Billing, Cost, and Rate Clerks"),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "medical-coder> } UNION { ?s ?p ?o } #",
        "id:medical-coder>",
        "<https://w3id.org/careers-kg/id/medical-coder>",
        'https://w3id.org/careers-kg/id/x" } #',
        "medical coder",
        "javascript:alert(1)",
        "nope:medical-coder",
        "",
    ],
)
def test_an_iri_parameter_that_is_not_an_iri_is_refused_naming_the_parameter(catalogue, value):
    with pytest.raises(ParamError) as caught:
        bind(catalogue["profession-profile"], {"profession": value})
    assert "'profession'" in caught.value.message
    assert "IRI" in caught.value.message or "required" in caught.value.message


def test_parameters_are_typed_rdf_terms(catalogue):
    assert bind(catalogue["search-label"], {"text": '"x"'}) == {"text": Literal('"x"')}
    assert bind(catalogue["compare-statistics"], {}) == {
        "a": URIRef("https://w3id.org/careers-kg/id/certified-medical-assistant"),
        "b": URIRef("https://w3id.org/careers-kg/id/medical-coder"),
    }
    assert bind(catalogue["statistics"], {}) == {}  # an optional parameter without a default stays unbound
    with pytest.raises(ParamError, match="'profession'"):
        bind(catalogue["work-settings"], {})
    with pytest.raises(ParamError, match="unknown parameter 'x'"):
        bind(catalogue["professions"], {"x": "y"})


CMA_CERT_DESCRIPTION = (
    "The certification, obtained through the AAMA, that an individual must hold to work as a CMA. To be "
    "eligible to pursue it, an aspiring CMA must have a degree from a program accredited by CAAHEP or ABHES."
)


@covers("ctdl")
def test_ctdl_describes_the_cma_certification_as_the_data_states_it(answer):
    result = answer("ctdl")
    assert result.kind == "CONSTRUCT"
    cert, alignment = "id:cma-certification", "<https://w3id.org/careers-kg/id/cma-certification#occupation-"
    expected = Graph().parse(
        format="turtle",
        data=f"""
        @prefix id: <https://w3id.org/careers-kg/id/> .
        @prefix ceterms: <https://purl.org/ctdl/terms/> .
        @prefix dct: <http://purl.org/dc/terms/> .
        {cert} a ceterms:Certification ;
            ceterms:name "Certified Medical Assistant (CMA) certification"@en ;
            ceterms:alternateName "CMA certification"@en ;
            ceterms:description "{CMA_CERT_DESCRIPTION}"@en ;
            ceterms:offeredBy id:aama ;
            ceterms:ownedBy id:aama ;
            ceterms:renewal id:cma-recertification ;
            ceterms:renewalFrequency "P60M"^^<https://schema.org/Duration> ;
            ceterms:occupationType {alignment}soc-31-9092-in-soc-2010>, {alignment}soc-31-9092-in-soc-2018>,
                {alignment}isco-08-3256-in-isco-08> ;
            dct:source id:source-seed-article .
        {alignment}soc-31-9092-in-soc-2010> a ceterms:CredentialAlignmentObject ;
            ceterms:framework id:soc-2010 ;
            ceterms:frameworkName "Standard Occupational Classification 2010"@en ;
            ceterms:codedNotation "31-9092" ;
            ceterms:targetNode id:soc-31-9092 ;
            ceterms:targetNodeName "Medical Assistants"@en .
        """,
    )  # fmt: skip
    subjects = set(expected.subjects())
    got = Graph()
    for triple in result.graph.triples((None, None, None)):
        if triple[0] in subjects:
            got.add(triple)
    assert set(got) == set(expected)
    # several issuers are alternatives: each offers the coding certification, none owns it
    coding = URIRef("https://w3id.org/careers-kg/id/medical-coding-certification")
    ctdl = "https://purl.org/ctdl/terms/"
    assert len(set(result.graph.objects(coding, URIRef(ctdl + "offeredBy")))) == 3
    assert set(result.graph.objects(coding, URIRef(ctdl + "ownedBy"))) == set()
