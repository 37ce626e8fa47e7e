"""The shipped knowledge: it conforms, the ontology keeps its rules, competency questions answer as the seed.

Each competency question is a SPARQL query over the built graph (`kg.union`: data + ontology + OWL-RL
closure) whose expected answer is written out literally from the seed document
(../shared/seed/cma-vs-medical-coder.txt) or, for codes and maintainers, from the named sources in
data/careers.ttl. Nothing here is recomputed by the code under test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import OWL, RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import SKOS

from kg.rdf.namespaces import CKG, ID, SCHEMA, sparql_prologue

PROLOGUE = sparql_prologue()
OES_MAY_2016 = "May 2016 National Occupational Employment and Wage Estimates, United States"
EP_DEC_2015 = "Employment Projections 2014–24"
SEED_ARTICLE = "Certified Medical Assistant (CMA) vs. Medical Coder"
CMA = "Certified Medical Assistant"
CODER = "Medical Coder"
MRHIT = "Medical Records and Health Information Technician"
# The classes of docs/data-model.md (plus MonetaryUnit, added with this data).
CLASSES = (
    "Profession OccupationGroup OccupationCode OccupationCodeSet Credential Certification License "
    "Degree Diploma EducationProgram ProgramLevel Organization CertifyingBody AccreditingBody "
    "RecognitionBody LicensingAuthority StatisticsPublisher ProfessionalAssociation StandardsMaintainer "
    "CodingSystem Statistic StatisticalVariable Unit MonetaryUnit Source DatasetRelease Publication Skill "
    "Specialization WorkSetting Duty RenewalRequirement LicensingRequirement PracticeFramework"
).split() + (  # the OEWS block (docs/oews.md)
    "OccupationEstimate EstimateNote Footnote SocOccupation SocMajorGroup SocMinorGroup SocBroadOccupation "
    "SocDetailedOccupation Industry Area Nation State MetropolitanArea NonmetropolitanArea SourceCopy"
).split()


def duration(text: str) -> Literal:
    return Literal(text, datatype=XSD.duration)


def _py(term):
    """Plain Python values for comparison: numbers and booleans as Python, durations as RDF literals (rdflib
    normalises P15M to P1Y3M, so the seed's "P15M" is compared as a duration), entities as "id:slug"."""
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.decimal, XSD.boolean):
            return term.toPython()
        if term.datatype == XSD.duration:
            return term
        return str(term)
    if isinstance(term, URIRef) and str(term).startswith(str(ID)):
        return "id:" + str(term)[len(str(ID)) :]
    return str(term)


def ask(kg, query: str) -> list[tuple]:
    return [tuple(_py(value) for value in row) for row in kg.union.query(PROLOGUE + query)]


def ask_set(kg, query: str) -> set:
    rows = ask(kg, query)
    return {row[0] if len(row) == 1 else row for row in rows}


# ------------------------------------------------------------------------------------------------------------
# The data conforms, and the ontology keeps its rules
# ------------------------------------------------------------------------------------------------------------


def test_the_shipped_data_conforms(kg):
    assert kg.report.conforms is True
    assert [r.line() for r in kg.report.results] == []


def test_the_ontology_metadata(kg):
    onto = URIRef("https://w3id.org/careers-kg/ontology")
    g = kg.ontology
    assert (onto, RDF.type, OWL.Ontology) in g
    assert str(g.value(onto, OWL.versionInfo)) == "0.1.0"
    assert g.value(onto, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert str(g.value(onto, URIRef("http://purl.org/dc/terms/creator"))) == "Careers KG contributors"
    assert g.value(onto, URIRef("http://purl.org/dc/terms/created")) == Literal(
        "2026-11-27", datatype=XSD.date
    )
    assert str(g.value(onto, URIRef("http://purl.org/dc/terms/title"))) == "Careers KG ontology"


def test_every_ontology_term_has_an_english_label_and_comment(kg):
    g = kg.ontology
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(CKG))}
    classes = {str(c)[len(str(CKG)) :] for c in g.subjects(RDF.type, OWL.Class)}
    assert classes == set(CLASSES)
    assert len(terms) == len(CLASSES) + 48 + 15 + 17  # 48 properties; OEWS: 15 and the 17 measures
    for term in terms:
        labels = [o for o in g.objects(term, RDFS.label) if o.language == "en"]
        comments = [o for o in g.objects(term, RDFS.comment) if o.language == "en"]
        assert len(labels) == 1 and len(comments) == 1, term


