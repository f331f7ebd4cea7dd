"""The /sparql endpoint: real clients, formats, read-only, no outbound calls, loud limits."""

import csv
import io
import json
import socket
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper

from service import create_app
from service.config import load_config

from .conftest import LiveServer, free_port, shared_path
from .iris import CARD
from .sparql_fixture import GRAPH, sparql_wsgi

STEPS = """PREFIX nkg: <https://w3id.org/newborn-kg/ontology#>
SELECT ?step ?position WHERE { ?step a nkg:Step ; nkg:position ?position } ORDER BY ?position"""
CONSTRUCT = """PREFIX nkg: <https://w3id.org/newborn-kg/ontology#>
CONSTRUCT { ?s nkg:position ?p } WHERE { ?s a nkg:Step ; nkg:position ?p }"""
ID = "https://w3id.org/newborn-kg/id/"


def client(url, fmt, query=STEPS):
    wrapper = SPARQLWrapper(f"{url}/sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(fmt)
    return wrapper.query()


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_round_trips(live_server, fmt):
    response = client(live_server.url, fmt)
    raw = response.response.read()
    if fmt == JSON:
        rows = [
            (b["step"]["value"], b["position"]["value"])
            for b in json.loads(raw)["results"]["bindings"]
        ]
    elif fmt == XML:
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        rows = [
            tuple(
                b.find("r:uri", ns).text
                if b.find("r:uri", ns) is not None
                else b.find("r:literal", ns).text
                for b in result.findall("r:binding", ns)
            )
            for result in ET.fromstring(raw).iter(f"{{{ns['r']}}}result")
        ]
    elif fmt == CSV:
        rows = [tuple(r) for r in list(csv.reader(io.StringIO(raw.decode())))[1:]]
    else:
        lines = raw.decode().strip().split("\n")
        assert lines[0] == "?step\t?position"
        rows = [
            (a.strip("<>"), b.split("^^")[0].strip('"'))
            for a, b in (line.split("\t") for line in lines[1:])
        ]
    assert rows == [(f"{CARD}step/{n}", str(n)) for n in (1, 2, 3, 4)]


@pytest.mark.parametrize("fmt, parser", [(TURTLE, "turtle"), (JSONLD, "json-ld"), (XML, "xml")])
def test_sparqlwrapper_construct_round_trips(live_server, fmt, parser):
    raw = client(live_server.url, fmt, CONSTRUCT).response.read()
    graph = Graph().parse(data=raw, format=parser)
    assert (
        len(graph) == 4
        and (
            URIRef(f"{CARD}step/4"),
            None,
            None,
        )
        in graph
    )


def test_rdflib_sparqlstore_as_a_client(live_server):
    graph = Graph(store=SPARQLStore(query_endpoint=f"{live_server.url}/sparql"))
    rows = list(graph.query(STEPS))
    assert [str(r.step) for r in rows] == [f"{CARD}step/{n}" for n in (1, 2, 3, 4)]
    assert bool(graph.query("ASK { ?s a <http://purl.org/vocab/cpsv#PublicService> }").askAnswer)


@pytest.mark.parametrize(
    "accept, mime",
    [
        (
            "application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.5",
            "application/sparql-results+xml",
        ),
        ("text/csv, */*;q=0.1", "text/csv"),
        ("*/*", "application/sparql-results+json"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_negotiation(client_app, accept, mime):
    response = client_app.get("/sparql", query_string={"query": STEPS}, headers={"Accept": accept})
    assert (
        response.status_code == 200
        and response.mimetype == mime
        and "Accept" in response.headers["Vary"]
    )


def test_construct_negotiation_and_format_override(client_app):
    turtle = client_app.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert turtle.mimetype == "text/turtle"
    nt = client_app.get(
        "/sparql",
        query_string={"query": CONSTRUCT, "format": "nt"},
        headers={"Accept": "text/turtle"},
    )
    assert (
        nt.mimetype == "application/n-triples"
        and len(Graph().parse(data=nt.data, format="nt")) == 4
    )
    refused = client_app.get(
        "/sparql",
        query_string={"query": CONSTRUCT},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert refused.status_code == 406 and "text/turtle" in refused.get_json()["error"]["allowed"]
    bad = client_app.get("/sparql", query_string={"query": STEPS, "format": "turtle"})
    assert bad.status_code == 400 and bad.get_json()["error"]["param"] == "format"


@pytest.fixture(scope="module")
def client_app(app):
    return app.test_client()


def test_service_description_and_query_page(client_app, app):
    sd = Graph().parse(
        data=client_app.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle"
    )
    assert (
        URIRef("https://w3id.org/newborn-kg/sparql"),
        URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"),
        None,
    ) in sd
    page = client_app.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"}).get_data(
        as_text=True
    )
    assert "/static/yasgui/yasgui.min.js" in page and "cdn" not in page.lower()
    for name in app.extensions["newborn_kg.canned"].catalog:
        assert f'"name": "{name}"' in page
    assert client_app.get("/static/yasgui/yasgui.min.js").status_code == 200


def test_cors_preflight_for_sparql_query(client_app):
    response = client_app.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


# ---------------------------------------------------------------- read-only, no outbound calls


class Listener:
    """A loopback TCP listener that counts the connections it receives."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self):
        self.sock.close()


UPDATES = [
    "INSERT DATA { <urn:x> <urn:y> <urn:z> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:{port}/data.ttl>",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    "DROP ALL",
    "DROP GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }",
    "\\u0049NSERT DATA { <urn:x> <urn:y> <urn:z> }",
]
SSRF = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\U00000053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:{port}/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o } # comment\nSERVICE",
    "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE <http://localhost:{port}/> { ?s ?p ?o } } }",
    "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "DESCRIBE <http://127.0.0.1:{port}/thing>",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://127.0.0.1:{port}/g> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("how", ["query", "update-get", "update-form", "direct"])
def test_updates_are_refused_and_change_nothing(live_server, store, how):
    listener = Listener()
    before = store.triple_count()
    try:
        for text in UPDATES:
            text = text.replace("{port}", str(listener.port))
            if how == "query":
                request = urllib.request.Request(
                    f"{live_server.url}/sparql?" + urllib.parse.urlencode({"query": text})
                )
            elif how == "update-get":
                request = urllib.request.Request(
                    f"{live_server.url}/sparql?" + urllib.parse.urlencode({"update": text})
                )
            elif how == "update-form":
                request = urllib.request.Request(
                    f"{live_server.url}/sparql",
                    data=urllib.parse.urlencode({"update": text}).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
            else:
                request = urllib.request.Request(
                    f"{live_server.url}/sparql",
                    data=text.encode(),
                    headers={"Content-Type": "application/sparql-update"},
                )
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(request, timeout=10)
            assert 400 <= info.value.code < 500, (text, info.value.code)
            assert json.loads(info.value.read())["error"]["status"] == info.value.code
        count = json.loads(
            urllib.request.urlopen(
                f"{live_server.url}/sparql?"
                + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}),
                timeout=10,
            ).read()
        )
        assert int(count["results"]["bindings"][0]["n"]["value"]) == before
        assert store.query("ASK { <urn:x> ?p ?o }").boolean is False
    finally:
        listener.close()
    assert listener.connections == 0


def test_ssrf_attempts_make_no_outbound_connection(live_server):
    listener = Listener()
    statuses = []
    try:
        for text in SSRF:
            text = text.replace("{port}", str(listener.port))
            url = f"{live_server.url}/sparql?" + urllib.parse.urlencode({"query": text})
            try:
                statuses.append(urllib.request.urlopen(url, timeout=15).status)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
        for params in (
            {"default-graph-uri": f"http://127.0.0.1:{listener.port}/g"},
            {"named-graph-uri": f"http://127.0.0.1:{listener.port}/g"},
            {"default-graph-uri": "file:///etc/passwd"},
        ):
            url = f"{live_server.url}/sparql?" + urllib.parse.urlencode(
                {"query": "SELECT * WHERE { ?s ?p ?o }", **params}
            )
            statuses.append(urllib.request.urlopen(url, timeout=15).status)
        time.sleep(0.5)  # give any stray connection time to arrive
    finally:
        listener.close()
    assert listener.connections == 0
    assert all(s < 500 for s in statuses), statuses
    assert statuses[:8] == [403, 403, 403, 400, 400, 403, 403, 403]


def test_negative_syntax_suite_is_refused_with_4xx(client_app):
    folder = shared_path("conformance", "w3c-sparql11-negative-syntax")
    files = sorted(folder.iterdir())
    assert len(files) >= 40
    for path in files:
        text = path.read_text(encoding="utf-8")
        response = client_app.post("/sparql", data=text, content_type="application/sparql-query")
        assert 400 <= response.status_code < 500, (path.name, response.status_code)
        if path.suffix == ".ru":
            assert response.status_code == 403


# ---------------------------------------------------------------- limits


@pytest.fixture(scope="module")
def strict(store):
    app = create_app(
        {
            "TESTING": True,
            "QUERY_TIMEOUT": 2,
            "MAX_ROWS": 5,
            "MAX_QUERY_LENGTH": 500,
            "MAX_REQUEST_BYTES": 4096,
        },
        store=store,
    )
    with LiveServer(app) as server:
        yield server


def get(url, query, timeout=30):
    started = time.monotonic()
    try:
        response = urllib.request.urlopen(
            f"{url}/sparql?" + urllib.parse.urlencode({"query": query}), timeout=timeout
        )
        status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read()
    return status, headers, body, time.monotonic() - started


# Oxigraph answers a lone (p|!p)* path over our graph in 0.1 s and its regex engine is linear
# (no catastrophic backtracking), so each pattern is run over a cross product to outlast the deadline.
PATHOLOGICAL = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:p>|!<urn:p>)* ?o . ?a (<urn:p>|!<urn:p>)* ?b }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
    'FILTER(REGEX(CONCAT(STR(?c), STR(?f), STR(?i)), "^(a+)+(b+)+$")) }',
]


@pytest.mark.parametrize("query", PATHOLOGICAL, ids=["cross-product", "any-path", "regex"])
def test_pathological_queries_are_stopped_at_the_deadline(strict, query):
    status, headers, body, took = get(strict.url, query)
    # the deadline is 2 s: a query still running then is killed and answered 503
    assert status == 503 and took < 2 + 1, (status, took)
    assert headers["Retry-After"] and json.loads(body)["error"]["status"] == 503
    status, _, _, took = get(strict.url, "ASK { ?s ?p ?o }")
    assert status == 200 and took < 1


def test_row_cap_is_flagged(strict):
    status, headers, body, _ = get(strict.url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200 and headers["X-Truncated"] == "true" and headers["X-Max-Rows"] == "5"
    assert len(json.loads(body)["results"]["bindings"]) == 5
    status, headers, _, _ = get(strict.url, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert "X-Truncated" not in headers


def test_query_length_and_body_caps(strict):
    status, _, body, _ = get(strict.url, "SELECT * WHERE { ?s ?p ?o } #" + "x" * 600)
    assert status == 400 and "at most 500" in json.loads(body)["error"]["message"]
    request = urllib.request.Request(
        f"{strict.url}/sparql",
        data=b"ASK {} #" + b"x" * 10000,
        headers={"Content-Type": "application/sparql-query"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 413 and json.loads(info.value.read())["error"]["status"] == 413


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 500 + "}" * 500,
        "SELECT * WHERE { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }",
        "SELECT * WHERE { ?s ?p '\\uD800' }",
        "SELECT * WHERE { ?s ?p '\\U00110000' }",
        "SELECT * WHERE { ?s ?p ?o ",
        "\x00",
        'SELECT * WHERE { ?s ?p "unterminated }',
    ],
)
def test_parser_breakers_get_400(strict, query):
    status, _, body, _ = get(strict.url, query)
    assert status == 400 and json.loads(body)["error"]["status"] == 400
    assert get(strict.url, "ASK {}")[0] == 200


# ---------------------------------------------------------------- the remote store


def test_the_endpoint_passes_queries_to_a_remote_store_with_the_same_guards():
    wsgi = sparql_wsgi(load_config(environ={})["DATA_FILES"])
    with LiveServer(wsgi) as remote:
        app = create_app(
            {"TESTING": True, "STORE": "sparql", "ENDPOINT": f"{remote.url}/sparql", "GRAPH": GRAPH}
        )
        with LiveServer(app) as server:
            status, _, body, _ = get(server.url, STEPS)
            assert status == 200
            assert [b["step"]["value"] for b in json.loads(body)["results"]["bindings"]] == [
                f"{CARD}step/{n}" for n in (1, 2, 3, 4)
            ]
            port = free_port()
            assert (
                get(
                    server.url,
                    f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                )[0]
                == 403
            )
            assert (
                get(server.url, "SELECT * FROM <http://127.0.0.1:1/x> WHERE { ?s ?p ?o }")[0] == 403
            )
            assert get(server.url, "CLEAR ALL")[0] == 403
    assert all("SERVICE" not in (form.get("query") or [""])[0] for form in wsgi.seen)
