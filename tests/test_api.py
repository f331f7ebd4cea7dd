"""The HTTP surface of the canned queries: catalog, formats, languages, caching, CORS, paging."""

import csv
import io

import pytest

from .iris import CARD

ID = "https://w3id.org/newborn-kg/id/"


def test_catalog_lists_every_query_in_the_requested_language(client, app):
    body = client.get("/api/queries?lang=en").get_json()
    names = [q["name"] for q in body["queries"]]
    assert names == sorted(app.extensions["newborn_kg.canned"].catalog) and len(names) >= 15
    entry = next(q for q in body["queries"] if q["name"] == "step-documents")
    assert entry["summary"] == "The documents a step needs"
    assert entry["params"][0]["name"] == "step" and entry["params"][0]["example"] == "3"
    assert entry["params"][0]["allowed"][0].startswith("1 (Step 1:")
    zh = client.get("/api/queries", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_json()
    assert zh["lang"] == "zh" and zh["queries"][0]["summary"] != body["queries"][0]["summary"]


def test_answer_shape(client):
    response = client.get("/api/queries/step-documents?step=3&lang=en")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) >= {"query", "params", "lang", "columns", "rows", "total", "data_version"}
    assert body["params"] == {"step": f"{CARD}step/3"} and body["lang"] == "en"
    assert body["total"] == len(body["rows"]) == 2
    first = body["rows"][0]["document"]
    assert set(first) == {"value", "label", "type"} and first["type"] == "uri"
    assert "VALUES (?step ?lang)" in body["sparql"]


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR, en;q=0.5", "en"),
        ("fr", "zh"),
    ],
)
def test_language_from_accept_language(client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    query = "" if accept else "?lang=en"
    response = client.get(f"/api/queries/steps{query}", headers=headers)
    assert response.get_json()["lang"] == expected == response.headers["Content-Language"]


def test_lang_parameter_wins_and_is_validated(client):
    response = client.get("/api/queries/steps?lang=en", headers={"Accept-Language": "zh"})
    assert response.get_json()["lang"] == "en"
    bad = client.get("/api/queries/steps?lang=fr")
    assert bad.status_code == 400 and bad.get_json()["error"]["allowed"] == ["zh", "en"]


@pytest.mark.parametrize(
    "how, mimetype",
    [
        ({"headers": {"Accept": "text/csv"}}, "text/csv"),
        ({"query_string": {"format": "csv"}}, "text/csv"),
        ({"headers": {"Accept": "text/tab-separated-values"}}, "text/tab-separated-values"),
        (
            {"headers": {"Accept": "application/sparql-results+json"}},
            "application/sparql-results+json",
        ),
        ({"headers": {"Accept": "text/html;q=0.4, text/csv;q=0.5, */*;q=0.1"}}, "text/csv"),
        ({"headers": {"Accept": "text/html;q=0.9, text/csv;q=0.5, */*;q=0.1"}}, "text/html"),
        ({"headers": {"Accept": "*/*"}}, "application/json"),
    ],
)
def test_formats_by_accept_or_format(client, how, mimetype):
    query_string = {"step": "2", "lang": "en", **how.pop("query_string", {})}
    response = client.get("/api/queries/next-step", query_string=query_string, **how)
    assert response.status_code == 200 and response.mimetype == mimetype
    if mimetype == "text/csv":
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0] == [
            "next",
            "next_label",
            "position",
            "position_label",
            "office",
            "office_label",
        ]
        assert rows[1][:2] == [
            f"{CARD}step/3",
            "Step 3: open an account and apply for an insurance card at the Postal Savings Bank",
        ]
    if mimetype == "application/sparql-results+json":
        body = response.get_json()
        assert body["head"]["vars"] == ["next", "position", "office"]
        assert body["results"]["bindings"][0]["next"] == {
            "type": "uri",
            "value": f"{CARD}step/3",
        }


def test_unavailable_media_type_is_406_and_bad_format_400(client):
    response = client.get("/api/queries/steps", headers={"Accept": "image/png"})
    assert (
        response.status_code == 406
        and "application/json" in response.get_json()["error"]["allowed"]
    )
    assert client.get("/api/queries/steps?format=xml").status_code == 400


def test_etag_and_304(client):
    first = client.get("/api/queries/steps?lang=en")
    etag = first.headers["ETag"]
    again = client.get("/api/queries/steps?lang=en", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    other = client.get("/api/queries/steps?lang=zh")
    assert other.headers["ETag"] != etag
    assert (
        client.get("/api/queries/steps?lang=zh", headers={"If-None-Match": etag}).status_code == 200
    )
    assert "Accept-Language" in first.headers["Vary"] and "Accept" in first.headers["Vary"]


def test_same_entity_named_differently_shares_the_etag(client):
    a = client.get("/api/queries/step-documents?step=3&lang=en").headers["ETag"]
    b = client.get("/api/queries/step-documents?step=第三步&lang=en").headers["ETag"]
    assert a == b


def test_cors_and_preflight(client):
    assert client.get("/api/queries/steps").headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/queries/steps",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Accept-Language",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Accept-Language" in preflight.headers["Access-Control-Allow-Headers"]


def test_limit_offset_and_link_header(client):
    full = client.get("/api/queries/ambiguities?lang=en").get_json()
    page = client.get("/api/queries/ambiguities?lang=en&limit=5&offset=5")
    body = page.get_json()
    assert body["total"] == full["total"] > 10 and body["rows"] == full["rows"][5:10]
    assert page.headers["X-Total-Count"] == str(full["total"])
    link = page.headers["Link"]
    assert 'offset=10&limit=5>; rel="next"' in link and 'offset=0&limit=5>; rel="prev"' in link
    assert "Link" not in client.get("/api/queries/ambiguities?lang=en").headers
    for bad in ("limit=-1", "limit=abc", "offset=1e3", "limit=99999999"):
        assert client.get(f"/api/queries/ambiguities?{bad}").status_code == 400


def test_unknown_query_is_404_listing_the_names(client):
    response = client.get("/api/queries/no-such-query")
    assert response.status_code == 404
    assert "steps" in response.get_json()["error"]["allowed"]


def test_missing_and_invalid_params_are_400_naming_them(client):
    missing = client.get("/api/queries/step-documents").get_json()["error"]
    assert missing["status"] == 400 and missing["param"] == "step" and len(missing["allowed"]) == 4
    invalid = client.get("/api/queries/step-documents?step=9").get_json()["error"]
    assert invalid["param"] == "step" and "no match for '9'" in invalid["message"]
    unknown = client.get("/api/queries/steps?colour=red").get_json()["error"]
    assert unknown["param"] == "colour"
    twice = client.get("/api/queries/step-documents?step=1&step=2").get_json()["error"]
    assert twice["param"] == "step" and "2 times" in twice["message"]


def test_the_docs_page_lists_every_query_with_a_working_try_link(client, app):
    page = client.get("/api/docs?lang=en").get_data(as_text=True)
    for name in app.extensions["newborn_kg.canned"].catalog:
        assert f'<section id="{name}">' in page
    assert "cdn" not in page.lower()
    link = page.split('<section id="step-documents">')[1].split('<a href="')[1].split('"')[0]
    assert client.get(link.replace("&amp;", "&")).status_code == 200