def test_alignment_is_upward_only(kg):
    g = kg.ontology
    ckg_subjects = [s for s in g.subjects() if str(s).startswith(str(CKG))]
    assert not [s for s in ckg_subjects if (s, RDFS.domain, None) in g or (s, RDFS.range, None) in g]
    assert not [(s, o) for s, o in g.subject_objects(OWL.equivalentClass) if str(o).startswith(str(SCHEMA))]
    assert not [s for s in g.subjects(RDFS.subClassOf, None) if not str(s).startswith(str(CKG))]
    assert not [s for s in g.subjects(RDFS.subPropertyOf, None) if not str(s).startswith(str(CKG))]


def test_the_inverse_pairs(kg):
    pairs = {(_py(s), _py(o)) for s, o in kg.ontology.subject_objects(OWL.inverseOf)}
    ns = str(CKG)
    assert {(s[len(ns) :], o[len(ns) :]) for s, o in pairs} == {
        ("hasSkill", "skillOf"),
        ("relatedCredential", "credentialFor"),
        ("usesCodingSystem", "usedBy"),
        ("issuedBy", "issues"),
        ("accreditedBy", "accredits"),
        ("recognizedBy", "recognizes"),
        ("maintainedBy", "maintains"),
        ("about", "statistic"),
    }
    assert (CKG.relatedProfession, RDF.type, OWL.SymmetricProperty) in kg.ontology


