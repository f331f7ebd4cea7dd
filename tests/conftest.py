"""Shared fixtures: the app, its asker, its test client, a CLI runner, the embedded store, live servers."""

from __future__ import annotations

import functools
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from werkzeug.serving import make_server

from service import create_app
from service.config import load_config
from service.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# figures a test reports (the security suite's counts, the fuzzer's): printed after the run
SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    for line in SUMMARY:
        terminalreporter.write_line(line)


@functools.cache
def parsed_graph() -> Graph:
    """The data files read by rdflib, independently of the service's store (their union)."""
    graph = Graph()
    for path in load_config(environ={})["DATA_FILES"]:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def store() -> EmbeddedStore:
    return EmbeddedStore(load_config(environ={})["DATA_FILES"])


@pytest.fixture(scope="session")
def app(store):
    app = create_app({"TESTING": True}, store=store)
    return app


@pytest.fixture(scope="session")
def asker(app):
    return app.extensions["newborn_kg.asker"]


@pytest.fixture()
def client(app):
    return app.test_client()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A real WSGI server on a loopback port, in a thread."""

    def __init__(self, wsgi_app) -> None:
        self.server = make_server("127.0.0.1", free_port(), wsgi_app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or a skip that says why and how to enable the test."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is absent: check out the shared/ folder beside the project to run this"
        )
    return path
