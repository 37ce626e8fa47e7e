"""Helpers for the web tests: the app over the real built KG, with a small stored-query catalogue of its own
(tests/web_queries) so that the expected answers written in the tests do not move when queries/ changes.

Each web test module defines its ``client`` fixture with `web_client` (fixtures imported from another module
would trip ruff's F811); the lead may move an ``app``/``client`` pair into conftest.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

WEB_QUERIES = Path(__file__).resolve().parent / "web_queries"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # what a browser sends
SCHEMA_CONTEXT = Path(__file__).resolve().parent / "fixtures" / "schemaorg" / "context-excerpt.json"


def web_app(settings: Any, kg: Any) -> Any:
    """The Flask app over *kg* with the test catalogue."""
    from kg.web import create_app

    return create_app(settings.replace(queries_dir=WEB_QUERIES), kg)


def web_client(settings: Any, kg: Any) -> Any:
    return web_app(settings, kg).test_client()


def jsonld_graph(client: Any, path: str) -> Any:
    """The RDF of the page's JSON-LD block, as pyld (an independent JSON-LD processor) reads it, offline: the
    schema.org context comes from a local excerpt (tests/fixtures/schemaorg)."""
    from pyld import jsonld
    from rdflib import Graph

    html = client.get(path, headers=HTML).get_data(as_text=True)
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    context = json.loads(SCHEMA_CONTEXT.read_text(encoding="utf-8"))

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        assert url in ("https://schema.org", "https://schema.org/"), url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    nquads = jsonld.to_rdf(
        json.loads(match.group(1)), {"format": "application/n-quads", "documentLoader": loader}
    )
    return Graph().parse(data=nquads, format="nt")
