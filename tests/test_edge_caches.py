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


def test_a_repeated_question_is_answered_from_the_cache(app, client):
    answers = app.extensions["newborn_kg.answers"]
    answers.cache_clear()
    first = client.get("/api/ask", query_string={"q": "第3步要带什么材料？"}).get_json()
    again = client.get("/api/ask", query_string={"q": "第3步要带什么材料？"}).get_json()
    assert first == again and answers.cache_info().hits == 1
    assert client.get("/api/ask", query_string={"q": " "}).status_code == 400
    assert answers.cache_info().currsize == 1
