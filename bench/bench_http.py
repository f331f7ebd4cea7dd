"""Over HTTP with wrk on loopback, A/B rounds alternating: the canned API, /api/ask and /sparql
against a constant Flask app under the same server, the old gunicorn anchor and two peers.

Every server runs at once; each round measures every case once, in the same order, so a busy
moment on the shared machine touches all cases alike. Ratios are per round, then the median.
"""

from __future__ import annotations

import json
import statistics
import urllib.parse
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import servers
import wrk

from service.canned import open_canned
from service.config import load_config

CANNED = "/api/queries/step-documents?step=3"
ASK = {
    "zh": "/api/ask?" + urllib.parse.urlencode({"q": "第3步要带什么材料？", "lang": "zh"}),
    "en": "/api/ask?"
    + urllib.parse.urlencode({"q": "What documents do I need for step 3?", "lang": "en"}),
}
AGGREGATE = """SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class"""
EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
SPARQL_JSON = {"Accept": "application/sparql-results+json"}
CONNECTIONS = 16  # wrk -c
# the same server with its whole-response cache off: what a request costs when it runs the app
UNCACHED = {"NEWBORN_KG_RESPONSE_CACHE_BYTES": "0"}


def sparql_queries(config: dict[str, Any]) -> dict[str, str]:
    """The three /sparql queries: the canned step-documents bound to step 3, an aggregate and
    every triple, 1,461 rows on the real graph (no instance IRI is written here)."""
    canned = open_canned(config)
    terms = canned.resolve("step-documents", {"step": "3"}, "zh")
    return {
        "step-documents": canned.sparql("step-documents", terms, "zh"),
        "aggregate": AGGREGATE,
        "all-triples": EVERYTHING,
    }


def sparql_url(endpoint: str, query: str, graph: str | None = None) -> str:
    params = {"query": query, **({"default-graph-uri": graph} if graph else {})}
    return endpoint + "?" + urllib.parse.urlencode(params)


def rows(url: str) -> int:
    """How many solutions a SPARQL JSON answer holds (to check every server agrees)."""
    request = urllib.request.Request(url, headers=SPARQL_JSON)
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(json.load(response)["results"]["bindings"])


Case = tuple[str, dict[str, str]]


def rounds(cases: dict[str, Case], count: int, seconds: float) -> dict[str, list[wrk.Run]]:
    """Measure every case once a round, alternating, for `count` rounds."""
    runs: dict[str, list[wrk.Run]] = {name: [] for name in cases}
    for url, headers in cases.values():  # forks query processes, fills caches, warms peers
        wrk.run(url, 1, headers=headers)
    for n in range(count):
        for name, (url, headers) in cases.items():
            runs[name].append(wrk.run(url, seconds, headers=headers))
        print(
            f"  round {n + 1}/{count}: "
            + ", ".join(f"{k} {v[-1].rps:.0f}/s" for k, v in runs.items()),
            flush=True,
        )
    return runs


def summary(runs: list[wrk.Run]) -> dict[str, Any]:
    return {
        "rps": round(statistics.median(r.rps for r in runs), 1),
        "rps_each": [round(r.rps, 1) for r in runs],
        "p50_ms": round(statistics.median(r.p50_ms for r in runs), 3),
        "p99_ms": round(statistics.median(r.p99_ms for r in runs), 3),
        "errors": sum(r.errors for r in runs),
    }


def ratio(runs: dict[str, list[wrk.Run]], a: str, b: str) -> dict[str, Any]:
    """a's throughput over b's, per round: the median and the spread."""
    # a peer that answered nothing within wrk's 10 s timeout in a round counts as infinitely slow
    each = [x.rps / y.rps if y.rps else float("inf") for x, y in zip(runs[a], runs[b], strict=True)]
    return {
        "ratio": round(statistics.median(each), 3),
        "min": round(min(each), 3),
        "max": round(max(each), 3),
    }


def api_cases(stack: ExitStack, workers: int, log: str) -> dict[str, Case]:
    """Both apps with the project's access-log setting, and both again with the log on."""
    project = stack.enter_context(servers.project(workers, log))
    constant = stack.enter_context(servers.constant_granian(workers, log))
    cases: dict[str, Case] = {
        "canned": (project + CANNED, {}),
        "constant": (constant + "/", {}),
        "ask-zh": (project + ASK["zh"], {}),
        "ask-en": (project + ASK["en"], {}),
        "canned-uncached": (
            stack.enter_context(servers.project(workers, log, env=UNCACHED)) + CANNED,
            {},
        ),
    }
    other = "on" if log == "off" else "off"
    cases[f"canned-log-{other}"] = (
        stack.enter_context(servers.project(workers, other)) + CANNED,
        {},
    )
    cases[f"constant-log-{other}"] = (
        stack.enter_context(servers.constant_granian(workers, other)) + "/",
        {},
    )
    if servers.gunicorn_available():
        cases["constant-gunicorn"] = (stack.enter_context(servers.constant_gunicorn(2)) + "/", {})
    else:
        print("  gunicorn is not installed in this venv: the old anchor is not measured")
    return cases


