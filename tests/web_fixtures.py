"""Fixtures for the web tests: the app over the real built KG, with a small stored-query catalogue of its own
(tests/web_queries) so that the expected answers written in the tests do not move when queries/ changes.

Import them into a test module with ``from tests.web_fixtures import app, client  # noqa: F401``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

WEB_QUERIES = Path(__file__).resolve().parent / "web_queries"


@pytest.fixture(scope="session")
def app(settings, kg):
    from kg.web import create_app

    return create_app(settings.replace(queries_dir=WEB_QUERIES), kg)


@pytest.fixture()
def client(app):
    return app.test_client()


HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # a browser
