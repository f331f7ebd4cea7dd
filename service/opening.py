"""Open the store the configuration names: embedded Oxigraph, or a remote SPARQL endpoint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .remote import SparqlStore
from .store import EmbeddedStore, Store


def open_store(config: Mapping[str, Any]) -> Store:
    """Open the store the configuration names."""
    if config["STORE"] == "sparql":
        return SparqlStore(
            config["ENDPOINT"],
            (config["GRAPH"],),
            config["QUERY_TIMEOUT"],
            config["STORE_CONCURRENCY"],
        )
    return EmbeddedStore(config["DATA_FILES"])
