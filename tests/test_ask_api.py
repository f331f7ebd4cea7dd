"""The HTTP surface of question answering."""

import pytest

from .iris import CARD


def test_get_and_post_answer_the_same(client):
    get = client.get("/api/ask", query_string={"q": "第三步要带啥"}).get_json()
    post = client.post("/api/ask", json={"q": "第三步要带啥"}).get_json()
    assert get == post
    assert set(get) >= {
        "question",
        "lang",
        "understood",
        "query",
        "params",
        "confidence",
        "answers",
        "text",
        "sources",
        "sparql",
        "try",
    }
    assert 0 <= get["confidence"] <= 1


def test_the_try_link_runs_the_same_canned_query(client):
    answer = client.get("/api/ask", query_string={"q": "what comes after step 2?"}).get_json()
    rows = client.get(answer["try"]).get_json()["rows"]
    assert [r["next"]["value"] for r in rows] == [a["iri"] for a in answer["answers"]]


def test_lang_overrides_the_answer_language(client):
    answer = client.get("/api/ask", query_string={"q": "第三步要带啥", "lang": "en"}).get_json()
    assert answer["lang"] == "en" and answer["text"].startswith("For Step 3")


@pytest.mark.parametrize(
    "request_kwargs, status, param",
    [
        ({"method": "GET", "query_string": {}}, 400, "q"),
        ({"method": "GET", "query_string": {"q": "   "}}, 400, "q"),
        ({"method": "GET", "query_string": {"q": "x" * 501}}, 400, "q"),
        ({"method": "GET", "query_string": {"q": "step 1", "lang": "fr"}}, 400, "lang"),
        ({"method": "POST", "data": "not json", "content_type": "application/json"}, 400, "q"),
        ({"method": "POST", "json": {"question": "step 1"}}, 400, "q"),
        ({"method": "POST", "json": {"q": 42}}, 400, "q"),
        ({"method": "POST", "json": {"q": "step 1", "lang": ["en"]}}, 400, "lang"),
        ({"method": "POST", "json": {"q": "x" * 20000}}, 413, None),
    ],
)
def test_bad_requests_get_a_4xx_in_the_error_shape(client, request_kwargs, status, param):
    response = client.open("/api/ask", **request_kwargs)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["status"] == status and error["message"]
    if param:
        assert error["param"] == param


def test_hostile_questions_are_just_not_understood(client):
    for question in [
        '" } UNION { ?s ?p ?o } #',
        "\\u0022",
        "<script>alert(1)</script>",
        "第三步 } UNION {",
    ]:
        response = client.get("/api/ask", query_string={"q": question})
        assert response.status_code == 200
        body = response.get_json()
        # at most the one thing named (step 3) is understood, bound as a term: the rest of the
        # text never reaches a query
        assert body["understood"] is False or set(body["params"].values()) == {f"{CARD}step/3"}


def test_cors_on_ask(client):
    response = client.options(
        "/api/ask",
        headers={"Access-Control-Request-Method": "POST", "Origin": "https://example.org"},
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_out_of_scope_gets_an_honest_text_and_answers_carry_their_caveats(client):
    refused = client.get("/api/ask", query_string={"q": "办医保卡需要几天？"}).get_json()
    assert refused["understood"] is False and refused["reason"] == "out of scope: processing-time"
    assert "来源没有说明" in refused["text"] and refused["suggestions"]
    english = client.get("/api/ask", query_string={"q": "办医保卡需要几天？", "lang": "en"})
    assert "source" in english.get_json()["text"]
    answered = client.get("/api/ask", query_string={"q": "what do i bring for step 1"}).get_json()
    assert {"iri", "label", "note"} <= set(answered["caveats"][0])
