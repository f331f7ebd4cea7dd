"""Load the Turtle files into a fresh Oxigraph store, one named graph a file, all or nothing.

A file's named graph is the IRI the file itself describes as its graph: its one `prov:Bundle`
(a region's version of a service description), else its one `owl:Ontology`; a file with neither
goes to the default graph. Queries see the union of all graphs as their default graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
GRAPH_CLASSES = (
    ox.NamedNode("http://www.w3.org/ns/prov#Bundle"),
    ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology"),
)
BOM = b"\xef\xbb\xbf"


class DataLoadError(Exception):
    """A data file is missing or does not parse; the message names the file and line."""


def data_version(paths: Sequence[str | Path]) -> str:
    """Hash the files' names and contents, in the given order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).name.encode() + b"\0")
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def graph_name(path: Path, quads: Sequence[ox.Quad]) -> ox.NamedNode | None:
    """The file's own graph IRI: its one prov:Bundle, else its one owl:Ontology."""
    for cls in GRAPH_CLASSES:
        names = {
            q.subject
            for q in quads
            if q.predicate == RDF_TYPE and q.object == cls and isinstance(q.subject, ox.NamedNode)
        }
        if len(names) > 1:
            listed = ", ".join(sorted(n.value for n in names))
            raise DataLoadError(f"{path}: one graph a file, but it describes {listed}")
        if names:
            return names.pop()
    return None


def parse_file(path: Path) -> list[ox.Quad]:
    """Every triple of one Turtle file, at least one; a leading byte-order mark is allowed."""
    if not path.is_file():
        raise DataLoadError(f"{path}: no such data file")
    try:
        data = path.read_bytes().removeprefix(BOM)  # editors on Windows write one
        quads = list(ox.parse(data, ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise DataLoadError(f"{path}:{exc.lineno}:{exc.offset}: {exc.msg}") from None
    except (OSError, ValueError) as exc:
        raise DataLoadError(f"{path}: {exc}") from None
    if not quads:
        # a truncated or emptied file would otherwise start a half-loaded service
        raise DataLoadError(f"{path}: the file holds no triples")
    return quads


def load_store(paths: Sequence[str | Path]) -> ox.Store:
    """Parse every file into a new in-memory store; raise before returning anything partial."""
    if not paths:
        raise DataLoadError("no data files configured (DATA_FILES is empty)")
    store = ox.Store()
    for path in paths:
        path = Path(path)
        quads = parse_file(path)
        graph = graph_name(path, quads) or ox.DefaultGraph()
        store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
    return store
