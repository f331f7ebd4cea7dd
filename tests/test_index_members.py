"""The entity index's class members equal SPARQL's `?s a/rdfs:subClassOf* ?class`."""

from __future__ import annotations

from service.index import EntityIndex

PATH = """SELECT DISTINCT ?s ?class WHERE {
  ?s a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class FILTER(isIRI(?s) && isIRI(?class))
}"""


def test_members_close_the_class_hierarchy_like_the_property_path(store):
    expected: dict[str, set[str]] = {}
    for row in store.query(PATH).rows:
        expected.setdefault(str(row["class"]), set()).add(str(row["s"]))
    index = EntityIndex.build(store, "https://w3id.org/newborn-kg/id/")
    assert dict(index.members) == expected
    assert any(len(members) > 1 for members in expected.values())


def test_ancestors_follow_every_edge_and_survive_a_cycle():
    from service.index import _ancestors

    parents = {"a": {"b"}, "b": {"c", "a"}, "c": set()}
    assert _ancestors("a", parents) == {"a", "b", "c"}
    assert _ancestors("c", parents) == set()


NAMED = """SELECT ?s ?o WHERE {
  VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> <http://www.w3.org/2004/02/skos/core#prefLabel>
              <http://www.w3.org/2004/02/skos/core#altLabel> <http://www.w3.org/2004/02/skos/core#hiddenLabel> }
  ?s ?p ?o FILTER(isIRI(?s) && isLiteral(?o))
}"""


def test_names_are_every_label_synonym_and_hidden_label_normalised(store):
    from service.index import normalise

    expected: dict[str, set[str]] = {}
    for row in store.query(NAMED).rows:
        expected.setdefault(normalise(str(row["o"])), set()).add(str(row["s"]))
    index = EntityIndex.build(store, "https://w3id.org/newborn-kg/id/")
    assert dict(index.names) == expected and len(expected) > 100


def test_a_class_s_names_read_alone_equal_those_of_all_names(store):
    from service.catalog import load_catalog

    from .conftest import ROOT

    classes = {p.classes for q in load_catalog(ROOT / "queries").values() for p in q.params}
    alone = EntityIndex.build(store, "https://w3id.org/newborn-kg/id/")  # names never read
    whole = EntityIndex.build(store, "https://w3id.org/newborn-kg/id/")
    assert whole.names and len(classes) > 3
    for kinds in classes:
        expected = {n: i & whole.members_of(kinds) for n, i in whole.names.items()}
        assert alone.names_of(kinds) == {n: i for n, i in expected.items() if i}, kinds
    assert alone._names is None, "a class's names are read without reading every name"
