"""A Flask app that answers every GET with the same ~1 KB of JSON: the ceiling to compare with.

`python bench/constant_app.py PORT WORKERS` serves it with the project's own server (granian,
service/server.py) and the project's configuration; `create()` is the gunicorn factory.
"""

from __future__ import annotations

import json
import sys

from flask import Flask, Response

BODY = json.dumps(
    {"query": "constant", "rows": [{"n": i, "text": "x" * 40} for i in range(16)]},
    ensure_ascii=False,
).encode()


def create() -> Flask:
    """The constant app; the body is built once."""
    app = Flask(__name__)

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def constant(path: str) -> Response:
        return Response(BODY, mimetype="application/json")

    return app


def main(port: int, workers: int, access_log: str) -> None:
    import access_log as switch  # bench/access_log.py

    from service.config import load_config
    from service.server import serve

    app = create()
    app.config.update(load_config())
    switch.apply(access_log)
    serve(app, "127.0.0.1", port, workers)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), (sys.argv[3:4] or ["on"])[0])
