"""The whole-response cache: the bridge replays canned answers the app marked, keyed by path,
query, Accept, Accept-Language and If-None-Match; nothing else is kept."""

import asyncio
from urllib.parse import urlencode

from service import create_app
from service.bridge import WSGIBridge
from service.response_cache import SHAREABLE, ResponseCache, key_of

from .test_bridge import Protocol, Scope

CANNED = "/api/queries/step-documents"


class Counting:
    """The real app, counting the requests that reached it."""

    def __init__(self, app):
        self.app, self.calls = app, 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.app(environ, start_response)


def get(bridge, path, query="", headers=()):
    scope = Scope(method="GET", path=path, query=query, headers=headers)
    protocol = Protocol([])
    asyncio.run(bridge.__rsgi__(scope, protocol))
    return protocol.sent


def test_a_canned_answer_is_replayed_without_the_app(app):
    counting = Counting(app.wsgi_app)
    bridge = WSGIBridge(counting, threads=1, max_bytes=1000, timeout=5, cache_bytes=1 << 20)
    first = get(bridge, CANNED, "step=3")
    assert first[0] == 200 and counting.calls == 1
    assert get(bridge, CANNED, "step=3") == first and counting.calls == 1
    # every keyed part of the request is its own entry, answered by the app once
    english = get(bridge, CANNED, "step=3", [("accept-language", "en")])
    csv = get(bridge, CANNED, "step=3", [("accept", "text/csv")])
    other = get(bridge, CANNED, "step=4")
    assert counting.calls == 4
    assert len({first[2], english[2], csv[2], other[2]}) == 4
    assert dict(csv[1])["Content-Type"].startswith("text/csv")
    etag = dict(first[1])["ETag"]
    not_modified = get(bridge, CANNED, "step=3", [("if-none-match", etag)])
    assert not_modified[0] == 304 and counting.calls == 5
    assert get(bridge, CANNED, "step=3", [("if-none-match", etag)]) == not_modified
    assert counting.calls == 5


def test_unmarked_answers_errors_and_bodies_always_reach_the_app(app):
    counting = Counting(app.wsgi_app)
    bridge = WSGIBridge(counting, threads=1, max_bytes=1000, timeout=5, cache_bytes=1 << 20)
    for _ in range(2):
        assert get(bridge, "/health")[0] == 200
        assert get(bridge, CANNED, "step=no-such-step")[0] == 400
        assert get(bridge, "/api/queries/no-such-query")[0] == 404
    assert counting.calls == 6
    assert get(bridge, CANNED, "step=3", [("content-length", "0")])[0] == 200
    assert get(bridge, CANNED, "step=3")[0] == 200
    assert counting.calls == 8


def test_off_when_its_size_is_zero(app):
    counting = Counting(app.wsgi_app)
    bridge = WSGIBridge(counting, threads=1, max_bytes=1000, timeout=5, cache_bytes=0)
    get(bridge, CANNED, "step=3")
    get(bridge, CANNED, "step=3")
    assert counting.calls == 2


def test_only_a_get_without_a_body_has_a_key():
    assert key_of(Scope(method="GET", path="/p", query="a=1")) == ("/p", "a=1", "", "", "")
    two = Scope(method="GET", path="/p", headers=[("accept", "a/b"), ("accept", "c/d")])
    assert key_of(two) == ("/p", "", "a/b,c/d", "", "")
    assert key_of(Scope(method="HEAD", path="/p")) is None
    assert key_of(Scope(method="POST", path="/p")) is None
    assert (
        key_of(Scope(method="GET", path="/p", headers=[("transfer-encoding", "chunked")])) is None
    )


def test_it_keeps_marked_200_and_304_within_its_bytes():
    cache = ResponseCache(16 * 1000)  # one answer may take 1,000 bytes with its overhead
    marked = {SHAREABLE: True}
    cache.put(("a",), (200, [], b"x" * 400), marked)
    cache.put(("b",), (304, [], b""), marked)
    cache.put(("c",), (200, [], b"x"), {})  # not marked
    cache.put(("d",), (400, [], b"x"), marked)  # an error
    cache.put(("e",), (200, [], b"x" * 600), marked)  # too large for one entry
    assert list(cache.entries) == [("a",), ("b",)]
    for n in range(40):  # least recently used out first; "a" is read all along
        assert cache.get(("a",)) is not None
        cache.put((str(n),), (200, [], b"x" * 400), marked)
    assert cache.size <= cache.max_bytes and cache.get(("a",)) is not None
    assert cache.get(("b",)) is None and cache.get(("39",)) is not None


def sparql(bridge, query, accept="application/sparql-results+json"):
    return get(bridge, "/sparql", urlencode({"query": query}), [("accept", accept)])


def test_a_sparql_answer_is_replayed_unless_it_changes_with_each_evaluation(app):
    counting = Counting(app.wsgi_app)
    bridge = WSGIBridge(counting, threads=1, max_bytes=1000, timeout=5, cache_bytes=1 << 20)
    steady = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    first = sparql(bridge, steady)
    assert first[0] == 200 and sparql(bridge, steady) == first and counting.calls == 1
    assert sparql(bridge, steady, "text/csv")[0] == 200 and counting.calls == 2
    for volatile in (
        "SELECT (NOW() AS ?t) {}",
        "SELECT (rand () AS ?r) {}",
        "ASK { BIND(UUID() AS ?u) }",
    ):
        for _ in range(2):
            assert sparql(bridge, volatile)[0] == 200
    assert counting.calls == 8
    for _ in range(2):  # refusals are never kept
        assert sparql(bridge, "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")[0] == 403
    assert counting.calls == 10


def test_no_sparql_answer_is_replayed_under_a_rate_limit(app):
    limited = create_app(
        {"TESTING": True, "RATE_LIMIT": 1000}, store=app.extensions["newborn_kg.store"]
    )
    counting = Counting(limited.wsgi_app)
    bridge = WSGIBridge(counting, threads=1, max_bytes=1000, timeout=5, cache_bytes=1 << 20)
    for _ in range(2):
        assert sparql(bridge, "ASK { ?s ?p ?o }")[0] == 200
    assert counting.calls == 2
