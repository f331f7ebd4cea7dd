"""The dataset's VoID and DCAT-AP 3.0 description: stored facts plus counts, endpoint, dumps."""

from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD

from .describe import describe
from .formats import QUAD_FORMATS, RDF_FORMATS, bind
from .store import Store, values_block

CLASSES = """SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) }
GROUP BY ?c ORDER BY ?c"""


def describe_dataset(store: Store, base: str) -> Graph:
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
    dumps = {n: f for n, f in RDF_FORMATS.items() if n != "rdfxml"} | QUAD_FORMATS
    for mime, _, ext in dumps.values():
        dump = URIRef(f"{base}dump.{ext}")
        graph.add((ds, VOID.dataDump, dump))
        _distribution(graph, ds, dump, mime, ext)
    _publisher(store, graph, ds)
    _linkset(store, graph, ds)
    return bind(graph)


def _distribution(graph: Graph, ds: URIRef, dump: URIRef, mime: str, ext: str) -> None:
    """One DCAT-AP 3.0 distribution: access and download URL, typed media type and licence."""
    dist, media = (
        BNode(f"distribution-{ext}"),
        URIRef(f"https://www.iana.org/assignments/media-types/{mime}"),
    )
    graph.add((ds, DCAT.distribution, dist))
    graph.add((dist, RDF.type, DCAT.Distribution))
    graph.add((dist, DCAT.accessURL, dump))
    graph.add((dist, DCAT.downloadURL, dump))
    graph.add((dump, RDF.type, RDFS.Resource))  # DCAT-AP checks classes without inference
    graph.add((dist, DCAT.mediaType, media))
    graph.add((media, RDF.type, DCTERMS.MediaType))
    graph.add((dist, DCTERMS.title, Literal(f"newborn-kg dump ({ext})", lang="en")))
    graph.add((dist, DCTERMS.license, URIRef("http://creativecommons.org/licenses/by/4.0/")))


def _publisher(store: Store, graph: Graph, ds: URIRef) -> None:
    """The publisher's name (DCAT-AP wants foaf:name on the agent)."""
    for agent in list(graph.objects(ds, DCTERMS.publisher)):
        rows = store.query(
            f"SELECT ?name WHERE {{ {values_block({'a': agent})} ?a <{FOAF.name}> ?name }}"
        ).rows
        for row in rows:
            graph.add((agent, FOAF.name, row["name"]))


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
