"""`python bench/server_probe.py STEP FILE...`: the whole server's start-up (create_app) on these
data files, its peak RSS, then /health, a canned request, a question and a parameter named by its
label right after, and the canned request's p50, one JSON line per phase, in a fresh process (so
peak RSS is this server's alone)."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from urllib.parse import quote

from service import create_app


def emit(phase: str, seconds: float, **extra: object) -> None:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"phase": phase, "s": round(seconds, 6), "rss_mib": round(rss), **extra}))
    sys.stdout.flush()


def get(client: object, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code, response.data[:300])
    return seconds


def main(step: str, files: list[str]) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    app = create_app({"DATA_FILES": files})
    # CPU time beside the wall time: on a shared machine the wall time also counts the others
    emit("server_startup", time.perf_counter() - start, cpu_s=round(time.process_time() - cpu, 3))
    client = app.test_client()
    emit("server_health_first", get(client, "/health"))
    url = f"/api/queries/step-documents?step={quote(step, safe='')}"
    emit("server_canned_first", get(client, url))
    emit("server_canned_p50", statistics.median(get(client, url) for _ in range(30)))
    emit("server_ask_first", get(client, "/api/ask?q=" + quote("第三步要带什么材料")))
    # a parameter named by its label: the class's names are read on first use
    label = "/api/queries/document-steps?document=" + quote("结婚证")
    emit("server_label_first", get(client, label))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
