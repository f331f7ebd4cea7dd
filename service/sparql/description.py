"""The sd:Service description of the endpoint: language, formats, dataset, limits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

from .. import describe as rdf

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
VOID_TRIPLES = URIRef("http://rdfs.org/ns/void#triples")
RESULT_FORMAT_NAMES = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "JSON-LD",
    "N-Triples",
    "RDF_XML",
)


def service_description(config: Mapping[str, Any], triples: int) -> Graph:
    """sd:Service: endpoint, language, result formats, default dataset, limits."""
    graph = rdf.bind(Graph())
    graph.bind("sd", SD)
    service = URIRef(config["BASE_URI"] + "sparql")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMAT_NAMES:
        graph.add((service, SD.resultFormat, FORMATS_NS[name]))
    dataset, default = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID_TRIPLES, Literal(triples)))
    comment = (
        f"Read-only. SERVICE refused (no outbound calls); deadline {config['QUERY_TIMEOUT']:g} s "
        f"(503); at most {config['MAX_ROWS']} rows (X-Truncated)."
    )
    graph.add((service, RDFS.comment, Literal(comment, lang="en")))
    return graph
