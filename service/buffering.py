"""Read each request body whole, with a size cap and a deadline, before a thread runs the app.

The server (granian) keeps idle and slow connections on its event loop; WSGI threads are few.
A client that sends its body at a byte a second must therefore hold a coroutine, not a thread:
this ASGI middleware awaits the whole body first (413 over the cap, 408 past the deadline) and
only then hands the request to the WSGI adapter, which runs Flask in a thread.

A body that cannot be read whole is answered here, without calling the app. granian's receive()
reports a chunk size that is not hex, a chunk shorter than its size or a body that ends before
its Content-Length as `http.disconnect` (its Rust side maps the body stream's error to a
disconnect); an app that then returns without a response gets granian's plain-text 500. So a
disconnect before the last chunk is a 400 in the one error shape; if the client has really
gone, nobody reads it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


async def reply(send: Send, status: int, message: str) -> None:
    """Answer in the one error shape and close the connection."""
    body = json.dumps({"error": {"status": status, "message": message}}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def declared_length(scope: MutableMapping[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


BROKEN_BODY = (
    "the request body is malformed: broken chunked framing, or it ended before its Content-Length"
)


class WholeBodies:
    """ASGI middleware: the app sees a request only once its body has fully arrived."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float) -> None:
        self.app, self.max_bytes, self.timeout = app, max_bytes, timeout

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = f"the request body is larger than {self.max_bytes} bytes"
        if (declared_length(scope) or 0) > self.max_bytes:
            await reply(send, 413, too_big)
            return
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        await reply(send, 400, BROKEN_BODY)
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        await reply(send, 413, too_big)
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            await reply(send, 408, f"the request body did not arrive within {self.timeout:g} s")
            return
        await self.app(scope, Replay(b"".join(chunks), receive), send)


class Replay:
    """A receive() that first returns the buffered body, then waits for the disconnect."""

    def __init__(self, body: bytes, receive: Receive) -> None:
        self.body: bytes | None = body
        self.receive = receive

    async def __call__(self) -> Message:
        if self.body is None:
            return await self.receive()
        body, self.body = self.body, None
        return {"type": "http.request", "body": body, "more_body": False}
