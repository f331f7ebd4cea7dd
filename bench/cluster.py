"""Two service replicas sharing one Virtuoso, on loopback: kill a replica, restart the store.

Starts a private Virtuoso, loads it with `newborn-kg load`, starts two replicas with
`newborn-kg serve --store sparql`, and runs a round-robin client (retrying once on the other
replica when one refuses the connection, as a load balancer would). A quarter into the run one
replica is killed (SIGKILL) and started again; halfway the store is stopped and started again;
the run goes on (30 s at most) until both replicas have answered after the store came back.
Prints requests, statuses, the errors clients saw, and the recovery times.

    .venv/bin/python bench/cluster.py [--seconds 40] [--clients 4] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port  # noqa: E402
from tests.virtuoso import GRAPH, Virtuoso  # noqa: E402

BIN = Path(sys.executable).parent
STEPS = "SELECT ?s WHERE { ?s a <https://w3id.org/newborn-kg/ontology#Step> } LIMIT "
PASSWORD_VAR = "NEWBORN_KG_CLUSTER_PASSWORD"


def paths(n: int) -> str:
    """The n-th request of the mix: cached canned answers, dereferencing, ad-hoc SPARQL."""
    step = n % 4 + 1
    return [
        "/api/queries/steps",
        f"/api/queries/step-documents?step={step}",
        f"/id/region/410000/v1/service/newborn-medical-insurance-card/step/{step}",
        "/sparql?" + urllib.parse.urlencode({"query": STEPS + str(n % 50 + 1), "format": "json"}),
        f"/api/queries/step-offices?step={step}&lang=en",
    ][n % 5]


@dataclass
class Replica:
    """One `newborn-kg serve` process group on a loopback port."""

    name: str
    endpoint: str
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        args = [str(BIN / "newborn-kg"), "serve", "--port", str(self.port), "--workers", "2"]
        args += ["--store", "sparql", "--endpoint", self.endpoint, "--graph", GRAPH]
        self.proc = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: kill takes the workers too
            env={**os.environ, "NEWBORN_KG_QUERY_TIMEOUT": "5"},
        )

    def wait_ready(self, timeout: float = 60) -> float:
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if json.load(response)["status"] == "ok":
                        return time.monotonic() - began
            except (OSError, ValueError):
                time.sleep(0.1)
        raise RuntimeError(f"replica {self.name} did not start within {timeout}s")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Hit:
    at: float
    replica: str
    status: int  # 0: connection refused or reset
    seconds: float
    stale: bool
    retried: bool


def fetch(url: str) -> tuple[int, bool]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            response.read()
            return response.status, response.headers.get("X-Stale") == "true"
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, False
    except OSError:
        return 0, False


@dataclass
class Report:
    seconds: float
    requests: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    client_errors: dict[str, int] = field(default_factory=dict)
    retried_on_other_replica: int = 0
    stale_answers: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    replica_restart_s: float = 0.0
    replica_refused_s: float = 0.0
    store_restart_s: float = 0.0
    store_errors_s: float = 0.0
    recovery_after_store_s: float = 0.0
    timeline: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"requests             {self.requests} in {self.seconds:.0f} s "
            f"({self.requests / self.seconds:.0f}/s), latency p50 {self.p50_ms:.1f} ms, "
            f"p95 {self.p95_ms:.1f} ms",
            f"statuses             {self.statuses}",
            f"errors clients saw   {self.client_errors or 'none'} "
            f"(after {self.retried_on_other_replica} retries on the other replica)",
            f"stale answers        {self.stale_answers} (cached, marked X-Stale, store down)",
            f"replica killed       restarted and healthy in {self.replica_restart_s:.1f} s; "
            f"connections refused for {self.replica_refused_s:.1f} s",
            f"store restarted      down+up in {self.store_restart_s:.1f} s; store errors "
            f"(503/504/502) for {self.store_errors_s:.1f} s; both replicas answering "
            f"{self.recovery_after_store_s:.2f} s after the store was back (no replica restart)",
        ]


def run(seconds: float = 40, clients: int = 4) -> Report:
    """Run the whole scenario; everything started here is stopped here."""
    folder = Path(tempfile.mkdtemp(prefix="newborn-kg-cluster-"))
    store = Virtuoso(folder)
    replicas = [Replica("a", store.endpoint), Replica("b", store.endpoint)]
    report = Report(seconds)
    hits: list[Hit] = []
    lock = threading.Lock()
    done = threading.Event()
    turn = count()
    try:
        store.start()
        env = {**os.environ, PASSWORD_VAR: "dba"}
        subprocess.run(
            [str(BIN / "newborn-kg"), "load", "--endpoint", store.update, "--gsp", store.gsp]
            + ["--graph", GRAPH, "--user", "dba", "--password-env", PASSWORD_VAR],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for replica in replicas:
            replica.start()
        for replica in replicas:
            replica.wait_ready()
        began = time.monotonic()

        def client() -> None:
            while not done.is_set():
                n = next(turn)
                first = replicas[n % 2]
                t0 = time.monotonic()
                status, stale = fetch(first.url + paths(n))
                retried = False
                if status == 0:  # refused: a load balancer tries the other replica
                    retried = True
                    status, stale = fetch(replicas[(n + 1) % 2].url + paths(n))
                with lock:
                    hits.append(
                        Hit(t0 - began, first.name, status, time.monotonic() - t0, stale, retried)
                    )

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()

        def note(text: str) -> None:
            report.timeline.append(f"{time.monotonic() - began:6.1f} s  {text}")

        time.sleep(seconds * 0.25)
        note("replica a killed (SIGKILL) and started again")
        killed = time.monotonic()
        replicas[0].kill()
        replicas[0].start()
        replicas[0].wait_ready()
        report.replica_restart_s = time.monotonic() - killed
        note(f"replica a healthy again after {report.replica_restart_s:.1f} s")
        time.sleep(max(0.0, began + seconds * 0.5 - time.monotonic()))
        note("store stopped")
        stopped = time.monotonic()
        store.stop()
        store.start()
        back = time.monotonic()
        report.store_restart_s = back - stopped
        note(f"store answering again after {report.store_restart_s:.1f} s")
        time.sleep(max(0.0, began + seconds - time.monotonic()))

        def recovered() -> bool:
            with lock:
                return all(
                    any(
                        h.replica == name and h.at >= back - began and h.status == 200
                        for h in hits
                        if not h.stale
                    )
                    for name in ("a", "b")
                )

        # on a busy machine the events run late: keep going until both replicas have answered
        # an uncached request after the store came back (or 30 s more), so recovery is measured
        while not recovered() and time.monotonic() < back + 30:
            time.sleep(0.1)
        report.seconds = time.monotonic() - began
        done.set()
        for thread in threads:
            thread.join()
        back_at = back - began
        summarise(report, hits, back_at)
        note(f"client stopped; {len(hits)} requests")
    finally:
        done.set()
        for replica in replicas:
            replica.stop()
        store.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return report


def summarise(report: Report, hits: list[Hit], store_back_at: float) -> None:
    report.requests = len(hits)
    report.statuses = {str(k): v for k, v in sorted(Counter(h.status for h in hits).items())}
    report.client_errors = {
        str(k): v for k, v in sorted(Counter(h.status for h in hits if h.status != 200).items())
    }
    report.retried_on_other_replica = sum(h.retried for h in hits)
    report.stale_answers = sum(h.stale for h in hits)
    ok = sorted(h.seconds * 1000 for h in hits if h.status == 200)
    if ok:
        report.p50_ms = statistics.median(ok)
        report.p95_ms = ok[int(0.95 * (len(ok) - 1))]
    refused = [h.at for h in hits if h.retried]
    report.replica_refused_s = (max(refused) - min(refused)) if refused else 0.0
    failed = [h.at for h in hits if h.status in (502, 503, 504)]
    report.store_errors_s = (max(failed) - min(failed)) if failed else 0.0
    # recovery: from the store answering again to the first uncached 200 from each replica
    firsts = []
    for name in ("a", "b"):
        answered = [
            h.at
            for h in hits
            if h.replica == name and h.at >= store_back_at and h.status == 200 and not h.stale
        ]
        firsts.append(min(answered) - store_back_at if answered else float("nan"))
    report.recovery_after_store_s = max(firsts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--json", dest="json_path", default=None)
    args = parser.parse_args()
    report = run(args.seconds, args.clients)
    print("\n".join(report.timeline))
    print("\n".join(report.lines()))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(asdict(report), indent=2) + "\n")


if __name__ == "__main__":
    main()
