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

BOM = b"\xef\xbb\xbf"


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


STAGING = ox.NamedNode("urn:newborn-kg:loading")
GRAPH_NAMES = """SELECT DISTINCT ?g ?cls WHERE {
  GRAPH <urn:newborn-kg:loading> { ?g a ?cls }
  VALUES ?cls { <http://www.w3.org/ns/prov#Bundle> <http://www.w3.org/2002/07/owl#Ontology> }
  FILTER(isIRI(?g))
}"""


def load_file(store: ox.Store, path: Path) -> None:
    """Stream one Turtle file into the named graph it describes (its one prov:Bundle, else its
    one owl:Ontology, else the default graph), with no Python object per triple; it must hold
    at least one triple, and a leading byte-order mark is allowed."""
    if not path.is_file():
        raise DataLoadError(f"{path}: no such data file")
    try:
        with path.open("rb") as handle:
            marked = handle.read(len(BOM)) == BOM  # editors on Windows write one
        data = path.read_bytes().removeprefix(BOM) if marked else None
        # a truncated or emptied file would otherwise start a half-loaded service
        first = next(
            ox.parse(data, ox.RdfFormat.TURTLE)
            if marked
            else ox.parse(path=path, format=ox.RdfFormat.TURTLE),
            None,
        )
        if first is not None:
            if marked:
                store.load(data, ox.RdfFormat.TURTLE, to_graph=STAGING)
            else:
                store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=STAGING)
    except SyntaxError as exc:
        raise DataLoadError(f"{path}:{exc.lineno}:{exc.offset}: {exc.msg}") from None
    except (OSError, ValueError) as exc:
        raise DataLoadError(f"{path}: {exc}") from None
    if first is None:
        raise DataLoadError(f"{path}: the file holds no triples")
    target = graph_name(store, path)
    store.update(f"MOVE <{STAGING.value}> TO {f'<{target.value}>' if target else 'DEFAULT'}")


def graph_name(store: ox.Store, path: Path) -> ox.NamedNode | None:
    """The staged file's own graph IRI: its one prov:Bundle, else its one owl:Ontology."""
    found: dict[str, set[str]] = {}
    rows = store.query(GRAPH_NAMES)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        found.setdefault(row["cls"].value, set()).add(row["g"].value)
    for cls in ("http://www.w3.org/ns/prov#Bundle", "http://www.w3.org/2002/07/owl#Ontology"):
        names = found.get(cls, set())
        if len(names) > 1:
            store.update(f"DROP SILENT GRAPH <{STAGING.value}>")
            raise DataLoadError(
                f"{path}: one graph a file, but it describes {', '.join(sorted(names))}"
            )
        if names:
            return ox.NamedNode(names.pop())
    return None


def load_store(paths: Sequence[str | Path]) -> ox.Store:
    """Parse every file into a new in-memory store; raise before returning anything partial."""
    if not paths:
        raise DataLoadError("no data files configured (DATA_FILES is empty)")
    store = ox.Store()
    for path in paths:
        load_file(store, Path(path))
    return store
