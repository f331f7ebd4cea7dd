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
