"""Serve a WSGI app over granian's RSGI: the body is read whole in Rust, the app runs in a thread.

The event loop holds every connection; a request reaches one of the few app threads only once
its whole body has arrived (413 over the cap, 408 past the deadline, 400 when the framing
breaks), so a client trickling its body at a byte a second holds a coroutine, not a thread.
Compared with ASGI plus a2wsgi, one hop to the thread and one back, and the response leaves
in one call (`response_bytes`) instead of ASGI messages.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol
from urllib.parse import unquote_to_bytes

from .response_cache import ResponseCache, key_of

Headers = list[tuple[str, str]]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

BROKEN_BODY = (
    "the request body is malformed: broken chunked framing, or it ended before its Content-Length"
)


class Refusal(Exception):
    """A body that cannot be handed to the app: answered here, in the one error shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class HTTPProtocol(Protocol):
    """The part of granian's RSGI HTTP protocol object used here."""

    def __call__(self) -> Any: ...
    def __aiter__(self) -> Any: ...
    def response_bytes(self, status: int, headers: Headers, body: bytes) -> None: ...


def error_reply(protocol: HTTPProtocol, status: int, message: str) -> None:
    """Answer in the one error shape and close the connection."""
    body = json.dumps({"error": {"status": status, "message": message}}).encode()
    headers = [("content-type", "application/json"), ("connection", "close")]
    protocol.response_bytes(status, headers, body)


async def read_body(scope: Any, protocol: HTTPProtocol, max_bytes: int) -> bytes:
    """The whole body, or Refusal (413 over `max_bytes`, 400 when its framing breaks)."""
    length = scope.headers.get("content-length")
    if length is not None:  # granian (hyper) refuses a malformed or doubled length itself
        if not length.isdigit():
            raise Refusal(400, f"Content-Length must be a number of bytes, not {length!r}")
        if int(length) > max_bytes:
            raise Refusal(413, f"the request body is larger than {max_bytes} bytes")
        if int(length) == 0:
            return b""
        try:
            return bytes(await protocol())
        except asyncio.CancelledError:
            raise
        except Exception:  # granian's protocol error: the stream broke before its length
            raise Refusal(400, BROKEN_BODY) from None
    if "chunked" not in scope.headers.get("transfer-encoding", ""):
        return b""
    chunks: list[bytes] = []
    size = 0
    stream = protocol.__aiter__()
    while chunk := await stream.__anext__():
        size += len(chunk)
        if size > max_bytes:
            raise Refusal(413, f"the request body is larger than {max_bytes} bytes")
        chunks.append(bytes(chunk))
    # granian yields an empty chunk at the end, and also for an error; only after a clean end
    # is the stream exhausted
    try:
        await stream.__anext__()
    except StopAsyncIteration:
        return b"".join(chunks)
    raise Refusal(400, BROKEN_BODY)


def environ_of(scope: Any, body: bytes) -> dict[str, Any]:
    """The WSGI environ of an RSGI scope (PEP 3333: text is latin-1 decoded bytes)."""
    path, query = scope.path, scope.query_string
    server, _, server_port = scope.server.rpartition(":")
    client, _, client_port = scope.client.rpartition(":")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "RAW_URI": path + ("?" + query if query else ""),
        "SERVER_NAME": server,
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": client.strip("[]"),
        "REMOTE_PORT": client_port,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,  # the body is whole: werkzeug reads it to the end
    }
    headers = scope.headers
    for name in headers.keys():
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        environ[key] = ",".join(headers.get_all(name))
    return environ


def call_wsgi(app: WSGIApp, environ: dict[str, Any]) -> tuple[int, Headers, bytes]:
    """Run the app to the end: its status, headers and whole body."""
    started: list[Any] = []

    def start_response(status: str, headers: Headers, exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started
    return int(status[:3]), headers, body


class WSGIBridge:
    """An RSGI app: read the body on the loop, run the WSGI app in a small thread pool."""

    def __init__(
        self, app: WSGIApp, threads: int, max_bytes: int, timeout: float, cache_bytes: int = 0
    ) -> None:
        self.app, self.max_bytes, self.timeout = app, max_bytes, timeout
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="app")
        self.cache = ResponseCache(cache_bytes) if cache_bytes else None

    async def __rsgi__(self, scope: Any, protocol: HTTPProtocol) -> None:
        if scope.proto != "http":
            return
        key = key_of(scope) if self.cache is not None else None
        if key is not None:
            hit = self.cache.get(key)  # type: ignore[union-attr]
            if hit is not None:
                protocol.response_bytes(*hit)
                return
        try:
            async with asyncio.timeout(self.timeout):
                body = await read_body(scope, protocol, self.max_bytes)
        except Refusal as refusal:
            error_reply(protocol, refusal.status, refusal.message)
            return
        except TimeoutError:
            error_reply(protocol, 408, f"the request body did not arrive within {self.timeout:g} s")
            return
        loop = asyncio.get_running_loop()
        environ = environ_of(scope, body)
        answer = await loop.run_in_executor(self.pool, call_wsgi, self.app, environ)
        if key is not None:
            self.cache.put(key, answer, environ)  # type: ignore[union-attr]
        protocol.response_bytes(*answer)

    async def __call__(self, scope: Any, protocol: HTTPProtocol) -> None:
        await self.__rsgi__(scope, protocol)
