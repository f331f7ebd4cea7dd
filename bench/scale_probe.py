"""`python bench/scale_probe.py FILE...`: start-up phases, peak RSS and query times, one JSON
line per phase, in a fresh process (so peak RSS is this graph's alone)."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time

from service.canned import open_canned
from service.config import load_config
from service.qa.asker import Asker
from service.store import EmbeddedStore

AGGREGATE = """SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class"""


def emit(phase: str, seconds: float, **extra: object) -> None:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"phase": phase, "s": round(seconds, 6), "rss_mib": round(rss), **extra}))
    sys.stdout.flush()


def p50(func: object, calls: int) -> float:
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(files: list[str], step: str, with_asker: bool) -> None:
    config = load_config({"DATA_FILES": files})
    start = time.perf_counter()
    store = EmbeddedStore(config["DATA_FILES"])
    emit("load", time.perf_counter() - start, triples=len(store.ox))
    mark = time.perf_counter()
    canned = open_canned(config, store)
    emit("index", time.perf_counter() - mark)
    if with_asker:
        mark = time.perf_counter()
        Asker.build(canned)
        emit("asker", time.perf_counter() - mark)
    emit("startup", time.perf_counter() - start)
    canned.answer("step-documents", {"step": step}, "zh")
    seconds = p50(lambda: canned.answer("step-documents", {"step": step}, "zh"), 30)
    emit("canned_p50", seconds)
    emit("aggregate", p50(lambda: store.query(AGGREGATE), 3))


if __name__ == "__main__":
    main(sys.argv[3:], sys.argv[1], sys.argv[2] == "asker")
