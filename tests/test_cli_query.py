"""`careers-kg query NAME -p name=value --format …` on the command line: exit status and exact output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / ".venv" / "bin" / "careers-kg"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "kg"]
ID = "https://w3id.org/careers-kg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
MRHIT = f"{ID}medical-records-and-health-information-technician"


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """Run the command line on the real data and queries, with a cache of its own (the first call builds)."""
    # the suite's data (the seed: see conftest.py), nothing else from the environment
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERS_KG_") or k == "CAREERS_KG_DATA"}
    env["CAREERS_KG_CACHE"] = str(tmp_path_factory.mktemp("cli-cache"))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*COMMAND, *args], cwd=REPO, env=env, capture_output=True, timeout=120)

    return run


def lines(out: bytes) -> list[str]:
    return out.decode("utf-8").split("\n")


def test_csv(cli):
    r = cli("query", "shared-skills", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stderr == b""
    both = "A skill both CMAs and medical coders need."
    assert r.stdout.decode("utf-8").split("\r\n") == [
        "skill,skillLabel,description",
        f"{ID}skill-analytical,Analytical skills,{both}",
        f"{ID}skill-attention-to-detail,Attention to detail,{both}",
        f"{ID}skill-interpersonal,Interpersonal skills,{both}",
        f"{ID}skill-technical,Technical skills,{both}",
        "",
    ]


def test_csv_of_work_settings_with_a_parameter(cli):
    r = cli("query", "work-settings", "-p", "profession=medical-coder", "--format", "csv")
    assert r.returncode == 0, r.stderr
    ep = f"{ID}source-bls-ep-dec-2015,Employment Projections 2014–24,{MRHIT}"
    assert r.stdout.decode("utf-8").split("\r\n") == [
        "setting,settingLabel,sharePercent,published,source,sourceTitle,reportedUnder",
        f"{ID}setting-hospitals,Hospitals,38,2015-12,{ep}",
        f"{ID}setting-offices-of-physicians,Offices of physicians,21,2015-12,{ep}",
        f"{ID}setting-nursing-care-facilities,Nursing care facilities,7,2015-12,{ep}",
        f"{ID}setting-administrative-and-support-services,Administrative and support services,6,2015-12,{ep}",
        f'{ID}setting-professional-scientific-technical-services,"Professional, scientific, and technical '
        f'services",5,2015-12,{ep}',
        f"{ID}setting-administrative-office,Administrative office setting,,,,,",
        f"{ID}setting-healthcare-setting,Healthcare setting,,,,,",
        "",
    ]


def test_table_shows_labels_instead_of_iris(cli):
    r = cli(
        "query",
        "shared-skills",
        "-p",
        "a=id:medical-coder",
        "-p",
        "b=certified-medical-assistant",
        "--format",
        "table",
    )
    assert r.returncode == 0, r.stderr
    assert lines(r.stdout) == [
        "skill                 skillLabel            description",
        "--------------------  --------------------  ------------------------------------------",
        "Analytical skills     Analytical skills     A skill both CMAs and medical coders need.",
        "Attention to detail   Attention to detail   A skill both CMAs and medical coders need.",
        "Interpersonal skills  Interpersonal skills  A skill both CMAs and medical coders need.",
        "Technical skills      Technical skills      A skill both CMAs and medical coders need.",
        "(4 rows)",
        "",
    ]


def test_json_compare_statistics_with_a_full_iri(cli):
    r = cli(
        "query",
        "compare-statistics",
        "-p",
        "a=certified-medical-assistant",
        "-p",
        f"b={ID}medical-coder",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["head"]["vars"] == [
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
    ]
    bindings = doc["results"]["bindings"]
    assert [b["variable"]["value"].removeprefix(ID) for b in bindings] == [
        "var-employment",
        "var-median-hourly-wage",
        "var-median-annual-wage",
        "var-mean-hourly-wage",
        "var-mean-annual-wage",
        "var-projected-growth",
        "var-projected-new-positions",
    ]
    oes = "May 2016 National Occupational Employment and Wage Estimates, United States"
    assert bindings[2] == {
        "variable": {"type": "uri", "value": f"{ID}var-median-annual-wage"},
        "variableLabel": {"type": "literal", "value": "Median annual wage", "xml:lang": "en"},
        "valueA": {"type": "literal", "value": "31540", "datatype": f"{XSD}decimal"},
        "valueB": {"type": "literal", "value": "38040", "datatype": f"{XSD}decimal"},
        "unit": {"type": "uri", "value": f"{ID}unit-usd-per-year"},
        "unitLabel": {"type": "literal", "value": "US dollars per year", "xml:lang": "en"},
        "refPeriodA": {"type": "literal", "value": "2016-05", "datatype": f"{XSD}gYearMonth"},
        "sourceA": {"type": "uri", "value": f"{ID}source-bls-oes-may-2016"},
        "sourceATitle": {"type": "literal", "value": oes},
        "publishedA": {"type": "literal", "value": "2017-03-31", "datatype": f"{XSD}date"},
        "refPeriodB": {"type": "literal", "value": "2016-05", "datatype": f"{XSD}gYearMonth"},
        "sourceB": {"type": "uri", "value": f"{ID}source-bls-oes-may-2016"},
        "sourceBTitle": {"type": "literal", "value": oes},
        "publishedB": {"type": "literal", "value": "2017-03-31", "datatype": f"{XSD}date"},
        "subjectA": {"type": "uri", "value": f"{ID}medical-assistant"},
        "subjectB": {"type": "uri", "value": MRHIT},
    }


def test_construct_as_ntriples(cli):
    r = cli("query", "occupation-schema", "-p", "profession=medical-coder", "--format", "ntriples")
    assert r.returncode == 0, r.stderr
    coder = f"<{ID}medical-coder>"
    on_occupation = [line for line in lines(r.stdout) if line.startswith(coder + " ")]
    assert on_occupation == [
        f'{coder} <http://schema.org/description> "A professional who translates diagnoses, treatments, '
        "equipment and other aspects of healthcare into universal alphanumeric codes, working in an "
        'administrative office setting; a high-growth career with no license required."@en .',
        f"{coder} <http://schema.org/estimatedSalary> <{ID}medical-coder#estimated-salary-annual> .",
        f"{coder} <http://schema.org/estimatedSalary> <{ID}medical-coder#estimated-salary-hourly> .",
        f'{coder} <http://schema.org/name> "Medical Coder" .',
        f"{coder} <http://schema.org/occupationLocation> <{ID}medical-coder#occupation-location> .",
        f"{coder} <http://schema.org/occupationalCategory> <{ID}isco-08-3252> .",
        f"{coder} <http://schema.org/occupationalCategory> <{ID}soc-29-2072> .",
        f"{coder} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Occupation> .",
    ]
    annual = f"<{ID}medical-coder#estimated-salary-annual>"
    assert f'{annual} <http://schema.org/median> "38040"^^<{XSD}decimal> .' in lines(r.stdout)
    assert f'{annual} <http://schema.org/duration> "P1Y" .' in lines(r.stdout)
    assert len([line for line in lines(r.stdout) if line]) == 40


def test_an_injection_payload_is_a_value_that_matches_nothing(cli):
    r = cli("query", "search-label", "-p", 'text=" } UNION { ?entity ?p ?o } #', "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"entity,entityLabel,matchedLabel,kind\r\n"


def test_unknown_query_names_the_closest_ones(cli):
    r = cli("query", "compare-statistic")
    assert r.returncode == 2
    assert r.stdout == b""
    message = r.stderr.decode("utf-8")
    assert message.count("\n") == 1 and message.endswith("\n")
    assert message.startswith(
        "careers-kg: unknown query 'compare-statistic'; did you mean compare-statistics"
    )
    assert "Traceback" not in message


def test_missing_or_ill_typed_parameter_is_one_sentence_naming_it(cli):
    r = cli("query", "work-settings", "--format", "csv")
    assert (r.returncode, r.stdout) == (2, b"")
    assert r.stderr == b"careers-kg: parameter 'profession' (iri) is required\n"
    r = cli("query", "profession-profile", "-p", "profession=medical-coder> } UNION { ?s ?p ?o } #")
    assert (r.returncode, r.stdout) == (2, b"")
    assert r.stderr.decode("utf-8").startswith("careers-kg: parameter 'profession' must be an IRI")
    assert r.stderr.count(b"\n") == 1


def test_a_value_that_is_not_a_member_is_exit_2_with_close_names(cli):
    r = cli("query", "work-settings", "-p", "profession=medical-codr", "--format", "csv")
    assert (r.returncode, r.stdout) == (2, b"")
    assert r.stderr == (
        b"careers-kg: parameter 'profession': there is no profession called 'medical-codr'; "
        b"did you mean medical-coder (Medical Coder) or medical-biller (Medical Biller)?\n"
    )
    r = cli("query", "compare-statistics", "-p", "a=aama")
    assert (r.returncode, r.stdout) == (2, b"")
    assert r.stderr == b"careers-kg: parameter 'a': there is no profession called 'aama'\n"


def test_queries_lists_every_stored_query(cli):
    r = cli("queries")
    assert r.returncode == 0, r.stderr
    names = {line.split()[0] for line in lines(r.stdout) if line}
    assert names == {p.stem for p in (REPO / "queries").glob("*.rq")}
