"""HTTP behaviour of every route: ETags and 304s, the response cache, security headers, errors, escaping."""

from __future__ import annotations

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef
from web_fixtures import HTML, web_app, web_client

from kg.rdf.namespaces import CKG, ID, SCHEMA
from kg.web.cache import LRU, Entry, etag_matches, wants_revalidation

OK_ROUTES = [
    "/",
    "/id/certified-medical-assistant",
    "/id/certified-medical-assistant.ttl",
    "/compare",
    "/compare.json",
    "/compare.csv",
    "/search?q=coder",
    "/search.json?q=coder",
    "/queries",
    "/queries.json",
    "/queries/median-pay?profession=medical-coder",
    "/queries/median-pay.csv?profession=medical-coder",
    "/openapi.json",
    "/ontology",
    "/ontology.ttl",
    "/shapes.ttl",
    "/export.ttl",
    "/void.ttl",
    "/healthz",
    "/sparql",
    "/sparql?query=ASK%20%7B%7D",
    "/static/style.css",
]
ROUTES = [*OK_ROUTES, "/id/nothing-here", "/no/such/route", "/compare?a=x"]


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


@pytest.mark.parametrize("path", ROUTES)
def test_security_headers_on_every_response(client, path):
    r = client.get(path, headers=HTML)
    assert r.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "Accept" in r.headers["Vary"]
    assert r.headers["ETag"].startswith('"')


