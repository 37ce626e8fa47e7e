"""The /sparql page as an editor: the vendored YASGUI, its configuration block, the page's own
Content-Security-Policy, errors that keep the query, and result tables that show IRIs as well as labels."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from web_fixtures import HTML, web_client

from kg.rdf.namespaces import CKG
from kg.web.app import CSP
from kg.web.views_sparql import CSP_EDITOR, YASGUI_STYLE_HASH

YASGUI = Path(__file__).resolve().parent.parent / "kg" / "web" / "static" / "yasgui"
BAD = "PREFIX ckg: <https://w3id.org/careers-kg/ontology#>\nSELECT ?x WHERE { ?x ?y }"


@pytest.fixture(scope="module")
def client(settings, kg):
    return web_client(settings, kg)


def _config(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="editor-config">(.*?)</script>', html, re.S)
    assert block is not None
    return json.loads(block.group(1))


def test_vendored_files_match_their_recorded_hashes():
    lines = (YASGUI / "VERSION").read_text().splitlines()
    assert lines[0] == (
        "@triply/yasgui 4.2.28 (MIT), from the npm registry; vendored by tools/vendor_yasgui.sh"
    )
    recorded = dict(reversed(line.split()) for line in lines[3:])
    assert sorted(recorded) == ["LICENSE.txt", "THIRD-PARTY-LICENSES.txt", "yasgui.min.css", "yasgui.min.js"]
    for name, digest in recorded.items():
        assert hashlib.sha256((YASGUI / name).read_bytes()).hexdigest() == digest, name
    assert "MIT License" in (YASGUI / "LICENSE.txt").read_text()


def test_the_allowed_stylesheet_hash_is_the_one_yasgui_adds():
    """YASGUI's column resizer adds one <style> with a literal text: the page's CSP allows exactly that."""
    bundle = (YASGUI / "yasgui.min.js").read_text(encoding="utf-8")
    (literal,) = re.findall(r'createStyle\(i,"((?:[^"\\]|\\.)*)"\)', bundle)
    text = json.loads(f'"{literal}"')  # the JavaScript string's escapes (\t) read as JSON's
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert YASGUI_STYLE_HASH == f"sha256-{digest}"


def test_the_editor_page_loosens_only_its_own_policy(client):
    r = client.get("/sparql", headers=HTML)
    assert r.headers["Content-Security-Policy"] == CSP_EDITOR
    assert f"style-src 'self' '{YASGUI_STYLE_HASH}'" in CSP_EDITOR
    assert "unsafe" not in CSP_EDITOR
    assert "script-src" not in CSP_EDITOR  # scripts fall back to default-src 'self'
    for path in ("/", "/queries", "/search?q=coder", "/sparql?query=ASK%7B%7D"):
        assert client.get(path).headers["Content-Security-Policy"] == CSP, path
    assert client.get("/static/yasgui/yasgui.min.js").status_code == 200


def test_the_page_loads_the_vendored_editor_and_no_inline_script(client):
    html = client.get("/sparql", headers=HTML).get_data(as_text=True)
    assert '<script src="/static/yasgui/yasgui.min.js" defer></script>' in html
    assert '<script src="/static/sparql-editor.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">' in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)


def test_the_editor_configuration(client):
    config = _config(client.get("/sparql", headers=HTML).get_data(as_text=True))
    assert config["endpoint"] == "/sparql"
    assert config["query"].startswith("PREFIX ckg: <https://w3id.org/careers-kg/ontology#>\n")
    assert config["prefixes"]["ckg"] == "https://w3id.org/careers-kg/ontology#"
    assert config["prefixes"]["id"] == "https://w3id.org/careers-kg/id/"
    assert "https://w3id.org/careers-kg/ontology#Profession" in config["classes"]
    assert "http://schema.org/Occupation" in config["classes"]  # what ckg:Profession specialises
    assert "https://w3id.org/careers-kg/ontology#reportedUnder" in config["properties"]
    median = next(ex for ex in config["examples"] if ex["name"] == "median-pay")
    assert median["title"] == "Median pay of a profession"
    assert "#+" not in median["query"] and "SELECT" in median["query"]


def test_a_query_from_the_url_is_the_editors_query(client):
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    html = client.get(f"/sparql?query={quote(query)}", headers=HTML).get_data(as_text=True)
    assert _config(html)["query"] == query


def test_an_error_keeps_the_query_text(client):
    r = client.get(f"/sparql?query={quote(BAD)}", headers=HTML)
    assert r.status_code == 400
    assert r.content_type == "text/html; charset=utf-8"
    html = r.get_data(as_text=True)
    message = "SPARQL syntax error at line 2, column 19: Expected SelectQuery, found &#39;?&#39;"
    assert f"<strong>The query did not run:</strong> {message}" in html
    textarea = re.search(r'<textarea id="query" name="query"[^>]*>(.*?)</textarea>', html, re.S)
    assert unescape(textarea.group(1)) == BAD
    assert _config(html)["query"] == BAD
    # API clients still get the short JSON error.
    r = client.get(f"/sparql?query={quote(BAD)}", headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 400 and r.get_json()["status"] == 400


def test_results_show_iris_as_well_as_labels(client):
    query = f"PREFIX ckg: <{CKG}>\nSELECT ?p {{ ?p a ckg:Profession }} ORDER BY ?p"
    html = client.get(f"/sparql?query={quote(query)}", headers=HTML).get_data(as_text=True)
    assert (
        '<td data-label="p"><a href="/id/cancer-registrar">Cancer Registrar</a>'
        '<br><code class="iri">https://w3id.org/careers-kg/id/cancer-registrar</code></td>'
    ) in html
    assert '<table class="results stack-sm">' in html
