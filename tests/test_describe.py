"""Resource, ontology and dataset descriptions on a small store."""

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, VOID

from service.describe import dataset, describe, described, ontology, valid_iri
from service.store import EmbeddedStore

BASE = "https://w3id.org/newborn-kg/"
TTL = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix nkg: <{BASE}ontology#> .
<{BASE}id/step/1> a nkg:Step ; rdfs:label "第一步"@zh ; nkg:next <{BASE}id/step/2> .
<{BASE}id/step/2> a nkg:Step ; rdfs:label "Step 2"@en ; rdfs:comment "x"^^<http://www.w3.org/2001/XMLSchema#string> .
<{BASE}id/step/0> nkg:next <{BASE}id/step/1> .
<{BASE}id/step/1> owl:sameAs <http://www.wikidata.org/entity/Q1> .
nkg:Step a owl:Class ; rdfs:label "Step"@en .
<{BASE}id/dataset> rdfs:label "the dataset"@en .
"""


@pytest.fixture(scope="module")
def small():
    store = ox.Store()
    store.load(TTL.encode(), format=ox.RdfFormat.TURTLE)
    return EmbeddedStore([], store=store)


def test_describe_gives_own_triples_incoming_links_and_neighbour_labels(small):
    one = URIRef(BASE + "id/step/1")
    graph = describe(small, str(one))
    assert (one, RDFS.label, Literal("第一步", lang="zh")) in graph
    assert (URIRef(BASE + "id/step/0"), None, one) in graph
    assert (URIRef(BASE + "id/step/2"), RDFS.label, Literal("Step 2", lang="en")) in graph
    assert graph.namespace_manager.store.namespace("nkg") is not None


def test_described_is_none_for_unknown_or_impossible_iris(small):
    assert described(small, BASE + "id/step/9") is None
    assert described(small, BASE + "id/step/0") is not None  # has triples as subject
    assert described(small, BASE + "id/step/1> } #") is None


def test_xsd_string_literals_come_out_plain(small):
    graph = describe(small, BASE + "id/step/2")
    assert (URIRef(BASE + "id/step/2"), RDFS.comment, Literal("x")) in graph


@pytest.mark.parametrize(
    "iri, ok", [("urn:x", True), ("a b", False), ('a"b', False), ("x" * 2001, False)]
)
def test_valid_iri(iri, ok):
    assert valid_iri(iri) is ok


def test_ontology_keeps_only_our_terms(small):
    subjects = {str(s) for s in ontology(small).subjects()}
    assert subjects == {BASE + "ontology#Step"}


def test_dataset_counts_what_the_store_holds(small):
    ds = URIRef(BASE + "id/dataset")
    graph = dataset(small, BASE)
    assert int(graph.value(ds, VOID.triples)) == small.triple_count() == len(small.ox)
    assert int(graph.value(ds, VOID.classes)) == 2  # nkg:Step and owl:Class
    assert graph.value(ds, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    linkset = graph.value(ds, VOID.subset)
    assert int(graph.value(linkset, VOID.triples)) == 1
    assert len(list(graph.objects(ds, VOID.dataDump))) == 3


def test_service_description_names_every_format_we_serve_and_the_limits():
    from rdflib.namespace import RDFS

    from service.describe import SD, W3C_FORMAT_NAMES, service_description
    from service.formats import RDF_FORMATS, RESULT_FORMATS

    assert set(W3C_FORMAT_NAMES) == set(RESULT_FORMATS) | set(RDF_FORMATS)
    graph = service_description(BASE, 1461, 2.5, 100)
    service = URIRef(BASE + "sparql")
    assert len(list(graph.objects(service, SD.resultFormat))) == 8
    default = graph.value(graph.value(service, SD.defaultDataset), SD.defaultGraph)
    assert int(graph.value(default, VOID.triples)) == 1461
    assert "deadline 2.5 s" in str(graph.value(service, RDFS.comment))


def test_the_endpoint_serves_the_same_description(client, app, store):
    """sparql.py builds its own today; this pins the two together until it calls describe."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from service.describe import service_description

    body = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    config = app.config
    expected = service_description(
        config["BASE_URI"], store.triple_count(), config["QUERY_TIMEOUT"], config["MAX_ROWS"]
    )
    assert isomorphic(Graph().parse(data=body, format="turtle"), expected)
