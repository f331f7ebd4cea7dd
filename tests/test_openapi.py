from openapi_spec_validator import validate


def test_openapi_document_validates(client):
    validate(client.get("/openapi.json").get_json())


def test_every_query_and_param_is_documented(client, app):
    spec = client.get("/openapi.json?lang=en").get_json()
    catalog = app.extensions["newborn_kg.canned"].catalog
    for name, query in catalog.items():
        operation = spec["paths"].get(f"/api/queries/{name}", {}).get("get")
        assert operation, f"{name} is missing from /openapi.json"
        assert operation["summary"] == query.summary["en"]
        documented = {p["name"]: p for p in operation["parameters"]}
        for param in query.params:
            assert param.name in documented
            assert documented[param.name]["schema"]["enum"], f"{name}.{param.name} has no enum"
        assert {"lang", "format", "limit", "offset"} <= set(documented)
        assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


def test_step_enum_is_the_step_numbers(client):
    spec = client.get("/openapi.json").get_json()
    params = spec["paths"]["/api/queries/step-documents"]["get"]["parameters"]
    assert params[0]["schema"]["enum"] == ["1", "2", "3", "4"]
