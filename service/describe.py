"""Describe resources, the ontology and the dataset as RDF graphs (pure; no Flask)."""

from __future__ import annotations

import re

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import PREFIXES
from .store import Store, values_block

# format name -> (media type, rdflib serializer, file extension)
RDF_FORMATS = {
    "turtle": ("text/turtle", "turtle", "ttl"),
    "jsonld": ("application/ld+json", "json-ld", "jsonld"),
    "ntriples": ("application/n-triples", "nt", "nt"),
    "rdfxml": ("application/rdf+xml", "xml", "rdf"),
}
# dumps only: the named graphs, one per file (format name -> media type, serializer, extension)
QUAD_FORMATS = {
    "nquads": ("application/n-quads", "nquads", "nq"),
    "trig": ("application/trig", "trig", "trig"),
}
CONTEXT = {prefix: iri for prefix, iri in PREFIXES.items()}

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


def bind(graph: Graph) -> Graph:
    """Bind the project's prefixes, so serialisations are readable."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def described(store: Store, iri: str) -> Graph | None:
    """The description of a resource the graph has triples about (as subject), else None."""
    if not valid_iri(iri):
        return None
    graph = describe(store, iri)
    return graph if (URIRef(iri), None, None) in graph else None


def describe(store: Store, iri: str) -> Graph:
    """The resource's own triples, its incoming links, and its neighbours' labels and types."""
    return bind(_graph(store.query(_bound(DESCRIBE, iri)).graph))


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


def _bound(query: str, iri: str) -> str:
    block = values_block({"r": URIRef(iri)})
    head, sep, tail = query.partition("WHERE {")
    return f"{head}{sep}\n  {block}{tail}"


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


def valid_iri(iri: str) -> bool:
    """Whether the text can be an IRI at all."""
    return len(iri) <= 2000 and not NOT_IN_IRI.search(iri)


def serialise(graph: Graph, fmt: str) -> str:
    """Serialise in one of RDF_FORMATS; JSON-LD compacted with the project's prefixes."""
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)
    return graph.serialize(format=RDF_FORMATS[fmt][1])
