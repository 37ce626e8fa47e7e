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
from rdflib.namespace import DCTERMS, SKOS

from kg.rdf.namespaces import CKG, ID, SCHEMA, sparql_prologue

PROLOGUE = sparql_prologue()
OES_MAY_2016 = "May 2016 National Occupational Employment and Wage Estimates, United States"
EP_DEC_2015 = "Employment Projections 2014–24"
SEED_ARTICLE = "Certified Medical Assistant (CMA) vs. Medical Coder"
CMA = "Certified Medical Assistant"
CODER = "Medical Coder"
MRHIT = "Medical Records and Health Information Technicians"
MEDICAL_ASSISTANTS = "Medical Assistants"
SEED = "id:source-seed-article"
AAMA = "id:source-aama"
# The classes of docs/data-model.md (plus MonetaryUnit, added with this data).
CLASSES = (
    "Profession StatisticalOccupation OccupationGroup OccupationCode OccupationCodeSet Credential "
    "Certification License Degree Diploma EducationProgram ProgramLevel ProgramComponent Organization "
    "CertifyingBody AccreditingBody RecognitionBody LicensingAuthority StatisticsPublisher "
    "ProfessionalAssociation StandardsMaintainer CodingSystem Statistic StatisticalVariable Unit "
    "MonetaryUnit Source DatasetRelease Publication Claim Skill Specialization WorkSetting Duty "
    "RenewalRequirement LicensingRequirement LicensingStatus EligibilityRequirement PracticeFramework"
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
    assert len(terms) == len(CLASSES) + 61 + 14 + 17  # 61 properties; OEWS: 14 and the 17 measures
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
    assert (CKG.sometimesTrainedWith, RDF.type, OWL.SymmetricProperty) in kg.ontology


def test_every_data_entity_has_exactly_one_english_preferred_label(kg):
    subjects = {s for s in kg.data.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ID))}
    claims = set(kg.data.subjects(RDF.type, CKG.Claim))  # <subject#claim-…>: part of their subject's page
    assert len(claims) == 34 and all("#claim-" in str(c) for c in claims)
    subjects -= claims
    assert (
        ID["medical-coder"] in subjects
        and ID["stat-medical-assistants-median-annual-wage-2016-05"] in subjects
    )
    for s in subjects:
        labels = list(kg.data.objects(s, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "en", s


def test_every_data_entity_except_vocabulary_and_sources_cites_a_source(kg):
    vocabulary = {CKG.Unit, CKG.MonetaryUnit, CKG.StatisticalVariable, CKG.ProgramLevel, CKG.LicensingStatus}
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
        (MEDICAL_ASSISTANTS, "31-9092"),
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

# The median/mean pay of each profession: the figures of the statistical occupation it is reported under.
PAY_QUERY = """
    SELECT ?name ?value ?unit ?currency ?date ?title WHERE {
      ?profession a ckg:Profession ; skos:prefLabel ?name ; ckg:reportedUnder ?subject .
      VALUES ?profession { id:certified-medical-assistant id:medical-coder }
      ?stat ckg:about ?subject ; ckg:variable id:%s ; ckg:value ?value ; ckg:unit ?unit ;
            ckg:currency ?currency ; ckg:refPeriod ?date ; ckg:source ?source .
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
    """How many people are employed in each occupation BLS counts? (623,560 medical assistants, not CMAs.)"""
    assert ask_set(
        kg,
        """SELECT ?subject ?value ?date ?title WHERE {
             ?stat ckg:variable id:var-employment ; ckg:about ?subject ; ckg:value ?value ;
                   ckg:unit id:unit-persons ;
                   ckg:refPeriod ?date ; ckg:source/dct:title ?title . }""",
    ) == {
        ("id:medical-assistant", 623560, "2016-05", OES_MAY_2016),
        ("id:medical-records-and-health-information-technician", 200140, "2016-05", OES_MAY_2016),
    }


def test_cq07b_no_figure_is_about_certified_medical_assistants_or_coders(kg):
    """How many CMAs are there? The graph does not know: BLS counts all medical assistants, certified or
    not."""
    assert ask(kg, "SELECT ?s WHERE { ?s ckg:about id:certified-medical-assistant }") == []
    assert ask(kg, "SELECT ?s WHERE { ?s ckg:about id:medical-coder }") == []
    assert ask_set(kg, "SELECT ?s WHERE { ?s ckg:about id:medical-assistant }") == {
        "id:stat-medical-assistants-employment-2016-05",
        "id:stat-medical-assistants-median-hourly-wage-2016-05",
        "id:stat-medical-assistants-median-annual-wage-2016-05",
        "id:stat-medical-assistants-mean-hourly-wage-2016-05",
        "id:stat-medical-assistants-mean-annual-wage-2016-05",
        "id:stat-medical-assistants-projected-growth-2014-2024",
        "id:stat-medical-assistants-projected-new-positions-2024",
    }


def test_cq08_projected_growth_2014_2024(kg):
    """What job growth is expected for 2014–2024, per BLS (Dec. 2015)? Published 2015-12, for 2014–2024."""
    assert ask_set(
        kg,
        """SELECT ?subject ?value ?start ?end ?published ?title WHERE {
             ?stat ckg:variable id:var-projected-growth ; ckg:about ?subject ; ckg:value ?value ;
                   ckg:unit id:unit-percent ; ckg:periodStart ?start ; ckg:periodEnd ?end ;
                   ckg:source ?source . ?source dct:title ?title ; dct:issued ?published .
             FILTER NOT EXISTS { ?stat ckg:refPeriod ?any } }""",
    ) == {
        ("id:medical-assistant", 23, "2014", "2024", "2015-12", EP_DEC_2015),
        ("id:medical-records-and-health-information-technician", 15, "2014", "2024", "2015-12", EP_DEC_2015),
    }


def test_cq09_projected_new_positions_by_2024_cite_the_seed(kg):
    """How many new positions are projected by 2024? (The seed gives no citation for this row.) The two
    projection figures carry the same dates: the period 2014–2024, no date of their own (not "2024")."""
    assert ask_set(
        kg,
        """SELECT ?subject ?value ?source WHERE {
             ?stat ckg:variable id:var-projected-new-positions ; ckg:about ?subject ; ckg:value ?value ;
                   ckg:unit id:unit-jobs ;
                   ckg:periodStart "2014"^^xsd:gYear ; ckg:periodEnd "2024"^^xsd:gYear ;
                   ckg:source ?source . }""",
    ) == {
        ("id:medical-assistant", 138900, SEED),
        ("id:medical-records-and-health-information-technician", 29000, SEED),
    }
    dates = """SELECT ?p ?o WHERE { ?stat ckg:variable id:%s ; ckg:about id:medical-assistant ; ?p ?o .
                                     FILTER (?p IN (ckg:refPeriod, ckg:periodStart, ckg:periodEnd)) }"""
    growth = ask_set(kg, dates % "var-projected-growth")
    assert growth == ask_set(kg, dates % "var-projected-new-positions")
    assert growth == {
        ("https://w3id.org/careers-kg/ontology#periodStart", "2014"),
        ("https://w3id.org/careers-kg/ontology#periodEnd", "2024"),
    }


def test_cq10_where_medical_information_professionals_work(kg):
    """Which settings employ medical information professionals, and in what share (BLS, published Dec. 2015;
    the seed gives no reference period, so the shares carry none)?"""
    assert ask_set(
        kg,
        """SELECT ?setting ?share ?date ?title WHERE {
             ?group skos:altLabel "medical information professionals"@en .
             ?stat ckg:about ?group ; ckg:variable id:var-employment-share-by-setting ;
                   ckg:setting/skos:prefLabel ?setting ; ckg:value ?share ; ckg:unit id:unit-percent ;
                   ckg:source ?source . ?source dct:issued ?date ; dct:title ?title .
             FILTER NOT EXISTS { ?stat ckg:refPeriod ?any } }""",
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
                   ckg:source ?source . ?source dct:issued ?date ; dct:publisher/skos:altLabel ?publisher .
             ?group a ckg:OccupationGroup . }""",
    ) == [("id:healthcare-occupations", 12, "id:unit-occupations", "2019-12", "BLS")]


def test_cq12_both_professions_report_under_a_statistical_occupation(kg):
    """Under which occupation are each profession's figures reported, and what is that link called?"""
    assert ask_set(
        kg,
        """SELECT ?profession ?occupation ?name ?scope WHERE {
             ?profession ckg:reportedUnder ?occupation .
             ?occupation a ckg:StatisticalOccupation ; skos:prefLabel ?name ; skos:scopeNote ?scope . }""",
    ) == {
        (
            "id:certified-medical-assistant",
            "id:medical-assistant",
            MEDICAL_ASSISTANTS,
            "All medical assistants, certified or not.",
        ),
        (
            "id:medical-coder",
            "id:medical-records-and-health-information-technician",
            MRHIT,
            "An occupational category closely related to coding: all medical records and health information "
            "technicians, not medical coders alone.",
        ),
    }
    assert str(kg.union.value(CKG.reportedUnder, RDFS.label)) == "figures reported under"
    assert (CKG.statisticsProxy, None, None) not in kg.union
    for occupation in ("medical-assistant", "medical-records-and-health-information-technician"):
        assert (ID[occupation], RDF.type, CKG.Profession) not in kg.union
        assert (ID[occupation], RDF.type, SCHEMA.Occupation) in kg.union
    assert ask_set(
        kg, "SELECT ?code WHERE { id:medical-assistant ckg:occupationCode/schema:codeValue ?code }"
    ) == {"31-9092"}
    # the link between the coder and the category was a "related profession"; it is ckg:reportedUnder now
    assert (
        ask_set(
            kg,
            """SELECT ?r WHERE {
                 id:medical-records-and-health-information-technician ckg:relatedProfession ?r }""",
        )
        == set()
    )


def test_cq13_every_statistic_is_one_number_that_says_when(kg):
    """Are all 20 statistics single numbers, each with a reference period or a source's publication date?"""
    rows = ask(
        kg,
        """SELECT ?stat (COUNT(DISTINCT ?value) AS ?n) (COUNT(DISTINCT ?when) AS ?w) WHERE {
             ?stat a ckg:Statistic ; ckg:value ?value ; ckg:source ?source .
             ?source dct:publisher ?publisher .
             OPTIONAL { ?source dct:issued ?issued }
             OPTIONAL { ?stat ckg:refPeriod ?period }
             OPTIONAL { ?stat ckg:periodStart ?start }
             BIND (COALESCE(?period, ?start, ?issued) AS ?when) } GROUP BY ?stat""",
    )
    assert len(rows) == 20
    assert {(n, w) for _stat, n, w in rows} == {(1, 1)}


# ------------------------------------------------------------------------------------------------------------
# Competency questions: credentials, licensing, recertification
# ------------------------------------------------------------------------------------------------------------


def test_cq14_how_often_a_cma_recertifies_and_how_many_points(kg):
    """How often must a CMA re-certify, with how many points, according to which source?"""
    assert ask_set(
        kg,
        """SELECT ?months ?frequency ?points ?title WHERE {
             id:certified-medical-assistant ckg:requiredCredential/ckg:renewal ?renewal .
             ?renewal ckg:minMonths ?months ; ckg:maxMonths ?months ; ckg:renewalFrequency ?frequency ;
                      ckg:continuingEducationPoints ?points ; ckg:source/dct:title ?title . }""",
    ) == {
        (60, duration("P60M"), 60, "AAMA Recertification Handbook"),
        (60, duration("P60M"), 60, SEED_ARTICLE),  # the seed states the rule itself
    }


def test_cq15_coders_recertification_depends_on_the_certifying_body(kg):
    """What governs a medical coder's re-certification? The body that issued the original certification."""
    assert ask_set(kg, "SELECT ?body WHERE { id:coder-recertification ckg:setBy/skos:altLabel ?body }") == {
        "AAPC",
        "AHIMA",
    }
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
    assert ask(kg, "SELECT ?s WHERE { id:medical-coder ckg:licensing/ckg:licensingStatus ?s }") == [
        ("id:licensing-not-required",)
    ]
    assert ask(kg, "SELECT ?a WHERE { id:medical-coder ckg:licensing/ckg:licensingAuthority ?a }") == []
    assert ask(kg, "SELECT ?a WHERE { id:state-licensing-agency skos:altLabel ?a }") == []
    washington = ask(
        kg,
        """SELECT ?req WHERE { ?req a ckg:LicensingRequirement ; dct:description ?d .
                               FILTER (CONTAINS(?d, "Washington") && CONTAINS(?d, "Departments of Health"))
                             }""",
    )
    assert washington == [("id:cma-licensing",)]


def test_cq17b_which_careers_need_a_licence(kg):
    """Which careers need a licence? A value a query filters on: the CMA (by state), the cancer registrar in
    some states; the medical coder does not."""
    assert ask_set(
        kg,
        """SELECT ?profession ?status WHERE {
             ?profession ckg:licensing/ckg:licensingStatus ?status .
             FILTER (?status IN (id:licensing-required, id:licensing-required-in-some-states)) }""",
    ) == {
        ("id:certified-medical-assistant", "id:licensing-required"),
        ("id:cancer-registrar", "id:licensing-required-in-some-states"),
    }
    assert ask(kg, "SELECT ?p WHERE { ?p ckg:licensing/ckg:licensingStatus id:licensing-not-required }") == [
        ("id:medical-coder",)
    ]
    assert ask(kg, "SELECT ?r WHERE { ?x a ckg:LicensingRequirement ; ckg:required ?r }") == []


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
    """Which bodies accredit the programs that make a CMA eligible, and what does eligibility ask of them?
    No source says that CHEA recognizes CAAHEP or ABHES: the AAMA's rule is data instead."""
    assert ask_set(
        kg,
        """SELECT ?program ?body WHERE {
             id:certified-medical-assistant ckg:educationPath ?program .
             ?program ckg:accreditedBy/skos:altLabel ?body . FILTER (REGEX(?body, "^[A-Z]+$")) }""",
    ) == {
        ("id:cma-associate-program", "CAAHEP"),
        ("id:cma-associate-program", "ABHES"),
        ("id:cma-bachelor-program", "CAAHEP"),
        ("id:cma-bachelor-program", "ABHES"),
    }
    assert ask(kg, "SELECT ?a ?b WHERE { ?a ckg:recognizedBy ?b }") == []
    assert ask(
        kg,
        """SELECT ?recognizer ?source WHERE {
             id:certified-medical-assistant ckg:requiredCredential/ckg:eligibility ?rule .
             ?rule ckg:accreditorRecognizedBy/skos:altLabel ?recognizer ; ckg:source ?source .
             FILTER (STR(?recognizer) = "CHEA") }""",
    ) == [("CHEA", AAMA)]
    assert ask_set(
        kg,
        "SELECT ?body WHERE { id:certified-medical-assistant ckg:predominantAccreditor/skos:altLabel ?body }",
    ) == {"CAAHEP", "ABHES"}


def test_cq20_who_accredits_coding_programs(kg):
    """Which body is the main accreditor of medical coding programs? (Not: which program it accredits.)"""
    assert ask(kg, "SELECT ?body WHERE { id:medical-coder ckg:predominantAccreditor ?body }") == [
        ("id:cahiim",)
    ]
    assert ask(kg, "SELECT ?program WHERE { id:cahiim ckg:accredits ?program }") == []
    assert ask(kg, "SELECT ?b WHERE { id:medical-coder ckg:educationPath/ckg:accreditedBy ?b }") == []


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
        """SELECT ?p ?label WHERE { id:certified-medical-assistant ckg:educationPath ?p .
                             ?p ckg:generallyIncludes/skos:prefLabel ?label }""",
    )
    assert practicum == {
        ("id:cma-associate-program", "Clinical practicum or similar project"),
        ("id:cma-bachelor-program", "Clinical practicum or similar project"),
    }


