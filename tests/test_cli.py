"""The command line, run as a user would (subprocesses): exit codes, exact messages, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

pytestmark = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)  # rdflib's JSON-LD
REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """The fixture tree and the test queries, with a cache shared by this module's runs."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(("CAREERS_KG_", "HOST", "PORT"))}
    out.update(
        CAREERS_KG_ROOT=str(FIXTURES),
        CAREERS_KG_QUERIES=str(REPO / "tests" / "queries"),
        CAREERS_KG_CACHE=str(tmp_path_factory.mktemp("cli-cache")),
    )
    return out


def cli(env: dict[str, str], *args: str, extra_env: dict[str, str] | None = None, stdin: str = ""):
    result = subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=REPO,
        env={**env, **(extra_env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_version_and_help(env):
    assert cli(env, "--version").stdout == "careers-kg 0.1.0\n"
    for command in ("validate", "build", "queries", "query", "sparql", "export", "serve"):
        run = cli(env, command, "--help")
        assert run.returncode == 0 and run.stdout.startswith(f"usage: careers-kg {command}"), command
    assert (
        "{validate,build,queries,query,sparql,export,serve}" not in cli(env, "--help").stdout
    )  # uses COMMAND


def test_no_or_unknown_command_is_a_usage_error(env):
    assert cli(env).returncode == 2
    run = cli(env, "frobnicate")
    assert run.returncode == 2 and "invalid choice: 'frobnicate'" in run.stderr


def test_validate_conforming_data(env):
    run = cli(env, "validate")
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        "data conforms: 38 triples, 35 inferred\n"
        "warning: Certified medical assistant — dct:description — a profession should have a description\n"
    )
    assert run.stderr == ""  # no progress when stderr is not a terminal


def test_validate_invalid_file_lists_the_report(env):
    run = cli(env, "validate", str(FIXTURES / "broken" / "invalid.ttl"))
    assert run.returncode == 1
    assert run.stdout == (
        "A negative figure — (node) — a statistic value must not be negative\n"
        "Orphan certification — issued by — a credential needs an issuing organization\n"
    )
    assert run.stderr == "careers-kg: the data does not conform: 2 violations\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("syntax.ttl", "broken/syntax.ttl line 5: newline found in string literal"),
        ("missing.ttl", "broken/missing.ttl: cannot read the file: No such file or directory"),
    ],
)
def test_validate_unreadable_or_unparsable_file(env, name, message):
    run = cli(env, "validate", str(FIXTURES / "broken" / name))
    assert (run.returncode, run.stdout, run.stderr) == (1, "", f"careers-kg: {message}\n")


def test_global_data_option(env):
    run = cli(env, "--data", str(FIXTURES / "broken" / "syntax.ttl"), "build")
    assert run.stderr == "careers-kg: broken/syntax.ttl line 5: newline found in string literal\n"


def test_build(env):
    run = cli(env, "build")
    assert run.returncode == 0
    assert run.stdout.startswith("built ") and run.stdout.endswith(
        ": 38 data, 49 ontology, 35 inferred triples\n"
    )


def test_queries_lists_the_catalogue(env):
    lines = cli(env, "queries").stdout.splitlines()
    assert lines[0] == (
        "credentials-of     SELECT     Credentials of a profession  (-p profession=<iri>)"
    )  # fmt: skip
    assert len(lines) == 5


def test_query_as_a_table(env):
    run = cli(env, "query", "credentials-of", "-p", "profession=medical-coder", "--format", "table")
    assert run.returncode == 0
    assert run.stdout == (
        "credential                    issuer\n"
        "----------------------------  ------\n"
        "Certified Professional Coder  AAPC\n"
        "(1 row)\n"
    )


def test_query_defaults_to_json_when_piped(env):
    run = cli(env, "query", "credentials-of", "-p", "profession=id:medical-coder")
    doc = json.loads(run.stdout)
    assert doc["head"]["vars"] == ["credential", "issuer"]
    assert doc["results"]["bindings"][0]["issuer"] == {
        "type": "uri",
        "value": "https://w3id.org/careers-kg/id/aapc",
    }


