"""The web layer: `create_app(settings, kg=None)` builds the Flask app; `kg.web.server.serve` runs it
under gunicorn.

Only this package imports Flask. Importing it does no I/O and creates no app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph


def create_app(settings: Any, kg: KnowledgeGraph | None = None) -> Any:
    """The Flask application over *kg* (see `kg.web.app.create_app`)."""
    from kg.web.app import create_app as _create_app

    return _create_app(settings, kg)


__all__ = ["create_app"]
