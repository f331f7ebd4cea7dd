"""Load the graph's Turtle files into a fresh Oxigraph store, all or nothing."""

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


def load_file(store: ox.Store, path: Path) -> None:
    """Stream one Turtle file into the store (no Python object per triple); it must hold at
    least one triple, and a leading byte-order mark is allowed."""
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
                store.load(data, ox.RdfFormat.TURTLE)
            else:
                store.load(path=path, format=ox.RdfFormat.TURTLE)
    except SyntaxError as exc:
        raise DataLoadError(f"{path}:{exc.lineno}:{exc.offset}: {exc.msg}") from None
    except (OSError, ValueError) as exc:
        raise DataLoadError(f"{path}: {exc}") from None
    if first is None:
        raise DataLoadError(f"{path}: the file holds no triples")


def load_store(paths: Sequence[str | Path]) -> ox.Store:
    """Parse every file into a new in-memory store; raise before returning anything partial."""
    if not paths:
        raise DataLoadError("no data files configured (DATA_FILES is empty)")
    store = ox.Store()
    for path in paths:
        load_file(store, Path(path))
    return store