def sparql_cases(  # type: ignore[no-untyped-def]
    stack: ExitStack,
    workers: int,
    files: list[str],
    queries: dict[str, str],
    options_peers: bool,
    log: str,
):
    # one query process per connection, so the capacity limit (503 when all are busy) is not
    # what is measured; peers queue instead of refusing
    busy = {"NEWBORN_KG_SPARQL_WORKERS": str(CONNECTIONS // workers)}
    project = stack.enter_context(servers.project(workers, log, env=busy)) + "/sparql"
    uncached = stack.enter_context(servers.project(workers, log, env={**busy, **UNCACHED}))
    endpoints: dict[str, Callable[[str], str]] = {
        "ours": lambda q: sparql_url(project, q),
        "ours-uncached": lambda q: sparql_url(uncached + "/sparql", q),
    }
    if options_peers and servers.rdflib_endpoint_available():
        peer = stack.enter_context(servers.rdflib_endpoint(files)) + "/"
        endpoints["rdflib-endpoint"] = lambda q: sparql_url(peer, q)
    else:
        print("  rdflib-endpoint: not installed in bench/.venv-peers (make bench) or --tiny")
    if options_peers and servers.virtuoso_available():
        endpoint, graph = stack.enter_context(servers.virtuoso(files))
        endpoints["virtuoso"] = lambda q: sparql_url(endpoint, q, graph)
    else:
        print("  Virtuoso: not installed (apt-get install virtuoso-opensource) or --tiny")
    cases: dict[str, Case] = {}
    counts: dict[str, dict[str, int]] = {}
    for qname, query in queries.items():
        for server, url in endpoints.items():
            cases[f"sparql-{qname}@{server}"] = (url(query), SPARQL_JSON)
            counts.setdefault(qname, {})[server] = rows(url(query))
    return cases, counts, list(endpoints)


def main(options: dict[str, Any]) -> dict[str, Any]:
    config = load_config()
    workers, count, seconds = options["workers"], options["rounds"], options["seconds"]
    if not wrk.available():
        print("  wrk is not installed (apt-get install wrk): HTTP figures not measured")
        return {"skipped": "wrk is not installed"}
    # the project's default access log (service/server.py reads ACCESS_LOG once merged)
    log = "on" if config["ACCESS_LOG"] else "off"
    other = "on" if log == "off" else "off"
    out: dict[str, Any] = {"workers": workers, "rounds": count, "seconds": seconds, "log": log}
    print(f"API: wrk -t2 -c16, {count} rounds of {seconds:g} s per case, {workers} workers")
    with ExitStack() as stack:
        runs = rounds(api_cases(stack, workers, log), count, seconds)
    out["api"] = {name: summary(r) for name, r in runs.items()}
    pairs = [
        ("canned", "constant"),
        ("canned-uncached", "constant"),
        ("ask-zh", "constant"),
        ("ask-en", "constant"),
        (f"canned-log-{other}", "canned"),
        (f"constant-log-{other}", "constant"),
    ]
    if "constant-gunicorn" in runs:
        pairs += [("canned", "constant-gunicorn"), ("canned-uncached", "constant-gunicorn")]
    out["api_ratios"] = {f"{a} / {b}": ratio(runs, a, b) for a, b in pairs}

    queries = sparql_queries(config)
    print(f"SPARQL: the same {count} rounds over three queries and every installed peer")
    with ExitStack() as stack:
        cases, counts, names = sparql_cases(
            stack, workers, config["DATA_FILES"], queries, options["peers"], log
        )
        runs = rounds(cases, count, seconds)
    out["sparql_rows"] = counts
    out["sparql"] = {name: summary(r) for name, r in runs.items()}
    out["sparql_ratios"] = {
        f"{q}: {mine} / {peer}": ratio(runs, f"sparql-{q}@{mine}", f"sparql-{q}@{peer}")
        for q in queries
        for mine in ("ours", "ours-uncached")
        for peer in names
        if not peer.startswith("ours")
    }
    return out
