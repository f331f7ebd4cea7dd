"""Start and stop the servers the HTTP benchmark compares, each on a free loopback port."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PEERS = HERE / ".venv-peers"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 120.0) -> float:
    """Poll until the URL answers; return how long it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return time.monotonic() - start
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def process(argv: Sequence[str], ready: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run a server until the block ends; yield its base URL once `ready` (a path) answers."""
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in argv]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        argv,
        stdout=log,
        stderr=log,
        cwd=HERE.parent,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for(base + ready)
        except RuntimeError:
            log.seek(0)
            raise RuntimeError(f"{argv[:3]} did not start: {log.read()[-2000:]!r}") from None
        yield base
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass
        log.close()


def project(workers: int, log: str = "on", env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """The project's own server (granian via service/server.py)."""
    argv = [str(BIN / "python"), str(HERE / "serve_project.py"), "{port}", str(workers)]
    return process([*argv, log], "/health", env)


def constant_granian(workers: int, log: str = "on"):  # type: ignore[no-untyped-def]
    """The constant app under the same server and worker count."""
    argv = [str(BIN / "python"), str(HERE / "constant_app.py"), "{port}", str(workers)]
    return process([*argv, log], "/")


def constant_gunicorn(workers: int = 2):  # type: ignore[no-untyped-def]
    """The old anchor: the constant app under gunicorn's sync workers."""
    argv = [
        str(BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        "127.0.0.1:{port}",
        "--chdir",
        str(HERE),
        "constant_app:create()",
    ]
    return process(argv, "/")


def gunicorn_available() -> bool:
    return (BIN / "gunicorn").exists()


def rdflib_endpoint_available() -> bool:
    return (PEERS / "bin" / "rdflib-endpoint").exists()


def rdflib_endpoint(files: Sequence[str]):  # type: ignore[no-untyped-def]
    """rdflib-endpoint (PyPI) from its own venv, on the same files."""
    argv = [str(PEERS / "bin" / "rdflib-endpoint"), "serve", "--host", "127.0.0.1"]
    return process([*argv, "--port", "{port}", *files], "/?query=ASK%7B%7D")  # served at /


def virtuoso_available() -> bool:
    return (
        shutil.which("virtuoso-t") is not None
        and (shutil.which("isql-vt") or shutil.which("isql")) is not None
    )


@contextmanager
def virtuoso(files: Sequence[str]) -> Iterator[tuple[str, str]]:
    """A private Virtuoso (tests/virtuoso.py) loaded with the files: (endpoint, graph IRI)."""
    sys.path.insert(0, str(HERE.parent))
    from tests.virtuoso import GRAPH, Virtuoso

    with tempfile.TemporaryDirectory() as folder:
        server = Virtuoso(Path(folder))
        server.start()
        try:
            server.load(list(files))
            yield server.endpoint, GRAPH
        finally:
            server.stop()
