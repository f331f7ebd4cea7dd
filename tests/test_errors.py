from flask import Flask

from service.errors import ApiError, error_body, register_error_handlers


def test_error_shape_is_pinned():
    assert error_body(400, "bad param", param="step") == {
        "error": {"status": 400, "message": "bad param", "param": "step"}
    }


def test_unknown_url_answers_in_the_error_shape(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == 404
    assert body["error"]["message"]


def test_wrong_method_answers_in_the_error_shape_with_allow(client):
    response = client.post("/health")
    assert response.status_code == 405
    assert response.get_json()["error"]["status"] == 405
    assert "GET" in response.headers["Allow"]


def test_api_error_carries_status_details_and_headers():
    app = Flask(__name__)
    register_error_handlers(app)

    @app.get("/boom")
    def boom():
        error = ApiError(503, "busy", retry_after=3)
        error.headers["Retry-After"] = "3"
        raise error

    response = app.test_client().get("/boom")
    assert response.status_code == 503
    assert response.get_json() == {"error": {"status": 503, "message": "busy", "retry_after": 3}}
    assert response.headers["Retry-After"] == "3"


def test_domain_errors_map_to_statuses_in_one_place():
    from service.errors import status_of
    from service.problems import NotAcceptable, NotAvailable, ParamError, Problem, UnknownQuery

    class Unlisted(UnknownQuery):
        pass

    assert status_of(ParamError("step", "is required")) == 400
    assert status_of(NotAvailable("no such format")) == 400
    assert status_of(UnknownQuery("no query")) == 404
    assert status_of(Unlisted("nearest ancestor wins")) == 404
    assert status_of(NotAcceptable("none fits")) == 406
    assert status_of(Problem("anything else")) == 400


def test_a_domain_error_renders_in_the_one_shape():
    from service.problems import ParamError

    app = Flask(__name__)
    register_error_handlers(app)

    @app.get("/boom")
    def boom():
        raise ParamError("step", "is required", ["1", "2"])

    response = app.test_client().get("/boom")
    assert response.status_code == 400
    assert response.get_json() == {
        "error": {
            "status": 400,
            "message": "parameter 'step': is required",
            "param": "step",
            "allowed": ["1", "2"],
        }
    }
