"""kg.query.guard: what is refused before anything runs — updates, SERVICE, syntax errors, size, nesting —
and the
query form read from the text."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from standins import MSG_NESTED, MSG_SERVICE, MSG_UPDATE, PFX, Canary, small_kg

from kg.errors import QueryError
from kg.query.execute import execute, is_update, prepare, query_kind
from kg.query.guard import nesting_depth


@pytest.fixture(scope="module")
def small():
    return small_kg()


@pytest.fixture
def canary():
    listener = Canary()
    yield listener
    assert listener.close() == []


UPDATES = [
    "INSERT DATA { <http://example.org/a> <http://example.org/p> <http://example.org/z> }",
    "DELETE DATA { <http://example.org/a> <http://example.org/p> <http://example.org/b> }",
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR DEFAULT",
    "CLEAR ALL",
    "DROP GRAPH <http://example.org/g1>",
    "CREATE GRAPH <http://example.org/new>",
    "ADD <http://example.org/g1> TO <http://example.org/g2>",
    "MOVE DEFAULT TO <http://example.org/g3>",
    "COPY <http://example.org/g1> TO DEFAULT",
    "WITH <http://example.org/g1> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    PFX + "# a comment with SELECT in it\ninsert data { ex:a ex:p ex:z }",
    "\\u0049NSERT DATA { <http://example.org/a> <http://example.org/p> <http://example.org/z> }",
]


@pytest.mark.parametrize("text", UPDATES)
def test_updates_are_refused(small, text):
    before = len(small.union)
    with pytest.raises(QueryError) as err:
        execute(small, text, timeout=10)
    assert (err.value.status, err.value.message) == (400, MSG_UPDATE)
    with pytest.raises(QueryError) as err:
        prepare(text)
    assert (err.value.status, err.value.message) == (400, MSG_UPDATE)
    assert is_update(text) and query_kind(text) is None
    assert len(small.union) == before


SERVICES = {
    "top level": "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "filter exists": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "filter not exists": "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "bind exists": "SELECT * WHERE { BIND(EXISTS { SERVICE <{url}> { ?s ?p ?o } } AS ?x) }",
    "optional": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}> { ?s ?q ?v } } }",
    "union": "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{url}> { ?s ?p ?o } } }",
    "minus": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{url}> { ?s ?p ?o } } }",
    "graph": "SELECT * WHERE { GRAPH ?g { SERVICE <{url}> { ?s ?p ?o } } }",
    "variable": "SELECT * WHERE { BIND(<{url}> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "ask": "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "describe": "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("template", SERVICES.values(), ids=SERVICES.keys())
def test_service_is_refused(small, canary, template):
    text = template.replace("{url}", canary.url)
    for run in (lambda: execute(small, text, timeout=10), lambda: prepare(text)):
        with pytest.raises(QueryError) as err:
            run()
        assert (err.value.status, err.value.message) == (400, MSG_SERVICE)


def test_syntax_error_names_line_and_column(small):
    with pytest.raises(QueryError) as err:
        execute(small, "SELECT ?s\nWHERE { ?s ?p ?o .\n  FILTER ( }", timeout=10)
    assert err.value.status == 400
    assert err.value.message == (
        "SPARQL syntax error at line 3, column 3: Expected SelectQuery, found 'FILTER'"
    )


def test_unknown_prefix(small):
    with pytest.raises(QueryError) as err:
        execute(small, "SELECT * WHERE { foo:a ?p ?o }", timeout=10)
    assert err.value.status == 400
    assert err.value.message == "the query is invalid: Unknown namespace prefix : foo"


def test_bad_regex_is_400(small):
    with pytest.raises(QueryError) as err:
        execute(small, "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?s), '(')) }", timeout=10)
    assert err.value.status == 400
    assert err.value.message == (
        "invalid regular expression in the query: missing ), unterminated subpattern at position 0"
    )


def test_overlong_text_is_413(small):
    text = "SELECT * WHERE { ?s ?p ?o }" + "#" * 100_000
    for run in (lambda: execute(small, text, timeout=10), lambda: prepare(text)):
        with pytest.raises(QueryError) as err:
            run()
        assert (err.value.status, err.value.message) == (413, "the query text is longer than 100 KB")


def test_2000_nested_groups_is_400(small):
    text = "SELECT * WHERE " + "{" * 2000 + " ?s ?p ?o " + "}" * 2000
    for run in (lambda: execute(small, text, timeout=10), lambda: prepare(text)):
        with pytest.raises(QueryError) as err:
            run()
        assert (err.value.status, err.value.message) == (400, MSG_NESTED)


def test_nesting_within_the_limit_runs_in_the_sandbox(small):
    """150 groups are too deep for an in-process parse (RecursionError -> 400) but fine in the sandbox."""
    text = "SELECT * WHERE " + "{" * 150 + " ?s <http://example.org/p> ?o " + "}" * 150
    assert len(execute(small, text, timeout=30).rows) == 2
    with pytest.raises(QueryError) as err:
        prepare(text)
    assert (err.value.status, err.value.message) == (400, MSG_NESTED)


# --- query form from text ---


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("  select * { ?s ?p ?o }", "SELECT"),
        (PFX + "BASE <http://example.org/#x>\n# CONSTRUCT in a comment\nASK { ?s ?p 'DESCRIBE' }", "ASK"),
        (
            "PREFIX : <http://example.org/#>\nPREFIX a-b: <urn:x>\nconstruct { ?s ?p ?o } where { ?s ?p ?o }",
            "CONSTRUCT",
        ),
        ("DESCRIBE <http://example.org/a>", "DESCRIBE"),
        ("\\u0053ELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("# only a comment", None),
        ("", None),
        ("<http://example.org/a> SELECT", None),
    ],
)
def test_query_kind(text, kind):
    assert query_kind(text) == kind
    assert not is_update(text)


def test_nesting_depth_ignores_strings_iris_and_comments():
    assert nesting_depth("SELECT * { ?s ?p '{{{{' . ?s ?p <http://x/((> # {{{{\n FILTER((1)) }") == 3


HOSTILE_TEXTS = {
    "unterminated escapes": '"\\' * 49_000,
    "unterminated single escapes": "'\\" * 49_000,
    "long strings": '"""\\' * 24_000,
    "quotes": '"' * 99_000,
    "angle brackets": "<a" * 49_000,
    "unclosed braces": "{" * 99_000,
}


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_cheap_checks_take_linear_time(text):
    """These run in the server process, before the sandbox: a backtracking lexer took minutes on the first."""
    start = time.monotonic()
    for check in (query_kind, is_update, nesting_depth):
        check(text)
    with pytest.raises(QueryError):
        prepare(text)
    assert time.monotonic() - start < 2.0


