"""`serve(settings)`: the production server — gunicorn embedded (never the Flask development server).

The knowledge graph is built (or loaded from the build cache) once in the master process, before the workers
fork, so every worker shares it copy-on-write and starts at once. Workers are gthread workers: a thread
waiting for a sandboxed query does not stop the other threads of its worker from answering.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication

from kg.config import Settings

if TYPE_CHECKING:
    from kg.pipeline.build import KnowledgeGraph

log = logging.getLogger(__name__)
THREADS = 4  # per worker


class EmbeddedServer(BaseApplication):
    """gunicorn running one already-built WSGI app with options given in code (no config file, no argv)."""

    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # options newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def gunicorn_options(
    settings: Settings,
    *,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    threads: int = THREADS,
) -> dict[str, Any]:
    """The gunicorn settings for *settings* (keyword arguments override them)."""
    host = host or settings.host
    port = settings.port if port is None else port
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": max(1, workers or settings.workers),
        "worker_class": "gthread",
        "threads": max(1, threads),
        "preload_app": True,
        "timeout": max(30, int(settings.query_timeout * 3)),  # heartbeat; queries stop at query_timeout
        "graceful_timeout": 5,
        "keepalive": 5,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "careers-kg",
        "forwarded_allow_ips": "127.0.0.1",
        "control_socket_disable": True,  # gunicorn >= 25 would share one socket path between servers
    }


def serve(
    settings: Settings,
    *,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    kg: KnowledgeGraph | None = None,
) -> None:
    """Serve the KG for *settings* over HTTP until stopped (SIGTERM or SIGINT). Blocks."""
    from kg.stores.store import open_kg
    from kg.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    kg = kg if kg is not None else open_kg(settings)
    app = create_app(settings, kg)
    options = gunicorn_options(settings, host=host, port=port, workers=workers)
    log.info(
        "serving Careers KG %s on http://%s with %d worker(s)",
        kg.version,
        options["bind"][0],
        options["workers"],
    )
    EmbeddedServer(app, options).run()
