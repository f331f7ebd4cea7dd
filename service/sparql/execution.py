"""Run a planned query in a killable child process and render its result there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..formats import render_result
from ..store import QueryError, Store
from .isolation import Runner


def execute(store: Store, job: Mapping[str, Any]) -> tuple[str, Any, bool]:
    """Run one job (in a child process): ('ok', body, truncated) or ('error', message, False)."""
    try:
        result = store.query(
            job["query"], job["default"], job["named"], job["max_rows"], job["base"]
        )
    except QueryError as exc:
        return "error", str(exc), False
    return "ok", render_result(result, job["fmt"]), result.truncated


def make_runner(store: Store, config: Mapping[str, Any]) -> Runner:
    """The per-process pool of killable query children for this store."""
    # a remote store's children must reach the store; the guard still refuses SERVICE there
    return Runner(
        lambda job: execute(store, job),
        size=int(config["SPARQL_WORKERS"]),
        offline=store.kind == "embedded",
    )
