"""Describe resources, the ontology and the dataset as RDF graphs (pure; no Flask)."""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

# re-exported for sparql.py until it imports them from formats (on its own branch)
from .formats import RDF_FORMATS as RDF_FORMATS
from .formats import bind as bind
from .formats import serialise as serialise
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
CLASSES = """SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) }
GROUP BY ?c ORDER BY ?c"""


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


def dataset(store: Store, base: str) -> Graph:
    """The VoID and DCAT description: stored facts plus counts, endpoint, dumps and linksets."""
    ds = URIRef(base + "id/dataset")
    graph = describe(store, str(ds))
    graph.remove((None, None, ds))  # keep the description, not what points to it
    counts = store.query(
        "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s2) (COUNT(DISTINCT ?p) AS ?p2) "
        "WHERE { ?s ?p ?o }"
    ).rows[0]
    graph.set((ds, VOID.triples, Literal(store.triple_count())))
    graph.add((ds, VOID.distinctSubjects, Literal(int(counts["s2"]))))
    graph.add((ds, VOID.properties, Literal(int(counts["p2"]))))
    graph.add((ds, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    classes = store.query(CLASSES).rows
    graph.add((ds, VOID.classes, Literal(len(classes))))
    for row in classes:
        part = BNode()
        graph.add((ds, VOID.classPartition, part))
        graph.add((part, VOID["class"], row["c"]))
        graph.add((part, VOID.entities, Literal(int(row["n"]))))
    for name, (mime, _, ext) in RDF_FORMATS.items():
        if name == "rdfxml":
            continue
        dump = URIRef(f"{base}dump.{ext}")
        graph.add((ds, VOID.dataDump, dump))
        dist = BNode()
        graph.add((ds, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCAT.downloadURL, dump))
        graph.add(
            (dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{mime}"))
        )
        graph.add((dist, DCTERMS.title, Literal(f"newborn-kg dump ({ext})", lang="en")))
        graph.add((dist, DCTERMS.license, URIRef("http://creativecommons.org/licenses/by/4.0/")))
    _linkset(store, graph, ds)
    return bind(graph)


def _linkset(store: Store, graph: Graph, ds: URIRef) -> None:
    wikidata = Namespace("http://www.wikidata.org/entity/")
    links = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o "
        f'FILTER(STRSTARTS(STR(?o), "{wikidata}")) }}'
    ).rows[0]["n"]
    linkset, target = BNode(), BNode()
    graph.add((ds, VOID.subset, linkset))
    graph.add((linkset, RDF.type, VOID.Linkset))
    graph.add((linkset, VOID.subjectsTarget, ds))
    graph.add((linkset, VOID.objectsTarget, target))
    graph.add((linkset, VOID.linkPredicate, OWL.sameAs))
    graph.add((linkset, VOID.triples, Literal(int(links), datatype=XSD.integer)))
    graph.add((target, RDF.type, VOID.Dataset))
    graph.add((target, DCTERMS.title, Literal("Wikidata", lang="en")))
    graph.add((target, VOID.uriSpace, Literal(str(wikidata))))


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
