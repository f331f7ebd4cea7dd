"""Dereferenceable IRIs over HTTP: every subject in five formats, negotiation, dataset, dumps."""

import gzip
import json
import urllib.request

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDFS, VOID

from .conftest import shared_path

BASE = "https://w3id.org/newborn-kg/"
FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def fetch(url, accept=None, headers=None):
    request = urllib.request.Request(
        url, headers={**({"Accept": accept} if accept else {}), **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def subjects(store):
    rows = store.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}'
    ).rows
    return sorted(str(r["s"]) for r in rows)


def test_every_subject_dereferences_in_all_five_formats(live_server, subjects):
    assert len(subjects) > 90
    for iri in subjects:
        path = iri[len(BASE) - 1 :]
        for mime, parser in FORMATS.items():
            status, headers, body = fetch(live_server.url + path, mime)
            assert status == 200 and headers["Content-Type"].startswith(mime), (iri, mime)
            graph = Graph().parse(data=body, format=parser)
            assert (URIRef(iri), None, None) in graph, (iri, mime)
            assert headers["Vary"] and "Accept" in headers["Vary"]
            assert headers["Content-Location"].startswith(path + ".")
        status, headers, body = fetch(live_server.url + path, "text/html")
        assert status == 200 and b"<html" in body and iri.encode() in body


