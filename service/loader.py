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
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


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
        store.extend(parse_file(Path(path)))
    return store
