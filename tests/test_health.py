import pyoxigraph as ox
from rdflib import Graph

from service.loader import data_version


def test_health_reports_the_store_kind_and_data_version(client):
    body = client.get("/health").get_json()
    assert body["status"] == "ok" and body["store"] == "embedded"
    assert body["data_version"] == data_version(store_files(client))


def test_health_counts_the_triples_in_the_store_now(client, store):
    parsed = Graph()  # counted without the store: rdflib parses the files itself
    for path in store_files(client):
        parsed.parse(path)
    assert client.get("/health").get_json()["triples"] == len(parsed) > 1000
    extra = ox.Quad(ox.NamedNode("urn:newborn-kg:test"), ox.NamedNode("urn:p"), ox.Literal("x"))
    store.ox.add(extra)
    try:
        assert client.get("/health").get_json()["triples"] == len(parsed) + 1
    finally:
        store.ox.remove(extra)
    assert client.get("/health").get_json()["triples"] == len(parsed)


def store_files(client):
    return client.application.config["DATA_FILES"]


def test_the_start_page_links_to_every_surface_and_each_link_works(client):
    page = client.get("/?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    links = client.get("/", headers={"Accept": "application/json"}).get_json()["links"]
    assert len(links) >= 8
    for link in links:
        assert f'href="{link["href"]}"' in page
        assert client.get(link["href"]).status_code == 200, link["href"]
