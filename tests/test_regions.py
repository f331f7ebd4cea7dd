"""The IRI scheme holds a second region: a synthetic variant loads beside Henan's graph."""

from __future__ import annotations

import pytest

from service.canned import open_canned
from service.config import load_config

from .conftest import ROOT
from .variant import HENAN_IRI, SYNTHETIC_IRI, to_henan, write_variant

GRAPHS = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"""
SUBJECTS = "SELECT DISTINCT ?s WHERE {{ GRAPH <{g}> {{ ?s ?p ?o FILTER(isIRI(?s)) }} }}"


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    variant = write_variant(ROOT / "kg" / "data.ttl", tmp_path_factory.mktemp("v") / "v.ttl")
    files = [str(ROOT / "kg" / "ontology.ttl"), str(ROOT / "kg" / "data.ttl"), str(variant)]
    return open_canned(load_config({"DATA_FILES": files}, environ={}))


@pytest.fixture(scope="module")
def henan():
    return open_canned(load_config(environ={}))


def subjects(canned, graph):
    return {str(r["s"]) for r in canned.store.query(SUBJECTS.format(g=graph)).rows}


def test_the_variant_is_its_own_named_graph_and_collides_with_nothing(both, henan):
    graphs = {str(r["g"]) for r in both.store.query(GRAPHS).rows}
    assert graphs == {str(r["g"]) for r in henan.store.query(GRAPHS).rows} | {f"{SYNTHETIC_IRI}/v1"}
    theirs, ours = subjects(both, f"{SYNTHETIC_IRI}/v1"), subjects(both, f"{HENAN_IRI}/v1")
    assert len(theirs) > 50 and theirs.isdisjoint(ours), "no IRI is described by both regions"
    assert all(s.startswith(SYNTHETIC_IRI) for s in theirs), "a region describes only its own"
    assert both.store.triple_count() > henan.store.triple_count()


def cells(answer):
    return [{c: v["value"] for c, v in row.items() if v} for row in answer.rows]


def mentions_variant(row):
    return any(value.startswith(SYNTHETIC_IRI) for value in row.values())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_canned_answer_about_henan_is_unchanged(both, henan, lang):
    for name, query in henan.catalog.items():
        example = {p.name: p.example for p in query.params}
        alone = henan.answer(name, example, lang)
        # the same Henan resources, named by full IRI (a short name may now match both regions)
        by_iri = dict(alone.params)
        beside = both.answer(name, by_iri, lang)
        rows = cells(beside)
        henan_rows = [r for r in rows if not mentions_variant(r)]
        assert sorted(map(repr, henan_rows)) == sorted(map(repr, cells(alone))), name
        # what the variant adds is Henan's answer again, under its own IRIs
        twins = [{c: to_henan(v) for c, v in r.items()} for r in rows if mentions_variant(r)]
        assert {repr(r) for r in twins} <= {repr(r) for r in cells(alone)}, name


def test_the_variant_answers_for_itself_like_henan(both, henan):
    alone = henan.answer("step-documents", {"step": "3"}, "en")
    step = f"{SYNTHETIC_IRI}/v1/service/newborn-medical-insurance-card/step/3"
    theirs = both.answer("step-documents", {"step": step}, "en")
    assert [{c: to_henan(v) for c, v in r.items()} for r in cells(theirs)] == cells(alone)
    assert cells(theirs) and all(
        r["office"].startswith(SYNTHETIC_IRI) for r in cells(theirs) if "office" in r
    )


def test_sparql_sees_the_union_of_the_named_graphs_by_default(client, store):
    def ask(query, **extra):
        response = client.get(
            "/sparql",
            query_string={"query": query, **extra},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert response.status_code == 200, response.data
        return response.get_json()["results"]["bindings"]

    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(ask(count)[0]["n"]["value"]) == store.triple_count()
    graphs = {b["g"]["value"] for b in ask("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert graphs == {f"{HENAN_IRI}/v1", "https://w3id.org/newborn-kg/ontology"}
    # a protocol dataset still narrows the default graph to the graphs it names
    only = ask(count, **{"default-graph-uri": "https://w3id.org/newborn-kg/ontology"})
    assert 0 < int(only[0]["n"]["value"]) < store.triple_count()


@pytest.mark.parametrize(
    "lang, words", [("zh", ["未注明日期", "2019年以前"]), ("en", ["undated", "before 2019"])]
)
def test_pages_and_answers_carry_the_source_date_caveat(client, lang, words):
    for path in ("/", "/id/region/410000/v1/service/newborn-medical-insurance-card", "/dataset"):
        page = client.get(f"{path}?lang={lang}", headers={"Accept": "text/html"})
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and 'class="caveat"' in text, path
        assert all(w in text for w in words), (path, lang)
    answer = client.get("/api/ask", query_string={"q": "第三步要带什么", "lang": lang}).get_json()
    assert answer["understood"] and all(w in answer["caveat"] for w in words)


def test_canned_answers_in_json_carry_the_caveat(client):
    body = client.get("/api/queries/steps?lang=en").get_json()
    assert "before 2019" in body["caveat"]
