"""The served version: the part of the store the guide and the question matcher read.

The guide and the matcher are about one region's version of the service. Whatever else the store
holds (other regions, versions, copies), they read only what that service is made of: every
instance (IRI under the instance base, or blank node) reachable from it, forwards through any
graph and backwards through its own graph only (so that a national document shared with other
regions does not lead into them), with those instances' triples, the triples of the outside
things they point to (labels of classes, languages, licences) and the ontology graphs. Their
start-up then costs the served version's size, not the store's.
"""

from __future__ import annotations

import itertools
from typing import TypeGuard

import pyoxigraph as ox

from .canned import CannedQueries
from .index import EntityIndex
from .store import EmbeddedStore

# the first service by IRI that has steps: the one the guide shows
FIRST = """SELECT ?service WHERE {
  ?service a <http://purl.org/vocab/cpsv#PublicService> ;
           <https://w3id.org/newborn-kg/ontology#hasStep> ?step
} ORDER BY ?service LIMIT 1"""
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SERVICE = ox.NamedNode("http://purl.org/vocab/cpsv#PublicService")
ONTOLOGY = ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")


def reachable(store: ox.Store, start: ox.NamedNode, base: str) -> list[ox.Quad]:
    """The quads of what `start` is made of (see the module's docstring); outside IRIs are not
    walked through (a class or a licence is shared by every version)."""

    def inside(term: object) -> TypeGuard[ox.NamedNode | ox.BlankNode]:
        return isinstance(term, ox.BlankNode) or (
            isinstance(term, ox.NamedNode) and term.value.startswith(base)
        )

    own = next(iter(store.quads_for_pattern(start, RDF_TYPE, SERVICE)), None)
    graph = own.graph_name if own is not None else ox.DefaultGraph()
    seen: set[object] = {start}
    todo: list[ox.NamedNode | ox.BlankNode] = [start]
    quads: list[ox.Quad] = []
    outside: set[ox.NamedNode] = set()
    while todo:
        node = todo.pop()
        for quad in store.quads_for_pattern(node, None, None):
            quads.append(quad)
            if inside(quad.object):
                if quad.object not in seen:
                    seen.add(quad.object)
                    todo.append(quad.object)
            elif isinstance(quad.object, ox.NamedNode):
                outside.add(quad.object)
        for quad in store.quads_for_pattern(None, None, node, graph):
            if inside(quad.subject) and quad.subject not in seen:
                seen.add(quad.subject)
                todo.append(quad.subject)
    for thing in outside:
        quads.extend(store.quads_for_pattern(thing, None, None))
    for declared in store.quads_for_pattern(None, RDF_TYPE, ONTOLOGY):
        if declared.subject == declared.graph_name:  # an ontology file's own graph
            quads.extend(store.quads_for_pattern(None, None, None, declared.graph_name))
    return quads


def served(canned: CannedQueries, base: str) -> CannedQueries:
    """The canned queries over the served version alone; `canned` itself when that is the
    whole store, or the store is remote (its size is not ours to bound)."""
    store = canned.store
    if not isinstance(store, EmbeddedStore):
        return canned
    first = list(store.ox_query(FIRST))
    if not first:
        return canned
    part = ox.Store()
    part.extend(reachable(store.ox, first[0]["service"], base))
    # the part is the whole store when the store holds no more quads (counted no further:
    # Oxigraph counts a million in 0.3 s)
    if sum(1 for _ in itertools.islice(store.ox, len(part) + 1)) == len(part):
        return canned
    view = EmbeddedStore([], part)
    view.data_version, view.modified = store.data_version, store.modified
    return CannedQueries(canned.catalog, view, EntityIndex.build(view, base), canned.caveats)
