"""Media types and serialisers, on hand-made results."""

import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from service.formats import (
    ANSWER_FORMATS,
    RDF_ALIASES,
    RDF_FORMATS,
    RESULT_FORMATS,
    delimited,
    render_result,
    serialise,
    sparql_json,
    sparql_xml,
    term_json,
)
from service.store import Result

S = URIRef("https://w3id.org/newborn-kg/id/step/1")
ROWS = Result(
    "SELECT",
    variables=("s", "label", "n"),
    rows=(
        {"s": S, "label": Literal('a "quoted", <tag> & 第一步', lang="zh"), "n": Literal(2)},
        {"s": BNode("b0")},
    ),
)


def test_every_alias_names_a_format_and_media_types_are_distinct():
    assert set(RDF_ALIASES.values()) <= set(RDF_FORMATS)
    for table in (RESULT_FORMATS, ANSWER_FORMATS):
        assert len(set(table.values())) == len(table)
    assert len({mime for mime, _, _ in RDF_FORMATS.values()}) == len(RDF_FORMATS)


def test_term_json_keeps_kind_language_and_datatype():
    assert term_json(S) == {"type": "uri", "value": str(S)}
    assert term_json(BNode("x")) == {"type": "bnode", "value": "x"}
    assert term_json(Literal("a", lang="en")) == {"type": "literal", "value": "a", "xml:lang": "en"}
    assert term_json(Literal(2))["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert term_json(Literal("plain")) == {"type": "literal", "value": "plain"}


def test_sparql_json_for_select_and_ask():
    body = sparql_json(ROWS)
    assert body["head"]["vars"] == ["s", "label", "n"]
    assert body["results"]["bindings"][1] == {"s": {"type": "bnode", "value": "b0"}}
    assert sparql_json(Result("ASK", boolean=True)) == {"head": {}, "boolean": True}


def test_csv_quotes_values_and_tsv_writes_terms():
    csv_text = delimited(ROWS)
    assert csv_text.splitlines()[0] == "s,label,n"
    assert '"a ""quoted"", <tag> & 第一步"' in csv_text and csv_text.endswith("b0,,\r\n")
    tsv = delimited(ROWS, "\t").splitlines()
    assert tsv[0] == "?s\t?label\t?n"
    assert tsv[1].startswith(f"<{S}>\t") and '"@zh' in tsv[1]
    assert tsv[2] == "_:b0\t\t"


def test_sparql_xml_escapes_text_and_attributes():
    xml = sparql_xml(ROWS)
    assert '<variable name="label"/>' in xml
    assert "a &quot;quoted&quot;" not in xml and "&lt;tag&gt; &amp; 第一步" in xml
    assert 'xml:lang="zh"' in xml and "<bnode>b0</bnode>" in xml
    assert "<boolean>false</boolean>" in sparql_xml(Result("ASK", boolean=False))


@pytest.mark.parametrize("fmt", list(RESULT_FORMATS))
def test_render_result_writes_every_result_format(fmt):
    body = render_result(ROWS, fmt).decode("utf-8")
    assert "第一步" in body


def test_graphs_serialise_in_every_rdf_format_and_parse_back():
    graph = Graph()
    graph.add((S, URIRef("https://w3id.org/newborn-kg/ontology#next"), Literal("二", lang="zh")))
    for fmt, (_, parser, _) in RDF_FORMATS.items():
        text = serialise(graph, fmt)
        assert set(Graph().parse(data=text, format=parser)) == set(graph), fmt
    assert "nkg:next" in json.dumps(json.loads(serialise(graph, "jsonld")))
    construct = render_result(Result("CONSTRUCT", graph=graph), "ntriples").decode("utf-8")
    assert construct.startswith(f"<{S}>")
