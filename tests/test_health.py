from service.loader import data_version


def test_health_reports_store_triples_and_data_version(client, store):
    body = client.get("/health").get_json()
    assert body["status"] == "ok" and body["store"] == "embedded"
    assert body["triples"] == len(store.ox) > 1000  # quads in every named graph
    assert body["data_version"] == data_version(store_files(client))


def store_files(client):
    return client.application.config["DATA_FILES"]


def test_the_start_page_links_to_every_surface_and_each_link_works(client):
    page = client.get("/?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    links = client.get("/", headers={"Accept": "application/json"}).get_json()["links"]
    assert len(links) >= 8
    for link in links:
        assert f'href="{link["href"]}"' in page
        assert client.get(link["href"]).status_code == 200, link["href"]
