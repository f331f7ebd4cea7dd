"""Malformed requests get a 400 in the one error shape, never a 500."""

from __future__ import annotations

import json
import socket

import pytest

from service.intake import not_utf8

BAD_PATHS = [
    "/id/%ff%fe",
    "/id/%ff",
    "/id/step/%c3",
    "/id/%ed%a0%80",  # an encoded surrogate
    "/id/%c0%af",  # an overlong '/'
    "/ontology.%ff",
    "/dump.%fe",
    "/api/queries/%ff",
]
BAD_QUERIES = ["/api/ask?q=%ff", "/sparql?query=%c3", "/api/queries/steps?lang=%ff", "/?%ff=1"]


def assert_error(response, status):
    assert response.status_code == status, response.data[:300]
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert body["error"]["message"]


@pytest.mark.parametrize("path", BAD_PATHS + BAD_QUERIES)
def test_invalid_utf8_in_the_target_gets_400(client, path):
    assert_error(client.get(path), 400)


def test_valid_but_odd_characters_in_an_id_get_404(client):
    for path in ["/id/%ef%bf%bd", "/id/%ee%80%80", "/id/%25zz", "/id/step/%f0%9f%98%80"]:
        assert_error(client.get(path, headers={"Accept": "text/turtle"}), 404)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"q": "\\ud800"}',
        b'{"q": "ok", "lang": "\\udfff"}',
        b'{"q": "\\ud83d"}',
        b'{"q": ["x"], "\\udc00": 1}',
    ],
)
def test_lone_surrogates_in_json_get_400(client, raw):
    assert_error(client.post("/api/ask", data=raw, content_type="application/json"), 400)


def test_a_surrogate_pair_is_a_character(client):
    response = client.post(
        "/api/ask", data=b'{"q": "\\ud83d\\ude00"}', content_type="application/json"
    )
    assert response.status_code == 200


def test_deep_json_gets_400(client):
    response = client.post(
        "/api/ask", data=b"[" * 5_000 + b"]" * 5_000, content_type="application/json"
    )
    assert_error(response, 400)


@pytest.mark.parametrize(
    "mime,raw",
    [
        ("application/sparql-query", b"SELECT * WHERE { ?s ?p \xff }"),
        ("application/x-www-form-urlencoded", b"query=SELECT%20%ff"),
        ("application/json", b'{"q": "\xff"}'),
    ],
)
def test_invalid_utf8_bodies_get_400(client, mime, raw):
    path = "/api/ask" if mime == "application/json" else "/sparql"
    assert_error(client.post(path, data=raw, content_type=mime), 400)


def test_not_utf8_names_the_byte():
    assert not_utf8("步".encode()) is None
    assert not_utf8(b"ab\xff") == "byte 0xff at offset 2 is not valid UTF-8"


def exchange(server, raw: bytes, half_close: bool = True) -> tuple[int, dict]:
    """Send raw bytes, close our side, and read the status and JSON body."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(raw)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    if b"chunked" in head.lower():
        body = b"".join(body.split(b"\r\n")[1::2])
    return status, json.loads(body) if body.strip() else {}


RAW_BODIES = {
    "bad chunk size": b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "negative chunk size": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
    b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n-5\r\nASK{}\r\n0\r\n\r\n",
    "short body": b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b'Content-Length: 500\r\nConnection: close\r\n\r\n{"q": "x"}',
    "short form": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 900\r\nConnection: close\r\n\r\nquery=ASK%7B%7D",
    "chunked, too large": b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    + (b"100000\r\n" + b"x" * 0x100000 + b"\r\n") * 2
    + b"0\r\n\r\n",
    "too large": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: 99999999\r\nConnection: close\r\n\r\nASK {}",
}


@pytest.mark.parametrize("name", RAW_BODIES)
def test_broken_bodies_over_a_socket_get_4xx(live_server, name):
    status, body = exchange(live_server, RAW_BODIES[name])
    assert 400 <= status < 500, (name, status, body)
    assert body["error"]["status"] == status
