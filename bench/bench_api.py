"""Canned API: a cached answer vs a constant response vs an uncached answer, in-process (WSGI).

The goal is a canned API nearly as fast as a constant response: the baseline is a route
that returns the same bytes without any work, measured in the same run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from flask import Response

from service import create_app

sys.path.insert(0, os.path.dirname(__file__))
from timing import per_call, report  # noqa: E402

URL = "/api/queries/step-documents?step=3&lang=en"


def main() -> None:
    body = create_app().test_client().get(URL).get_data()
    app = create_app()

    @app.get("/bench/constant")
    def constant() -> Response:
        return Response(body, mimetype="application/json")

    client = app.test_client()

    def uncached() -> None:
        app.extensions["newborn_kg.pages"].cache_clear()
        client.get(URL)

    rows = [
        (
            "constant response, same bytes (baseline)",
            per_call(lambda: client.get("/bench/constant")),
        ),
        ("canned query, cached answer", per_call(lambda: client.get(URL))),
        (
            "canned query, label param, cached",
            per_call(lambda: client.get(URL.replace("=3", "=第三步"))),
        ),
        (
            "canned query, 304 on If-None-Match",
            per_call(
                lambda: client.get(URL, headers={"If-None-Match": client.get(URL).headers["ETag"]})
            ),
        ),
        ("canned query, cache cleared each call", per_call(uncached)),
    ]
    print(f"GET {URL} through the WSGI test client ({len(body)} bytes):")
    report(rows, rows[0][0])
    over_http()


def over_http() -> None:
    """The same comparison through a real gunicorn server on loopback (1 worker)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exe = os.path.join(os.path.dirname(sys.executable), "newborn-kg")
    server = subprocess.Popen(
        [exe, "serve", "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)

        def get(path: str) -> None:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                response.read()

        rows = [
            ("GET /health, fixed-work JSON (baseline)", per_call(lambda: get("/health"))),
            ("GET canned query, cached answer", per_call(lambda: get(URL))),
        ]
        print("over HTTP, gunicorn with 1 sync worker, a new connection per request:")
        report(rows, rows[0][0])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


if __name__ == "__main__":
    main()
