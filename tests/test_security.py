"""The security suite: over a thousand hostile requests against the production server.

`newborn-kg serve` runs on a loopback port on copies of the data files. Beside those copies lie
canary files (a Turtle triple and a text file holding a random token) that are not in DATA_FILES:
no request may read them, by path traversal, file: IRIs, FROM, LOAD or SERVICE. A loopback
listener counts outbound connections. Every request goes over a raw socket, so malformed
framing and bytes reach the server as sent. Then: no 5xx, no canary in any response, the same
triples as before, no connection to the listener, and every 4xx from the app in the one error
shape.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from .conftest import ROOT, SUMMARY, free_port, shared_path
from .test_cli import BIN, wait_for
from .test_injection import HOSTILE
from .test_no_outbound import BYPASSES
from .test_sparql_endpoint import Listener

VALUES = [
    *HOSTILE[:20],
    "x" * 20_000,
    "{{7*7}}",
    "${jndi:ldap://127.0.0.1:{port}/a}",
    "' OR '1'='1",
    "x\r\nSet-Cookie: a=b",
    "\u202eevil",
    "../../../../etc/passwd",
    "file:///etc/passwd",
    "http://127.0.0.1:{port}/",
    "-1",
    "99999999999999999999999",
]
RESOURCE = "region/410000/v1/service/newborn-medical-insurance-card"  # one the graph describes
EXAMPLE_PATH = {"path": RESOURCE, "ext": "ttl", "filename": "yasgui/VERSION"}
REFUSED_KINDS = ("framing", "invalid-utf8", "w3c-negative-syntax", "nesting")
# granian (hyper) refuses these before any Python runs, in plain text: headers over its buffer
# (431) and a request line or framing header it cannot parse (400), with an empty body and no
# Content-Type. No other non-JSON 4xx passes.
SERVER_REJECTION = 431
SERVER_BAD_REQUEST = 400
# granian decodes the path before the app sees it (invalid UTF-8 becomes U+FFFD), so a path
# with invalid UTF-8 may be an unknown resource (404) rather than refused (400): JSON either way.
INVALID_UTF8_STATUSES = {400, 404}
BAD_UTF8 = ["%ff%fe", "%c3", "%ed%a0%80", "%c0%af", "%f8%88%80%80%80"]
TRAVERSALS = [
    "../{f}",
    "../../{f}",
    "%2e%2e/{f}",
    "..%2f{f}",
    "%2e%2e%2f%2e%2e%2f{f}",
    "..%5c{f}",
    "%252e%252e%252f{f}",
    "....//{f}",
    "{abs}",
    "%2f{abs}",
]


@dataclass
class Probe:
    kind: str
    raw: bytes
    app_level: bool = True  # False: malformed HTTP that the server itself may refuse
    half_close: bool = False  # True: close our side once sent, as a client that gives up


def request(method: str, target: str, body: bytes = b"", headers: dict | None = None) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


def get(target: str, params: dict | None = None, **headers) -> bytes:
    query = urlencode(params, encoding="utf-8", errors="surrogatepass") if params else ""
    return request("GET", target + ("?" + query if query else ""), headers=headers)


def post(target: str, mime: str, body: bytes | str) -> bytes:
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    return request("POST", target, data, {"Content-Type": mime})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The production server on copies of the data, with canaries beside them, and a listener."""
    folder = tmp_path_factory.mktemp("hostile")
    data = folder / "kg"
    data.mkdir()
    for name in ("ontology.ttl", "data.ttl"):
        shutil.copy(ROOT / "kg" / name, data / name)
    token = "canary" + secrets.token_hex(12)
    triple = f'<https://w3id.org/newborn-kg/id/canary> <http://www.w3.org/2000/01/rdf-schema#label> "{token}" .\n'
    for place in (folder / "secret.ttl", data / "secret.ttl"):
        place.write_text(triple)
    (folder / "secret.txt").write_text(token)
    listener = Listener()
    port = free_port()
    log = (folder / "server.log").open("w")
    env = {
        **os.environ,
        "NEWBORN_KG_DATA_FILES": f"{data / 'ontology.ttl'},{data / 'data.ttl'}",
    }
    proc = subprocess.Popen(
        [BIN, "serve", "--port", str(port), "--workers", "2"], env=env, stdout=log, stderr=log
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        yield {"port": port, "token": token, "folder": folder, "listener": listener}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        listener.close()
        log.close()


def exchange(port: int, probe: Probe) -> tuple[int, bytes, bytes, float]:
    """Send the probe, half-close, read to the end: status, head, body, seconds."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        try:
            sock.sendall(probe.raw)
            if probe.half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError:  # the server may answer and close before a large body is sent
            pass
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    head, _, body = data.partition(b"\r\n\r\n")
    parts = head.split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    if b"transfer-encoding: chunked" in head.lower():
        body = b"".join(body.split(b"\r\n")[1::2])
    return status, head, body, time.monotonic() - started


def operation_probes(spec: dict, port: int) -> list[Probe]:
    """Every value of the injection corpus in every parameter of every operation."""
    values = [v.replace("{port}", str(port)) for v in VALUES]
    probes = []
    for path, operations in spec["paths"].items():
        target = path.format(**EXAMPLE_PATH)
        for method, op in operations.items():
            for param in op.get("parameters", []):
                for value in values:
                    if param["in"] == "query":
                        probes.append(Probe("injection", get(target, {param["name"]: value})))
                    elif param["in"] == "path":
                        hostile = path.format(**{**EXAMPLE_PATH, param["name"]: quote(value)})
                        probes.append(Probe("injection", get(hostile)))
            if method == "post" and path == "/api/ask":
                for value in values:
                    for body in ({"q": value}, {"q": "第三步", "lang": value}):
                        probes.append(
                            Probe("injection", post(path, "application/json", json.dumps(body)))
                        )
            elif method == "post":
                for value in values:
                    form = urlencode({"query": value})
                    probes.append(
                        Probe("injection", post(path, "application/x-www-form-urlencoded", form))
                    )
                    probes.append(Probe("injection", post(path, "application/sparql-query", value)))
    return probes


def sparql_probes(kind: str, query: str) -> list[Probe]:
    """The query in each of the protocol's three forms."""
    return [
        Probe(kind, get("/sparql", {"query": query})),
        Probe(
            kind, post("/sparql", "application/x-www-form-urlencoded", urlencode({"query": query}))
        ),
        Probe(kind, post("/sparql", "application/sparql-query", query)),
    ]


def ssrf_probes(port: int, folder: Path) -> list[Probe]:
    probes = []
    for text in BYPASSES:
        probes += sparql_probes("ssrf", text.replace("{port}", str(port)))
    outside = [f"http://127.0.0.1:{port}/g", f"http://localhost:{port}/", f"http://[::1]:{port}/"]
    files = [f"file://{folder}/secret.ttl", f"file://{folder}/kg/secret.ttl", "file:///etc/passwd"]
    for iri in outside + files:
        for query in (
            f"SELECT * FROM <{iri}> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"LOAD <{iri}>",
            f"LOAD <{iri}> INTO GRAPH <urn:x>",
            f"DESCRIBE <{iri}>",
            f"SELECT * WHERE {{ SERVICE <{iri}> {{ ?s ?p ?o }} }}",
            f"BASE <{iri}> SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1",
        ):
            probes += sparql_probes("ssrf/file", query)
        for name in ("default-graph-uri", "named-graph-uri"):
            probes.append(
                Probe(
                    "ssrf/file", get("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o }", name: iri})
                )
            )
        probes.append(Probe("ssrf/file", get("/api/ask", {"q": iri})))
        probes.append(Probe("ssrf/file", get("/id/" + quote(iri, safe=""))))
    return probes