def test_invalid_unicode_escape_is_400(small):
    text = "SELECT * WHERE { ?s ?p '\\UFFFFFFFF' }"
    assert query_kind(text) == "SELECT"
    with pytest.raises(QueryError) as err:
        execute(small, text, timeout=10)
    assert (err.value.status, err.value.message) == (
        400,
        "the query is invalid: Invalid unicode code point: FFFFFFFF",
    )


# pyparsing is not thread-safe: parsing the stored queries in 8 threads at once, in a fresh interpreter (whose
# grammar is not streamlined yet), broke rdflib's grammar for good before `prepare` took a lock (every one of
# the 8 x 31 parses failed with "postParse2() missing 1 required positional argument").
CONCURRENT_PARSES = """
import sys, threading
from pathlib import Path
from kg.query.guard import prepare
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.rq"))]
kinds, errors = [], []
start = threading.Barrier(8)
def parse_all():
    start.wait()
    for text in texts:
        try:
            kinds.append(prepare(text).kind)
        except Exception as exc:
            errors.append(repr(exc))
threads = [threading.Thread(target=parse_all) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(texts), len(kinds), errors[:1])
"""


def test_prepare_is_safe_in_threads():
    queries = Path(__file__).resolve().parent.parent / "queries"
    count = len(list(queries.glob("*.rq")))
    out = subprocess.run(
        [sys.executable, "-c", CONCURRENT_PARSES, str(queries)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == [str(count), str(8 * count), "[]"]
