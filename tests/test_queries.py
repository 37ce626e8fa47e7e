"""Stored queries: strict headers, typed parameters bound (never pasted), the catalogue."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef

from kg.config import Settings
from kg.errors import ParamError, QueryLoadError, UnknownQueryError
from kg.pipeline.build import build
from kg.query.catalogue import bind, find_query, load_catalogue, load_query, parse_query, run

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
TEST_QUERIES = REPO / "tests" / "queries"
ID = "https://w3id.org/careers-kg/id/"
TYPES = "iri, string, integer, decimal, boolean, date"
BODY = "PREFIX ckg: <https://w3id.org/careers-kg/ontology#>\nSELECT ?x WHERE { ?x ckg:about ?subject }\n"


@pytest.fixture(scope="module")
def fixture_kg(tmp_path_factory):
    return build(Settings.from_env(root=FIXTURES, environ={}, cache_dir=tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(TEST_QUERIES, REPO)


def header_error(header: str, body: str = BODY, name: str = "bad") -> str:
    with pytest.raises(QueryLoadError) as err:
        parse_query(header + body, name, f"queries/{name}.rq")
    return err.value.message


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "queries/bad.rq: no '#+ ' header: the file must start with '#+ title: …' lines"),
        ("#+ title: T\n#+ colour: red\n",
         "queries/bad.rq: unknown header key 'colour' (allowed: description, params, tags, title)"),
        ("#+ title: [unclosed\n",
         "queries/bad.rq: the '#+ ' header is not valid YAML: expected ',' or ']', but got '<stream end>' "
         "(header line 1)"),
        ("#+ - a list\n",
         "queries/bad.rq: the '#+ ' header must be a mapping of keys (title, description, tags, params)"),
        ("#+ description: no title\n", "queries/bad.rq: the header needs a 'title' (one line of text)"),
        ("#+ title: T\n#+ description: [1, 2]\n", "queries/bad.rq: 'description' must be text"),
        ("#+ title: T\n#+ tags: pay\n", "queries/bad.rq: 'tags' must be a list of words, e.g. [pay, growth]"),
        ("#+ title: T\n#+ params: [subject]\n",
         "queries/bad.rq: 'params' must map each parameter name to its settings"),
        ("#+ title: T\n#+ params:\n#+   subject: iri\n",
         "queries/bad.rq: parameter 'subject' must be a mapping such as {type: iri, required: true}"),
        ("#+ title: T\n#+ params:\n#+   subject: {type: iri, label: S}\n",
         "queries/bad.rq: parameter 'subject' has unknown key 'label' "
         "(allowed: class, default, description, example, required, type)"),
        ("#+ title: T\n#+ params:\n#+   subject: {type: uri}\n",
         f"queries/bad.rq: parameter 'subject' has type 'uri'; use one of: {TYPES}"),
        ("#+ title: T\n#+ params:\n#+   subject: {required: true}\n",
         f"queries/bad.rq: parameter 'subject' has type None; use one of: {TYPES}"),
        ("#+ title: T\n#+ params:\n#+   subject: {type: iri, required: yes please}\n",
         "queries/bad.rq: parameter 'subject': 'required' must be true or false"),
        ("#+ title: T\n#+ params:\n#+   subject: {type: iri, required: true, default: x}\n",
         "queries/bad.rq: parameter 'subject' is required, so it cannot have a default"),
        ("#+ title: T\n#+ params:\n#+   subject: {type: integer, default: many}\n",
         "queries/bad.rq: default of parameter 'subject' must be an integer, got 'many'"),
        ("#+ title: T\n#+ params:\n#+   subject: {type: iri, example: not an iri}\n",
         "queries/bad.rq: example of parameter 'subject' must be an IRI (a slug such as medical-coder, "
         "a CURIE such as id:medical-coder, or a full http(s) or urn IRI), got 'not an iri'"),
        ("#+ title: T\n#+ params:\n#+   other: {type: iri}\n",
         "queries/bad.rq: parameter 'other' is declared but the query never uses ?other"),
        ("#+ title: T\n#+ params:\n#+   2x: {type: iri}\n",
         "queries/bad.rq: parameter name '2x' is not a SPARQL variable name"),
    ],
)  # fmt: skip
def test_header_errors_name_the_file(header, message):
    assert header_error(header) == message


def test_a_query_that_does_not_parse_names_file_line_and_column():
    message = header_error("#+ title: T\n", "SELECT ?x WHERE {\n  ?x ?y\n}\n")
    assert (
        message == "queries/bad.rq: SPARQL syntax error at line 3, column 3: Expected SelectQuery, found '?'"
    )
    assert header_error("#+ title: T\n", "SELECT ?x WHERE { ?x a ckg:Profession }\n").startswith(
        "queries/bad.rq: the query is invalid: Unknown namespace prefix : ckg"
    )


def test_the_file_name_is_the_url_segment():
    assert header_error("#+ title: T\n", name="Bad Name") == (
        "queries/Bad Name.rq: the file name must be lower-case letters, digits and hyphens "
        "(it is the query's URL)"
    )


def test_unreadable_query_file(tmp_path):
    (tmp_path / "x.rq").write_bytes(b"#+ title: \xff\n")
    with pytest.raises(QueryLoadError) as err:
        load_query(tmp_path / "x.rq", tmp_path)
    assert err.value.message.startswith("x.rq: cannot read the file:")


def test_catalogue_is_loaded_and_prepared_once(catalogue):
    assert list(catalogue) == [
        "credentials-of", "has-professions", "labelled", "occupation-markup", "statistics-above"
    ]  # fmt: skip
    q = catalogue["credentials-of"]
    assert (q.title, q.kind, q.tags) == ("Credentials of a profession", "SELECT", ("credentials",))
    assert q.description == "The credentials a profession requires, with the organization that issues each."
    (p,) = q.params
    assert (p.name, p.type, p.required, p.example, p.description) == (
        "profession", "iri", True, "medical-coder", "The profession"
    )  # fmt: skip
    assert q.prepared.kind == "SELECT" and q.text.startswith("#+ title: Credentials of a profession\n")
    assert catalogue["statistics-above"].param("minimum").default == "0"
    assert catalogue["occupation-markup"].kind == "CONSTRUCT"
    assert catalogue["has-professions"].kind == "ASK"


def test_unknown_query_suggests_close_names(catalogue):
    with pytest.raises(UnknownQueryError) as err:
        catalogue.find("credential-of")
    assert str(err.value) == "unknown query 'credential-of'; did you mean credentials-of?"
    with pytest.raises(UnknownQueryError) as err:
        catalogue.find("zzz")
    assert str(err.value) == "unknown query 'zzz'"


def test_find_query_parses_only_the_named_file(tmp_path):
    (tmp_path / "good.rq").write_text("#+ title: Good\nASK {}\n", encoding="utf-8")
    (tmp_path / "broken.rq").write_text("not a query", encoding="utf-8")
    assert find_query(tmp_path, "good").title == "Good"
    with pytest.raises(UnknownQueryError) as err:
        find_query(tmp_path, "goo")
    assert str(err.value) == "unknown query 'goo'; did you mean good?"
    with pytest.raises(UnknownQueryError):
        find_query(tmp_path, "../good")
    with pytest.raises(QueryLoadError):
        find_query(tmp_path, "broken")


@pytest.mark.parametrize(
    ("ptype", "raw", "term"),
    [
        ("iri", "medical-coder", URIRef(ID + "medical-coder")),
        ("iri", " id:medical-coder ", URIRef(ID + "medical-coder")),
        ("iri", "schema:Occupation", URIRef("http://schema.org/Occupation")),
        ("iri", "ckg:Profession", URIRef("https://w3id.org/careers-kg/ontology#Profession")),
        ("iri", "https://example.org/a?b=c#d", URIRef("https://example.org/a?b=c#d")),
        ("iri", "http://schema.org/Occupation", URIRef("http://schema.org/Occupation")),
        ("iri", "urn:isbn:0451450523", URIRef("urn:isbn:0451450523")),
        ("string", ' a "quoted" } string ', Literal(' a "quoted" } string ')),
        ("integer", "42", Literal(42)),
        ("integer", "-7", Literal(-7)),
        ("integer", "+3", Literal(3)),
        ("decimal", "12.50", Literal(Decimal("12.50"))),
        ("decimal", "3", Literal(Decimal("3"))),
        ("decimal", "-.5", Literal(Decimal("-0.5"))),
        ("boolean", "true", Literal(True)),
        ("boolean", "FALSE", Literal(False)),
        ("boolean", "1", Literal(True)),
        ("date", "2016-05-01", Literal(datetime.date(2016, 5, 1))),
    ],
)
def test_conversions(ptype, raw, term):
    from kg.query.params import convert

    value = convert(ptype, raw, "x")
    assert value == term
    assert type(value) is type(term)
    if isinstance(term, Literal):
        assert value.datatype == term.datatype
        assert value.datatype == {"string": None, "integer": XSD.integer, "decimal": XSD.decimal,
                                  "boolean": XSD.boolean, "date": XSD.date}[ptype]  # fmt: skip


@pytest.mark.parametrize(
    ("ptype", "raw", "expected"),
    [
        ("iri", "not an iri", "an IRI (a slug such as medical-coder, a CURIE such as id:medical-coder, "
                              "or a full http(s) or urn IRI)"),
        ("iri", "foo:bar", None),  # an unknown prefix
        ("iri", "javascript:alert(1)", None),
        ("iri", "http://a b", None),
        ("iri", "<http://x>", None),
        ("iri", "file:///etc/passwd", None),
        ("integer", "4.2", "an integer"),
        ("integer", "1e3", None),
        ("integer", "9" * 101, None),
        ("decimal", "1,5", "a decimal number"),
        ("decimal", "NaN", None),
        ("boolean", "yes", "true or false"),
        ("date", "2016-02-30", "a date (YYYY-MM-DD)"),
        ("date", "20160501", None),
    ],
)  # fmt: skip
def test_ill_typed_values_name_parameter_and_type(ptype, raw, expected):
    from kg.query.params import EXPECTED, convert

    with pytest.raises(ParamError) as err:
        convert(ptype, raw, "x")
    shown = raw if len(raw) <= 40 else raw[:39] + "…"
    assert err.value.message == f"parameter 'x' must be {expected or EXPECTED[ptype]}, got {shown!r}"
    assert err.value.name == "x"


def test_bind_fills_defaults_and_checks_presence(catalogue):
    labelled = catalogue["labelled"]
    assert bind(labelled, {"text": "Medical coder"}) == {
        "text": Literal("Medical coder"),
        "lang": Literal("en"),
    }
    assert bind(catalogue["statistics-above"], {}) == {"minimum": Literal(Decimal("0"))}
    with pytest.raises(ParamError) as err:
        bind(labelled, {})
    assert err.value.message == "parameter 'text' (string) is required"
    with pytest.raises(ParamError) as err:
        bind(catalogue["credentials-of"], {"profession": ""})
    assert err.value.message == "parameter 'profession' (iri) is required"
    with pytest.raises(ParamError) as err:
        bind(labelled, {"text": "x", "limit": "3"})
    assert err.value.message == "unknown parameter 'limit' (query 'labelled' takes: text, lang)"


def test_run_answers_on_the_fixture_graph(catalogue, fixture_kg):
    result = run(fixture_kg, catalogue["credentials-of"], {"profession": "medical-coder"})
    assert result.vars == ("credential", "issuer")
    assert result.rows == ((URIRef(ID + "cpc-certification"), URIRef(ID + "aapc")),)
    result = run(fixture_kg, catalogue["statistics-above"], {"minimum": "20"})
    assert result.rows == ((URIRef(ID + "stat-coder-median-annual-wage"), Literal(38040)),)
    assert run(fixture_kg, catalogue["has-professions"], {}).boolean is True


@pytest.mark.parametrize(
    "hostile",
    [
        'Medical coder" } ; DROP ALL ; SELECT * { ?s ?p "',
        "Medical coder\\u0022 } UNION { ?thing ?p ?o } #",
        "?thing",
        "} } } INSERT DATA { <urn:x> <urn:y> <urn:z> }",
        "\u0000\n\r\t'\"",
    ],
)
def test_injection_looking_strings_are_bound_as_literals(catalogue, fixture_kg, hostile):
    bound = bind(catalogue["labelled"], {"text": hostile})
    assert bound["text"] == Literal(hostile) and bound["text"].datatype is None
    before = len(fixture_kg.union)
    result = run(fixture_kg, catalogue["labelled"], {"text": hostile})
    assert result.rows == ()
    assert len(fixture_kg.union) == before


def test_iri_parameters_cannot_smuggle_text(catalogue, fixture_kg):
    with pytest.raises(ParamError):
        run(fixture_kg, catalogue["credentials-of"], {"profession": "x> ?p ?o } UNION { ?s"})
    result = run(fixture_kg, catalogue["credentials-of"], {"profession": "id:medical-coder"})
    assert len(result.rows) == 1


def test_the_real_catalogue_loads_and_every_example_runs(kg, settings):
    catalogue = load_catalogue(settings.queries_dir, settings.root)
    assert len(catalogue) >= 14
    for name, stored in catalogue.items():
        raw = {p.name: p.example for p in stored.params if p.example is not None}
        missing = [p.name for p in stored.params if p.required and p.example is None]
        assert not missing, f"{name}: required parameters without an example: {missing}"
        result = run(kg, stored, raw, timeout=settings.query_timeout)
        assert result.kind == stored.kind, name


def test_prepared_catalogue_from_the_cache_answers_exactly_as_freshly_parsed(tmp_path):
    """The build cache keeps the prepared stored queries (kg.query.preparedcache): every stored query of the
    real catalogue, run with its example parameters, gives the same answer after the round trip."""
    from kg.pipeline import cache as build_cache

    settings = Settings.from_env(
        root=REPO, environ={}, cache_dir=tmp_path, data_files=(REPO / "data" / "careers.ttl",)
    )
    fresh = load_catalogue(settings.queries_dir, settings.root, tmp_path)
    assert len(list(tmp_path.glob("queries-*.pickle"))) == 1
    cached = load_catalogue(settings.queries_dir, settings.root, tmp_path)
    assert cached is not fresh and set(cached) == set(fresh)
    kg = build(settings)
    for name, stored in fresh.items():
        raw = {p.name: p.example for p in stored.params if p.example is not None}
        a, b = run(kg, stored, raw), run(kg, cached[name], raw)
        assert (a.kind, a.vars, a.rows, a.boolean) == (b.kind, b.vars, b.rows, b.boolean), name
        assert (set(a.graph) if a.graph else None) == (set(b.graph) if b.graph else None), name
    assert build_cache.path_for(tmp_path, "x", "queries").name == "queries-x.pickle"
