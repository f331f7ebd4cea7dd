"""In-process: every canned query's p50/p99 (resolve, run, label; no cache), parameter
resolution alone, and the /sparql child's work per query (run + serialise) beside Oxigraph
alone."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from bench_http import sparql_queries

from service.canned import open_canned
from service.config import load_config
from service.sparql.execution import execute


def timed(func: Callable[[], object], seconds: float) -> dict[str, float]:
    """Call func for about `seconds` (at least 20 times): p50 and p99 in ms."""
    times: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 20:
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times) * 1e3, 4),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1e3, 4),
        "calls": len(times),
    }


def main(options: dict[str, Any]) -> dict[str, Any]:
    config = load_config()
    canned = open_canned(config)
    seconds = options["inprocess_seconds"]
    out: dict[str, Any] = {"canned": {}, "resolve": {}, "sparql_child": {}}
    for name, query in sorted(canned.catalog.items()):
        examples = {p.name: p.example for p in query.params}
        out["canned"][name] = timed(lambda n=name, e=examples: canned.answer(n, e, "zh"), seconds)
    for raw in ("3", "第三步"):
        out["resolve"][f"step={raw}"] = timed(
            lambda r=raw: canned.resolve("step-documents", {"step": r}, "zh"), seconds
        )
    store = canned.store
    for name, text in sparql_queries(config).items():
        job = {
            "query": text,
            "default": [],
            "named": [],
            "fmt": "json",
            "max_rows": config["MAX_ROWS"],
            "base": config["BASE_URI"] + "sparql",
        }
        out["sparql_child"][name] = {
            "oxigraph_alone": timed(lambda t=text: list(store.ox.query(t)), seconds),  # type: ignore[attr-defined]
            "execute_json": timed(lambda j=job: execute(store, j), seconds),
        }
    worst = max(out["canned"].items(), key=lambda kv: kv[1]["p50_ms"])
    print(f"  {len(out['canned'])} canned queries; slowest p50: {worst[0]} {worst[1]}")
    print(f"  resolve: {out['resolve']}")
    for name, row in out["sparql_child"].items():
        print(f"  /sparql child, {name}: {row}")
    return out
