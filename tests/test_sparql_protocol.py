"""The W3C SPARQL 1.1 Protocol tests (../shared/conformance/w3c-sparql11-protocol) over HTTP."""

import http.client
import json
from urllib.parse import urlparse

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from service import create_app
from service.config import load_config
from service.loader import load_store
from service.store import EmbeddedStore

from .conftest import SHARED, LiveServer, shared_path

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
FOLDER = SHARED / "conformance" / "w3c-sparql11-protocol"
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json"},
}


def manifest_tests():
    if not (FOLDER / "manifest.ttl").exists():
        return []
    graph = Graph().parse(FOLDER / "manifest.ttl", format="turtle", publicID=f"file://{FOLDER}/")
    entries = Collection(
        graph,
        graph.value(predicate=RDF.type, object=MF.Manifest)
        and graph.value(graph.value(predicate=RDF.type, object=MF.Manifest), MF.entries),
    )
    tests = []
    for test in entries:
        action = graph.value(test, MF.action)
        requests = []
        for req in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            if graph.value(req, HT.headers):
                for h in Collection(graph, graph.value(req, HT.headers)):
                    headers[str(graph.value(h, HT.fieldName))] = str(graph.value(h, HT.fieldValue))
            body = graph.value(req, HT.body)
            resp = graph.value(req, HT.resp)
            requests.append(
                {
                    "method": str(graph.value(req, HT.methodName)),
                    "path": str(graph.value(req, HT.absolutePath)),
                    "headers": headers,
                    "body": str(graph.value(body, CNT.chars)) if body else None,
                    "statuses": {
                        str(s).rsplit("#", 1)[1] for s in graph.objects(resp, MF.expectedStatus)
                    },
                    "boolean": graph.value(resp, MF.expectedBoolean),
                    "format": str(graph.value(resp, MF.expectedFormat) or ""),
                }
            )
        data = [
            (str(graph.value(d, UT.graph)).rsplit("/", 1)[1], str(graph.value(d, RDFS.label)))
            for d in graph.objects(test, UT.graphData)
        ]
        tests.append(
            {
                "id": str(test).rsplit("#", 1)[1],
                "name": str(graph.value(test, MF.name)),
                "requests": requests,
                "data": data,
            }
        )
    return tests


TESTS = manifest_tests()


def is_update_feature(test):
    """Tests that expect an update to succeed; a read-only endpoint refuses them by design."""
    return test["id"].startswith("update_")


@pytest.fixture(scope="module")
def server():
    shared_path("conformance", "w3c-sparql11-protocol", "manifest.ttl")
    files = load_config(environ={})["DATA_FILES"]
    store = load_store(files)
    for name in ("data1.nt", "data2.nt", "data3.nt"):
        graph = ox.NamedNode(f"http://kasei.us/2009/09/sparql/data/{name.replace('.nt', '.rdf')}")
        for triple in ox.parse(path=str(FOLDER / name), format=ox.RdfFormat.N_TRIPLES):
            store.add(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    app = create_app({"TESTING": True}, store=EmbeddedStore(files, store=store))
    with LiveServer(app) as live:
        yield live


def test_the_manifest_has_34_tests_and_26_apply():
    shared_path("conformance", "w3c-sparql11-protocol", "manifest.ttl")
    assert len(TESTS) == 34
    assert len([t for t in TESTS if not is_update_feature(t)]) == 27  # 20 query + 7 refused updates


@pytest.mark.parametrize("test", TESTS, ids=[t["id"] for t in TESTS] or None)
def test_protocol(server, test):
    if is_update_feature(test):
        pytest.skip(
            "the endpoint is read-only: this test needs SPARQL Update to succeed; the 7 "
            "bad_update_* tests (4xx expected) run instead"
        )
    address = urlparse(server.url)
    for req in test["requests"]:
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=15)
        path = req["path"].replace("/sparql/", "/sparql/", 1)
        body = req["body"].encode("utf-8") if req["body"] is not None else None
        if "UTF-16" in req["headers"].get("content-type", ""):
            body = req["body"].encode("utf-16") if body else body
        conn.request(req["method"], path, body=body, headers=req["headers"])
        response = conn.getresponse()
        content = response.read()
        status_class = f"StatusCode{str(response.status)[0]}xx"
        assert status_class in req["statuses"], (test["name"], response.status, content[:200])
        assert response.status < 500
        mime = (response.getheader("Content-Type") or "").split(";")[0]
        if req["format"]:
            assert mime in FORMATS[req["format"]], (test["name"], mime)
        if req["boolean"] is not None:
            expected = req["boolean"].toPython()
            if mime.endswith("json"):
                assert json.loads(content)["boolean"] is expected
            else:
                assert f"<boolean>{str(expected).lower()}</boolean>".encode() in content
        conn.close()
