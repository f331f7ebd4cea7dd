"""`make soak` in its tiny mode: the real server under every load phase; counts, not timings."""

import json
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def test_the_soak_runs_and_counts_no_errors_and_no_resets():
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install wrk; .ci/run installs it)")
    proc = subprocess.run(
        [sys.executable, ROOT / "bench" / "soak.py", "--tiny", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    figures = json.loads(proc.stdout.split("JSON ", 1)[1])
    assert figures["throughput"]["requests"] > 0 and figures["throughput"]["errors"] == 0
    slow = figures["slow"]
    assert slow["health_answered"] == slow["health_probes"]  # not stalled by the crowd
    heavy = figures["heavy"]
    assert heavy["health_answered"] == heavy["health_probes"]
    # one query process per worker, three heavy clients: some are refused at once with 503
    assert heavy["sparql"].get("503 busy", 0) > 0
    assert not [k for k in heavy["sparql"] if not k.startswith("503")]  # no 500, no 200
    # what each client saw, and the server's exit code, when this fails
    assert figures["sigterm"]["resets"] == 0, figures["sigterm"]
    assert figures["sigterm"]["exit"] == 0, figures["sigterm"]
    assert figures["sigterm"]["counts"]["ok"] > 0 and figures["exit"] == 0
    # the query in flight at the SIGTERM ran to its deadline and was answered, not cut
    assert figures["sigterm"]["counts"]["in-flight /sparql answered 503"] == 1
