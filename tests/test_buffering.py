"""WholeBodies: the app sees a request only with its whole body; 413 over the cap, 408 late,
400 cut short."""

import asyncio
import json

from service.buffering import WholeBodies


class Recorder:
    def __init__(self):
        self.calls = []

    async def __call__(self, scope, receive, send):
        message = await receive()
        self.calls.append(message)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def run(middleware, messages, headers=()):
    sent = []
    queue = list(messages)

    async def receive():
        if queue:
            return queue.pop(0)
        await asyncio.Event().wait()  # a client that never sends the rest

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "headers": list(headers)}
    asyncio.run(middleware(scope, receive, send))
    return sent


def status_and_error(sent):
    body = json.loads(sent[1]["body"])["error"]
    return sent[0]["status"], body["status"], body["message"]


def chunk(data, more):
    return {"type": "http.request", "body": data, "more_body": more}


def test_the_app_gets_the_body_in_one_piece():
    app = Recorder()
    sent = run(WholeBodies(app, 100, 5), [chunk(b"ab", True), chunk(b"c", True), chunk(b"", False)])
    assert app.calls == [{"type": "http.request", "body": b"abc", "more_body": False}]
    assert sent[0]["status"] == 200


def test_a_declared_or_streamed_body_over_the_cap_is_413():
    app = Recorder()
    declared = run(WholeBodies(app, 10, 5), [], headers=[(b"content-length", b"11")])
    streamed = run(WholeBodies(app, 10, 5), [chunk(b"x" * 6, True), chunk(b"x" * 6, False)])
    for sent in (declared, streamed):
        assert status_and_error(sent) == (413, 413, "the request body is larger than 10 bytes")
    assert app.calls == []


def test_a_body_that_stops_arriving_is_408():
    app = Recorder()
    sent = run(WholeBodies(app, 100, 0.05), [chunk(b"a", True)])
    status, shape, message = status_and_error(sent)
    assert (status, shape) == (408, 408) and "did not arrive" in message
    assert app.calls == []


def test_a_body_cut_short_is_400_and_never_reaches_the_app():
    """granian reports broken chunked framing and a body shorter than its Content-Length as a
    disconnect; without an answer here it would send its own plain-text 500."""
    app = Recorder()
    for messages in (
        [chunk(b"a", True), {"type": "http.disconnect"}],
        [{"type": "http.disconnect"}],
    ):
        status, shape, message = status_and_error(run(WholeBodies(app, 100, 5), messages))
        assert (status, shape) == (400, 400) and "malformed" in message
    assert app.calls == []
