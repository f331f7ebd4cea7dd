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
        assert "text/html" in operation["responses"]["400"]["content"]  # the page with the form


def test_step_enum_is_the_step_numbers(client):
    spec = client.get("/openapi.json").get_json()
    params = spec["paths"]["/api/queries/step-documents"]["get"]["parameters"]
    assert params[0]["schema"]["enum"] == ["1", "2", "3", "4"]


def openapi_path(rule) -> str:
    """A werkzeug rule as an OpenAPI path: <path:path> → {path}."""
    text = rule.rule
    for argument in rule.arguments:
        text = text.replace(f"<path:{argument}>", f"{{{argument}}}").replace(
            f"<{argument}>", f"{{{argument}}}"
        )
    return text


def test_every_route_and_method_is_documented(client, app):
    spec = client.get("/openapi.json").get_json()
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "api.run":  # one documented path per canned query instead
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method.lower() not in spec["paths"].get(openapi_path(rule), {}):
                missing.append(f"{method} {rule.rule}")
    assert missing == [], f"undocumented in /openapi.json: {missing}"


def test_every_operation_documents_its_errors_in_the_error_shape(client):
    spec = client.get("/openapi.json").get_json()
    operations = [(p, m, op) for p, ops in spec["paths"].items() for m, op in ops.items()]
    assert len(operations) >= 30
    for path, method, op in operations:
        assert "200" in op["responses"], (path, method)
        assert "400" in op["responses"], (path, method)
        for code, response in op["responses"].items():
            if code.startswith("4") or code.startswith("5"):
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }, (path, method, code)
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids))
