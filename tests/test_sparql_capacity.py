"""/sparql's own capacity: when every query process is busy, 503 with Retry-After at once."""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from service import create_app

from .conftest import LiveServer

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def one_process(store):
    app = create_app({"TESTING": True, "QUERY_TIMEOUT": 2, "SPARQL_WORKERS": 1}, store=store)
    with LiveServer(app) as server:
        yield server


def get(url, path):
    try:
        with urllib.request.urlopen(url + path, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def sparql(query):
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def run_heavy(url, results):
    """Run the heavy query until it gets the query process (a probe may hold it first)."""
    while True:
        status, _, body = get(url, sparql(HEAVY))
        if b"busy" not in body:
            results.append((status, json.loads(body)["error"]["message"]))
            return


def test_a_full_endpoint_answers_503_while_the_api_answers(one_process):
    heavy = []
    running = threading.Thread(target=run_heavy, args=(one_process.url, heavy))
    running.start()
    refused, api = [], []
    while running.is_alive():
        status, headers, body = get(one_process.url, sparql("ASK {}"))
        if status == 503:
            refused.append((headers["Retry-After"], json.loads(body)["error"]))
        else:
            assert status == 200
        api.append(get(one_process.url, "/api/queries/steps")[0])
    running.join()
    assert heavy[0][0] == 503 and "did not finish" in heavy[0][1]  # it met its deadline
    assert refused, "no query was refused while the only query process was busy"
    retry, error = refused[0]
    assert retry == "1" and error["status"] == 503 and "busy" in error["message"]
    assert set(api) == {200}
    assert get(one_process.url, sparql("ASK {}"))[0] == 200
