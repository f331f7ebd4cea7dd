"""Describe resources, the ontology and the dataset as RDF graphs (pure; no Flask)."""

from __future__ import annotations

import re

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, VOID, XSD

from .formats import bind
from .namespaces import PREFIXES
from .store import Store, with_values

DESCRIBE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?r ?p ?o . ?s ?q ?r . ?n a ?t ; rdfs:label ?l ; skos:prefLabel ?pl }
WHERE {
  { ?r ?p ?o }
  UNION { ?s ?q ?r }
  UNION {
    { ?r ?x ?n } UNION { ?n ?y ?r }
    FILTER(isIRI(?n))
    { ?n a ?t } UNION { ?n rdfs:label ?l } UNION { ?n skos:prefLabel ?pl }
  }
}"""
ONTOLOGY = """CONSTRUCT { ?s ?p ?o } WHERE {
  ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/newborn-kg/ontology"))
}"""
ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def described(store: Store, iri: str) -> Graph | None:
    """The description of a resource the graph has triples about (as subject), else None."""
    if not valid_iri(iri):
        return None
    graph = describe(store, iri)
    return graph if (URIRef(iri), None, None) in graph else None


def describe(store: Store, iri: str) -> Graph:
    """The resource's own triples, its incoming links, and its neighbours' labels and types."""
    return bind(_graph(store.query(with_values(DESCRIBE, {"r": URIRef(iri)})).graph))


def ontology(store: Store) -> Graph:
    """Every triple about the ontology and its terms."""
    return bind(_graph(store.query(ONTOLOGY).graph))


def everything(store: Store) -> Graph:
    """The whole graph, for dumps."""
    return bind(_graph(store.query(ALL).graph))


def quads(store: Store) -> Dataset:
    """Every named graph with its triples, for the N-Quads and TriG dumps."""
    dataset = Dataset()
    for row in store.query(QUADS).rows:
        obj = row["o"]
        if isinstance(obj, Literal) and obj.datatype == XSD.string:
            obj = Literal(str(obj))
        dataset.graph(row["g"]).add((row["s"], row["p"], obj))
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri, override=True)
    return dataset


def _graph(graph: Graph | None) -> Graph:
    """Copy a result graph, writing xsd:string literals plainly (the same literal in RDF 1.1)."""
    out = Graph()
    for s, p, o in graph or ():
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


# Characters that cannot occur in an IRI (RFC 3987), so no query is built from them.
NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
# outside RFC 3987's ucschar: surrogates, private use, noncharacters; and a broken %-escape
NOT_UCSCHAR = re.compile(
    "[\ud800-\uf8ff\ufdd0-\ufdef\ufff0-\uffff\U000f0000-\U0010ffff]|%(?![0-9A-Fa-f]{2})"
)


def valid_iri(iri: str) -> bool:
    """Whether the text can be an IRI at all."""
    if len(iri) > 2000 or NOT_IN_IRI.search(iri) or NOT_UCSCHAR.search(iri):
        return False
    after_host = iri.partition("://")[2].partition("/")[2]
    if "[" in after_host or "]" in after_host or iri.count("#") > 1:  # brackets: IPv6 hosts only
        return False
    return not any(ord(c) > 0xFFFF and ord(c) & 0xFFFE == 0xFFFE for c in iri)


SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
# our format names (formats.RESULT_FORMATS, formats.RDF_FORMATS) -> the W3C formats registry's
W3C_FORMAT_NAMES = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "jsonld": "JSON-LD",
    "ntriples": "N-Triples",
    "rdfxml": "RDF_XML",
}


def service_description(base: str, triples: int, timeout: float, max_rows: int) -> Graph:
    """sd:Service of the /sparql endpoint: language, result formats, default dataset, limits."""
    graph = bind(Graph())
    graph.bind("sd", SD)
    service = URIRef(base + "sparql")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in W3C_FORMAT_NAMES.values():
        graph.add((service, SD.resultFormat, W3C_FORMATS[name]))
    dataset, default = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(triples)))
    limits = (
        f"Read-only. SERVICE refused (no outbound calls); deadline {timeout:g} s (503); "
        f"at most {max_rows} rows (X-Truncated)."
    )
    graph.add((service, RDFS.comment, Literal(limits, lang="en")))
    return graph
