"""Load the Turtle files into a fresh Oxigraph store, one named graph a file, all or nothing
(a file named `.nt` is read as N-Triples, the subset of Turtle its name promises).

A file's named graph is the IRI the file itself describes as its graph: its one `prov:Bundle`
(a region's version of a service description), else its one `owl:Ontology`; a file with neither
goes to the default graph. Queries see the union of all graphs as their default graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

BOM = b"\xef\xbb\xbf"
# N-Triples is Turtle without abbreviations: a file named so is read by the stricter, faster
# parser (1M triples: 2.3 s instead of 3.2 s)
NTRIPLES_SUFFIX = ".nt"


class DataLoadError(Exception):
    """A data file is missing or does not parse; the message names the file and line."""


def data_version(paths: Sequence[str | Path]) -> str:
    """Hash the files' names and contents, in the given order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).name.encode() + b"\0")
        with Path(path).open("rb") as handle:  # in chunks: a large file never sits in memory
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:16]


RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
BUNDLE = ox.NamedNode("http://www.w3.org/ns/prov#Bundle")
ONTOLOGY = ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")
GRAPHS_IN = (
    """SELECT DISTINCT ?g WHERE {{ GRAPH <{graph}> {{ ?g a <{cls}> }} FILTER(isIRI(?g)) }}"""
)


def load_file(store: ox.Store, path: Path) -> None:
    """Stream one Turtle file into the named graph it describes (its one prov:Bundle, else its
    one owl:Ontology, else the default graph); it must hold at least one triple, and a leading
    byte-order mark is allowed."""
    if not path.is_file():
        raise DataLoadError(f"{path}: no such data file")
    syntax = ox.RdfFormat.N_TRIPLES if path.suffix == NTRIPLES_SUFFIX else ox.RdfFormat.TURTLE
    try:
        with path.open("rb") as handle:
            marked = handle.read(len(BOM)) == BOM  # editors on Windows write one
        data = path.read_bytes().removeprefix(BOM) if marked else None
        quads = ox.parse(data, syntax) if marked else ox.parse(path=path, format=syntax)
        empty, target = declared_graph(quads)
        if not empty:
            # straight into its graph: no staging copy, so a large file is held once
            graph = target or ox.DefaultGraph()
            if marked:
                store.load(data, syntax, to_graph=graph)
            else:
                store.load(path=path, format=syntax, to_graph=graph)
    except SyntaxError as exc:
        raise DataLoadError(f"{path}:{exc.lineno}:{exc.offset}: {exc.msg}") from None
    except (OSError, ValueError) as exc:
        raise DataLoadError(f"{path}: {exc}") from None
    if empty:
        # a truncated or emptied file would otherwise start a half-loaded service
        raise DataLoadError(f"{path}: the file holds no triples")
    if target is not None:
        one_graph_a_file(store, path, target)


def declared_graph(quads: Iterator[ox.Quad]) -> tuple[bool, ox.NamedNode | None]:
    """Whether the file is empty, and the graph it names: the first prov:Bundle (the scan stops
    there; files declare it at the top), else the first owl:Ontology."""
    empty, ontology = True, None
    for quad in quads:
        empty = False
        if quad.predicate == RDF_TYPE and isinstance(quad.subject, ox.NamedNode):
            if quad.object == BUNDLE:
                return False, quad.subject
            if quad.object == ONTOLOGY and ontology is None:
                ontology = quad.subject
    return empty, ontology


def one_graph_a_file(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    """Refuse a file that describes several graphs of one kind (its triples are removed)."""
    for cls in (BUNDLE, ONTOLOGY):
        typed = store.quads_for_pattern(None, RDF_TYPE, cls, graph)
        names = sorted({q.subject.value for q in typed if isinstance(q.subject, ox.NamedNode)})
        if len(names) > 1:
            store.remove_graph(graph)
            listed = ", ".join(names)
            raise DataLoadError(f"{path}: one graph a file, but it describes {listed}")
        if names:
            return


def load_store(paths: Sequence[str | Path]) -> ox.Store:
    """Parse every file into a new in-memory store; raise before returning anything partial."""
    if not paths:
        raise DataLoadError("no data files configured (DATA_FILES is empty)")
    store = ox.Store()
    for path in paths:
        load_file(store, Path(path))
    return store
