"""Oxigraph's own result writers behind /sparql: same answers, MAX_ROWS still exact."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from service.sparql.direct import FORMATS, most_rows, serialise
from service.sparql.execution import execute
from service.store import EmbeddedStore

EX = "http://example.org/"


@pytest.fixture
def tiny() -> EmbeddedStore:
    store = ox.Store()
    for i in range(5):
        s = ox.NamedNode(f"{EX}s{i}")
        store.add(ox.Quad(s, ox.NamedNode(f"{EX}label"), ox.Literal(f"x{i}", language="en")))
    # a literal holding every separator the row counter looks for
    store.add(
        ox.Quad(
            ox.NamedNode(f"{EX}odd"),
            ox.NamedNode(f"{EX}label"),
            ox.Literal('a},{b\n<result>"c', language="en"),
        )
    )
    return EmbeddedStore([], store)


def job(query: str, fmt: str = "json", max_rows: int = 100) -> dict[str, object]:
    return {
        "query": query,
        "default": [],
        "named": [],
        "fmt": fmt,
        "max_rows": max_rows,
        "base": EX,
    }


ALL = f"SELECT ?s ?o WHERE {{ ?s <{EX}label> ?o }} ORDER BY ?s"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_counts_at_least_the_rows(tiny: EmbeddedStore, fmt: str) -> None:
    body = serialise(tiny.ox_query(ALL), fmt, 100)
    assert body is not None and most_rows(body, fmt) >= 6


def test_the_json_matches_the_row_by_row_path(tiny: EmbeddedStore) -> None:
    status, body, truncated = execute(tiny, job(ALL))
    rows = json.loads(body)["results"]["bindings"]
    assert status == "ok" and not truncated and len(rows) == 6
    assert {r["o"]["value"] for r in rows} >= {"x0", 'a},{b\n<result>"c'}
    assert all(r["o"]["xml:lang"] == "en" for r in rows)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_more_rows_than_allowed_are_truncated_exactly(tiny: EmbeddedStore, fmt: str) -> None:
    assert serialise(tiny.ox_query(ALL), fmt, 3) is None  # the caller's row-by-row path takes over
    status, body, truncated = execute(tiny, job(ALL, fmt, 3))
    assert status == "ok" and truncated
    if fmt == "json":
        assert len(json.loads(body)["results"]["bindings"]) == 3


def test_a_separator_inside_a_literal_only_costs_the_fast_path(tiny: EmbeddedStore) -> None:
    odd = f"SELECT ?o WHERE {{ <{EX}odd> <{EX}label> ?o }}"
    assert serialise(tiny.ox_query(odd), "json", 1) is None  # counted as two rows
    status, body, truncated = execute(tiny, job(odd, "json", 1))
    assert not truncated and json.loads(body)["results"]["bindings"][0]["o"]["value"].startswith(
        "a}"
    )


def test_ask_and_errors(tiny: EmbeddedStore) -> None:
    status, body, _ = execute(tiny, job(f"ASK {{ <{EX}s1> ?p ?o }}"))
    assert json.loads(body) == {"head": {}, "boolean": True}
    status, message, _ = execute(tiny, job("SELECT ?x WHERE { ?x ?y }"))
    assert status == "error" and message
