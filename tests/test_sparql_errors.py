"""Engine messages plus query text become line, column, token and a hint."""

from __future__ import annotations

import pyoxigraph
import pytest

from service.sparql.explain import declared_prefixes, explain, token_at

# the grammar dump Oxigraph 0.5 writes for a missing prefix, cut short
PREFIX_DUMP = (
    "error at 1:31: expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | "
    "'\\u{00B7}' | '\\u{0300}'..='\\u{036F}' |\n'\\u{203F}'..='\\u{2040}'], ['.'], [':'], ['_']"
)


def engine_message(query: str) -> str:
    with pytest.raises(SyntaxError) as info:
        pyoxigraph.Store().query(query)
    return str(info.value)


def test_missing_rdfs_prefix_gets_the_line_to_add():
    query = "SELECT * WHERE { ?s rdfs:label ?o }"
    why = explain(PREFIX_DUMP, query)
    assert (why.line, why.column, why.token) == (1, 31, "rdfs:label")
    assert why.hint == "add `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>` before the query"
    assert "a prefix is not declared" in why.message
    assert "\\u{" not in why.message and "['" not in why.message


def test_the_live_engine_message_is_explained_the_same_way():
    query = "SELECT * WHERE {\n  ?s a nkg:Step ;\n     rdfs:label ?o }"
    why = explain(engine_message(query), query)
    assert (why.line, why.token) == (2, "nkg:Step")
    assert why.hint == "add `PREFIX nkg: <https://w3id.org/newborn-kg/ontology#>` before the query"


def test_a_prefix_the_graph_does_not_use_gets_a_generic_hint():
    query = "PREFIX x: <http://x/>\nSELECT * WHERE { ?s x:p ?o . ?s foo:bar ?z }"
    why = explain(engine_message(query), query)
    assert why.hint == "the prefix `foo:` is not declared: add `PREFIX foo: <…>` before the query"
    assert declared_prefixes(query) == {"x"}


def test_declared_prefixes_are_not_hinted():
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT * WHERE { ?s rdfs:label ?o "
    )
    why = explain(engine_message(query), query)
    assert why.hint == "1 `{` not closed: add `}`"
    assert why.line == 2 and "}" in why.expected


def test_misspelt_keyword():
    query = "SELECT * WHERE { ?s ?p ?o } LIMT 5"
    why = explain(engine_message(query), query)
    assert why.hint == "`LIMT` is not a SPARQL keyword: did you mean `LIMIT`?"
    assert why.expected == ("HAVING", "OFFSET", "OPTIONAL", "VALUES")


def test_unclosed_string_and_extra_brace():
    query = 'SELECT * WHERE { ?s ?p "abc }'
    assert (
        explain(engine_message(query), query).hint
        == "a string is not closed: add the closing quote"
    )
    query = "SELECT ?x WHERE { ?s ?p ?o }}"
    why = explain(engine_message(query), query)
    assert why.hint == "1 `}` too many, or an `{` missing"
    assert why.message.endswith("`}` is not expected here")


def test_long_expectation_lists_are_cut():
    query = "SELECT * WHERE { ?s ?p ?o FILTER(?o = ) }"
    why = explain(engine_message(query), query)
    assert len(why.expected) == 9 and why.expected[-1].startswith("… (")


def test_columns_count_characters_not_bytes():
    query = 'SELECT * WHERE { ?s ?p "步骤" . ?s rdfs:label ?o }'
    why = explain(engine_message(query), query)
    assert why.token == "rdfs:label"


def test_a_message_without_position_is_kept_short():
    why = explain("some evaluation failure\n" + "x" * 1000, "SELECT * WHERE { ?s ?p ?o }")
    assert why.line is None and why.token is None and len(why.message) <= 200
    assert why.details() == {}


def test_token_at_past_the_end_is_the_last_token():
    assert token_at("ASK { ?s ?p ?o", 5, 1) == ("?o", False)
    assert token_at("ASK { ?s ?p ?o }", 1, 7) == ("?s", True)


def test_the_endpoint_answers_with_the_explanation(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s rdfs:label ?o }"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["param"] == "query" and error["line"] == 1 and error["column"] == 31
    assert error["token"] == "rdfs:label" and "PREFIX rdfs:" in error["hint"]
    assert len(error["message"]) < 200


def test_a_virtuoso_message_is_explained_without_the_endpoint_address():
    # as Virtuoso 7.2 answered through the remote store (STORE=sparql)
    message = (
        "http://127.0.0.1:59865/sparql answered 400: Virtuoso 37000 Error SP030: SPARQL compiler, "
        "line 2: syntax error at 'LIMT' before '5'"
    )
    why = explain(message, "SELECT * WHERE {\n ?s ?p ?o } LIMT 5")
    assert (why.line, why.column, why.token) == (2, None, "LIMT")
    assert why.message == "the query does not parse: line 2, at `LIMT`: syntax error"
    assert why.hint == "`LIMT` is not a SPARQL keyword: did you mean `LIMIT`?"
    bare = explain(message.split(" at '")[0], "SELECT * WHERE { ?s ?p ?o ")
    assert bare.token is None and bare.hint == "1 `{` not closed: add `}`"
    assert "127.0.0.1" not in bare.message
