"""WSGIBridge: the WSGI app sees a request only with its whole body; 413 over the cap, 408 late,
400 when the framing breaks; the environ is PEP 3333's."""

import asyncio
import json

from service.bridge import WSGIBridge, environ_of


class Headers(dict):
    """granian's RSGIHeaders: lower-case names, several values joined by get_all."""

    def __init__(self, pairs):
        super().__init__()
        self.pairs = list(pairs)
        for name, value in self.pairs:
            self.setdefault(name, value)

    def get_all(self, name):
        return [v for n, v in self.pairs if n == name]


class Scope:
    proto = "http"
    http_version = "1.1"
    scheme = "http"
    server = "127.0.0.1:8000"
    client = "127.0.0.1:50000"

    def __init__(self, method="POST", path="/x", query="", headers=()):
        self.method, self.path, self.query_string = method, path, query
        self.headers = Headers(headers)


class Broken(Exception):
    """What granian raises when the body stream breaks before its Content-Length."""


class Protocol:
    """An RSGI HTTP protocol: the body as chunks (None: the client stops sending)."""

    def __init__(self, chunks, error=False):
        self.chunks, self.error, self.sent = list(chunks), error, None

    async def __call__(self):
        if self.error:
            raise Broken()
        if None in self.chunks:
            await asyncio.Event().wait()
        return b"".join(self.chunks)

    def __aiter__(self):
        return self

    async def __anext__(self):
        if not self.chunks:
            raise StopAsyncIteration
        chunk = self.chunks.pop(0)
        if chunk is None:
            await asyncio.Event().wait()
        if chunk == b"" and self.error:  # granian: an empty chunk for the error, then the end
            self.error = False
            self.chunks = [b""]
        return chunk

    def response_bytes(self, status, headers, body):
        self.sent = (status, headers, body)


class Recorder:
    """A WSGI app that records the body and environ it was given."""

    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        self.calls.append((environ["wsgi.input"].read(), environ))
        start_response("201 Created", [("Content-Type", "text/plain"), ("X-A", "1")])
        return [b"o", b"k"]


def run(protocol, headers=(), max_bytes=100, timeout=5.0, app=None):
    app = app or Recorder()
    bridge = WSGIBridge(app, threads=1, max_bytes=max_bytes, timeout=timeout)
    asyncio.run(bridge.__rsgi__(Scope(headers=headers), protocol))
    return app, protocol.sent


def error_of(sent):
    status, headers, body = sent
    assert ("connection", "close") in headers
    error = json.loads(body)["error"]
    assert error["status"] == status
    return status, error["message"]


def test_a_sized_body_reaches_the_app_whole_and_the_answer_goes_back_as_is():
    app, sent = run(Protocol([b"abc"]), headers=[("content-length", "3")])
    assert [body for body, _ in app.calls] == [b"abc"]
    assert sent == (201, [("Content-Type", "text/plain"), ("X-A", "1")], b"ok")


def test_a_chunked_body_is_joined_and_read_to_its_end():
    chunks = [b"ab", b"c", b""]
    app, sent = run(Protocol(chunks), headers=[("transfer-encoding", "chunked")])
    assert [body for body, _ in app.calls] == [b"abc"] and sent[0] == 201
    assert app.calls[0][1]["wsgi.input_terminated"] is True


def test_a_declared_or_streamed_body_over_the_cap_is_413():
    declared = run(Protocol([]), headers=[("content-length", "11")], max_bytes=10)
    streamed = run(
        Protocol([b"x" * 6, b"x" * 6, b""]),
        headers=[("transfer-encoding", "chunked")],
        max_bytes=10,
    )
    for app, sent in (declared, streamed):
        assert error_of(sent) == (413, "the request body is larger than 10 bytes")
        assert app.calls == []


def test_a_body_that_stops_arriving_is_408():
    for headers in ([("content-length", "5")], [("transfer-encoding", "chunked")]):
        app, sent = run(Protocol([b"a", None]), headers=headers, timeout=0.05)
        status, message = error_of(sent)
        assert status == 408 and "did not arrive within 0.05 s" in message
        assert app.calls == []


def test_a_body_cut_short_or_broken_is_400_and_never_reaches_the_app():
    sized = run(Protocol([b"a"], error=True), headers=[("content-length", "5")])
    chunked = run(Protocol([b"a", b""], error=True), headers=[("transfer-encoding", "chunked")])
    for app, sent in (sized, chunked):
        status, message = error_of(sent)
        assert status == 400 and "malformed" in message
        assert app.calls == []


def test_the_environ_is_pep_3333():
    scope = Scope(
        method="GET",
        path="/id/%E6%AD%A5/a%20b",
        query="q=%E6%AD%A5&x=1",
        headers=[("accept", "a/b"), ("x-many", "1"), ("x-many", "2"), ("content-type", "t/x")],
    )
    environ = environ_of(scope, b"")
    assert environ["PATH_INFO"] == "/id/步/a b".encode().decode("latin-1")
    assert environ["RAW_URI"] == "/id/%E6%AD%A5/a%20b?q=%E6%AD%A5&x=1"
    assert environ["QUERY_STRING"] == "q=%E6%AD%A5&x=1"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("127.0.0.1", "8000")
    assert (environ["REMOTE_ADDR"], environ["REMOTE_PORT"]) == ("127.0.0.1", "50000")
    assert environ["HTTP_ACCEPT"] == "a/b" and environ["HTTP_X_MANY"] == "1,2"
    assert environ["CONTENT_TYPE"] == "t/x" and "HTTP_CONTENT_TYPE" not in environ
    ipv6 = Scope(headers=[])
    ipv6.client = "[::1]:50000"
    assert environ_of(ipv6, b"")["REMOTE_ADDR"] == "::1"
