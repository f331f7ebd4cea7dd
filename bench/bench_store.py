"""Store engines: query latency on our graph and load time/memory for a large synthetic graph.

Baselines are measured in the same run: rdflib's default in-memory store (query text parsed
on every call). Ratios are what to compare across machines, not absolute times.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from service.config import load_config
from service.store import EmbeddedStore

sys.path.insert(0, os.path.dirname(__file__))
from timing import per_call, report  # noqa: E402

QUERY = """PREFIX nkg: <https://w3id.org/newborn-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?step ?position ?label ?office WHERE {
  ?step a nkg:Step ; nkg:position ?position ; rdfs:label ?label ; nkg:atOffice ?office
  FILTER(lang(?label) = "en")
} ORDER BY ?position"""

LOAD_TRIPLES = 200_000


def query_latency() -> None:
    files = load_config(environ={})["DATA_FILES"]
    memory = Graph()
    for path in files:
        memory.parse(path)
    prepared = prepareQuery(QUERY)
    embedded = EmbeddedStore(files)
    assert len(list(memory.query(QUERY))) == len(embedded.query(QUERY).rows) == 5
    rows = [
        ("rdflib Memory, parsed each call (baseline)", per_call(lambda: list(memory.query(QUERY)))),
        ("rdflib Memory, prepared", per_call(lambda: list(memory.query(prepared)))),
        ("EmbeddedStore.query: Oxigraph + rdflib terms", per_call(lambda: embedded.query(QUERY))),
        ("pyoxigraph alone, no conversion", per_call(lambda: list(embedded.ox.query(QUERY)))),
    ]
    print(f"query latency, {embedded.triple_count()} triples, 5-row SELECT with ORDER BY:")
    report(rows, rows[0][0])


LOADER = """
import resource, sys, time
path, engine = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if engine == "memory":
    from rdflib import Graph
    n = len(Graph().parse(path, format="nt"))
else:
    import pyoxigraph as ox
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.N_TRIPLES)
    n = len(store)
print(n, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def load_cost() -> None:
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    with tempfile.NamedTemporaryFile("w", suffix=".nt", delete=False) as out:
        for i in range(LOAD_TRIPLES // 4):
            s = f"<https://example.org/s/{i}>"
            out.write(f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "item {i}"@en .\n')
            out.write(f"{s} <https://example.org/p> <https://example.org/s/{i + 1}> .\n")
            out.write(
                f'{s} <https://example.org/n> "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            )
            out.write(f"{s} {rdf_type} <https://example.org/C{i % 7}> .\n")
    print(f"loading {LOAD_TRIPLES:,} N-Triples in a fresh process (peak RSS includes Python):")
    results = {}
    for engine in ("memory", "oxigraph"):
        proc = subprocess.run(
            [sys.executable, "-c", LOADER, out.name, engine],
            capture_output=True,
            text=True,
            check=True,
        )
        n, seconds, rss = proc.stdout.split()
        results[engine] = (float(seconds), float(rss))
        print(
            f"  {engine:9} {int(n):>9,} triples  {float(seconds):6.2f}s  "
            f"peak RSS {float(rss):7.0f} MiB"
        )
    (ms, mr), (os_, or_) = results["memory"], results["oxigraph"]
    print(f"  oxigraph vs rdflib Memory: {ms / os_:.1f}x faster, {mr / or_:.1f}x less memory")
    os.unlink(out.name)


def main() -> None:
    gc.collect()
    query_latency()
    load_cost()


if __name__ == "__main__":
    main()
