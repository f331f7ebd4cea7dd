"""Hostile parameter values are refused with 400 and cannot change what any query returns."""

import pytest
from rdflib import Literal, URIRef

HOSTILE = [
    '"',
    "'",
    '3" } UNION { ?s ?p ?o } #',
    "3> } UNION { ?s ?p ?o",
    "\\u0022",
    "\\U00000022",
    "\\u0022 } UNION { ?x ?y ?z } #",
    "}",
    "{",
    "} UNION {",
    "# comment",
    "3 # comment",
    "3\n} UNION { ?s ?p ?o }",
    "3\r\n",
    "x" * 10_000,
    "<https://w3id.org/newborn-kg/id/step/3 >",
    "<https://w3id.org/newborn-kg/id/step/3> . ?s ?p ?o",
    "https://w3id.org/newborn-kg/id/step/3>",
    "https://w3id.org/newborn-kg/id/step/ 3",
    "id:step/3 }",
    "step/3?x=1",
    "\x00",
    "3\u200b",
    "?step",
    "$step",
    "*",
    "https://w3id.org/newborn-kg/id/document/marriage-certificate",
    "@en",
    '"3"@en',
]
BAD_LANGS = ["zh-CN", "en'", 'en"', "e n", "zh\n", "x" * 10_000, "*", "en } UNION {"]


ID = "https://w3id.org/newborn-kg/id/"
# Each probe's parameters as the terms they denote, written here, not resolved by the service.
PROBES = {
    "step-documents": ("step=3&", {"step": URIRef(ID + "step/3")}),
    "steps": ("", {}),
    "article-text": (
        "article=7&",
        {"article": URIRef(ID + "law/household-registration-regulations/article/7")},
    ),
}


def store_rows(app, name):
    """The query's rows straight from the store: no parameter resolution, no cache."""
    query = app.extensions["newborn_kg.canned"].catalog[name]
    terms = {**PROBES[name][1], **({"lang": Literal("en")} if "?lang" in query.sparql else {})}
    rows = app.extensions["newborn_kg.store"].query(query.bind(terms)).rows
    return [{c: str(v) for c, v in row.items() if str(v)} for row in rows]


def api_rows(app, name):
    """The rows the API answers now, rendered afresh (the page cache is emptied first)."""
    app.extensions["newborn_kg.pages"].cache_clear()
    body = app.test_client().get(f"/api/queries/{name}?{PROBES[name][0]}lang=en").get_json()
    return [{c: cell["value"] for c, cell in row.items() if cell} for row in body["rows"]]


@pytest.fixture(scope="module")
def baseline(app):
    rows = {name: store_rows(app, name) for name in PROBES}
    assert all(rows.values()), "every probe has an answer to protect"
    return rows


def count_triples(app):
    return app.test_client().get("/health").get_json()["triples"]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_param_values_get_400(app, baseline, value):
    client = app.test_client()
    before = count_triples(app)
    for name in ("step-documents", "article-text"):
        param = "step" if name == "step-documents" else "article"
        response = client.get(f"/api/queries/{name}", query_string={param: value, "lang": "en"})
        assert response.status_code == 400, value
        error = response.get_json()["error"]
        assert error["status"] == 400 and error["param"] == param
    assert api_rows(app, "step-documents") == baseline["step-documents"]
    assert api_rows(app, "steps") == baseline["steps"]
    assert count_triples(app) == before


@pytest.mark.parametrize("value", BAD_LANGS, ids=range(len(BAD_LANGS)))
def test_bad_language_tags_get_400(client, value):
    response = client.get("/api/queries/steps", query_string={"lang": value})
    assert response.status_code == 400 and response.get_json()["error"]["param"] == "lang"


@pytest.mark.parametrize("name", ['step" } #', "steps/../x", "%00", "x" * 5000])
def test_hostile_query_names_get_404(client, name):
    response = client.get(f"/api/queries/{name}")
    assert response.status_code == 404 and response.is_json


def test_hostile_parameter_names_get_400(client):
    response = client.get("/api/queries/steps", query_string={"} UNION {": "1"})
    assert response.status_code == 400


def test_the_answers_never_changed(app, baseline):
    for name in PROBES:
        assert store_rows(app, name) == baseline[name]
        assert api_rows(app, name) == baseline[name]
