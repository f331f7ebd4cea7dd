"""When the store fails, the service says so with the right status, and recovers by itself.

A real Virtuoso is stopped (503 with Retry-After) and hung with SIGSTOP (504 at the deadline,
with the bounded slots leaving the workers free); a small fake endpoint answers HTML, garbage,
500 and 503. /health says `degraded` with the reason, then `ok` again without a restart.
"""

import threading

import pytest
from click.testing import CliRunner

from service import create_app
from service.cli import main
from service.config import load_config

from .conftest import LiveServer
from .iris import CARD_PATH
from .sparql_fixture import GRAPH, sparql_wsgi
from .virtuoso import BINARY, MISSING, Virtuoso

STEPS = "SELECT ?s WHERE { ?s a <https://w3id.org/newborn-kg/ontology#Step> }"


def uncached(client, n):
    """One request of each kind that must reach the store: canned answers are cached, so each
    call site uses its own n (0-7), and an answer cached when the store returns is not reused."""
    step, lang = str(n % 4 + 1), ("zh", "en")[n // 4]
    return {
        "sparql": client.get("/sparql", query_string={"query": STEPS, "format": "json"}),
        "id": client.get(f"/id/{CARD_PATH}/step/{step}", headers={"Accept": "text/turtle"}),
        "api": client.get("/api/queries/step-documents", query_string={"step": step, "lang": lang}),
    }


def assert_store_error(responses, status):
    for name, response in responses.items():
        assert response.status_code == status, (name, response.data)
        body = response.get_json()
        assert set(body) == {"error"} and body["error"]["status"] == status, name
        assert "store" in body["error"]["message"], name


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if BINARY is None:
        pytest.skip(MISSING)
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    server.upload(load_config(environ={})["DATA_FILES"])
    yield server
    server.resume()
    server.stop()


@pytest.fixture(scope="module")
def remote_app(virtuoso):
    config = {
        "TESTING": True,
        "STORE": "sparql",
        "ENDPOINT": virtuoso.endpoint,
        "GRAPH": GRAPH,
        "QUERY_TIMEOUT": 2,
        "STORE_CONCURRENCY": 1,
    }
    return create_app(config)


def test_a_stopped_store_is_503_with_retry_after_and_recovers_without_restart(remote_app, virtuoso):
    client = remote_app.test_client()
    cached = client.get("/api/queries/steps")
    assert cached.status_code == 200 and "X-Stale" not in cached.headers
    virtuoso.stop()
    try:
        responses = uncached(client, 0)
        assert_store_error(responses, 503)
        assert all(r.headers["Retry-After"] for r in responses.values())
        health = client.get("/health").get_json()
        assert health["status"] == "degraded" and virtuoso.endpoint in health["reason"]
        again = client.get("/api/queries/steps")
        assert again.status_code == 200 and again.headers["X-Stale"] == "true"
        assert "X-Stale" in again.headers["Access-Control-Expose-Headers"]
        assert again.data == cached.data
    finally:
        virtuoso.start()
    assert client.get("/health").get_json()["status"] == "ok"
    for name, response in uncached(client, 0).items():
        assert response.status_code == 200, name
        assert "X-Stale" not in response.headers, name


def test_a_hung_store_is_504_at_the_deadline_and_leaves_workers_free(remote_app, virtuoso):
    client = remote_app.test_client()
    virtuoso.pause()
    try:
        # /sparql runs in its own child process, which meets the deadline itself
        sparql = client.get("/sparql", query_string={"query": STEPS, "format": "json"})
        assert_store_error({"sparql": sparql}, 504)
        # one slot (STORE_CONCURRENCY=1): while one request waits on the hung store until the
        # deadline (504), the others are turned away at once (503) instead of each holding a worker
        held = []
        waiting = threading.Thread(
            target=lambda: held.append(
                remote_app.test_client().get(f"/id/{CARD_PATH}/step/2").status_code
            )
        )
        waiting.start()
        statuses = set()
        while waiting.is_alive() and 503 not in statuses:
            statuses.add(remote_app.test_client().get(f"/id/{CARD_PATH}/step/4").status_code)
        waiting.join()
        assert statuses | set(held) == {503, 504}
        # after a timeout the store is left alone for a moment: 503 at once, with Retry-After
        paused = client.get(f"/id/{CARD_PATH}/step/3")
        assert paused.status_code == 503 and paused.headers["Retry-After"]
        assert "did not answer" in paused.get_json()["error"]["message"]
        health = client.get("/health").get_json()
        assert health["status"] == "degraded" and "did not answer" in health["reason"]
    finally:
        virtuoso.resume()
    assert client.get("/health").get_json()["status"] == "ok"
    for name, response in uncached(client, 1).items():
        assert response.status_code == 200, name


@pytest.fixture(scope="module")
def fake():
    wsgi = sparql_wsgi(load_config(environ={})["DATA_FILES"])
    with LiveServer(wsgi) as server:
        app = create_app(
            {"TESTING": True, "STORE": "sparql", "ENDPOINT": f"{server.url}/sparql", "GRAPH": GRAPH}
        )
        yield wsgi, app, server.url


@pytest.mark.parametrize(
    "n, mode, status", [(0, "html", 502), (1, "garbage", 502), (2, "500", 502), (3, "503", 503)]
)
def test_an_endpoint_that_answers_badly_is_a_bad_gateway(fake, n, mode, status):
    wsgi, app, _ = fake
    client = app.test_client()
    wsgi.mode = mode
    try:
        assert_store_error(uncached(client, n), status)
        assert client.get("/health").get_json()["status"] == "degraded"
    finally:
        wsgi.mode = "ok"
    assert client.get("/health").get_json()["status"] == "ok"
    assert all(r.status_code == 200 for r in uncached(client, n).values())


def test_a_query_the_store_rejects_is_still_a_400(fake):
    _, app, _ = fake
    response = app.test_client().get("/sparql", query_string={"query": "SELECT * { ?s ?p }"})
    assert response.status_code == 400 and response.get_json()["error"]["status"] == 400


def test_starting_against_an_endpoint_that_is_not_sparql_is_one_line_and_exit_1(fake):
    wsgi, _, url = fake
    wsgi.mode = "html"
    try:
        result = CliRunner().invoke(
            main,
            ["serve", "--store", "sparql", "--endpoint", f"{url}/sparql", "--graph", GRAPH],
        )
    finally:
        wsgi.mode = "ok"
    assert (
        result.exit_code == 1
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newborn-kg: ") and "text/html" in lines[0]


def test_refusals_on_a_remote_store_are_4xx_never_500(fake):
    _, app, _ = fake
    client = app.test_client()
    for query, status in [
        ("SELECT * { ?s ?p '\\uD800' }", 400),
        ("SELECT * { ?s <bif:contains> 'x' }", 403),
        ("SELECT * { ?s ?p ?o . ?o sql:x 'y' }", 403),
        ("DEFINE input:storage '' SELECT * { ?s ?p ?o }", 400),
    ]:
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == status, (query, response.data)