def test_every_data_entity_has_exactly_one_english_preferred_label(kg):
    subjects = {s for s in kg.data.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ID))}
    assert ID["medical-coder"] in subjects and ID["stat-cma-median-annual-wage-2016-05"] in subjects
    for s in subjects:
        labels = list(kg.data.objects(s, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "en", s


def test_every_data_entity_except_vocabulary_and_sources_cites_a_source(kg):
    vocabulary = {CKG.Unit, CKG.MonetaryUnit, CKG.StatisticalVariable, CKG.ProgramLevel}
    sources = {CKG.Publication, CKG.DatasetRelease}
    unsourced = [
        s
        for s in {s for s in kg.data.subjects(RDF.type, None) if str(s).startswith(str(ID))}
        if not set(kg.data.objects(s, RDF.type)) & (vocabulary | sources)
        and (s, CKG.source, None) not in kg.data
    ]
    assert unsourced == []


# ------------------------------------------------------------------------------------------------------------
# A consumer who knows only schema.org (after reasoning)
# ------------------------------------------------------------------------------------------------------------


def test_cq01_schema_org_only_finds_both_occupations_with_their_soc_codes(kg):
    """Which occupations have a SOC code, and which? (schema.org terms only)"""
    rows = ask_set(
        kg,
        """
        SELECT ?name ?code WHERE {
          ?occupation a schema:Occupation ;
                      schema:name ?name ;
                      schema:occupationalCategory ?category .
          ?category a schema:CategoryCode ;
                    schema:codeValue ?code ;
                    schema:inCodeSet ?set .
          ?set schema:name ?setName .
          FILTER (STRSTARTS(?setName, "Standard Occupational Classification"))
        }""",
    )
    assert {(CMA, "31-9092"), (CODER, "29-2072")} <= rows
    assert rows == {
        (CMA, "31-9092"),
        (CODER, "29-2072"),
        (MRHIT, "29-2071"),
        ("Medical Biller", "43-3021"),
        ("Cancer Registrar", "29-9021"),
    }


def test_cq02_schema_org_profile_of_both_occupations(kg):
    """Do both professions carry the schema:Occupation properties a job-posting consumer reads?"""
    rows = ask(
        kg,
        """
        SELECT ?name (COUNT(DISTINCT ?education) AS ?e) (COUNT(DISTINCT ?qualification) AS ?q)
               (COUNT(DISTINCT ?skill) AS ?s) (COUNT(DISTINCT ?duty) AS ?r)
               (COUNT(DISTINCT ?description) AS ?d)
        WHERE {
          ?occupation a schema:Occupation ; schema:name ?name ; schema:description ?description ;
                      schema:educationRequirements ?education ; schema:qualifications ?qualification ;
                      schema:skills ?skill ; schema:responsibilities ?duty .
        } GROUP BY ?name ORDER BY ?name""",
    )
    assert rows == [(CMA, 3, 1, 7, 11, 1), (CODER, 4, 1, 5, 6, 1)]


def test_cq03_schema_org_credentials_programs_sources_and_concepts(kg):
    """After reasoning: credentials recognizedBy, programs timeToComplete, sources prov/schema, concepts."""
    credentials = ask_set(
        kg,
        """SELECT ?credential ?org WHERE {
             ?credential a schema:EducationalOccupationalCredential ; schema:recognizedBy ?org }""",
    )
    assert credentials == {
        ("id:cma-certification", "id:aama"),
        ("id:medical-coding-certification", "id:aapc"),
        ("id:medical-coding-certification", "id:ahima"),
        ("id:medical-coding-certification", "id:pmi"),
        ("id:ctr-certification", "id:ncra"),
    }
    programs = ask_set(
        kg,
        "SELECT ?p ?t WHERE { ?p a schema:EducationalOccupationalProgram ; schema:timeToComplete ?t }",
    )
    assert programs == {
        ("id:cma-associate-program", duration("P2Y")),
        ("id:cma-bachelor-program", duration("P4Y")),
        ("id:coder-certificate-program", duration("P15M")),
        ("id:coder-associate-program", duration("P2Y")),
        ("id:coder-bachelor-program", duration("P4Y")),
    }
    for source in ("source-bls-oes-may-2016", "source-bls-ep-dec-2015", "source-seed-article"):
        assert (ID[source], RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) in kg.union
    assert (ID["source-bls-oes-may-2016"], RDF.type, SCHEMA.Dataset) in kg.union
    for concept in ("skill-attention-to-detail", "spec-podiatry", "setting-hospitals"):
        assert (ID[concept], RDF.type, SKOS.Concept) in kg.union


# ------------------------------------------------------------------------------------------------------------
# Competency questions: numbers, each with its source and date
# ------------------------------------------------------------------------------------------------------------

# The median/mean pay of each profession, following ckg:statisticsProxy for the coder's figures.
PAY_QUERY = """
    SELECT ?name ?value ?unit ?currency ?date ?title WHERE {
      ?profession a ckg:Profession ; skos:prefLabel ?name ; ckg:statisticsProxy? ?subject .
      VALUES ?profession { id:certified-medical-assistant id:medical-coder }
      ?stat ckg:about ?subject ; ckg:variable id:%s ; ckg:value ?value ; ckg:unit ?unit ;
            ckg:currency ?currency ; ckg:date ?date ; ckg:source ?source .
      ?source dct:title ?title .
    }"""


def test_cq04_median_annual_pay_with_source_and_date(kg):
    """What is the median annual pay of each profession, from which source and date?"""
    assert ask_set(kg, PAY_QUERY % "var-median-annual-wage") == {
        (CMA, Decimal("31540"), "id:unit-usd-per-year", "USD", "2016-05", OES_MAY_2016),
        (CODER, Decimal("38040"), "id:unit-usd-per-year", "USD", "2016-05", OES_MAY_2016),
    }


def test_cq05_median_hourly_pay(kg):
    """What is the median hourly pay of each profession?"""
    assert ask_set(kg, PAY_QUERY % "var-median-hourly-wage") == {
        (CMA, Decimal("15.17"), "id:unit-usd-per-hour", "USD", "2016-05", OES_MAY_2016),
        (CODER, Decimal("18.29"), "id:unit-usd-per-hour", "USD", "2016-05", OES_MAY_2016),
    }


def test_cq06_mean_pay_hourly_and_annual(kg):
    """What is the average (mean) pay of each profession, per hour and per year?"""
    assert ask_set(kg, PAY_QUERY % "var-mean-hourly-wage") == {
        (CMA, Decimal("15.79"), "id:unit-usd-per-hour", "USD", "2016-05", OES_MAY_2016),
        (CODER, Decimal("19.93"), "id:unit-usd-per-hour", "USD", "2016-05", OES_MAY_2016),
    }
    assert ask_set(kg, PAY_QUERY % "var-mean-annual-wage") == {
        (CMA, Decimal("32850"), "id:unit-usd-per-year", "USD", "2016-05", OES_MAY_2016),
        (CODER, Decimal("41460"), "id:unit-usd-per-year", "USD", "2016-05", OES_MAY_2016),
    }


def test_cq07_how_many_are_employed(kg):
    """How many people practise each profession in the US (and what category is the coder's figure about)?"""
    assert ask_set(
        kg,
        """SELECT ?subject ?value ?date ?title WHERE {
             ?stat ckg:variable id:var-employment ; ckg:about ?subject ; ckg:value ?value ;
                   ckg:unit id:unit-persons ;
                   ckg:date ?date ; ckg:source/dct:title ?title . }""",
    ) == {
        ("id:certified-medical-assistant", 623560, "2016-05", OES_MAY_2016),
        ("id:medical-records-and-health-information-technician", 200140, "2016-05", OES_MAY_2016),
    }


def test_cq08_projected_growth_2014_2024(kg):
    """What job growth is expected for 2014–2024, per BLS (Dec. 2015)?"""
    assert ask_set(
        kg,
        """SELECT ?subject ?value ?start ?end ?date ?title WHERE {
             ?stat ckg:variable id:var-projected-growth ; ckg:about ?subject ; ckg:value ?value ;
                   ckg:unit id:unit-percent ; ckg:periodStart ?start ; ckg:periodEnd ?end ; ckg:date ?date ;
                   ckg:source/dct:title ?title . }""",
    ) == {
        ("id:certified-medical-assistant", 23, "2014", "2024", "2015-12", EP_DEC_2015),
        ("id:medical-records-and-health-information-technician", 15, "2014", "2024", "2015-12", EP_DEC_2015),
    }


def test_cq09_projected_new_positions_by_2024_cite_the_seed(kg):
    """How many new positions are projected by 2024? (The seed gives no citation for this row.)"""
    assert ask_set(
        kg,
        """SELECT ?subject ?value ?date ?source WHERE {
             ?stat ckg:variable id:var-projected-new-positions ; ckg:about ?subject ; ckg:value ?value ;
                   ckg:unit id:unit-jobs ;
                   ckg:periodStart "2014"^^xsd:gYear ; ckg:periodEnd "2024"^^xsd:gYear ;
                   ckg:date ?date ; ckg:source ?source . }""",
    ) == {
        ("id:certified-medical-assistant", 138900, "2024", "id:source-seed-article"),
        ("id:medical-records-and-health-information-technician", 29000, "2024", "id:source-seed-article"),
    }


def test_cq10_where_medical_information_professionals_work(kg):
    """Which settings employ medical information professionals, and in what share (BLS Dec. 2015)?"""
    assert ask_set(
        kg,
        """SELECT ?setting ?share ?date ?title WHERE {
             ?group skos:altLabel "medical information professionals"@en .
             ?stat ckg:about ?group ; ckg:variable id:var-employment-share-by-setting ;
                   ckg:setting/skos:prefLabel ?setting ; ckg:value ?share ; ckg:unit id:unit-percent ;
                   ckg:date ?date ; ckg:source/dct:title ?title . }""",
    ) == {
        ("Hospitals", 38, "2015-12", EP_DEC_2015),
        ("Offices of physicians", 21, "2015-12", EP_DEC_2015),
        ("Nursing care facilities", 7, "2015-12", EP_DEC_2015),
        ("Administrative and support services", 6, "2015-12", EP_DEC_2015),
        ("Professional, scientific, and technical services", 5, "2015-12", EP_DEC_2015),
    }


def test_cq11_healthcare_among_the_fastest_growing_occupations(kg):
    """How many of the 20 fastest-growing occupations were related to healthcare (BLS Dec. 2019)?"""
    assert ask(
        kg,
        """SELECT ?group ?value ?unit ?date ?publisher WHERE {
             ?stat ckg:variable id:var-fastest-growing-count ; ckg:about ?group ; ckg:value ?value ;
                   ckg:unit ?unit ;
                   ckg:date ?date ; ckg:source ?source . ?source dct:publisher/skos:altLabel ?publisher .
             ?group a ckg:OccupationGroup . }""",
    ) == [("id:healthcare-occupations", 12, "id:unit-occupations", "2019-12", "BLS")]


def test_cq12_the_coders_figures_are_reported_under_mrhit(kg):
    """Under which category are medical coders' statistics reported, and what is that link called?"""
    assert ask(kg, "SELECT ?proxy WHERE { id:medical-coder ckg:statisticsProxy ?proxy }") == [
        ("id:medical-records-and-health-information-technician",)
    ]
    assert str(kg.union.value(CKG.statisticsProxy, RDFS.label)) == "statistics reported under"
    assert ask(kg, "SELECT ?s WHERE { ?s ckg:about id:medical-coder }") == []
    assert ask_set(
        kg,
        "SELECT ?r WHERE { id:medical-records-and-health-information-technician ckg:relatedProfession ?r }",
    ) == {"id:medical-coder"}


def test_cq13_every_statistic_is_one_number_with_a_dated_published_source(kg):
    """Are all 20 statistics single numbers with a source that has a publisher and date?"""
    rows = ask(
        kg,
        """SELECT ?stat (COUNT(DISTINCT ?value) AS ?n) (COUNT(DISTINCT ?date) AS ?d) WHERE {
             ?stat a ckg:Statistic ; ckg:value ?value ; ckg:source ?source .
             ?source dct:publisher ?publisher ; dct:date ?date . } GROUP BY ?stat""",
    )
    assert len(rows) == 20
    assert {(n, d) for _stat, n, d in rows} == {(1, 1)}


# ------------------------------------------------------------------------------------------------------------
# Competency questions: credentials, licensing, recertification
# ------------------------------------------------------------------------------------------------------------


def test_cq14_how_often_a_cma_recertifies_and_how_many_points(kg):
    """How often must a CMA re-certify, with how many points, according to which source?"""
    assert ask(
        kg,
        """SELECT ?months ?frequency ?points ?title WHERE {
             id:certified-medical-assistant ckg:requiredCredential/ckg:renewal ?renewal .
             ?renewal ckg:renewalMonths ?months ; ckg:renewalFrequency ?frequency ;
                      ckg:continuingEducationPoints ?points ; ckg:source/dct:title ?title . }""",
    ) == [(60, duration("P60M"), 60, "AAMA Recertification Handbook")]


def test_cq15_coders_recertification_depends_on_the_certifying_body(kg):
    """What governs a medical coder's re-certification?"""
    assert ask(
        kg,
        """SELECT ?description ?source WHERE {
             id:medical-coder ckg:optionalCredential/ckg:renewal ?renewal .
             ?renewal dct:description ?description ; ckg:source ?source . }""",
    ) == [
        (
            "The requirements for re-certification vary and ultimately depend on the source of the original "
            "certification (AAPC, AHIMA, etc.).",
            "id:source-seed-article",
        )
    ]


def test_cq16_required_and_voluntary_certifications_and_their_issuers(kg):
    """Which certifications does each profession require or offer, and who issues them?"""
    query = """SELECT ?issuer WHERE { id:%s ckg:%s ?credential . ?credential a ckg:Certification ;
                                       ckg:issuedBy/skos:prefLabel ?issuer . }"""
    assert ask_set(kg, query % ("certified-medical-assistant", "requiredCredential")) == {
        "American Association of Medical Assistants"
    }
    assert ask_set(kg, query % ("medical-coder", "requiredCredential")) == set()
    assert ask_set(kg, query % ("medical-coder", "optionalCredential")) == {
        "American Academy of Professional Coders",
        "American Health Information Management Association",
        "Practice Management Institute",
    }


def test_cq17_licensing_of_each_profession(kg):
    """Who licenses CMAs and with what prerequisite; is a license required for coders?"""
    assert ask(
        kg,
        """SELECT ?authority ?prerequisite WHERE {
             id:certified-medical-assistant ckg:licensing ?req .
             ?req ckg:licensingAuthority/skos:prefLabel ?authority ; ckg:prerequisite ?prerequisite . }""",
    ) == [("State licensing agency for CMAs (varies by state)", "id:cma-certification")]
    assert ask(kg, "SELECT ?r WHERE { id:medical-coder ckg:licensing/ckg:required ?r }") == [(False,)]
    assert ask(kg, "SELECT ?a WHERE { id:medical-coder ckg:licensing/ckg:licensingAuthority ?a }") == []
    washington = ask(
        kg,
        """SELECT ?req WHERE { ?req a ckg:LicensingRequirement ; dct:description ?d .
                               FILTER (CONTAINS(?d, "Washington") && CONTAINS(?d, "Departments of Health"))
                             }""",
    )
    assert washington == [("id:cma-licensing",)]


def test_cq18_cancer_registrars_may_need_a_license_and_the_ctr(kg):
    """What may those working as cancer registrars need?"""
    assert ask(
        kg,
        """SELECT ?credential ?issuer ?description WHERE {
             id:cancer-registrar ckg:relatedCredential ?c ; ckg:licensing/dct:description ?description .
             ?c skos:prefLabel ?credential ; ckg:issuedBy/skos:altLabel ?issuer . }""",
    ) == [
        (
            "Certified Tumor Registrar (CTR) certification",
            "NCRA",
            "Those working as a cancer registrar may need a license in some states, as well as the Certified "
            "Tumor Registrar (CTR) certification.",
        )
    ]


# ------------------------------------------------------------------------------------------------------------
# Competency questions: education and accreditation
# ------------------------------------------------------------------------------------------------------------


def test_cq19_which_bodies_accredit_medical_assisting_programs(kg):
    """Which bodies accredit the programs that make a CMA eligible, and who recognizes them?"""
    assert ask_set(
        kg,
        """SELECT ?body ?recognizer WHERE {
             id:certified-medical-assistant ckg:educationPath ?program .
             ?program ckg:accreditedBy ?b .
             ?b skos:altLabel ?body ; ckg:recognizedBy/skos:altLabel ?recognizer .
             FILTER (REGEX(?body, "^[A-Z]+$") && REGEX(?recognizer, "^[A-Z]+$")) }""",
    ) == {("CAAHEP", "CHEA"), ("ABHES", "CHEA")}


def test_cq20_who_accredits_coding_programs(kg):
    """Which body is the main accreditor of medical coding programs?"""
    assert ask_set(
        kg,
        """SELECT ?body WHERE { id:medical-coder ckg:educationPath/ckg:accreditedBy/skos:altLabel ?body }""",
    ) == {"CAHIIM"}
    assert ask_set(kg, "SELECT ?program WHERE { id:cahiim ckg:accredits ?program }") == {
        "id:coder-certificate-program",
        "id:coder-associate-program",
    }


def test_cq21_cma_degrees_and_how_long_they_take(kg):
    """Which degrees does a CMA need (or may add), and how long do they take?"""
    assert ask_set(
        kg,
        """SELECT ?level ?required ?typical WHERE {
             id:certified-medical-assistant ckg:educationPath ?p .
             ?p ckg:programLevel/skos:prefLabel ?level ; ckg:required ?required .
             OPTIONAL { ?p ckg:typicalDuration ?typical } }""",
    ) == {
        ("Associate degree", True, duration("P2Y")),
        ("Bachelor's degree", True, duration("P4Y")),
        ("Master's degree", False, None),
    }
    practicum = ask_set(
        kg,
        """SELECT ?p WHERE { id:certified-medical-assistant ckg:educationPath ?p .
                             ?p dct:description ?d . FILTER (CONTAINS(?d, "clinical practicum")) }""",
    )
    assert practicum == {"id:cma-associate-program", "id:cma-bachelor-program"}


def test_cq22_coder_education_paths_and_durations(kg):
    """Which education paths lead to medical coding, and how long do they take?"""
    assert ask_set(
        kg,
        """SELECT ?level ?min ?max ?typical WHERE {
             id:medical-coder ckg:educationPath ?p . ?p ckg:programLevel/skos:prefLabel ?level .
             OPTIONAL { ?p ckg:minDuration ?min } OPTIONAL { ?p ckg:maxDuration ?max }
             OPTIONAL { ?p ckg:typicalDuration ?typical } }""",
    ) == {
        ("High school diploma", None, None, None),
        ("Postsecondary certificate or diploma", duration("P4M"), duration("P15M"), None),
        ("Associate degree", None, None, duration("P2Y")),
        ("Bachelor's degree", None, duration("P4Y"), None),
    }
    assert ask(kg, "SELECT ?r WHERE { id:coder-bachelor-program ckg:required ?r }") == [(False,)]


# ------------------------------------------------------------------------------------------------------------
# Competency questions: coding systems
# ------------------------------------------------------------------------------------------------------------


def test_cq23_coding_systems_coders_use_and_their_maintainers(kg):
    """Which coding systems do coders use, and who maintains each?"""
    assert ask_set(
        kg,
        """SELECT ?system ?maintainer WHERE {
             id:medical-coder ckg:usesCodingSystem ?s .
             ?s skos:altLabel ?system ; ckg:maintainedBy/skos:altLabel ?maintainer .
             FILTER (!CONTAINS(?system, "®")) }""",
    ) == {("CPT", "AMA"), ("ICD-10-CM", "NCHS"), ("HCPCS Level II", "CMS")}
    assert ask(kg, "SELECT ?parent WHERE { id:nchs schema:parentOrganization/skos:altLabel ?parent }") == [
        ("CDC",)
    ]
    assert ask_set(kg, "SELECT ?p WHERE { id:cpt ckg:usedBy ?p }") == {"id:medical-coder"}


# ------------------------------------------------------------------------------------------------------------
# Competency questions: duties, skills, specializations, settings, practice
# ------------------------------------------------------------------------------------------------------------


def _labels(kg, subject: str, path: str) -> set[str]:
    return ask_set(kg, f"SELECT ?label WHERE {{ id:{subject} {path} ?x . ?x skos:prefLabel ?label }}")


def test_cq24_cma_clinical_and_administrative_duties(kg):
    """Which clinical and which administrative duties do medical assistants have (per the AAMA)?"""
    query = """SELECT ?label WHERE { id:certified-medical-assistant ckg:hasDuty ?d .
                                     ?d skos:broader id:%s ; skos:prefLabel ?label ;
                                        ckg:source id:source-aama . }"""
    assert ask_set(kg, query % "duty-clinical-tasks") == {
        "Taking medical histories",
        "Drawing blood",
        "Conducting basic lab tests",
        "Removing sutures",
        "Performing other medical tasks",
    }
    assert ask_set(kg, query % "duty-administrative-tasks") == {
        "Greeting patients",
        "Scheduling appointments",
        "Filing insurance forms",
        "Handling bookkeeping",
    }


def test_cq25_billers_are_a_separate_related_position(kg):
    """What do medical billers do, and how are they related to coders?"""
    assert _labels(kg, "medical-biller", "ckg:hasDuty") == {
        "Processing claims",
        "Following up with insurance companies",
    }
    assert ask_set(kg, "SELECT ?r WHERE { id:medical-biller ckg:relatedProfession ?r }") == {
        "id:medical-coder"
    }
    both = ask(
        kg,
        """SELECT ?p WHERE { ?p dct:description ?d .
                             FILTER (CONTAINS(?d, "trained as both medical biller and coder")) }""",
    )
    assert both == [("id:medical-biller",)]


def test_cq26_the_aapc_definition_of_medical_coding(kg):
    """How does the AAPC (2017) define medical coding?"""
    assert ask(
        kg,
        """SELECT ?definition ?year WHERE {
             id:medical-coder ckg:hasDuty ?coding . ?coding skos:prefLabel "Medical coding"@en ;
             skos:definition ?definition ; ckg:source ?source .
             ?source dct:date ?year ; dct:publisher id:aapc . }""",
    ) == [
        (
            "The process of translating medical diagnoses, treatments, equipment, and other aspects of "
            "healthcare delivery into universal alphanumeric codes, which are used to keep detailed medical "
            "records and to "
            "track all healthcare activities for eventual billing purposes.",
            "2017",
        )
    ]


def test_cq27_skills_shared_and_distinct(kg):
    """Which skills do both professions need, and which only one (one node per shared skill)?"""
    cma = _labels(kg, "certified-medical-assistant", "ckg:hasSkill")
    coder = _labels(kg, "medical-coder", "ckg:hasSkill")
    assert cma & coder == {
        "Attention to detail",
        "Interpersonal skills",
        "Analytical skills",
        "Technical skills",
    }
    assert cma - coder == {"Patience", "Anatomy", "Medical terminology"}
    assert coder - cma == {"Integrity"}
    assert ask_set(kg, "SELECT ?p WHERE { id:skill-attention-to-detail ckg:skillOf ?p }") == {
        "id:certified-medical-assistant",
        "id:medical-coder",
    }


def test_cq28_specializations(kg):
    """Which areas may each profession specialize in?"""
    cma = _labels(kg, "certified-medical-assistant", "ckg:specialization")
    coder = _labels(kg, "medical-coder", "ckg:specialization")
    assert cma == {
        "Clinical",
        "Administrative",
        "Obstetrics",
        "Podiatry",
        "Internal medicine",
        "Chiropractic care",
    }
    assert coder == {
        "Dermatology",
        "Chiropractic care",
        "General surgery",
        "Gastroenterology",
        "Urology",
        "Pediatrics",
        "Hematology and oncology",
        "Anesthesia and pain management",
    }
    assert cma & coder == {"Chiropractic care"}


def test_cq29_common_work_settings_and_practice_frameworks(kg):
    """Where does each profession work, and in what capacity?"""
    assert _labels(kg, "certified-medical-assistant", "ckg:workSetting") == {
        "Doctor's office or clinic",
        "Public or private hospital",
        "Other healthcare facility",
        "Healthcare setting",
    }
    assert _labels(kg, "medical-coder", "ckg:workSetting") == {
        "Administrative office setting",
        "Healthcare setting",
    }
    assert _labels(kg, "certified-medical-assistant", "ckg:practiceFramework") == {
        "Assisting capacity within a larger team"
    }
    assert _labels(kg, "medical-coder", "ckg:practiceFramework") == {"Administrative liaison"}


# ------------------------------------------------------------------------------------------------------------
# Competency questions: identity, codes, labels, provenance
# ------------------------------------------------------------------------------------------------------------


def test_cq30_occupation_codes_of_every_profession(kg):
    """Which SOC and ISCO-08 codes classify each profession, and in which code set?"""
    assert ask_set(
        kg,
        """SELECT ?profession ?code ?set WHERE {
             ?profession a ckg:Profession ; ckg:occupationCode ?c .
             ?c schema:codeValue ?code ; schema:inCodeSet/skos:altLabel ?set . }""",
    ) == {
        ("id:certified-medical-assistant", "31-9092", "SOC 2010"),
        ("id:certified-medical-assistant", "31-9092", "SOC 2018"),
        ("id:certified-medical-assistant", "3256", "ISCO-08"),
        ("id:medical-coder", "29-2072", "SOC 2018"),
        ("id:medical-coder", "3252", "ISCO-08"),
        ("id:medical-records-and-health-information-technician", "29-2071", "SOC 2010"),
        ("id:medical-records-and-health-information-technician", "3252", "ISCO-08"),
        ("id:cancer-registrar", "29-9021", "SOC 2018"),
        ("id:medical-biller", "43-3021", "SOC 2010"),
        ("id:medical-biller", "43-3021", "SOC 2018"),
        ("id:licensed-clinician", "2211", "ISCO-08"),
        ("id:licensed-clinician", "2212", "ISCO-08"),
        ("id:licensed-clinician", "2221", "ISCO-08"),
    }


def test_cq31_every_occupation_code_cites_a_named_classification_source(kg):
    """Which sources attribute the occupation codes?"""
    assert ask_set(
        kg,
        "SELECT ?title WHERE { ?c a ckg:OccupationCode ; ckg:source/dct:title ?title }",
    ) == {
        "2010 Standard Occupational Classification (SOC)",
        "2018 Standard Occupational Classification (SOC)",
        "International Standard Classification of Occupations: ISCO-08",
        "O*NET OnLine: 29-2072.00 Medical Records Specialists",
        "O*NET OnLine: Summary Report for 43-3021.02 - Billing, Cost, and Rate Clerks",
    }
    assert ask(kg, "SELECT ?d WHERE { id:soc-29-2072 dct:description ?d }") == [
        (
            "The SOC 2018 detailed occupation Medical Records Specialists, "
            "which O*NET says includes medical coders.",
        )
    ]


@pytest.mark.parametrize(
    ("acronym", "expected"),
    [
        ("CAAHEP", "Commission on Accreditation of Allied Health Education Programs"),
        ("ABHES", "Accrediting Bureau of Health Education Schools"),
        ("CAHIIM", "Commission on Accreditation for Health Informatics and Information Management Education"),
        ("CMA", "Certified Medical Assistant"),
        ("CTR", "Certified Tumor Registrar (CTR) certification"),
    ],
)
def test_cq32_acronyms_find_their_entities(kg, acronym, expected):
    """Which entity does an acronym stand for?"""
    rows = ask(kg, f'SELECT ?name WHERE {{ ?x skos:altLabel "{acronym}"@en ; skos:prefLabel ?name }}')
    assert rows == [(expected,)]


def test_cq33_the_seed_article_as_a_source(kg):
    """What is the seed article as a source: title, publisher, date, and why that date?"""
    rows = ask(
        kg,
        """SELECT ?title ?publisher ?date ?comment WHERE {
             id:source-seed-article dct:title ?title ; dct:publisher/skos:prefLabel ?publisher ;
                                    dct:date ?date ;
                                    rdfs:comment ?comment . }""",
    )
    assert rows == [
        (
            SEED_ARTICLE,
            "Publisher of the seed article (not named in the document)",
            "2026-11-27",
            "dct:date is the date the document was received by Careers KG: "
            "the document states no publication "
            "date and cites sources up to December 2019.",
        )
    ]


def test_cq34_sources_the_seed_cites(kg):
    """Which sources does the seed article cite?"""
    assert ask_set(kg, "SELECT ?s WHERE { ?s dct:isReferencedBy id:source-seed-article }") == {
        "id:source-bls-oes-may-2016",
        "id:source-bls-ep-dec-2015",
        "id:source-bls-dec-2019",
        "id:source-aapc-2017",
        "id:source-aama",
        "id:source-aama-recertification-handbook",
        "id:source-bls-coder-qualities",
    }
    assert ask(kg, "SELECT ?url WHERE { id:source-bls-oes-may-2016 schema:url ?url }") == [
        ("https://www.bls.gov/oes/2016/may/oes_nat.htm",)
    ]


def test_cq35_what_these_careers_are_not(kg):
    """Which career do CMAs and coders not need the commitment of, and who are its members?"""
    assert ask_set(kg, "SELECT ?p WHERE { id:licensed-clinician ckg:relatedProfession ?p }") == {
        "id:certified-medical-assistant",
        "id:medical-coder",
    }
    assert ask(kg, "SELECT ?alt WHERE { id:licensed-clinician skos:altLabel ?alt }") == [
        ("doctors or nurses",)
    ]


def test_cq36_provenance_in_prov_terms_after_reasoning(kg):
    """After reasoning, is every statistic prov:wasDerivedFrom a prov:Entity source?"""
    rows = ask(
        kg,
        """SELECT (COUNT(DISTINCT ?stat) AS ?n) WHERE {
             ?stat a ckg:Statistic ; prov:wasDerivedFrom ?source . ?source a prov:Entity . }""",
    )
    assert rows == [(20,)]
