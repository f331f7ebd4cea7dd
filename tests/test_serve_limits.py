"""The real server's limits: header size, body size and deadline, rate limit; one error shape."""

import json
import os
import signal
import socket
import subprocess

import pytest

from .conftest import free_port
from .test_cli import BIN, wait_for


@pytest.fixture(scope="module")
def server():
    port = free_port()
    env = {
        **os.environ,
        "NEWBORN_KG_BODY_TIMEOUT": "1",
        "NEWBORN_KG_RATE_LIMIT": "1",
        "NEWBORN_KG_RATE_BURST": "2",
        "NEWBORN_KG_MAX_REQUEST_BYTES": "1000",
    }
    proc = subprocess.Popen(
        [BIN, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def exchange(port, data):
    """Send raw bytes; the status and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            head, _, body = answer.partition(b"\r\n\r\n")
            length = [h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")]
            if length and len(body) >= int(length[0].split(b":")[1]):
                break
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def post_ask(body, length=None):
    length = len(body) if length is None else length
    return (
        b"POST /api/ask HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {length}\r\nConnection: close\r\n\r\n".encode()
        + body
    )


def test_headers_over_64_kib_get_431(server):
    big = b"GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n"
    assert exchange(server, big)[0] == 431


def test_a_body_over_the_cap_gets_413_before_it_is_sent(server):
    status, body = exchange(server, post_ask(b"", length=5000))
    assert status == 413 and json.loads(body)["error"]["status"] == 413


def test_a_body_that_stops_coming_gets_408(server):
    status, body = exchange(server, post_ask(b'{"q": "st', length=20))
    assert status == 408 and json.loads(body)["error"]["status"] == 408


def test_the_rate_limit_answers_429_after_the_burst(server):
    statuses = [exchange(server, post_ask(b'{"q": "steps"}'))[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert (
        exchange(server, b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")[0] == 200
    )
