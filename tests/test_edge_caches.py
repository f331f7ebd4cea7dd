"""The app remembers what is pure per request text: the guards' verdict per query, the answer per
question; refusals are never remembered."""

from __future__ import annotations

QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"


def test_a_repeated_query_is_checked_once(app, client):
    checks = app.extensions["newborn_kg.sparql_checks"]
    checks.cache_clear()
    for _ in range(3):
        assert client.get("/sparql", query_string={"query": QUERY}).status_code == 200
    info = checks.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_a_refused_query_is_refused_every_time(app, client):
    checks = app.extensions["newborn_kg.sparql_checks"]
    checks.cache_clear()
    bad = "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": bad}).status_code == 403
    assert checks.cache_info().currsize == 0