def test_cq22_coder_education_paths_and_durations(kg):
    """Which education paths lead to medical coding, and how long do they take (also in whole months)?"""
    assert ask_set(
        kg,
        """SELECT ?level ?min ?max ?typical ?minMonths ?maxMonths WHERE {
             id:medical-coder ckg:educationPath ?p . ?p ckg:programLevel/skos:prefLabel ?level .
             OPTIONAL { ?p ckg:minDuration ?min } OPTIONAL { ?p ckg:maxDuration ?max }
             OPTIONAL { ?p ckg:typicalDuration ?typical }
             OPTIONAL { ?p ckg:minMonths ?minMonths } OPTIONAL { ?p ckg:maxMonths ?maxMonths } }""",
    ) == {
        ("High school diploma", None, None, None, None, None),
        ("Postsecondary certificate or diploma", duration("P4M"), duration("P15M"), None, 4, 15),
        ("Associate degree", None, None, duration("P2Y"), 24, 24),
        ("Bachelor's degree", None, duration("P4Y"), None, None, 48),
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
             ?source dct:issued ?year ; dct:publisher id:aapc . }""",
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


def test_cq27b_each_profession_s_skills_cite_their_own_source(kg):
    """Who says which skill? The CMA's skills come from the seed itself, the coder's from the BLS (as cited in
    the seed): the citation is on the claim, not on the shared skill node."""
    claimed = """SELECT ?skill ?source WHERE {
                   ?claim a ckg:Claim ; rdf:subject id:%s ; rdf:predicate ckg:hasSkill ; rdf:object ?skill ;
                          ckg:source ?source . }"""
    assert ask(kg, claimed % "certified-medical-assistant") == []
    assert ask(kg, "SELECT ?s WHERE { id:certified-medical-assistant ckg:source ?s }") == [(SEED,)]
    assert ask_set(kg, claimed % "medical-coder") == {
        (f"id:skill-{s}", "id:source-bls-coder-qualities")
        for s in ("integrity", "analytical", "attention-to-detail", "technical", "interpersonal")
    }
    assert ask_set(kg, "SELECT ?s WHERE { id:skill-attention-to-detail ckg:source ?s }") == {SEED}


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
    """Which SOC and ISCO-08 codes classify each profession and statistical occupation, in which code set,
    according to which source (the seed gives no codes)?"""
    assert ask_set(
        kg,
        """SELECT ?profession ?code ?set ?source WHERE {
             ?profession ckg:occupationCode ?c .
             ?c schema:codeValue ?code ; schema:inCodeSet/skos:altLabel ?set .
             ?claim a ckg:Claim ; rdf:subject ?profession ; rdf:predicate ckg:occupationCode ; rdf:object ?c ;
                    ckg:source ?source . }""",
    ) == {
        ("id:certified-medical-assistant", "31-9092", "SOC 2010", "id:source-bls-soc-2010"),
        ("id:certified-medical-assistant", "31-9092", "SOC 2010", "id:source-bls-soc-2018"),
        ("id:certified-medical-assistant", "31-9092", "SOC 2018", "id:source-bls-soc-2010"),
        ("id:certified-medical-assistant", "31-9092", "SOC 2018", "id:source-bls-soc-2018"),
        ("id:certified-medical-assistant", "3256", "ISCO-08", "id:source-ilo-isco-08"),
        ("id:medical-assistant", "31-9092", "SOC 2010", "id:source-bls-soc-2010"),
        ("id:medical-assistant", "31-9092", "SOC 2010", "id:source-bls-soc-2018"),
        ("id:medical-assistant", "31-9092", "SOC 2018", "id:source-bls-soc-2010"),
        ("id:medical-assistant", "31-9092", "SOC 2018", "id:source-bls-soc-2018"),
        ("id:medical-coder", "29-2072", "SOC 2018", "id:source-onet-29-2072"),
        ("id:medical-coder", "3252", "ISCO-08", "id:source-ilo-isco-08"),
        (
            "id:medical-records-and-health-information-technician",
            "29-2071",
            "SOC 2010",
            "id:source-bls-soc-2010",
        ),
        ("id:medical-records-and-health-information-technician", "3252", "ISCO-08", "id:source-ilo-isco-08"),
        ("id:cancer-registrar", "29-9021", "SOC 2018", "id:source-bls-ooh-health-information-technologists"),
        ("id:medical-biller", "43-3021", "SOC 2010", "id:source-onet-43-3021-02"),
        ("id:medical-biller", "43-3021", "SOC 2018", "id:source-onet-43-3021-02"),
        ("id:licensed-clinician", "2211", "ISCO-08", "id:source-ilo-isco-08"),
        ("id:licensed-clinician", "2212", "ISCO-08", "id:source-ilo-isco-08"),
        ("id:licensed-clinician", "2221", "ISCO-08", "id:source-ilo-isco-08"),
    }
    unclaimed = """SELECT ?p ?c WHERE { ?p ckg:occupationCode ?c .
                     FILTER NOT EXISTS { ?x a ckg:Claim ; rdf:subject ?p ; rdf:predicate ckg:occupationCode ;
                                            rdf:object ?c } }"""
    assert ask(kg, unclaimed) == []


def test_cq31_every_occupation_code_cites_a_named_classification_source(kg):
    """Which sources attribute the occupation codes?"""
    assert ask_set(
        kg,
        "SELECT ?title WHERE { ?c a ckg:OccupationCode ; ckg:source/dct:title ?title }",
    ) == {
        "2010 Standard Occupational Classification (SOC)",
        "2018 Standard Occupational Classification (SOC)",
        "International Standard Classification of Occupations: ISCO-08",
    }
    assert ask(kg, "SELECT ?d WHERE { id:soc-29-2072 dct:description ?d }") == [
        ("The SOC 2018 detailed occupation Medical Records Specialists.",)
    ]
    assert ask_set(
        kg,
        """SELECT ?replacement ?source WHERE { ?claim a ckg:Claim ; rdf:subject id:soc-29-2071 ;
             rdf:predicate dct:isReplacedBy ; rdf:object ?replacement ; ckg:source ?source }""",
    ) == {("id:soc-29-2072", "id:source-bls-soc-2018"), ("id:soc-29-9021", "id:source-bls-soc-2018")}


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
    """What is the seed article as a source: title, publisher, and what is known of its dates?"""
    rows = ask(
        kg,
        """SELECT ?title ?publisher ?unknown ?notBefore ?retrieved WHERE {
             id:source-seed-article dct:title ?title ; dct:publisher/skos:prefLabel ?publisher ;
                                    ckg:issuedUnknown ?unknown ; ckg:issuedNotBefore ?notBefore ;
                                    ckg:retrieved ?retrieved .
             FILTER NOT EXISTS { id:source-seed-article dct:issued ?issued } }""",
    )
    assert rows == [
        (
            SEED_ARTICLE,
            "Publisher of the seed article (not named in the document)",
            "The article states no publication date.",
            "2019-12",
            "2026-11-27",
        )
    ]
    assert "inferred by Careers KG, not stated" in str(kg.data.value(ID["source-seed-article"], RDFS.comment))


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


# ------------------------------------------------------------------------------------------------------------
# Issue 10: each corrected statement, pinned to what its source says
# ------------------------------------------------------------------------------------------------------------


def test_every_source_has_its_publication_date_or_says_why_not(kg):
    """Dates mean one thing each: dct:issued is the publication date; where no source gives one,
    ckg:issuedUnknown says why. No invented date (the day the seed arrived is the seed's ckg:retrieved,
    nothing else)."""
    assert ask_set(kg, "SELECT ?s ?d WHERE { ?s a ckg:Source ; dct:issued ?d }") == {
        ("id:source-bls-oes-may-2016", "2017-03-31"),
        ("id:source-bls-ep-dec-2015", "2015-12"),
        ("id:source-bls-dec-2019", "2019-12"),
        ("id:source-aapc-2017", "2017"),
        ("id:source-bls-soc-2010", "2010"),
        ("id:source-bls-soc-2018", "2018"),
        ("id:source-ilo-isco-08", "2012"),
        ("id:source-cms-hcpcs-general-information", "2020-09-17"),
    }
    assert ask_set(kg, "SELECT ?s ?why WHERE { ?s a ckg:Source ; ckg:issuedUnknown ?why }") == {
        (SEED, "The article states no publication date."),
        (AAMA, "The seed cites the AAMA without a title or date."),
        (
            "id:source-aama-recertification-handbook",
            "The seed refers to the handbook without a date or edition.",
        ),
        ("id:source-bls-coder-qualities", 'The seed says "as described by the BLS" without a title or date.'),
        (
            "id:source-onet-29-2072",
            "The page states when it was updated (schema:dateModified), not when it was first published.",
        ),
        ("id:source-onet-43-3021-02", "The page states no date."),
        (
            "id:source-bls-ooh-health-information-technologists",
            "The copy consulted (with figures for 2022 and projections for 2022–32) states no publication "
            "date.",
        ),
        ("id:source-nchs-about-icd-10-cm", "The archived copy states no publication date."),
        ("id:source-ncra-council-on-certification", "The page states no date."),
    }
    assert (None, DCTERMS.date, None) not in kg.data
    arrived = Literal("2026-11-27", datatype=XSD.date)
    assert [(s, p) for s, p, o in kg.data if o == arrived] == [(ID["source-seed-article"], CKG.retrieved)]


def test_reference_periods_are_not_publication_dates(kg):
    """The OES May 2016 estimates refer to May 2016 and were published on 31 March 2017; the projections were
    published in December 2015 for 2014–2024."""
    assert ask(kg, "SELECT ?p WHERE { id:source-bls-oes-may-2016 ckg:refPeriod ?p }") == [("2016-05",)]
    assert ask(
        kg, "SELECT ?s ?e WHERE { id:source-bls-ep-dec-2015 ckg:periodStart ?s ; ckg:periodEnd ?e }"
    ) == [("2014", "2024")]
    assert ask(kg, "SELECT ?m WHERE { id:source-onet-29-2072 schema:dateModified ?m }") == [("2025",)]
    assert ask(kg, "SELECT ?r WHERE { id:source-nchs-about-icd-10-cm ckg:retrieved ?r }") == [("2008-09-21",)]
    assert (
        CKG.refPeriod,
        RDFS.subPropertyOf,
        URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod"),
    ) in kg.ontology
    assert (CKG.retrieved, RDFS.subPropertyOf, DCTERMS.date) in kg.ontology


def test_statements_no_source_makes_are_gone(kg):
    """CHEA recognizing CAAHEP/ABHES, "local Department of Health" as the agency's name, the AMA licence of
    CPT, CAHIIM accrediting particular programs: none is stated by a cited source."""
    assert (None, CKG.recognizedBy, None) not in kg.data
    assert (None, SKOS.altLabel, Literal("local Department of Health", lang="en")) not in kg.data
    assert ask(kg, "SELECT ?d WHERE { id:cpt dct:description ?d }") == [
        ("A coding language medical coders use. Careers KG references the system only.",)
    ]
    assert not [o for o in kg.data.objects() if isinstance(o, Literal) and "licensed by the AMA" in str(o)]
    assert (None, CKG.accreditedBy, ID["cahiim"]) not in kg.data


def test_month_bounds_on_every_program_and_renewal_cycle(kg):
    """Every program and renewal cycle with a duration has whole-month bounds that match it."""
    assert ask_set(
        kg,
        """SELECT ?x ?min ?max WHERE {
             ?x ckg:typicalDuration|ckg:minDuration|ckg:maxDuration|ckg:renewalFrequency ?d .
             OPTIONAL { ?x ckg:minMonths ?min } OPTIONAL { ?x ckg:maxMonths ?max } }""",
    ) == {
        ("id:cma-associate-program", 24, 24),
        ("id:cma-bachelor-program", 48, 48),
        ("id:coder-certificate-program", 4, 15),
        ("id:coder-associate-program", 24, 24),
        ("id:coder-bachelor-program", None, 48),
        ("id:cma-recertification", 60, 60),
    }


def test_programs_shorter_than_a_year_is_one_filter(kg):
    """Which programs can be finished in less than a year? Only the coding certificate (4 to 15 months), and
    none always is."""
    assert ask(kg, "SELECT ?p WHERE { ?p ckg:minMonths ?m . FILTER (?m < 12) }") == [
        ("id:coder-certificate-program",)
    ]
    assert ask(kg, "SELECT ?p WHERE { ?p ckg:maxMonths ?m . FILTER (?m < 12) }") == []


def test_claims_name_who_says_which_statement(kg):
    """Every claim restates a statement of the data; 34 claims, by source."""
    rows = ask(
        kg,
        """SELECT ?source (COUNT(?claim) AS ?n) WHERE { ?claim a ckg:Claim ; ckg:source ?source .
             ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . ?s ?p ?o . }
           GROUP BY ?source""",
    )
    assert dict(rows) == {
        AAMA: 10,
        "id:source-bls-coder-qualities": 5,
        "id:source-aapc-2017": 1,
        "id:source-ilo-isco-08": 6,
        "id:source-bls-soc-2010": 3,
        "id:source-bls-soc-2018": 4,
        "id:source-onet-29-2072": 1,
        "id:source-onet-43-3021-02": 1,
        "id:source-bls-ooh-health-information-technologists": 1,
        "id:source-ncra-council-on-certification": 1,
        "id:source-cms-hcpcs-general-information": 2,
        "id:source-nchs-about-icd-10-cm": 1,
    }
    assert len(set(kg.data.subjects(RDF.type, CKG.Claim))) == 34
    assert ask_set(
        kg,
        """SELECT ?system ?maintainer ?source WHERE { ?c a ckg:Claim ; rdf:subject ?system ;
             rdf:predicate ckg:maintainedBy ; rdf:object ?maintainer ; ckg:source ?source }""",
    ) == {
        ("id:cpt", "id:ama", "id:source-cms-hcpcs-general-information"),
        ("id:hcpcs-level-ii", "id:cms", "id:source-cms-hcpcs-general-information"),
        ("id:icd-10-cm", "id:nchs", "id:source-nchs-about-icd-10-cm"),
    }
    assert ask(
        kg,
        """SELECT ?source WHERE { ?c a ckg:Claim ; rdf:subject id:ctr-certification ;
             rdf:predicate ckg:issuedBy ; rdf:object id:ncra ; ckg:source ?source }""",
    ) == [("id:source-ncra-council-on-certification",)]


def test_facts_that_were_only_prose_are_data(kg):
    """What employers prefer for coders, billers and coders trained together, the AAMA's comparison."""
    assert ask_set(kg, "SELECT ?x WHERE { id:medical-coder ckg:preferredByEmployers ?x }") == {
        "id:coder-certificate-program",
        "id:coder-associate-program",
        "id:medical-coding-certification",
    }
    assert ask(kg, "SELECT ?x WHERE { id:medical-coder ckg:sometimesTrainedWith ?x }") == [
        ("id:medical-biller",)
    ]
    assert ask(kg, "SELECT ?x WHERE { id:medical-biller ckg:sometimesTrainedWith ?x }") == [
        ("id:medical-coder",)
    ]
    assert ask(
        kg,
        """SELECT ?less ?source WHERE { id:certified-medical-assistant ckg:moreClinicalThan ?less .
             ?c a ckg:Claim ; rdf:subject id:certified-medical-assistant ;
                rdf:predicate ckg:moreClinicalThan ; rdf:object ?less ; ckg:source ?source }""",
    ) == [("id:medical-coder", AAMA)]
