"""Describe resources, the ontology and the dataset as RDF graphs (pure; no Flask)."""

from __future__ import annotations

import hashlib
import re

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from .namespaces import PREFIXES
from .store import Store, values_block

# format name -> (media type, rdflib serializer, file extension)
RDF_FORMATS = {
    "turtle": ("text/turtle", "turtle", "ttl"),
    "jsonld": ("application/ld+json", "json-ld", "jsonld"),
    "ntriples": ("application/n-triples", "nt", "nt"),
    "rdfxml": ("application/rdf+xml", "xml", "rdf"),
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
CLASSES = """SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) }
GROUP BY ?c ORDER BY ?c"""


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
        # named after their content, so that the same data gives the same bytes and ETag
        part = BNode("class-" + hashlib.sha256(str(row["c"]).encode()).hexdigest()[:16])
        graph.add((ds, VOID.classPartition, part))
        graph.add((part, VOID["class"], row["c"]))
        graph.add((part, VOID.entities, Literal(int(row["n"]))))
    for name, (mime, _, ext) in RDF_FORMATS.items():
        if name == "rdfxml":
            continue
        dump = URIRef(f"{base}dump.{ext}")
        graph.add((ds, VOID.dataDump, dump))
        dist = BNode(f"distribution-{ext}")
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
    linkset, target = BNode("linkset-wikidata"), BNode("wikidata")
    graph.add((ds, VOID.subset, linkset))
    graph.add((linkset, RDF.type, VOID.Linkset))
    graph.add((linkset, VOID.subjectsTarget, ds))
    graph.add((linkset, VOID.objectsTarget, target))
    graph.add((linkset, VOID.linkPredicate, OWL.sameAs))
    graph.add((linkset, VOID.triples, Literal(int(links), datatype=XSD.integer)))
    graph.add((target, RDF.type, VOID.Dataset))
    graph.add((target, DCTERMS.title, Literal("Wikidata", lang="en")))
    graph.add((target, VOID.uriSpace, Literal(str(wikidata))))


def serialise(graph: Graph, fmt: str) -> str:
    """Serialise in one of RDF_FORMATS; JSON-LD compacted with the project's prefixes."""
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)
    return graph.serialize(format=RDF_FORMATS[fmt][1])