def traversal_probes(folder: Path) -> list[Probe]:
    probes = []
    for name in ("secret.ttl", "secret.txt", "kg/secret.ttl"):
        absolute = str(folder / name)
        for pattern in TRAVERSALS:
            tail = pattern.format(f=name, abs=absolute.lstrip("/"))
            for prefix in (
                "/id/",
                "/static/",
                "/static/yasgui/",
                "/api/queries/",
                "/dump.",
                "/ontology.",
                "/",
            ):
                probes.append(Probe("traversal", get(prefix + tail)))
    return probes


def nesting_probes() -> list[Probe]:
    probes = []
    for depth in (65, 200, 2_000, 20_000, 200_000):
        probes += sparql_probes(
            "nesting", "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth
        )
        probes += sparql_probes(
            "nesting", "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "1" + ")" * depth + ") }"
        )
        probes.append(
            Probe(
                "nesting",
                post(
                    "/api/ask", "application/json", "[" * min(depth, 8000) + "]" * min(depth, 8000)
                ),
            )
        )
        probes.append(
            Probe("nesting", post("/api/ask", "application/json", '{"q":' * min(depth, 3000)))
        )
    probes += sparql_probes("nesting", "SELECT * WHERE { ?s " + "/".join(["?p"] * 5000) + " ?o }")
    probes += sparql_probes(
        "nesting", "SELECT * WHERE { ?s " + "(" * 500 + "<urn:p>" + ")*" * 500 + " ?o }"
    )
    return probes


def negative_syntax_probes() -> list[Probe]:
    folder = shared_path("conformance", "w3c-sparql11-negative-syntax")
    probes = []
    for path in sorted(folder.iterdir()):
        probes += sparql_probes("w3c-negative-syntax", path.read_text(encoding="utf-8"))
    return probes


