from service.loader import data_version


def test_health_reports_store_triples_and_data_version(client, store):
    body = client.get("/health").get_json()
    assert body["status"] == "ok" and body["store"] == "embedded"
    assert body["triples"] == len(store.graph) > 1000
    assert body["data_version"] == data_version(store_files(client))


def store_files(client):
    return client.application.config["DATA_FILES"]
