"""Helpers for the web tests: the app over the real built KG, with a small stored-query catalogue of its own
(tests/web_queries) so that the expected answers written in the tests do not move when queries/ changes.

Each web test module defines its ``client`` fixture with `web_client` (fixtures imported from another module
would trip ruff's F811); the lead may move an ``app``/``client`` pair into conftest.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

WEB_QUERIES = Path(__file__).resolve().parent / "web_queries"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # what a browser sends


def web_app(settings: Any, kg: Any) -> Any:
    """The Flask app over *kg* with the test catalogue."""
    from kg.web import create_app

    return create_app(settings.replace(queries_dir=WEB_QUERIES), kg)


def web_client(settings: Any, kg: Any) -> Any:
    return web_app(settings, kg).test_client()