def utf8_probes() -> list[Probe]:
    probes = []
    for bad in BAD_UTF8:
        for prefix in (
            "/id/",
            "/id/step/",
            "/ontology.",
            "/dataset.",
            "/dump.",
            "/api/queries/",
            "/static/",
            "/",
            "/sparql/",
        ):
            probes.append(Probe("invalid-utf8", get(prefix + bad)))
        for target in (
            "/api/ask?q=",
            "/sparql?query=",
            "/api/queries/steps?lang=",
            f"/id/{RESOURCE}?format=",
            "/?",
        ):
            probes.append(Probe("invalid-utf8", get(target + bad)))
        raw = bytes.fromhex(bad.replace("%", ""))
        probes.append(
            Probe("invalid-utf8", post("/api/ask", "application/json", b'{"q": "' + raw + b'"}'))
        )
        probes.append(
            Probe(
                "invalid-utf8",
                post("/sparql", "application/sparql-query", b"ASK { ?s ?p '" + raw + b"' }"),
            )
        )
        probes.append(
            Probe(
                "invalid-utf8",
                post("/sparql", "application/x-www-form-urlencoded", b"query=" + bad.encode()),
            )
        )
    for surrogate in ("\\ud800", "\\udfff", "\\ud83d", "\\udc00\\ud800"):
        for body in (
            f'{{"q": "{surrogate}"}}',
            f'{{"q": "x", "lang": "{surrogate}"}}',
            f'{{"{surrogate}": 1, "q": "x"}}',
        ):
            probes.append(Probe("invalid-utf8", post("/api/ask", "application/json", body)))
    return probes


def framing_probes() -> list[Probe]:
    """Broken bodies and framing, on both POST routes. Most close the client's side after
    sending (a client that gives up); the stalled ones keep it open and send nothing more."""
    probes: list[Probe] = []
    for target, mime, body in (
        ("/api/ask", "application/json", b'{"q": "x"}'),
        ("/sparql", "application/sparql-query", b"ASK {}"),
        ("/sparql", "application/x-www-form-urlencoded", b"query=ASK%7B%7D"),
    ):
        head = f"POST {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {mime}\r\n"
        chunked = (head + "Transfer-Encoding: chunked\r\n\r\n").encode()
        big = b"100000\r\n" + b"x" * 0x100000 + b"\r\n"
        sized = [
            chunked + size + b"\r\n" + body + b"\r\n0\r\n\r\n"
            for size in (b"zz", b"-5", b"ffffffffffffffffff", b"", b"5;" + b"x" * 10_000, b"2")
        ]
        for raw in [
            *sized,
            chunked + b"ffff\r\n" + body,  # cut short
            chunked + big * 2 + b"0\r\n\r\n",  # over 1 MiB
            (head + "Content-Length: 500\r\n\r\n").encode() + body,
            (head + "Content-Length: 99999999\r\n\r\n").encode() + body,
        ]:
            probes.append(Probe("framing", raw, half_close=True))
        stalled = (head + "Content-Length: 500\r\n\r\n").encode() + body
        probes.append(Probe("framing", stalled))
        for header in (
            "Content-Length: abc",
            "Content-Length: -1",
            f"Content-Length: {len(body)}\r\nContent-Length: 2",
            f"Content-Length: {len(body)}\r\nTransfer-Encoding: chunked",
        ):
            raw = (head + header + "\r\n\r\n").encode() + body
            probes.append(Probe("framing", raw, app_level=False, half_close=True))
    for line in (
        b"GET /%ff%fe HTTP/1.1",
        b"GET /health HTTP/9.9",
        b"GET",
        b"\x00\x01\x02",
        b"GET /" + b"a" * 20_000 + b" HTTP/1.1",
    ):
        raw = line + b"\r\nHost: x\r\nConnection: close\r\n\r\n"
        probes.append(Probe("framing", raw, app_level=False, half_close=True))
    return probes


def method_probes(spec: dict) -> list[Probe]:
    """Every method, documented or not, on every path."""
    probes = []
    for path in spec["paths"]:
        target = path.format(**EXAMPLE_PATH)
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "FOO"):
            probes.append(Probe("methods", request(method, target, b"{}")))
    return probes


def header_probes() -> list[Probe]:
    probes = []
    for target in ("/api/queries/steps", f"/id/{RESOURCE}", "/sparql", "/dump.ttl", "/"):
        for name, value in (
            ("Accept", "*/*;q=abc"),
            ("Accept", "text/" + "x" * 5000),
            ("Accept", "application/x-nothing"),
            ("Accept-Language", "zh;q=" + "9" * 500),
            ("Accept-Encoding", "gzip;q=-1, br;q=nan"),
            ("If-None-Match", '"' + "x" * 5000),
            ("If-Modified-Since", "yesterday"),
            ("Content-Type", "application/json; charset=gbk"),
            ("Range", "bytes=99999999-"),
        ):
            probes.append(Probe("headers", get(target, **{name: value})))
    return probes


