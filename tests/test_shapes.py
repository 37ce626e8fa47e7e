"""Each SHACL shape in ontology/shapes.ttl rejects a small broken fixture in tests/data/ with its message.

Every fixture is `tests/data/valid-minimal.ttl`'s pattern with one rule broken, validated on its own against
the real ontology and shapes (as `careers-kg validate FILE` does). The expected messages are written out
here, so a reworded or lost sh:message fails a test; the set of messages must match exactly, so a fixture
that breaks more than the one rule it is named for fails too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.config import Settings
from kg.pipeline.build import validate_files

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "data"
SHAPES_FILE = REPO / "ontology" / "shapes.ttl"
EX = "https://example.org/careers-kg-test/"

# The sh:message of each shape, as written in ontology/shapes.ttl.
PROFESSION_NAME = 'A profession must have exactly one English name (skos:prefLabel with language tag "en").'
PROFESSION_DESCRIPTION = "A profession must have a description (dct:description)."
PROFESSION_CODE = (
    "A profession must have at least one occupation code (ckg:occupationCode), such as a SOC or ISCO-08 code."
)
PROFESSION_CODE_VALID = (
    "An occupation code of this profession is not valid: it needs a code value such as "
    '"31-9092" (SOC) or "3256" (ISCO-08) and the code set it belongs to.'
)
CODE_VALUE = (
    'An occupation code must have exactly one code value (schema:codeValue) of the form "00-0000" (SOC) '
    'or "0000" (ISCO-08).'
)
CODE_SET = (
    "An occupation code must name the code set it belongs to (schema:inCodeSet), such as SOC 2018 or ISCO-08."
)
STAT_ABOUT = (
    "A statistic must be about exactly one subject (ckg:about): a statistical occupation, a profession or an "
    "occupation group."
)
STAT_VARIABLE = "A statistic must measure exactly one statistical variable (ckg:variable)."
STAT_VALUE = "A statistic must have exactly one value (ckg:value), a number typed xsd:integer or xsd:decimal."
STAT_UNIT = "A statistic must have exactly one unit (ckg:unit)."
STAT_REF_PERIOD = (
    "A statistic has at most one reference period (ckg:refPeriod), typed xsd:date, xsd:gYearMonth or "
    'xsd:gYear, such as "2016-05"^^xsd:gYearMonth.'
)
STAT_WHEN = (
    "A statistic must say when it applies: a reference period (ckg:refPeriod, or ckg:periodStart and "
    "ckg:periodEnd for a projection) or a source with a publication date (dct:issued)."
)
STAT_SOURCE = "A statistic must cite at least one source (ckg:source)."
STAT_CURRENCY = (
    'A statistic in money (a ckg:MonetaryUnit) must state its currency (ckg:currency), such as "USD".'
)
PERCENT_RANGE = "A percentage (unit id:unit-percent) must lie between 0 and 100."
SETTING_SHARES = "The work-setting shares of one subject from one source add up to more than 100 percent."
SOURCE_PUBLISHER = "A source must name its publisher (dct:publisher)."
SOURCE_ISSUED = (
    "A source has at most one publication date (dct:issued), typed xsd:date, xsd:gYearMonth or xsd:gYear."
)
SOURCE_PUBLICATION_DATE = (
    "A source must give its publication date (dct:issued) or say in words that it is unknown and why "
    "(ckg:issuedUnknown); a date that is not known must not be made up."
)
SOURCE_TITLE = "A source must have a title (dct:title)."
ENTITY_SOURCE = "This entity must cite at least one source (ckg:source) for its facts."
SOURCE_LINK = (
    "Every ckg:source value must be a source node (a ckg:Source, ckg:DatasetRelease or ckg:Publication)."
)
CREDENTIAL_ISSUER = "A credential must name the body that issues it (ckg:issuedBy)."
ACCREDITED_BY = "Every ckg:accreditedBy value must be an accrediting body (ckg:AccreditingBody)."
TYPICAL_DURATION = (
    'A typical duration (ckg:typicalDuration) must be an xsd:duration such as "P2Y"^^xsd:duration.'
)
MIN_DURATION = 'A minimum duration (ckg:minDuration) must be an xsd:duration such as "P4M"^^xsd:duration.'
MAX_DURATION = 'A maximum duration (ckg:maxDuration) must be an xsd:duration such as "P15M"^^xsd:duration.'
RENEWAL_FREQUENCY = (
    'A renewal frequency (ckg:renewalFrequency) must be an xsd:duration such as "P60M"^^xsd:duration.'
)
UNIQUE_PREFLABEL = (
    "An entity may have at most one skos:prefLabel per language; give other names as skos:altLabel."
)
UNIQUE_RDFS_LABEL = "An entity may have at most one rdfs:label per language."
STATISTICAL_OCCUPATION_CODE = (
    "A statistical occupation must have the code that defines it in its classification (ckg:occupationCode), "
    "such as SOC 31-9092."
)
REPORTED_UNDER = (
    "Every ckg:reportedUnder value must be a statistical occupation (ckg:StatisticalOccupation): the "
    "category official statistics count, such as all medical assistants."
)
CLAIM_STATEMENT = (
    "A claim must name a statement the data makes (its rdf:subject, rdf:predicate and rdf:object), so that "
    "its source is cited for something the graph says."
)
LICENSING_STATUS = (
    "A licensing requirement must say whether a license is needed, with exactly one ckg:licensingStatus: "
    "id:licensing-required, id:licensing-required-in-some-states or id:licensing-not-required."
)
MIN_MONTHS = "A minimum in months (ckg:minMonths) must be one whole number typed xsd:integer, such as 4."
MAX_MONTHS = "A maximum in months (ckg:maxMonths) must be one whole number typed xsd:integer, such as 15."
MONTH_ORDER = "The minimum in months (ckg:minMonths) is larger than the maximum (ckg:maxMonths)."

# fixture file stem → (the shape it breaks, the exact set of messages, the focus nodes that must be reported)
CASES: dict[str, tuple[str, set[str], set[str]]] = {
    "broken-profession-no-english-name": ("ProfessionNameShape", {PROFESSION_NAME}, {"profession"}),
    "broken-profession-no-description": (
        "ProfessionDescriptionShape",
        {PROFESSION_DESCRIPTION},
        {"profession"},
    ),
    "broken-profession-no-occupation-code": ("ProfessionCodeCountShape", {PROFESSION_CODE}, {"profession"}),
    # sh:node reports the profession, and pyshacl adds the nested code's own failure as sh:detail
    "broken-profession-invalid-code": (
        "ProfessionCodeValidShape",
        {PROFESSION_CODE_VALID, CODE_SET},
        {"profession"},
    ),
    "broken-occupation-code-bad-value": ("CodeValueShape", {CODE_VALUE}, {"code"}),
    "broken-occupation-code-no-code-set": ("CodeSetShape", {CODE_SET}, {"code"}),
    "broken-statistic-no-subject": ("StatisticAboutShape", {STAT_ABOUT}, {"stat"}),
    "broken-statistic-two-variables": ("StatisticVariableShape", {STAT_VARIABLE}, {"stat"}),
    "broken-statistic-string-value": ("StatisticValueShape", {STAT_VALUE}, {"stat"}),
    "broken-statistic-no-unit": ("StatisticUnitShape", {STAT_UNIT}, {"stat"}),
    "broken-statistic-two-reference-periods": ("StatisticRefPeriodShape", {STAT_REF_PERIOD}, {"stat"}),
    "broken-statistic-no-when": ("StatisticWhenShape", {STAT_WHEN}, {"stat"}),
    # a statistic is also one of the entities that must cite a source, so both rules speak
    "broken-statistic-no-source": ("StatisticSourceShape", {STAT_SOURCE, ENTITY_SOURCE}, {"stat"}),
    "broken-statistic-money-without-currency": ("StatisticCurrencyShape", {STAT_CURRENCY}, {"stat"}),
    "broken-statistic-percent-out-of-range": ("PercentRangeShape", {PERCENT_RANGE}, {"stat"}),
    "broken-setting-shares-over-100": (
        "SettingSharesShape",
        {SETTING_SHARES},
        {"share-hospitals", "share-offices"},
    ),
    "broken-source-no-publisher": ("SourcePublisherShape", {SOURCE_PUBLISHER}, {"source"}),
    "broken-source-issued-not-a-date": ("SourceIssuedShape", {SOURCE_ISSUED}, {"source"}),
    "broken-source-no-publication-date": (
        "SourcePublicationDateShape",
        {SOURCE_PUBLICATION_DATE},
        {"source"},
    ),
    "broken-source-no-title": ("SourceTitleShape", {SOURCE_TITLE}, {"source"}),
    "broken-entity-no-source": ("EntitySourceShape", {ENTITY_SOURCE}, {"organization"}),
    "broken-source-link-not-a-source": ("SourceLinkTargetShape", {SOURCE_LINK}, {"organization"}),
    "broken-credential-no-issuer": ("CredentialIssuerShape", {CREDENTIAL_ISSUER}, {"credential"}),
    "broken-accreditation-not-accrediting-body": ("AccreditedByBodyShape", {ACCREDITED_BY}, {"program"}),
    "broken-typical-duration-not-duration": ("TypicalDurationShape", {TYPICAL_DURATION}, {"program"}),
    "broken-min-duration-not-duration": ("MinDurationShape", {MIN_DURATION}, {"program"}),
    "broken-max-duration-not-duration": ("MaxDurationShape", {MAX_DURATION}, {"program"}),
    "broken-renewal-frequency-not-duration": ("RenewalFrequencyShape", {RENEWAL_FREQUENCY}, {"renewal"}),
    "broken-label-two-english-preflabels": ("UniquePrefLabelShape", {UNIQUE_PREFLABEL}, {"skill"}),
    "broken-label-two-rdfs-labels": ("UniqueRdfsLabelShape", {UNIQUE_RDFS_LABEL}, {"thing"}),
    "broken-statistical-occupation-no-code": (
        "StatisticalOccupationCodeShape",
        {STATISTICAL_OCCUPATION_CODE},
        {"occupation"},
    ),
    "broken-reported-under-not-an-occupation": ("ReportedUnderTargetShape", {REPORTED_UNDER}, {"profession"}),
    "broken-claim-not-a-statement": ("ClaimStatementShape", {CLAIM_STATEMENT}, {"claim"}),
    "broken-licensing-no-status": ("LicensingStatusShape", {LICENSING_STATUS}, {"licensing"}),
    "broken-min-months-not-integer": ("MinMonthsShape", {MIN_MONTHS}, {"program"}),
    "broken-max-months-not-integer": ("MaxMonthsShape", {MAX_MONTHS}, {"program"}),
    "broken-months-minimum-above-maximum": ("MonthOrderShape", {MONTH_ORDER}, {"renewal"}),
}

# OEWS estimates (kg/importers/oews): their shapes are at the end of ontology/shapes.ttl.
OEWS_MESSAGES = {
    "occupation": "An occupation estimate must be about exactly one occupation that exists in the graph "
    "(ckg:about, a ckg:SocOccupation).",
    "area": "An occupation estimate must be for exactly one area that exists in the graph "
    "(sdmx-dimension:refArea, a ckg:Area).",
    "period": "An occupation estimate must have exactly one reference period (ckg:refPeriod) typed "
    'xsd:gYearMonth, such as "2025-05".',
    "source": "An occupation estimate must cite its source (ckg:source), the statistical release.",
    "dataset": "An occupation estimate must belong to exactly one data set (qb:dataSet, a qb:DataSet).",
    "value": "A measure of an occupation estimate has neither a value nor a note whose footnote explains its "
    "absence.",
    "order": "The wage percentiles of an occupation estimate are out of order "
    "(10th <= 25th <= median <= 75th <= 90th).",
    "top": "A note with footnote 5 (a top-coded wage) must state the wage's lower bound (ckg:lowerBound).",
    "bound": "A lower bound (ckg:lowerBound) is only stated on a note with footnote 5 (a top-coded wage).",
    "unit": "A measure of a data structure must have exactly one unit (ckg:unit).",
    "currency": "A measure in money (a ckg:MonetaryUnit) must state its currency (ckg:currency), "
    'such as "USD".',
}
CASES |= {
    f"broken-oews-{name}": (shape, {OEWS_MESSAGES[key]}, {focus})
    for name, shape, key, focus in (
        ("estimate-unknown-occupation", "EstimateOccupationShape", "occupation", "estimate"),
        ("estimate-unknown-area", "EstimateAreaShape", "area", "estimate"),
        ("estimate-no-period", "EstimatePeriodShape", "period", "estimate"),
        ("estimate-no-source", "EstimateSourceShape", "source", "estimate"),
        ("estimate-no-dataset", "EstimateDataSetShape", "dataset", "estimate"),
        ("estimate-value-missing", "EstimateValueOrNoteShape", "value", "estimate"),
        ("percentiles-out-of-order", "PercentileOrderShape", "order", "estimate"),
        ("top-coded-without-bound", "TopCodedNoteShape", "top", "note"),
        ("bound-without-footnote-5", "LowerBoundFootnoteShape", "bound", "note"),
        ("measure-no-unit", "MeasureUnitShape", "unit", "headcount"),
        ("measure-money-without-currency", "MeasureCurrencyShape", "currency", "pay"),
    )
}

# Node shapes whose constraints are reported by their property shapes (their own sh:message is a summary).
CONTAINERS = {
    "ProfessionShape",
    "OccupationCodeShape",
    "StatisticShape",
    "SourceShape",
    "SourcedEntityShape",
    "SourceLinkShape",
    "CredentialShape",
    "AccreditationShape",
    "DurationShape",
    "LabelShape",
    "StatisticalOccupationShape",
    "ReportedUnderShape",
    "LicensingRequirementShape",
    "MonthBoundsShape",
    "OccupationEstimateShape",
    "MeasureShape",
}


@pytest.fixture(scope="module")
def real_settings(tmp_path_factory) -> Settings:
    """The real ontology and shapes (whatever the environment says), with a throw-away cache."""
    return Settings.from_env(
        root=REPO,
        ontology_file=REPO / "ontology" / "careers.ttl",
        shapes_file=SHAPES_FILE,
        cache_dir=tmp_path_factory.mktemp("shapes-cache"),
    )


def _validate(settings: Settings, name: str):
    return validate_files(settings.replace(data_files=(FIXTURES / f"{name}.ttl",)))


def test_the_valid_fixture_conforms(real_settings):
    report = _validate(real_settings, "valid-minimal")
    assert report.conforms is True
    assert report.results == ()


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_broken_fixture_is_rejected_with_its_shapes_message(real_settings, name):
    _shape, messages, focus = CASES[name]
    report = _validate(real_settings, name)
    assert report.conforms is False
    assert {r.message for r in report.results} == messages
    assert {r.focus for r in report.results if r.message in messages} >= {EX + f for f in focus}


def test_every_shape_has_a_plain_message():
    shapes = Graph().parse(SHAPES_FILE)
    ns = "https://w3id.org/careers-kg/shapes#"
    named = {s for s in shapes.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)}
    assert len(named) == len(CASES) + len(CONTAINERS)
    for shape in named:
        messages = [m for m in shapes.objects(shape, SH.message)]
        assert len(messages) == 1, shape
        assert str(messages[0]).endswith("."), shape
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message) is not None


def test_every_message_bearing_shape_has_a_broken_fixture():
    shapes = Graph().parse(SHAPES_FILE)
    ns = "https://w3id.org/careers-kg/shapes#"
    leaves = {
        str(s)[len(ns) :]
        for s in shapes.subjects(SH.message, None)
        if isinstance(s, URIRef) and str(s).startswith(ns)
    } - CONTAINERS
    # the three SPARQL-based node shapes report their own message
    assert leaves == {shape for shape, _messages, _focus in CASES.values()}
    assert sorted(p.stem for p in FIXTURES.glob("broken-*.ttl")) == sorted(CASES)


# The shapes added for issue 10 (dates, claims, licensing, month bounds, statistical occupations): the command
# line explains each violation in plain words, one line per result: focus — property — message.
NEW_IN_ISSUE_10 = {
    "broken-claim-not-a-statement": f"claim — (node) — {CLAIM_STATEMENT}",
    "broken-source-no-publication-date": f"Test source — (node) — {SOURCE_PUBLICATION_DATE}",
    "broken-source-issued-not-a-date": f"Test source — dct:issued — {SOURCE_ISSUED}",
    "broken-statistic-no-when": f"stat — (node) — {STAT_WHEN}",
    "broken-statistic-two-reference-periods": f"stat — reference period — {STAT_REF_PERIOD}",
    "broken-licensing-no-status": f"Test licensing — licensing status — {LICENSING_STATUS}",
    "broken-reported-under-not-an-occupation": f"Test profession — figures reported under — {REPORTED_UNDER}",
    "broken-statistical-occupation-no-code": (
        f"Test occupation — occupation code — {STATISTICAL_OCCUPATION_CODE}"
    ),
    "broken-min-months-not-integer": f"Test program — minimum months — {MIN_MONTHS}",
    "broken-max-months-not-integer": f"Test program — maximum months — {MAX_MONTHS}",
    "broken-months-minimum-above-maximum": f"renewal — (node) — {MONTH_ORDER}",
}


@pytest.mark.parametrize("name", sorted(NEW_IN_ISSUE_10))
def test_careers_kg_validate_explains_the_new_rules_in_plain_words(tmp_path, name):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERS_KG_")}
    env["CAREERS_KG_CACHE"] = str(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "kg", "validate", str(FIXTURES / f"{name}.ttl")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (run.returncode, run.stdout) == (1, NEW_IN_ISSUE_10[name] + "\n")
    assert run.stderr == "careers-kg: the data does not conform: 1 violation\n"
