"""Production serving under gunicorn with an already-built application."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):  # type: ignore[misc]  # gunicorn is untyped
    """Serve a built Flask app with gunicorn; workers fork after the graph is loaded."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer than the oldest gunicorn we allow
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def serve(app: Flask, host: str, port: int, workers: int) -> None:
    """Run gunicorn until SIGTERM or SIGINT, which end it gracefully."""
    GunicornServer(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "preload_app": True,
            "graceful_timeout": 10,
            "timeout": int(app.config["QUERY_TIMEOUT"]) + 20,
            "accesslog": "-",
            # one shared control socket under ~/.gunicorn would clash between servers
            "control_socket_disable": True,
        },
    ).run()