def test_hostile_inputs_find_no_5xx_no_leak_and_no_connection(site):
    port, token, folder, listener = site["port"], site["token"], site["folder"], site["listener"]
    health = wait_for(f"http://127.0.0.1:{port}/health")
    dump_before = hashlib.sha256(exchange(port, Probe("", get("/dump.nt")))[2]).hexdigest()
    spec_body = exchange(port, Probe("", get("/openapi.json")))[2]
    spec = json.loads(spec_body)
    probes = (
        operation_probes(spec, listener.port)
        + negative_syntax_probes()
        + ssrf_probes(listener.port, folder)
        + traversal_probes(folder)
        + nesting_probes()
        + utf8_probes()
        + framing_probes()
        + header_probes()
        + method_probes(spec)
    )
    with ThreadPoolExecutor(1) as pool:  # one at a time: /sparql sheds load above its capacity
        results = list(pool.map(lambda p: exchange(port, p), probes))
    kinds: Counter[str] = Counter(p.kind for p in probes)
    statuses: dict[str, Counter[int]] = {kind: Counter() for kind in kinds}
    server_errors, leaks, off_shape, slowest = [], [], [], Counter()
    refused_by_server = 0  # malformed HTTP or an over-long request line, before the app
    server_rejections: dict[str, Counter[int]] = {kind: Counter() for kind in kinds}
    dropped = 0
    for probe, (status, head, body, seconds) in zip(probes, results, strict=True):
        statuses[probe.kind][status] += 1
        slowest[probe.kind] = max(slowest[probe.kind], round(seconds, 2))
        if status == 0 and probe.half_close:  # the server dropped a request the client gave up
            dropped += 1
        elif status >= 500 or status == 0:
            server_errors.append((probe.kind, status, probe.raw[:200], body[:300]))
        if token.encode() in head + body:
            leaks.append((probe.kind, probe.raw[:200]))
        if not 400 <= status < 500:
            continue
        if b"application/json" in head.lower():
            if probe.raw.startswith(b"HEAD "):  # no body to check
                continue
            error = json.loads(body).get("error", {})
            if error.get("status") != status or not error.get("message"):
                off_shape.append((probe.kind, status, body[:200]))
        elif (
            status == SERVER_REJECTION or (status == SERVER_BAD_REQUEST and not probe.app_level)
        ) and not (body or b"content-type" in head.lower()):
            refused_by_server += 1
            server_rejections[probe.kind][status] += 1
        elif probe.kind == "invalid-utf8" or b"text/html" not in head.lower():
            off_shape.append((probe.kind, status, head[:200]))  # text/html: a browser's 404 page
    time.sleep(0.5)  # let any stray outbound connection arrive
    after = wait_for(f"http://127.0.0.1:{port}/health")
    dump_after = hashlib.sha256(exchange(port, Probe("", get("/dump.nt")))[2]).hexdigest()
    SUMMARY.append(
        f"security: {len(probes)} hostile inputs, {len(server_errors)} x 5xx, "
        f"{len(leaks)} canary leaks, {listener.connections} connections, "
        f"triples {health['triples']} -> {after['triples']}, {len(off_shape)} off the error shape, "
        f"{refused_by_server} refused by the HTTP server before the app "
        f"{ {k: dict(v) for k, v in server_rejections.items() if v} }, "
        f"{dropped} dropped unanswered after the client closed its side"
        f"\n  by kind: {dict(kinds)}"
        f"\n  statuses by kind: { {k: dict(sorted(v.items())) for k, v in statuses.items()} }"
        f"\n  slowest answer by kind (s): {dict(slowest)}"
    )
    assert len(probes) >= 1000
    assert server_errors == []
    assert leaks == []
    assert listener.connections == 0
    assert after["triples"] == health["triples"] and dump_after == dump_before
    assert off_shape == []
    assert set(statuses["invalid-utf8"]) <= INVALID_UTF8_STATUSES, statuses["invalid-utf8"]
    for kind in REFUSED_KINDS:  # none of these may be answered as if it were a request
        assert set(statuses[kind]) <= {0, *range(400, 500)}, (kind, statuses[kind])


def test_the_canary_is_readable_where_it_lies(site):
    """The control: the token is really in the files the hostile inputs tried to reach."""
    for name in ("secret.ttl", "kg/secret.ttl", "secret.txt"):
        assert site["token"] in (site["folder"] / name).read_text()
