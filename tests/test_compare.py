"""kg.views.compare: the seed's side-by-side table regenerated from the graph (expected values from the
seed)."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from kg.rdf.namespaces import ID
from kg.views.compare import compare, is_profession, professions
from kg.views.compare_facts import format_duration

TODAY = date(2026, 11, 27)
CMA, CODER = ID["certified-medical-assistant"], ID["medical-coder"]
MRHIT_LABEL = "Medical Records and Health Information Technicians"
OES = "BLS Occupational Employment Statistics, May 2016"
EP = "BLS Employment Projections, December 2015"
SEED = "Seed article: Certified Medical Assistant (CMA) vs. Medical Coder"


@pytest.fixture(scope="module")
def cmp(kg):
    return compare(kg, CMA, CODER, today=TODAY)


def test_sides(cmp):
    assert (cmp.a.slug, cmp.a.label) == ("certified-medical-assistant", "Certified Medical Assistant")
    assert (cmp.b.slug, cmp.b.label) == ("medical-coder", "Medical Coder")
    assert cmp.today == "2026-11-27"


def test_each_side_names_the_occupation_its_figures_are_reported_under(cmp):
    assert [r.text() for r in cmp.a.reported_under] == [
        "Medical Assistants (SOC 31-9092): All medical assistants, certified or not."
    ]
    assert [r.text() for r in cmp.b.reported_under] == [
        f"{MRHIT_LABEL} (SOC 2010 29-2071): An occupational category closely related to coding: all medical "
        "records and health information technicians, not medical coders alone."
    ]
    assert cmp.row("employment").a.via == "Medical Assistants"


def test_rows_in_the_seed_order(cmp):
    assert [r.key for r in cmp.rows] == [
        "employment",
        "median_hourly",
        "median_annual",
        "mean_hourly",
        "mean_annual",
        "growth",
        "new_positions",
        "degree_requirements",
        "programs",
        "accreditation",
        "certification",
        "licensing",
        "recertification",
        "specializations",
        "skills",
        "settings",
    ]


@pytest.mark.parametrize(
    ("key", "a", "b"),
    [
        ("employment", "623,560", "200,140"),
        ("median_hourly", "$15.17 per hour", "$18.29 per hour"),
        ("median_annual", "$31,540 per year", "$38,040 per year"),
        ("mean_hourly", "$15.79 per hour", "$19.93 per hour"),
        ("mean_annual", "$32,850 per year", "$41,460 per year"),
        ("growth", "23 % (2014–2024)", "15 % (2014–2024)"),
        ("new_positions", "138,900 (2014–2024)", "29,000 (2014–2024)"),
    ],
)
def test_statistic_cells(cmp, key, a, b):
    row = cmp.row(key)
    assert row.a.values == (a,)
    assert row.b.values == (b,)


def test_pay_cell_refers_to_may_2016_was_published_in_march_2017_and_is_nine_years_old(cmp):
    cell = cmp.row("median_annual").a
    assert (cell.ref_period, cell.published, cell.age_years, cell.age_from) == (
        "2016-05",
        "2017-03-31",
        9,
        "publication",
    )
    assert cell.numbers == (31540.0,)
    (source,) = cell.citations
    assert (source.label, source.published, source.url) == (
        OES,
        "2017-03-31",
        "https://www.bls.gov/oes/2016/may/oes_nat.htm",
    )
    assert cell.via == "Medical Assistants"


def test_coder_figures_follow_reported_under(cmp):
    cell = cmp.row("median_annual").b
    assert cell.via == MRHIT_LABEL
    assert cell.via_iri == str(ID["medical-records-and-health-information-technician"])
    assert cell.age_years == 9
    assert cmp.row("growth").b.citations[0].label == EP


def test_the_two_projections_refer_to_2014_2024_and_age_from_publication_not_2024(cmp):
    growth, new = cmp.row("growth").a, cmp.row("new_positions").a
    assert (growth.ref_period, growth.published, growth.age_years) == ("2014–2024", "2015-12", 10)
    assert (new.ref_period, new.published, new.age_years, new.age_from) == (
        "2014–2024",
        None,
        12,
        "reference period",
    )
    assert [c.label for c in new.citations] == [SEED]


def test_education_rows(cmp):
    assert cmp.row("degree_requirements").a.values == (
        "Required: Associate degree or Bachelor's degree",
        "Optional: Master's degree",
    )
    assert cmp.row("degree_requirements").b.values[0] == "No degree required"
    assert (
        "Postsecondary certificate or diploma in medical coding: 4–15 months" in cmp.row("programs").b.values
    )
    assert (
        "Postsecondary certificate or diploma in medical coding: 4–15 months" in cmp.row("programs").b.values
    )
    assert cmp.row("programs").a.values[1] == (
        "Bachelor's degree program in medical assisting: about 4 years; generally includes a clinical "
        "practicum or similar project"
    )
    assert cmp.row("degree_requirements").b.values[-1] == (
        "Many employers prefer: Associate degree for medical coders (e.g. health informatics); Medical "
        "coding certification; Postsecondary certificate or diploma in medical coding"
    )
    assert cmp.row("accreditation").a.values == (
        "Accrediting Bureau of Health Education Schools (ABHES)",
        "Commission on Accreditation of Allied Health Education Programs (CAAHEP)",
        "Main accreditors of programs in the field: ABHES and CAAHEP",
        "Eligibility for CMA certification: a program accredited by a body recognized by CHEA",
    )
    assert [c.label for c in cmp.row("accreditation").a.citations] == ["AAMA, as cited in the seed", SEED]
    assert cmp.row("accreditation").b.values == ("Main accreditor of programs in the field: CAHIIM",)


def test_credential_rows(cmp):
    assert cmp.row("certification").a.values == (
        "Certified Medical Assistant (CMA) certification through AAMA (required)",
    )
    assert cmp.row("certification").b.values == (
        "Medical coding certification through AAPC, AHIMA, Practice Management Institute (voluntary)",
    )
    assert cmp.row("recertification").a.values == (
        "Certified Medical Assistant (CMA) certification: every 60 months, 60 continuing-education points",
    )
    assert [c.label for c in cmp.row("recertification").a.citations] == [
        "AAMA Recertification Handbook",
        SEED,
    ]
    assert cmp.row("recertification").b.values[0].endswith("(set by the certifying body: AAPC, AHIMA)")
    assert cmp.row("licensing").a.values[0].startswith("License required. An aspiring CMA")
    assert cmp.row("licensing").b.values[0].startswith("No license required. A license is not required")
    assert (
        "Prerequisite: Certified Medical Assistant (CMA) certification." in cmp.row("licensing").a.values[0]
    )


def test_list_rows(cmp):
    assert cmp.row("specializations").b.values == (
        "Anesthesia and pain management",
        "Chiropractic care",
        "Dermatology",
        "Gastroenterology",
        "General surgery",
        "Hematology and oncology",
        "Pediatrics",
        "Urology",
    )
    assert "Patience" in cmp.row("skills").a.values
    assert "Integrity" in cmp.row("skills").b.values
    # each side's skills cite who lists them: the seed for the CMA, the BLS (as cited) for the coder
    assert [c.label for c in cmp.row("skills").a.citations] == [SEED]
    assert [c.label for c in cmp.row("skills").b.citations] == [
        "BLS, qualities of medical coders, as cited in the seed"
    ]
    settings = cmp.row("settings").b
    assert settings.values[2:4] == (f"Shares of {MRHIT_LABEL} by work setting:", "Hospitals: 38 %")
    assert (settings.ref_period, settings.published, settings.age_years) == (None, "2015-12", 10)
    assert EP in [c.label for c in settings.citations]


def test_every_cell_has_values_and_citations(cmp):
    for row in cmp.rows:
        for cell in (row.a, row.b):
            assert cell.values, row.key
            assert cell.citations, row.key


def test_csv_rows(cmp):
    """One line per value of each side; numbers, units, period and source title and URL in columns."""
    rows = cmp.csv_rows()
    assert rows[0] == [
        "row_key", "row", "profession", "profession_iri", "value", "number", "unit", "currency",
        "reference_period", "published", "age_years", "figures_for", "source_title", "source_url",
    ]  # fmt: skip
    median = [r for r in rows if r[0] == "median_annual"]
    assert median[0] == [
        "median_annual",
        "Median pay, annual",
        "Certified Medical Assistant",
        "https://w3id.org/careers-kg/id/certified-medical-assistant",
        "$31,540 per year",
        "31540",
        "US dollars per year",
        "USD",
        "2016-05",
        "2017-03-31",
        "9",
        "Medical Assistants",
        OES,
        "https://www.bls.gov/oes/2016/may/oes_nat.htm",
    ]
    assert median[1][2] == "Medical Coder" and median[1][5] == "38040"
    assert median[1][11] == "Medical Records and Health Information Technicians"
    new = [r for r in rows if r[0] == "new_positions"]
    assert [(r[5], r[6], r[8], r[9]) for r in new] == [
        ("138900", "jobs", "2014–2024", ""),
        ("29000", "jobs", "2014–2024", ""),
    ]
    hourly = next(r for r in rows if r[0] == "median_hourly")
    assert hourly[5:8] == ["15.17", "US dollars per hour", "USD"]
    licensing = [r for r in rows if r[0] == "licensing"]
    assert [r[5:8] for r in licensing] == [["", "", ""], ["", "", ""]]  # words, not figures
    assert licensing[0][12] == "Seed article: Certified Medical Assistant (CMA) vs. Medical Coder"


def test_summary_answers_the_four_questions(cmp):
    lines = {line.key: line for line in cmp.summary}
    assert [line.question for line in cmp.summary] == ["Pay", "Schooling", "Licence", "Certification"]
    assert (lines["pay"].a.text, lines["pay"].b.text) == ("$31,540 a year", "$38,040 a year")
    assert lines["pay"].verdict == "Medical Coder pays more (by $6,500 a year at the median)"
    assert lines["schooling"].a.text == "Associate degree or Bachelor's degree required"
    assert lines["schooling"].b.detail == ("shortest: postsecondary certificate or diploma, 4–15 months")
    assert (lines["licence"].a.text, lines["licence"].b.text) == ("License required", "No license required")
    assert lines["certification"].a.text == "Required: Certified Medical Assistant (CMA) certification"
    assert lines["certification"].b.text == "Optional: Medical coding certification"
    assert (cmp.pay_currency.ref_period, cmp.pay_currency.published) == ("2016-05", "2017-03-31")


def test_summary_says_depends_on_your_state_and_not_recorded(kg):
    other = compare(kg, ID["medical-biller"], ID["cancer-registrar"], today=date(2026, 12, 6))
    lines = {line.key: line for line in other.summary}
    assert lines["licence"].b.text == "Depends on your state"
    assert lines["licence"].b.detail == "License required in some states"
    assert lines["licence"].a.text == "Not recorded"  # the data says nothing of billers' licences
    assert (lines["pay"].a.text, lines["pay"].b.text) == ("No pay figures recorded",) * 2
    assert lines["pay"].verdict is None and other.pay_currency is None
    assert lines["certification"].b.text == "Related: Certified Tumor Registrar (CTR) certification"
    assert (
        lines["certification"].b.detail == "A certification that those working as cancer registrars may need."
    )
    assert lines["schooling"].a.text == "Not recorded"


def test_as_dict(cmp):
    data = cmp.as_dict()
    assert data["a"]["label"] == "Certified Medical Assistant"
    assert tuple(data["rows"][2]["a"]["values"]) == ("$31,540 per year",)
    assert data["rows"][2]["b"]["via"] == MRHIT_LABEL
    assert data["a"]["reported_under"][0]["scope"] == "All medical assistants, certified or not."


def test_professions_and_is_profession(kg):
    assert [p.label for p in professions(kg)] == [
        "Cancer Registrar",
        "Certified Medical Assistant",
        "Licensed Clinician",
        "Medical Biller",
        "Medical Coder",
    ]
    assert not is_profession(kg, ID["medical-assistant"])
    assert is_profession(kg, CMA)
    assert not is_profession(kg, ID["aama"])


@pytest.mark.parametrize(
    ("lexical", "text"),
    [("P2Y", "2 years"), ("P1Y", "1 year"), ("P4M", "4 months"), ("P1Y3M", "15 months"), ("P1M", "1 month")],
)
def test_format_duration(lexical, text):
    assert format_duration(Literal(lexical, datatype=XSD.duration)) == text
