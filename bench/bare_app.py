"""The baseline of bench/web_throughput.py: a bare Flask app answering every GET with the same fixed bytes,
served by gunicorn with exactly the configuration of `careers-kg serve` (`kg.web.server.gunicorn_options` and
`EmbeddedServer`: same worker class, threads, workers, keep-alive, timeouts).

    .venv/bin/python bench/bare_app.py --port 8001 --body FILE --content-type TYPE [--workers 2]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from flask import Flask, Response


def create_bare_app(body: bytes, content_type: str) -> Flask:
    """A Flask app whose every GET answers 200 with *body* (no template, no cache, no extra headers)."""
    app = Flask(__name__)

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def answer(path: str) -> Response:
        return Response(body, content_type=content_type)

    return app


def main(argv: list[str] | None = None) -> None:
    from kg.config import Settings
    from kg.web.server import EmbeddedServer, gunicorn_options

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=None, help="default: as `careers-kg serve`")
    parser.add_argument("--body", type=Path, required=True, help="file: the bytes of every response")
    parser.add_argument("--content-type", required=True)
    args = parser.parse_args(argv)
    app = create_bare_app(args.body.read_bytes(), args.content_type)
    options = gunicorn_options(Settings.from_env(), host=args.host, port=args.port, workers=args.workers)
    options["proc_name"] = "careers-kg-bare"
    EmbeddedServer(app, options).run()


if __name__ == "__main__":
    main()