def test_construct_query_defaults_to_turtle(env, tmp_path):
    run = cli(env, "query", "occupation-markup", "-p", "profession=medical-coder")
    assert run.returncode == 0
    graph = Graph().parse(data=run.stdout, format="turtle")
    assert len(graph) == 2
    out = tmp_path / "markup.jsonld"
    assert (
        cli(env, "query", "occupation-markup", "-p", "profession=medical-coder", "-o", str(out)).returncode
        == 0
    )
    assert isomorphic(Graph().parse(out, format="json-ld"), graph)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "credential-of"], "unknown query 'credential-of'; did you mean credentials-of?"),
        (["query", "credentials-of"], "parameter 'profession' (iri) is required"),
        (["query", "statistics-above", "-p", "minimum=lots"],
         "parameter 'minimum' must be a decimal number, got 'lots'"),
        (["query", "credentials-of", "-p", "profession=not an iri"],
         "parameter 'profession' must be an IRI (a slug such as medical-coder, "
         "a CURIE such as id:medical-coder, or a full http(s) or urn IRI), got 'not an iri'"),
        (["query", "credentials-of", "-p", "oops"], "-p expects NAME=VALUE, got 'oops'"),
        (["query", "credentials-of", "-p", "profession=x", "-p", "colour=red"],
         "unknown parameter 'colour' (query 'credentials-of' takes: profession)"),
        (["query", "credentials-of", "-p", "profession=x", "--format", "turtle"],
         "unknown format 'turtle' for a SELECT query; use one of: json, xml, csv, tsv, table"),
        (["export", "--format", "yaml"],
         "unknown export format 'yaml'; use one of: turtle, jsonld, ntriples, rdfxml, ctdl"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2_with_one_sentence(env, args, message):
    run = cli(env, *args)
    assert (run.returncode, run.stdout, run.stderr) == (2, "", f"careers-kg: {message}\n")


def test_ill_typed_setting_is_a_usage_error(env):
    run = cli(env, "build", extra_env={"PORT": "eighty"})
    assert (run.returncode, run.stderr) == (2, "careers-kg: PORT must be an integer, got 'eighty'\n")


def test_sparql_syntax_error_gives_line_and_column(env):
    run = cli(env, "sparql", "SELECT ?x WHERE {\n  ?x ?y\n}")
    assert run.returncode == 1
    assert run.stderr.startswith("careers-kg: SPARQL syntax error at line 2, column 3:")
    assert run.stderr.count("\n") == 1


def test_sparql_from_file_and_stdin(env, tmp_path):
    query = (
        "PREFIX ckg: <https://w3id.org/careers-kg/ontology#>\nSELECT (COUNT(?p) AS ?n) {?p a ckg:Profession}"
    )
    (tmp_path / "q.rq").write_text(query, encoding="utf-8")
    assert (
        cli(env, "sparql", f"@{tmp_path / 'q.rq'}", "--format", "csv").stdout == "n\n2\n"
    )  # CRLF, read as text
    assert cli(env, "sparql", "@-", "--format", "tsv", stdin=query).stdout == "?n\n2\n"
    run = cli(env, "sparql", f"@{tmp_path / 'missing.rq'}")
    assert (run.returncode, run.stderr) == (
        1,
        f"careers-kg: cannot read the query file {tmp_path / 'missing.rq'}: No such file or directory\n",
    )


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml"),
                                             ("jsonld", "json-ld")])  # fmt: skip
def test_export_formats_are_the_same_graph(env, fmt, parser):
    data = Graph().parse(FIXTURES / "data" / "careers.ttl")
    run = cli(env, "export", "--format", fmt)
    assert run.returncode == 0
    exported = Graph().parse(data=run.stdout, format=parser)
    dataset = URIRef("https://w3id.org/careers-kg/dataset")  # the citation every export carries: 5 triples
    assert len(list(exported.triples((dataset, None, None)))) == 5
    exported.remove((dataset, None, None))
    assert isomorphic(exported, data)


def test_export_to_a_file_with_inferred_triples(env, tmp_path):
    out = tmp_path / "all.nt"
    run = cli(env, "export", "--inferred", "-o", str(out))
    assert (run.returncode, run.stdout) == (0, "")
    assert len(Graph().parse(out, format="nt")) == 38 + 35 + 5  # data, closure, citation
    run = cli(env, "export", "-o", str(tmp_path / "missing-dir" / "x.ttl"))
    assert run.returncode == 1 and run.stderr.startswith("careers-kg: cannot write ")
