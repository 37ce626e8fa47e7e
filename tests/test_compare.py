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
MRHIT_LABEL = "Medical Records and Health Information Technician"


@pytest.fixture(scope="module")
def cmp(kg):
    return compare(kg, CMA, CODER, today=TODAY)


def test_sides(cmp):
    assert (cmp.a.slug, cmp.a.label) == ("certified-medical-assistant", "Certified Medical Assistant")
    assert (cmp.b.slug, cmp.b.label) == ("medical-coder", "Medical Coder")
    assert cmp.today == "2026-11-27"


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


def test_pay_cell_cites_bls_may_2016_and_is_ten_years_old(cmp):
    cell = cmp.row("median_annual").a
    assert cell.date == "2016-05"
    assert cell.age_years == 10
    assert cell.numbers == (31540.0,)
    (source,) = cell.citations
    assert (source.label, source.date, source.url) == (
        "BLS Occupational Employment Statistics, May 2016",
        "2016-05",
        "https://www.bls.gov/oes/2016/may/oes_nat.htm",
    )
    assert cell.via is None


def test_coder_figures_follow_the_statistics_proxy_and_say_so(cmp):
    cell = cmp.row("median_annual").b
    assert cell.via == MRHIT_LABEL
    assert cell.via_iri == str(ID["medical-records-and-health-information-technician"])
    assert cell.age_years == 10
    assert cmp.row("growth").b.citations[0].label == "BLS Employment Projections, December 2015"
    assert cmp.row("growth").b.date == "2015-12"


def test_education_rows(cmp):
    assert cmp.row("degree_requirements").a.values == (
        "Required: Associate degree or Bachelor's degree",
        "Optional: Master's degree",
    )
    assert cmp.row("degree_requirements").b.values[0] == "No degree required"
    assert (
        "Postsecondary certificate or diploma in medical coding: 4–15 months" in cmp.row("programs").b.values
    )
    assert "Associate degree program in medical assisting: about 2 years" in cmp.row("programs").a.values
    assert cmp.row("accreditation").a.values == (
        "Accrediting Bureau of Health Education Schools (ABHES), recognized by CHEA",
        "Commission on Accreditation of Allied Health Education Programs (CAAHEP), recognized by CHEA",
    )
    assert cmp.row("accreditation").b.values == (
        "Commission on Accreditation for Health Informatics and Information Management Education (CAHIIM)",
    )


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
    assert cmp.row("recertification").a.citations[0].label == "AAMA Recertification Handbook"
    assert cmp.row("licensing").b.values[0].startswith("Not required")
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
    settings = cmp.row("settings").b
    assert f"Hospitals: 38 % (figure for {MRHIT_LABEL})" in settings.values
    assert settings.date == "2015-12"
    assert "BLS Employment Projections, December 2015" in [c.label for c in settings.citations]


def test_every_cell_has_values_and_citations(cmp):
    for row in cmp.rows:
        for cell in (row.a, row.b):
            assert cell.values, row.key
            assert cell.citations, row.key


def test_csv_rows(cmp):
    rows = cmp.csv_rows()
    assert rows[0][:2] == ["row", "Certified Medical Assistant"]
    assert len(rows) == 1 + len(cmp.rows)
    median = next(r for r in rows if r[0] == "Median pay, annual")
    assert median[1] == "$31,540 per year"
    assert median[5] == f"$38,040 per year (figures for {MRHIT_LABEL})"
    assert median[4] == "10"


def test_as_dict(cmp):
    data = cmp.as_dict()
    assert data["a"]["label"] == "Certified Medical Assistant"
    assert tuple(data["rows"][2]["a"]["values"]) == ("$31,540 per year",)
    assert data["rows"][2]["b"]["via"] == MRHIT_LABEL


def test_professions_and_is_profession(kg):
    assert [p.label for p in professions(kg)] == [
        "Cancer Registrar",
        "Certified Medical Assistant",
        "Licensed Clinician",
        "Medical Biller",
        "Medical Coder",
        MRHIT_LABEL,
    ]
    assert is_profession(kg, CMA)
    assert not is_profession(kg, ID["aama"])


@pytest.mark.parametrize(
    ("lexical", "text"),
    [("P2Y", "2 years"), ("P1Y", "1 year"), ("P4M", "4 months"), ("P1Y3M", "15 months"), ("P1M", "1 month")],
)
def test_format_duration(lexical, text):
    assert format_duration(Literal(lexical, datatype=XSD.duration)) == text
