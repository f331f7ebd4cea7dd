"""Run a planned query in a killable child process and render its result there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from ..formats import render_result
from ..store import EmbeddedStore, QueryError, Store, StoreError
from . import direct
from .isolation import Runner


def execute(store: Store, job: Mapping[str, Any]) -> tuple[str, Any, bool]:
    """Run one job (in a child process): ('ok', body, truncated), ('error', message, False) or
    ('store', the store's failure, False).

    Results of the embedded store go straight through Oxigraph's writers unless they may need
    truncating (then they run again row by row)."""
    # A remote store pauses after a timeout so that request threads stay free; a child is
    # already bounded by the runner, and its pause would outlast the store's recovery.
    if hasattr(store, "hung_pause"):
        store.hung_pause = 0.0
    try:
        if isinstance(store, EmbeddedStore) and job["fmt"] in direct.FORMATS:
            raw = store.ox_query(job["query"], job["default"], job["named"], job["base"])
            if not isinstance(raw, ox.QueryTriples):
                body = direct.serialise(raw, job["fmt"], job["max_rows"])
                if body is not None:
                    return "ok", body, False
        result = store.query(
            job["query"], job["default"], job["named"], job["max_rows"], job["base"]
        )
    except QueryError as exc:
        return "error", str(exc), False
    except StoreError as exc:  # re-raised in the parent: 502, 503 or 504
        return "store", exc, False
    return "ok", render_result(result, job["fmt"]), result.truncated


def make_runner(store: Store, config: Mapping[str, Any]) -> Runner:
    """The per-process pool of killable query children for this store."""
    # a remote store's children must reach the store; the guard still refuses SERVICE there
    return Runner(
        lambda job: execute(store, job),
        size=int(config["SPARQL_WORKERS"]),
        offline=store.kind == "embedded",
    )
