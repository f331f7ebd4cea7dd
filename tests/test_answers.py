"""Labelled cells and answer pages, without a store."""

import csv
import io
import json

from rdflib import BNode, Literal, URIRef

from service.answers import Answer, cell, render_answer
from service.index import EntityIndex
from service.store import Result

ID = "https://w3id.org/newborn-kg/id/"
INDEX = EntityIndex(base=ID, labels={f"{ID}step/1": {"zh": "第一步", "en": "Step 1"}})


def test_cells_carry_value_label_and_kind():
    assert cell(URIRef(f"{ID}step/1"), INDEX, "en") == {
        "value": f"{ID}step/1",
        "label": "Step 1",
        "type": "uri",
    }
    assert cell(URIRef("urn:unlabelled"), INDEX, "en")["label"] == "urn:unlabelled"
    assert cell(BNode("b"), INDEX, "en")["type"] == "bnode"
    assert cell(Literal("x", lang="zh"), INDEX, "en") == {
        "value": "x",
        "label": "x",
        "type": "literal",
    }


def answer(n: int = 5) -> Answer:
    steps = [URIRef(f"{ID}step/{i}") for i in range(1, n + 1)]
    return Answer(
        query="steps",
        params=(),
        lang="en",
        columns=("step", "note"),
        rows=tuple({"step": cell(s, INDEX, "en"), "note": None} for s in steps),
        sparql="SELECT ?step ?note WHERE { ?step ?p ?o }",
        data_version="v1",
        result=Result("SELECT", ("step", "note"), tuple({"step": s} for s in steps)),
    )


def test_json_pages_report_total_offset_and_limit():
    body = json.loads(render_answer(answer(), "json", 1, 2))
    assert [r["step"]["value"].rsplit("/", 1)[1] for r in body["rows"]] == ["2", "3"]
    assert (body["total"], body["offset"], body["limit"]) == (5, 1, 2)
    assert body["rows"][0]["note"] is None and body["data_version"] == "v1"


def test_csv_and_tsv_pair_each_value_with_its_label():
    rows = list(csv.reader(io.StringIO(render_answer(answer(), "csv", 0, 1))))
    assert rows == [
        ["step", "step_label", "note", "note_label"],
        [f"{ID}step/1", "Step 1", "", ""],
    ]
    assert render_answer(answer(), "tsv", 4, 10).count("\t") == 6  # header and one row


def test_sparql_json_pages_the_raw_result():
    body = json.loads(render_answer(answer(), "sparql-json", 3, 10))
    assert [b["step"]["value"][-1] for b in body["results"]["bindings"]] == ["4", "5"]