def test_rdflib_dereferences_like_a_real_client(live_server):
    graph = Graph().parse(
        f"{live_server.url}/id/region/410000/v1/service/newborn-medical-insurance-card/step/3"
    )
    step = URIRef(f"{BASE}id/region/410000/v1/service/newborn-medical-insurance-card/step/3")
    assert (
        step,
        RDFS.label,
        Literal("第3步：到中国邮政储蓄银行开户并申领参保卡", lang="zh"),
    ) in graph
    assert (
        URIRef(f"{BASE}id/region/410000/v1/service/newborn-medical-insurance-card/step/2"),
        URIRef(f"{BASE}ontology#nextStep"),
        step,
    ) in graph, "incoming links"
    office = URIRef(f"{BASE}id/region/410000/office/postal-savings-bank")
    assert (office, RDFS.label, Literal("Postal Savings Bank of China", lang="en")) in graph, (
        "neighbour labels"
    )


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
        ("*/*", "text/turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/rdf+xml, application/n-triples;q=0.1", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("text/*", "text/turtle"),
        ("application/json;q=0.2, application/ld+json", "application/ld+json"),
    ],
)
def test_content_negotiation(client, accept, expected):
    response = client.get("/id/document/one-inch-photo", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == expected


def test_unavailable_type_is_406_listing_what_is_available(client):
    response = client.get(
        "/id/region/410000/v1/service/newborn-medical-insurance-card/step/1",
        headers={"Accept": "image/png, application/pdf"},
    )
    assert response.status_code == 406
    assert "text/turtle" in response.get_json()["error"]["allowed"]


@pytest.mark.parametrize(
    "suffix, mime",
    [
        (".ttl", "text/turtle"),
        (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"),
        (".rdf", "application/rdf+xml"),
        (".html", "text/html"),
        ("?format=jsonld", "application/ld+json"),
        ("?format=ttl", "text/turtle"),
    ],
)
def test_extension_and_format_override_accept(client, suffix, mime):
    response = client.get(
        f"/id/region/410000/v1/rule/birth-registration-deadline{suffix}",
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 200 and response.mimetype == mime


def test_etag_and_last_modified_give_304(client):
    first = client.get("/id/region/410000/v1/service/newborn-medical-insurance-card/step/1.ttl")
    assert (
        client.get(
            "/id/region/410000/v1/service/newborn-medical-insurance-card/step/1.ttl",
            headers={"If-None-Match": first.headers["ETag"]},
        ).status_code
        == 304
    )
    since = client.get(
        "/id/region/410000/v1/service/newborn-medical-insurance-card/step/1.ttl",
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert since.status_code == 304


def test_unknown_iris_are_404_json_or_html(client):
    data = client.get("/id/step/99")
    assert data.status_code == 404 and data.get_json()["error"]["status"] == 404
    page = client.get("/id/step/99", headers={"Accept": "text/html"})
    assert page.status_code == 404 and b"step/99" in page.data
    for path in [
        "/id/../../etc/passwd",
        "/id/%00",
        "/id/region/410000/v1/service/newborn-medical-insurance-card/step/1.exe",
        "/id/" + "x" * 3000,
        "/ontology.exe",
    ]:
        assert client.get(path).status_code == 404, path


def test_html_renders_both_languages_with_alternates_and_json_ld(client, store):
    zh = client.get(
        "/id/law/household-registration-regulations/article/7?lang=zh",
        headers={"Accept": "text/html"},
    )
    en = client.get(
        "/id/law/household-registration-regulations/article/7?lang=en",
        headers={"Accept": "text/html"},
    )
    zh_text, en_text = zh.get_data(as_text=True), en.get_data(as_text=True)
    assert '<html lang="zh-CN">' in zh_text and "<h1>户口登记条例第七条</h1>" in zh_text
    assert (
        '<html lang="en">' in en_text
        and "<h1>Household Registration Regulations, Article 7</h1>" in en_text
    )
    for text in (zh_text, en_text):
        assert (
            "婴儿出生后一个月以内" in text and "Within one month after the baby is born" in text
        ), "legal text"
        for mime in FORMATS:
            assert f'type="{mime}"' in text
    script = en_text.split('<script type="application/ld+json">')[1].split("</script>")[0]
    embedded = Graph().parse(data=script, format="json-ld")
    turtle = Graph().parse(
        data=client.get("/id/law/household-registration-regulations/article/7.ttl").data,
        format="turtle",
    )
    assert isomorphic(embedded, turtle)


def test_ontology_page_lists_every_term_with_both_labels(client, store):
    page = client.get("/ontology?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    rows = store.query("""SELECT ?t ?zh ?en WHERE { ?t <http://www.w3.org/2000/01/rdf-schema#label> ?zh, ?en
        FILTER(STRSTARTS(STR(?t), "https://w3id.org/newborn-kg/ontology#") && lang(?zh) = "zh" && lang(?en) = "en") }""").rows
    assert len(rows) > 30
    for row in rows:
        anchor = str(row["t"]).rsplit("#", 1)[1]
        assert f'id="{anchor}"' in page and str(row["zh"]) in page and str(row["en"]) in page
    turtle = Graph().parse(data=client.get("/ontology.ttl").data, format="turtle")
    assert (
        URIRef(f"{BASE}ontology#Step"),
        RDFS.subClassOf,
        URIRef("https://schema.org/HowToStep"),
    ) in turtle


def test_void_and_dcat_describe_the_dataset(client, store):
    for path in ("/.well-known/void", "/dataset"):
        graph = Graph().parse(
            data=client.get(path, headers={"Accept": "text/turtle"}).data, format="turtle"
        )
        ds = URIRef(f"{BASE}id/dataset")
        assert int(graph.value(ds, VOID.triples)) == store.triple_count()
        assert graph.value(ds, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")
        dumps = set(graph.objects(ds, VOID.dataDump))
        assert dumps == {URIRef(f"{BASE}dump.{e}") for e in ("ttl", "nt", "jsonld", "nq", "trig")}
        assert int(graph.value(ds, VOID.classes)) > 10
        assert graph.value(ds, URIRef("http://purl.org/dc/terms/license")) is not None
        linksets = list(graph.objects(ds, VOID.subset))
        assert len(linksets) == 1 and graph.value(linksets[0], VOID.linkPredicate) == OWL.sameAs
        assert int(graph.value(linksets[0], VOID.triples)) == 2


@pytest.mark.parametrize("ext, parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_dumps_hold_the_whole_graph_gzipped_when_asked(live_server, store, ext, parser):
    status, headers, body = fetch(
        f"{live_server.url}/dump.{ext}", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    graph = Graph().parse(data=gzip.decompress(body), format=parser)
    assert len(graph) == store.triple_count()
    status, headers, plain = fetch(f"{live_server.url}/dump.{ext}")
    assert "Content-Encoding" not in headers and plain == gzip.decompress(body)


@pytest.mark.parametrize("ext, parser", [("nq", "nquads"), ("trig", "trig")])
def test_quad_dumps_keep_the_named_graphs(client, store, ext, parser):
    dataset = Dataset().parse(data=client.get(f"/dump.{ext}").data, format=parser)
    graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert set(graphs) == {f"{BASE}ontology", f"{BASE}id/region/410000/v1"}
    assert sum(graphs.values()) == store.triple_count()


def test_dataset_conforms_to_the_official_dcat_ap_shapes(client):
    from pyshacl import validate

    shapes = Graph().parse(shared_path("conformance", "dcat-ap-3.0.0-SHACL.ttl"))
    served = Graph().parse(
        data=client.get("/dataset", headers={"Accept": "text/turtle"}).data, format="turtle"
    )
    conforms, _, text = validate(served, shacl_graph=shapes, inference="none")
    assert conforms, text


def test_json_ld_is_compact(client):
    body = json.loads(
        client.get("/id/region/410000/v1/service/newborn-medical-insurance-card/step/1.jsonld").data
    )
    assert set(body["@context"]) >= {"nkg", "rdfs", "skos", "cpsv"}
