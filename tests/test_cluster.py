"""A short `make cluster`: two replicas share one Virtuoso through a replica kill and a store
restart; clients only ever see answers or store errors, and both replicas recover by themselves."""

import math

import pytest

from bench.cluster import run

from .virtuoso import BINARY, MISSING

pytestmark = pytest.mark.skipif(BINARY is None, reason=MISSING)


def test_two_replicas_survive_a_replica_kill_and_a_store_restart():
    report = run(seconds=8, clients=2)
    assert report.requests > 0
    assert set(report.statuses) <= {"200", "502", "503", "504"}, report.statuses
    assert "0" not in report.client_errors, "a refused connection reached a client"
    assert report.retried_on_other_replica > 0, "the killed replica was never noticed"
    assert "503" in report.statuses, "the store restart was never noticed"
    assert not math.isnan(report.recovery_after_store_s), "a replica never answered again"
