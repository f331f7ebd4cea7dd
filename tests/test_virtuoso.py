"""The whole service on a real Virtuoso (STORE=sparql): loaded with `newborn-kg load`, answering
exactly like the embedded store, and confined to its graph in a store that holds others."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import JSON, SPARQLWrapper

from service import create_app
from service.canned import open_canned
from service.config import PROJECT_ROOT, load_config
from service.qa.asker import Asker
from service.qa.cases import load_cases

from .conftest import LiveServer
from .iris import CARD
from .virtuoso import BINARY, GRAPH, MISSING, Virtuoso

pytestmark = pytest.mark.skipif(BINARY is None, reason=MISSING)
ID = "https://w3id.org/newborn-kg/id/"
CANARY = "CANARY-5f1d3b"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    server.upload(load_config(environ={})["DATA_FILES"])
    server.add_canary(CANARY)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def remote_config(virtuoso):
    return {"TESTING": True, "STORE": "sparql", "ENDPOINT": virtuoso.endpoint, "GRAPH": GRAPH}


@pytest.fixture(scope="module")
def remote_app(remote_config):
    return create_app(remote_config)


def rows(answer):
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in answer.rows)


def test_the_remote_store_sees_the_same_graph(remote_app, store):
    health = remote_app.test_client().get("/health").get_json()
    assert health["status"] == "ok" and health["store"] == "sparql"
    assert health["triples"] == store.triple_count()


def test_loading_again_replaces_the_graph_instead_of_adding(virtuoso, store):
    assert virtuoso.upload(load_config(environ={})["DATA_FILES"]) == store.triple_count()
    count = virtuoso.isql(f"SPARQL SELECT COUNT(*) FROM <{GRAPH}> WHERE {{ ?s ?p ?o }};")
    assert str(store.triple_count()) in count
    graphs = virtuoso.isql("SPARQL SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } };")
    assert "urn:newborn-kg:staging" not in graphs


def test_every_canned_query_answers_the_same_as_embedded(remote_config, store):
    local = open_canned(load_config(environ={}), store)
    remote = open_canned(load_config(remote_config, environ={}))
    for name, query in local.catalog.items():
        params = {p.name: p.example for p in query.params}
        for lang in ("zh", "en"):
            mine, theirs = local.answer(name, params, lang), remote.answer(name, params, lang)
            assert theirs.columns == mine.columns, name
            assert rows(theirs) == rows(mine), (name, lang)
    deadline = remote.answer("birth-registration", {}, "en").rows[0]["deadline"]["value"]
    assert deadline == "P1M"


def test_every_value_of_every_parameter_answers_the_same(remote_config, store):
    local = open_canned(load_config(environ={}), store)
    remote = open_canned(load_config(remote_config, environ={}))
    for name, query in local.catalog.items():
        for param in query.params:
            for value in local.index.short_names(param.classes).values():
                for lang in ("zh", "en"):
                    mine = local.answer(name, {param.name: value}, lang)
                    theirs = remote.answer(name, {param.name: value}, lang)
                    assert rows(theirs) == rows(mine), (name, value, lang)


def test_the_whole_evaluation_set_is_answered_the_same(remote_app, app):
    mine, theirs = app.extensions["newborn_kg.asker"], remote_app.extensions["newborn_kg.asker"]
    assert isinstance(theirs, Asker)
    cases = load_cases(PROJECT_ROOT / "tests" / "qa_eval.yaml")
    assert len(cases) > 100
    for case in cases:
        assert theirs.ask(case["q"]) == mine.ask(case["q"]), case["q"]


# Ad-hoc queries beside the canned ones: ASK, CONSTRUCT, aggregates, paths, typed values. (Not
# DESCRIBE: SPARQL leaves its triples to the store; Virtuoso adds incoming ones. /id/… uses a
# CONSTRUCT of its own, which the linked-data test covers.)
AD_HOC = [
    "ASK { ?s a <https://w3id.org/newborn-kg/ontology#Step> }",
    "ASK { ?s a <https://example.org/Nothing> }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type",
    "SELECT ?s ?position WHERE { ?s <https://w3id.org/newborn-kg/ontology#position> ?position }",
    "SELECT ?later WHERE { <https://w3id.org/newborn-kg/id/region/410000/v1/service/newborn-medical-insurance-card/step/1> "
    "<https://w3id.org/newborn-kg/ontology#nextStep>+ ?later }",
    "SELECT ?o WHERE { ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?o } LIMIT 1000",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/newborn-kg/ontology#Step> ; ?p ?o }",
]


def canonical(response):
    """A response body in an order-free form: sorted rows, lines or triples."""
    mime = response.mimetype
    if mime == "application/sparql-results+json":
        body = response.get_json()
        if "boolean" in body:
            return body["boolean"]
        rows = body["results"]["bindings"]
        return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)
    if mime in ("text/csv", "text/tab-separated-values"):
        return sorted(response.data.splitlines())
    graph = Graph().parse(data=response.data, format="turtle")
    return sorted(graph.serialize(format="nt").splitlines())


def test_the_endpoint_answers_the_same_on_both_stores(remote_app, app, store):
    canned = open_canned(load_config(environ={}), store)
    queries = [
        canned.answer(name, {p.name: p.example for p in query.params}, lang).sparql
        for name, query in canned.catalog.items()
        for lang in ("zh", "en")
    ]
    ours, theirs = app.test_client(), remote_app.test_client()
    for sparql in [*queries, *AD_HOC]:
        graph_form = sparql.lstrip().startswith(("CONSTRUCT", "DESCRIBE"))
        formats = ("turtle",) if graph_form else ("json", "csv", "tsv")
        if sparql.startswith("ASK"):
            formats = ("json",)
        for fmt in formats:
            a = ours.get("/sparql", query_string={"query": sparql, "format": fmt})
            b = theirs.get("/sparql", query_string={"query": sparql, "format": fmt})
            assert a.status_code == b.status_code == 200, (sparql, fmt, b.data[:200])
            assert canonical(b) == canonical(a), (sparql, fmt)


def test_max_rows_truncates_like_the_embedded_store(remote_config, store):
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    remote = open_canned(load_config(remote_config, environ={})).store
    assert remote.query(everything, max_rows=25).rows.__len__() == 25
    assert remote.query(everything, max_rows=25).truncated is True
    assert remote.query(everything).truncated is False
    capped = create_app({**remote_config, "MAX_ROWS": 25}).test_client()
    embedded = create_app({"TESTING": True, "MAX_ROWS": 25}, store=store).test_client()
    for client in (capped, embedded):
        response = client.get("/sparql", query_string={"query": everything, "format": "json"})
        assert len(response.get_json()["results"]["bindings"]) == 25
        assert response.headers["X-Truncated"] == "true"


def test_linked_data_dereferences_through_virtuoso(remote_app):
    response = remote_app.test_client().get(
        "/id/region/410000/v1/service/newborn-medical-insurance-card/step/3",
        headers={"Accept": "text/turtle"},
    )
    graph = Graph().parse(data=response.data, format="turtle")
    assert response.status_code == 200
    assert (
        URIRef(f"{CARD}step/2"),
        URIRef("https://w3id.org/newborn-kg/ontology#nextStep"),
        URIRef(f"{CARD}step/3"),
    ) in graph


def test_every_resource_dereferences_the_same(remote_app, app):
    from rdflib.compare import to_isomorphic

    ours, theirs = app.test_client(), remote_app.test_client()
    iris = sorted(i for i in app.extensions["newborn_kg.canned"].index.labels if i.startswith(ID))
    assert len(iris) >= 100
    for iri in iris:
        path = "/id/" + iri.removeprefix(ID)
        a = ours.get(path, headers={"Accept": "application/n-triples"})
        b = theirs.get(path, headers={"Accept": "application/n-triples"})
        assert a.status_code == b.status_code == 200, path
        left = to_isomorphic(Graph().parse(data=a.data, format="nt"))
        right = to_isomorphic(Graph().parse(data=b.data, format="nt"))
        assert left == right, path  # no exception: the deadline is OWL-Time, not xsd:duration


# Each tries to read the canary graph (or Virtuoso's own graphs) some other way.
LEAKS = [
    ("SELECT * { GRAPH ?g { ?s ?p ?o } }", {}),
    ("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", {}),
    ("SELECT * { GRAPH <urn:canary> { ?s ?p ?o } }", {}),
    ("SELECT * { ?s ?p ?o FILTER(isLiteral(?o) && CONTAINS(STR(?o), 'CANARY')) }", {}),
    ("SELECT * { { SELECT * FROM <urn:canary> { ?s ?p ?o } } }", {}),
    ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
    ("DESCRIBE <urn:canary:s>", {}),
    ("SELECT * { <urn:canary:s> ?p ?o }", {}),
    ("SELECT * { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": "urn:canary"}),
    ("SELECT * { ?s ?p ?o }", {"default-graph-uri": "urn:canary"}),
    ("SELECT * { ?s ?p ?o }", {"default-graph-uri": GRAPH, "named-graph-uri": "urn:canary"}),
    ("SELECT * FROM <urn:canary> { ?s ?p ?o }", {}),
    ("SELECT * FROM NAMED <urn:canary> { GRAPH ?g { ?s ?p ?o } }", {}),
    ("DEFINE input:default-graph-uri <urn:canary> SELECT * { ?s ?p ?o }", {}),
    ('SELECT * { ?s ?p ?o . ?o bif:contains "CANARY" }', {}),
    ("SELECT (<bif:sprintf>('%s', ?o) AS ?x) { GRAPH ?g { ?s ?p ?o } }", {}),
    ("PREFIX b: <bif:> SELECT (b:sprintf('%s', ?o) AS ?x) { ?s ?p ?o }", {}),
    ("SELECT * { GRAPH ?g { ?s ?p ?o } }", {"default-graph-uri": GRAPH}),
]


@pytest.mark.parametrize("query, dataset", LEAKS)
def test_the_canary_graph_never_shows(remote_app, virtuoso, query, dataset):
    response = remote_app.test_client().get(
        "/sparql", query_string={"query": query, **dataset, "format": "json"}
    )
    assert response.status_code in (200, 400, 403), response.data
    assert CANARY not in response.get_data(as_text=True)
    assert "urn:canary" not in response.get_data(as_text=True) or response.status_code == 403
    if response.status_code == 200 and "GRAPH ?g" in query:
        graphs = {row["g"]["value"] for row in response.get_json()["results"]["bindings"]}
        assert graphs <= {GRAPH}, graphs


def test_the_canary_is_really_there(virtuoso):
    found = SPARQLWrapper(virtuoso.endpoint)
    found.setQuery("SELECT ?o { GRAPH <urn:canary> { ?s ?p ?o } }")
    found.setReturnFormat(JSON)
    assert [r["o"]["value"] for r in found.query().convert()["results"]["bindings"]] == [CANARY]


def test_the_endpoint_passes_queries_through_with_the_same_guards(remote_app, virtuoso, store):
    with LiveServer(remote_app) as server:
        wrapper = SPARQLWrapper(f"{server.url}/sparql")
        wrapper.setQuery(
            "SELECT ?s WHERE { ?s a <https://w3id.org/newborn-kg/ontology#Step> } ORDER BY ?s"
        )
        wrapper.setReturnFormat(JSON)
        rows = wrapper.query().convert()["results"]["bindings"]
        assert [r["s"]["value"] for r in rows] == [f"{CARD}step/{n}" for n in (1, 2, 3, 4)]
        refused = [
            "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
            "SELECT * FROM <http://127.0.0.1:1/x> WHERE { ?s ?p ?o }",
            "INSERT DATA { GRAPH <https://w3id.org/newborn-kg/graph> { <urn:x> <urn:y> <urn:z> } }",
            'DEFINE get:soft "replace" SELECT * FROM <http://127.0.0.1:1/x> WHERE { ?s ?p ?o }',
        ]
        for query in refused:
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(
                    f"{server.url}/sparql?" + urllib.parse.urlencode({"query": query}), timeout=10
                )
            assert 400 <= info.value.code < 500
    count = virtuoso.isql(f"SPARQL SELECT COUNT(*) FROM <{GRAPH}> WHERE {{ ?s ?p ?o }};")
    assert str(store.triple_count()) in count


def test_ask_answers_true_and_false_through_virtuoso(virtuoso):
    from service.remote import SparqlStore

    remote = SparqlStore(virtuoso.endpoint, [GRAPH])
    assert (
        remote.query("ASK WHERE { ?s a <https://w3id.org/newborn-kg/ontology#Step> }").boolean
        is True
    )
    assert remote.query("ASK WHERE { ?s a <https://example.org/Nothing> }").boolean is False


def test_the_load_command_says_clearly_when_the_store_refuses(virtuoso, store):
    from click.testing import CliRunner

    from service.cli import main

    def load(*extra, password="dba"):
        args = ["load", "--endpoint", virtuoso.update, "--graph", GRAPH, "--user", "dba"]
        args += ["--password-env", "VIRTUOSO_TEST_PASSWORD", *extra]
        return CliRunner().invoke(main, args, env={"VIRTUOSO_TEST_PASSWORD": password})

    wrong = load("--gsp", virtuoso.gsp, password="not-the-password")
    assert wrong.exit_code == 1 and "refused (401)" in wrong.output
    # SPARQL Update works too now that the data holds no xsd:duration (Virtuoso refused it)
    update = load()
    assert update.exit_code == 0, update.output
    done = load("--gsp", virtuoso.gsp)
    assert done.exit_code == 0, done.output
    assert f"{store.triple_count()} triples now in <{GRAPH}>" in done.output
    count = virtuoso.isql(f"SPARQL SELECT COUNT(*) FROM <{GRAPH}> WHERE {{ ?s ?p ?o }};")
    assert str(store.triple_count()) in count
    assert "urn:newborn-kg:staging" not in virtuoso.isql(
        "SPARQL SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } };"
    )


def test_the_guide_reads_the_same_through_virtuoso(remote_app, app):
    for lang in ("zh", "en"):
        mine = app.extensions["newborn_kg.guides"][lang]
        theirs = remote_app.extensions["newborn_kg.guides"][lang]
        for key in ("steps", "channels", "checklist", "laws", "registration", "source"):
            assert theirs[key] == mine[key], (lang, key)
        assert theirs["flow"] == mine["flow"]
        # the deadline comes from OWL-Time, which every store returns faithfully
        assert mine["deadline"] == theirs["deadline"] and mine["deadline"].duration == "P1M"
    ours = app.test_client().get("/api/deadline?birth=2024-01-31").get_json()
    response = remote_app.test_client().get("/api/deadline?birth=2024-01-31")
    assert response.status_code == 200 and response.get_json() == ours
    assert 'id="birth"' in remote_app.test_client().get("/").get_data(as_text=True)