@pytest.mark.parametrize("path", [p for p in OK_ROUTES if p != "/healthz"])
def test_conditional_get_answers_304(client, kg, path):
    r = client.get(path, headers=HTML)
    assert r.status_code == 200
    etag = r.headers["ETag"]
    assert etag.startswith(f'"{kg.version}-')
    again = client.get(path, headers={**HTML, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(path, headers={**HTML, "If-None-Match": "W/" + etag}).status_code == 304
    assert client.get(path, headers={**HTML, "If-None-Match": '"other"'}).status_code == 200


def test_etag_differs_by_variant(client):
    html = client.get("/id/medical-coder", headers=HTML).headers["ETag"]
    ttl = client.get("/id/medical-coder", headers={"Accept": "text/turtle"}).headers["ETag"]
    other = client.get("/id/medical-biller", headers=HTML).headers["ETag"]
    assert len({html, ttl, other}) == 3


def test_cached_responses_are_replayed(client):
    store = client.application.wsgi_app.store
    first = client.get("/id/cancer-registrar", headers=HTML)
    hits = store.hits
    second = client.get("/id/cancer-registrar", headers=HTML)
    assert store.hits == hits + 1
    assert second.data == first.data
    assert dict(second.headers) == dict(first.headers)
    head = client.head("/id/cancer-registrar", headers=HTML)
    assert head.status_code == 200 and head.data == b""


def test_errors_and_healthz_are_not_cached(client):
    store = client.application.wsgi_app.store
    for path in ("/healthz", "/id/definitely-missing"):
        client.get(path)
        misses = store.misses
        client.get(path)
        assert store.misses == misses + 1, path


@pytest.fixture()
def counting(settings, kg):
    """A fresh app (empty response cache) with /count, a view that answers how often it has been called."""
    app = web_app(settings, kg)
    calls = []

    @app.get("/count")
    def count():
        calls.append(1)
        return {"calls": len(calls)}

    return app.test_client(), calls


def test_no_cache_request_bypasses_the_response_cache(counting):
    client, calls = counting

    def get(headers=None):
        r = client.get("/count", headers=headers or {})
        assert r.status_code == 200
        return r.get_json()["calls"]

    assert get() == 1 and get() == 1 and len(calls) == 1  # the second GET is a replay
    assert get({"Cache-Control": "no-cache"}) == 2
    assert get() == 2  # the fresh response replaced the stored one
    assert get({"Cache-Control": "max-age=0, no-cache"}) == 3
    assert get({"Cache-Control": "No-Cache"}) == 4
    assert get({"Pragma": "no-cache"}) == 5
    assert get({"Cache-Control": "max-age=60"}) == 5
    assert get({"Cache-Control": "max-age=60", "Pragma": "no-cache"}) == 5  # Cache-Control wins
    assert get({"Cache-Control": "no-store"}) == 5
    assert len(calls) == 5
    head = client.head("/count", headers={"Cache-Control": "no-cache"})
    assert head.status_code == 200 and head.data == b"" and len(calls) == 6
    assert get() == 5  # a HEAD is never stored


def test_no_cache_conditional_get_is_answered_from_a_fresh_render(counting):
    client, calls = counting
    etag = client.get("/count").headers["ETag"]
    assert client.get("/count", headers={"If-None-Match": etag}).status_code == 304
    assert len(calls) == 1  # the stored ETag answered
    r = client.get("/count", headers={"If-None-Match": etag, "Cache-Control": "no-cache"})
    assert len(calls) == 2  # the app rendered it; its fresh ETag is the same, so: 304
    assert r.status_code == 304 and r.data == b"" and r.headers["ETag"] == etag
    r = client.get("/count", headers={"If-None-Match": '"other"', "Pragma": "no-cache"})
    assert len(calls) == 3 and r.status_code == 200 and r.get_json() == {"calls": 3}


@pytest.mark.parametrize(
    ("headers", "bypass"),
    [
        ({}, False),
        ({"HTTP_CACHE_CONTROL": "no-cache"}, True),
        ({"HTTP_CACHE_CONTROL": " max-age=0 ,NO-CACHE"}, True),
        ({"HTTP_CACHE_CONTROL": 'no-cache="Set-Cookie"'}, True),
        ({"HTTP_CACHE_CONTROL": "max-age=0"}, False),
        ({"HTTP_CACHE_CONTROL": "no-store, no-transform"}, False),
        ({"HTTP_PRAGMA": "no-cache"}, True),
        ({"HTTP_PRAGMA": "no-cache", "HTTP_CACHE_CONTROL": "max-age=60"}, False),
        ({"HTTP_PRAGMA": "nocache"}, False),
    ],
)
def test_wants_revalidation(headers, bypass):
    assert wants_revalidation(headers) is bypass


def test_lru_bounds():
    lru = LRU(max_entries=2, max_bytes=100)
    for key in "abc":
        lru.put(key, Entry("200 OK", [], b"x" * 10, None))
    assert len(lru) == 2 and lru.get("a") is None and lru.get("c") is not None
    lru.put("big", Entry("200 OK", [], b"x" * 60, None))  # over a quarter of the budget: not kept
    assert lru.get("big") is None


def test_etag_matching():
    assert etag_matches('"a"', '"a"')
    assert etag_matches('W/"a", "b"', '"a"')
    assert etag_matches("*", '"a"')
    assert not etag_matches('"b"', '"a"')


def test_errors_are_json_or_html_by_accept(client):
    r = client.get("/no/such/route")
    assert r.status_code == 404
    assert r.get_json()["status"] == 404
    r = client.get("/no/such/route", headers=HTML)
    assert r.status_code == 404 and "<h1>Not found</h1>" in r.get_data(as_text=True)


def test_unexpected_errors_never_show_a_traceback(settings, kg, caplog):
    failing = web_app(settings, kg)

    @failing.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    c = failing.test_client()
    r = c.get("/boom")
    assert r.status_code == 500
    body = r.get_data(as_text=True)
    assert "secret detail" not in body and "Traceback" not in body
    assert r.get_json()["message"] == "Something went wrong on the server; the error has been logged."
    assert "secret detail" in caplog.text  # the detail is in the log
    assert c.get("/boom", headers=HTML).status_code == 500


def test_body_over_one_mebibyte_is_413(client):
    r = client.post("/sparql", data=b"x" * (1024 * 1024 + 1), content_type="application/sparql-query")
    assert r.status_code == 413


@pytest.mark.parametrize(
    "path", ["/id/..%2F..%2Fetc%2Fpasswd", "/id/../../etc/passwd", "/id/%2e%2e", "/id/.hidden"]
)
def test_path_traversal_under_id_is_404(client, path):
    assert client.get(path).status_code == 404


@pytest.fixture(scope="module")
def hostile_client(settings, kg):
    """An app whose dataset holds an extra graph full of markup and javascript: IRIs."""
    evil = ID["evil"]
    g = Graph()
    g.add((evil, RDF.type, CKG.Profession))
    g.add((evil, SKOS.prefLabel, Literal('<script>alert("x")</script></script><!--', lang="en")))
    g.add((evil, SCHEMA.name, Literal("</script><script>alert(1)</script>")))
    g.add((evil, SCHEMA.url, URIRef("javascript:alert(1)")))
    g.add((evil, CKG.relatedProfession, URIRef("data:text/html,<b>x</b>")))
    g.add((evil, SKOS.altLabel, Literal('" onmouseover="alert(1)')))
    return web_client(settings, kg.with_named_graphs([("urn:x-test:evil", g)]))


def test_no_markup_injection_on_entity_page(hostile_client):
    r = hostile_client.get("/id/evil", headers=HTML)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    body = html.split("</head>", 1)[1]
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    assert 'href="javascript:' not in html and "href='javascript:" not in html
    assert 'href="data:' not in html
    assert '" onmouseover="' not in html
    head = html.split("</head>", 1)[0]
    script = head.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "</" not in script and "<!--" not in script
    assert "\\u003c/script\\u003e" in script


def test_no_markup_injection_in_search_and_compare(hostile_client):
    html = hostile_client.get("/search?q=script", headers=HTML).get_data(as_text=True)
    assert "<script>" not in html and "&lt;script&gt;" in html
    html = hostile_client.get("/compare?a=evil&b=medical-coder", headers=HTML).get_data(as_text=True)
    assert "<script>" not in html.split("</head>", 1)[1]


def test_gunicorn_options(settings):
    from kg.web.server import gunicorn_options

    opts = gunicorn_options(settings.replace(host="127.0.0.1", port=8123, workers=3))
    assert opts["bind"] == ["127.0.0.1:8123"]
    assert opts["workers"] == 3
    assert opts["preload_app"] is True
    assert opts["worker_class"] == "gthread"
    assert gunicorn_options(settings, host="::1", port=9000, workers=1)["bind"] == ["[::1]:9000"]
