"""The entity index: labels by language, names (labels, synonyms, hidden matching aids) and
class members."""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from .languages import LANGS
from .store import EmbeddedStore, Store

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"

# the properties that name a resource, in the order a label is chosen (rdfs:label, else
# skos:prefLabel, per language); one query each, so that no row carries the property's IRI
NAME_PROPERTIES = (
    RDFS_LABEL,
    PREF_LABEL,
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel",
)
NAMES = """SELECT ?s ?o (lang(?o) AS ?lang) WHERE {{
  ?s <{property}> ?o FILTER(isIRI(?s) && isLiteral(?o))
}}"""
# members of a class and of its superclasses: `?s a/rdfs:subClassOf* ?class`, with the path
# closed over the (small) class hierarchy in Python, which is 2x faster at a million triples
TYPES = "SELECT ?s ?type WHERE { ?s a ?type FILTER(isIRI(?s)) }"
# direct edges only: Virtuoso cannot run a transitive path with both ends unbound
SUPERS = """SELECT ?class ?super WHERE {
  ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?super
}"""
BLANK = "_:"  # how the CSV writes a blank node; no IRI starts so
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def normalise(text: str) -> str:
    """Fold width, case and spacing so that '第３步 ' and '第3步' compare equal."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _rows(store: Store, sparql: str) -> Iterator[list[str]]:
    """Each row's values as plain strings (an unbound one is ''). An embedded store writes them
    with Oxigraph's CSV writer and Python's C reader parses them: a million labels at start-up
    need no Python object per term."""
    if isinstance(store, EmbeddedStore):
        # through a temporary file, read line by line: at a million triples the text would
        # otherwise sit in memory twice (bytes, then a str up to 4x their size)
        with tempfile.TemporaryFile() as spool:
            store.ox_query(sparql).serialize(spool, format=ox.QueryResultsFormat.CSV)
            spool.seek(0)
            rows = csv.reader(io.TextIOWrapper(spool, encoding="utf-8", newline=""))
            next(rows, None)  # the header
            yield from rows
        return
    remote = store.query(sparql)
    for row in remote.rows:
        yield [str(row.get(name, "")) for name in remote.variables]


def _typed(store: Store) -> Iterator[tuple[str, str]]:
    """Each (IRI, class) of TYPES. An embedded store reads them straight from its rdf:type index:
    at a million triples this is twice as fast as writing and reading them as CSV."""
    if not isinstance(store, EmbeddedStore):
        for row in _rows(store, TYPES):
            yield row[0], row[1]
        return
    for quad in store.ox.quads_for_pattern(None, RDF_TYPE, None):
        thing, kind = quad.subject, quad.object
        if isinstance(thing, ox.NamedNode) and not isinstance(kind, ox.Triple):
            yield (
                thing.value,
                (BLANK + kind.value if isinstance(kind, ox.BlankNode) else kind.value),
            )


def _ancestors(start: str, parents: dict[str, set[str]]) -> set[str]:
    """Every class above `start` (cycles allowed)."""
    found: set[str] = set()
    todo = list(parents.get(start, ()))
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(parents.get(current, ()))
    return found


@dataclass
class EntityIndex:
    """What the service knows about every named resource, read once from the store (the names
    when first asked for)."""

    base: str
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    source: Store | None = field(default=None, repr=False)  # where the names are read from
    _names: dict[str, set[str]] | None = field(default=None, repr=False)
    _names_of: dict[tuple[str, ...], dict[str, set[str]]] = field(default_factory=dict, repr=False)
    _short: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict, repr=False)
    _by_short: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict, repr=False)
    _members: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, store: Store, base: str) -> EntityIndex:
        """Read the labels and class members now; the names when first asked for."""
        index = cls(base=base, source=store)
        preferred: dict[tuple[str, str], tuple[int, str]] = {}
        for rank, prop in enumerate(NAME_PROPERTIES[:2]):
            for row_iri, text, tag in _rows(store, NAMES.format(property=prop)):
                if (lang := tag.partition("-")[0]) in LANGS:
                    key = (sys.intern(row_iri), lang)  # one string per IRI, however many rows
                    if key not in preferred or (rank, text) < preferred[key]:
                        preferred[key] = (rank, text)
        for (iri, lang), (_, text) in preferred.items():
            index.labels.setdefault(iri, {})[lang] = text
        parents: dict[str, set[str]] = defaultdict(set)
        for class_iri, super_iri in _rows(store, SUPERS):
            parents[class_iri].add(super_iri)
        supers = {c: _ancestors(c, parents) for c in parents}
        typed: dict[str, list[str]] = defaultdict(list)
        for row_iri, type_iri in _typed(store):
            typed[type_iri].append(sys.intern(row_iri))
        for type_iri, iris in typed.items():  # a few dozen classes: each set filled at once
            for class_iri in (type_iri, *supers.get(type_iri, ())):
                if not class_iri.startswith(BLANK):
                    index.members[class_iri].update(iris)
        return index

    @property
    def names(self) -> dict[str, set[str]]:
        """Every name (labels, synonyms, hidden matching aids), normalised, and the IRIs it names;
        read on first use: the question matcher needs them all, a request only its class's
        (names_of), and at a million triples reading them all costs a second."""
        if self._names is None:
            found: dict[str, set[str]] = defaultdict(set)
            for prop in NAME_PROPERTIES:
                source = self.source
                rows = _rows(source, NAMES.format(property=prop)) if source is not None else ()
                for iri, text, _ in rows:
                    found[normalise(text)].add(sys.intern(iri))
            self._names = found
        return self._names

    def names_of(self, classes: tuple[str, ...]) -> dict[str, set[str]]:
        """The names of the classes' members and the members each names, built once per
        classes; an embedded store looks up the members' names alone (1M: 70 ms for the steps,
        190 ms for the documents) unless every name has been read already."""
        if classes not in self._names_of:
            members = self.members_of(classes)
            found: dict[str, set[str]] = defaultdict(set)
            if self._names is None and isinstance(self.source, EmbeddedStore):
                properties = [ox.NamedNode(p) for p in NAME_PROPERTIES]
                for iri in members:
                    for prop in properties:
                        for quad in self.source.ox.quads_for_pattern(ox.NamedNode(iri), prop, None):
                            if isinstance(quad.object, ox.Literal):
                                found[normalise(quad.object.value)].add(iri)
            else:
                for name, iris in self.names.items():
                    if not iris.isdisjoint(members):
                        found[name] = iris & members
            self._names_of[classes] = dict(found)
        return self._names_of[classes]

    def label(self, iri: str | URIRef, lang: str) -> str | None:
        """The label in `lang`, falling back to the other language."""
        found = self.labels.get(str(iri), {})
        return found.get(lang) or next((found[other] for other in LANGS if other in found), None)

    def local_name(self, iri: str) -> str:
        """The IRI's path under the instance base, e.g. 'region/410000/office/hospital'."""
        return iri.removeprefix(self.base)

    def short_names(self, classes: tuple[str, ...]) -> dict[str, str]:
        """Shortest unambiguous local name of each member of the classes: '1', 'hospital' …"""
        if classes not in self._short:
            self._short[classes] = self._short_names(classes)
        return self._short[classes]

    def _short_names(self, classes: tuple[str, ...]) -> dict[str, str]:
        # the fewest trailing path segments that name one member: '3', 'step/1', … (IRI policy)
        paths = {
            iri: self.local_name(iri).rstrip("/").split("/") for iri in self.members_of(classes)
        }
        tails: dict[str, list[str]] = defaultdict(list)
        for iri, segments in paths.items():
            for n in range(1, len(segments) + 1):
                tails["/".join(segments[-n:])].append(iri)
        short = {}
        for iri, segments in paths.items():
            short[iri] = next(
                (
                    tail
                    for n in range(1, len(segments) + 1)
                    if len(tails[tail := "/".join(segments[-n:])]) == 1
                ),
                self.local_name(iri),
            )
        return short

    def with_tail(self, classes: tuple[str, ...], tail: str) -> set[str]:
        """Members whose path ends with the given segments ('step/3' or '3')."""
        tail = tail.strip("/")
        return {
            iri
            for iri in self.members_of(classes)
            if tail and (self.local_name(iri) == tail or self.local_name(iri).endswith("/" + tail))
        }

    def by_short_name(self, classes: tuple[str, ...]) -> dict[str, str]:
        """The member IRI of each short name (the inverse of short_names), built once."""
        if classes not in self._by_short:
            self._by_short[classes] = {n: i for i, n in self.short_names(classes).items()}
        return self._by_short[classes]

    def members_of(self, classes: tuple[str, ...]) -> frozenset[str]:
        """IRIs typed with any of the classes or their subclasses (built once per classes; the
        index does not change after build)."""
        if classes not in self._members:
            found = frozenset().union(*(self.members.get(c, set()) for c in classes))
            self._members[classes] = found
        return self._members[classes]
