"""Soak the real server on loopback: canned throughput, slow clients, heavy queries, SIGTERM.

Each phase compares against a baseline measured in the same run, in alternating rounds (the
machine is shared, so only same-run ratios mean anything). Needs wrk (apt-get install wrk).
`--tiny` runs every phase for a second or two (the test suite uses it); `--record FILE` writes
the figures as the `## Soak` section of FILE.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CANNED = [
    "/api/queries/steps",
    "/api/queries/step-documents?step=3",
    "/api/queries/laws",
    "/api/queries/next-step?step=2",
]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format('SOAK {"requests": %%d, "seconds": %%f, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50_ms": %%f, "p95_ms": %%f, "p99_ms": %%f}\\n',
    s.requests, s.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
"""


@dataclass(frozen=True)
class Scale:
    seconds: float  # the main throughput run
    clients: int
    idle: int
    trickle: int
    heavy: int
    rounds: int
    round_seconds: float
    probes: int
    query_timeout: float
    sparql_workers: int


FULL = Scale(60, 64, 200, 50, 10, 2, 10, 100, 10, 2)
TINY = Scale(2, 4, 10, 3, 3, 1, 1, 10, 2, 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`newborn-kg serve` (or the old gunicorn sync set-up, `--server gunicorn-sync`)."""

    def __init__(self, kind: str, scale: Scale) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "NEWBORN_KG_QUERY_TIMEOUT": str(scale.query_timeout),
            "NEWBORN_KG_SPARQL_WORKERS": str(scale.sparql_workers),
        }
        if kind == "gunicorn-sync":
            cmd = [str(BIN / "gunicorn"), "--preload", "-w", "2", "-b", f"127.0.0.1:{self.port}"]
            cmd += ["--graceful-timeout", "10", "--timeout", "40", "service:create_app()"]
        else:
            cmd = [str(BIN / "newborn-kg"), "serve", "--port", str(self.port), "--workers", "2"]
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while get(self.port, "/health", 2)[0] != 200:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"soak: the server did not start: {self.output()}")
            time.sleep(0.2)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(60)
        finally:
            self.proc.kill()


def get(port: int, path: str, timeout: float = 5, body: str | None = None) -> tuple[int, str]:
    """One request on a fresh connection: (status, body), or (0, error name)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        conn.request("POST" if body else "GET", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    except OSError as exc:
        return 0, type(exc).__name__
    finally:
        conn.close()


def wrk(port: int, seconds: float, connections: int) -> dict[str, float]:
    """wrk over the canned queries: requests, errors, latency percentiles."""
    paths = ", ".join(json.dumps(p) for p in CANNED)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % paths)
        script.flush()
        threads = str(min(2, connections))
        cmd = ["wrk", "-t", threads, "-c", str(connections), "-d", f"{max(1, round(seconds))}s"]
        cmd += ["-s", script.name, f"http://127.0.0.1:{port}"]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    found = re.search(r"^SOAK (\{.*\})$", out, re.M)
    if not found:
        raise SystemExit(f"soak: wrk printed no summary:\n{out}")
    result: dict[str, float] = json.loads(found.group(1))
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def probe(port: int, count: int) -> list[float | None]:
    """GET /health `count` times on fresh connections: each latency in ms, None if unanswered
    (after three unanswered in a row, the rest count as unanswered without waiting)."""
    times: list[float | None] = []
    for _ in range(count):
        started = time.perf_counter()
        status, _ = get(port, "/health", 5)
        times.append((time.perf_counter() - started) * 1e3 if status == 200 else None)
        if times[-3:] == [None, None, None]:
            return times + [None] * (count - len(times))
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


class Crowd:
    """Idle keep-alive connections and clients sending a body at one byte a second."""

    def __init__(self, port: int, idle: int, trickle: int) -> None:
        self.port, self.idle, self.trickle = port, idle, trickle
        self.counts: Counter[str] = Counter()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.tasks: list[asyncio.Future[None]] = []

    def __enter__(self) -> Crowd:
        self.thread.start()
        for _ in range(self.idle):
            self.tasks.append(asyncio.run_coroutine_threadsafe(self.idler(), self.loop))
        for _ in range(self.trickle):
            self.tasks.append(asyncio.run_coroutine_threadsafe(self.trickler(), self.loop))
        deadline = time.monotonic() + 10
        while self.counts["open"] < self.idle + self.trickle and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        for task in self.tasks:
            task.cancel()
        time.sleep(0.2)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    async def idler(self) -> None:
        while True:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                writer.write(b"GET /health HTTP/1.1\r\nHost: soak\r\n\r\n")
                await reader.readuntil(b"}")  # the JSON body; the connection stays open
                self.counts["open"] += 1
                await reader.read()  # until the server closes it
                self.counts["idle closed by server"] += 1
            finally:
                writer.close()

    async def trickler(self) -> None:
        while True:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                writer.write(
                    b"POST /api/ask HTTP/1.1\r\nHost: soak\r\n"
                    b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                )
                self.counts["open"] += 1
                answer = asyncio.ensure_future(reader.read(64))
                try:
                    while not answer.done():
                        writer.write(b" ")
                        await writer.drain()
                        await asyncio.wait([answer], timeout=1)
                except OSError:
                    pass
                head = (await answer).split(b" ")
                status = head[1].decode() if len(head) > 1 else "EOF"
                self.counts[f"trickle answered {status}"] += 1
            finally:
                writer.close()


class HeavyClients:
    """Clients that keep sending a query that runs past the deadline, honouring Retry-After."""

    def __init__(self, port: int, count: int) -> None:
        self.port, self.stop = port, threading.Event()
        self.counts: Counter[str] = Counter()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(count)]

    def __enter__(self) -> HeavyClients:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def run(self) -> None:
        body = urllib.parse.urlencode({"query": HEAVY})
        while not self.stop.is_set():
            status, text = get(self.port, "/sparql", 60, body)
            kind = "busy" if "busy" in text else "deadline" if "did not finish" in text else ""
            self.counts[f"{status} {kind}".strip()] += 1
            if status == 503:
                self.stop.wait(1)


def sigterm_under_load(kind: str, scale: Scale, clients: int = 16) -> dict[str, object]:
    """Fresh-connection clients on the canned API; SIGTERM mid-run; count what each saw."""
    server = Server(kind, scale)
    counts: Counter[str] = Counter()
    done = threading.Event()

    def hammer() -> None:
        refused = 0
        while refused < 3 and not done.is_set():
            status, text = get(server.port, CANNED[0], 10)
            if status == 200:
                counts["ok"] += 1
            elif text == "ConnectionRefusedError":
                counts["refused after the stop"] += 1
                refused += 1
                time.sleep(0.05)
            else:
                counts[f"reset: {status or text}"] += 1

    def long_request() -> None:  # in flight at the SIGTERM: runs to its query deadline
        body = urllib.parse.urlencode({"query": HEAVY})
        counts[f"in-flight /sparql answered {get(server.port, '/sparql', 60, body)[0]}"] += 1

    threads = [threading.Thread(target=hammer) for _ in range(clients)]
    threads.append(threading.Thread(target=long_request))
    for thread in threads:
        thread.start()
    time.sleep(max(1.0, scale.seconds / 10))
    started = time.monotonic()
    code = server.stop()
    stopped = time.monotonic() - started
    done.set()
    for thread in threads:
        thread.join(30)
    resets = sum(v for k, v in counts.items() if k.startswith("reset"))
    return {"counts": dict(counts), "resets": resets, "exit": code, "stop_seconds": stopped}


def soak(kind: str, scale: Scale) -> dict[str, object]:
    figures: dict[str, object] = {"server": kind, "scale": scale.__dict__}
    server = Server(kind, scale)
    try:
        main = wrk(server.port, scale.seconds, scale.clients)
        figures["throughput"] = main
        idle_rps, slow_rps, idle_health, slow_health = [], [], [], []
        for _ in range(scale.rounds):
            idle_health += probe(server.port, scale.probes)
            idle_rps.append(wrk(server.port, scale.round_seconds, scale.clients)["rps"])
            with Crowd(server.port, scale.idle, scale.trickle) as crowd:
                slow_health += probe(server.port, scale.probes)
                slow_rps.append(wrk(server.port, scale.round_seconds, scale.clients)["rps"])
            figures["crowd"] = dict(crowd.counts)
        figures["slow"] = summary(idle_rps, slow_rps, idle_health, slow_health)
        idle_p95, heavy_p95, heavy_health = [], [], []
        heavy_counts: Counter[str] = Counter()
        for _ in range(scale.rounds):
            idle_p95.append(wrk(server.port, scale.round_seconds, 4)["p95_ms"])
            with HeavyClients(server.port, scale.heavy) as heavy:
                time.sleep(1)
                heavy_p95.append(wrk(server.port, scale.round_seconds, 4)["p95_ms"])
                heavy_health += probe(server.port, scale.probes)
            heavy_counts.update(heavy.counts)
        answered = [t for t in heavy_health if t is not None]
        figures["heavy"] = {
            "canned_p95_idle_ms": statistics.median(idle_p95),
            "canned_p95_heavy_ms": statistics.median(heavy_p95),
            "p95_ratio": statistics.median(h / i for h, i in zip(heavy_p95, idle_p95, strict=True)),
            "health_answered": len(answered),
            "health_probes": len(heavy_health),
            "health_p99_ms": pct(answered, 0.99),
            "sparql": dict(heavy_counts),
        }
    finally:
        figures["exit"] = server.stop()
    figures["sigterm"] = sigterm_under_load(kind, scale)
    return figures


def summary(
    idle_rps: list[float],
    slow_rps: list[float],
    idle_health: list[float | None],
    slow_health: list[float | None],
) -> dict[str, float]:
    slow = [t for t in slow_health if t is not None]
    idle = [t for t in idle_health if t is not None]
    return {
        "rps_idle": statistics.median(idle_rps),
        "rps_slow": statistics.median(slow_rps),
        "rps_ratio": statistics.median(s / i for s, i in zip(slow_rps, idle_rps, strict=True)),
        "health_answered": len(slow),
        "health_probes": len(slow_health),
        "health_p50_ms": pct(slow, 0.5),
        "health_p99_ms": pct(slow, 0.99),
        "health_p99_idle_ms": pct(idle, 0.99),
    }


def report(f: dict[str, object]) -> str:
    t, s, h, k = (f[key] for key in ("throughput", "slow", "heavy", "sigterm"))
    assert isinstance(t, dict) and isinstance(s, dict) and isinstance(h, dict)
    assert isinstance(k, dict)
    sc = f["scale"]
    assert isinstance(sc, dict)
    return "\n".join(
        [
            f"- server: `{f['server']}`, 2 workers, {os.cpu_count()} CPUs (shared), "
            f"QUERY_TIMEOUT {sc['query_timeout']:g} s, SPARQL_WORKERS {sc['sparql_workers']}",
            f"- canned throughput, {sc['clients']} clients × {t['seconds']:.0f} s: "
            f"{t['requests']:.0f} requests, {t['rps']:.0f}/s, **{t['errors']:.0f} errors**, "
            f"p99 {t['p99_ms']:.1f} ms",
            f"- slow clients ({sc['idle']} idle keep-alive + {sc['trickle']} sending 1 byte/s), "
            f"{sc['rounds']} alternating rounds of {sc['round_seconds']:g} s: /health answered "
            f"**{s['health_answered']}/{s['health_probes']}**, p50 {s['health_p50_ms']:.1f} ms, "
            f"**p99 {s['health_p99_ms']:.1f} ms** (idle p99 {s['health_p99_idle_ms']:.1f} ms); "
            f"canned {s['rps_slow']:.0f}/s vs {s['rps_idle']:.0f}/s idle = "
            f"**{s['rps_ratio']:.2f}×**; crowd: {f.get('crowd')}",
            f"- heavy queries ({sc['heavy']} clients sending a cross product to /sparql): canned "
            f"p95 {h['canned_p95_heavy_ms']:.1f} ms vs {h['canned_p95_idle_ms']:.1f} ms idle = "
            f"**{h['p95_ratio']:.2f}×**; /health answered {h['health_answered']}/"
            f"{h['health_probes']}, p99 {h['health_p99_ms']:.1f} ms; /sparql answers: "
            f"{h['sparql']}",
            f"- SIGTERM under load (16 fresh-connection clients on the canned API, one /sparql "
            f"query in flight): **{k['resets']} resets**, "
            f"{k['counts']}, exit {k['exit']}, stopped in {k['stop_seconds']:.1f} s",
        ]
    )


def record(path: Path, text: str) -> None:
    """Replace (or append) the `## Soak` section of the results file."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    section = f"## Soak\n\n`make soak`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}:\n\n"
    section += text + "\n"
    pattern = re.compile(r"^## Soak\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda _: section + "\n", old)
    else:
        new = old.rstrip() + "\n\n" + section
    path.write_text(new.rstrip() + "\n", encoding="utf-8")


def compare(scale: Scale, rounds: int = 2, seconds: float = 10) -> None:
    """A/B the old gunicorn sync set-up against `newborn-kg serve`, alternating rounds."""
    rows: dict[str, list[dict[str, float]]] = {}
    for _ in range(rounds):
        for kind in ("gunicorn-sync", "newborn-kg"):
            server = Server(kind, scale)
            try:
                idle = wrk(server.port, seconds, scale.clients)
                with Crowd(server.port, scale.idle, scale.trickle):
                    health = probe(server.port, 20)
                    slow = wrk(server.port, seconds, scale.clients)
            finally:
                server.stop()
            answered = [t for t in health if t is not None]
            resets = sigterm_under_load(kind, scale)["resets"]
            rows.setdefault(kind, []).append(
                {
                    "rps_idle": idle["rps"],
                    "errors_idle": idle["errors"],
                    "rps_slow": slow["rps"],
                    "health_answered": len(answered),
                    "health_p50_ms": pct(answered, 0.5),
                    "sigterm_resets": float(str(resets)),
                }
            )
            print(kind, json.dumps(rows[kind][-1]), flush=True)
    for kind, runs in rows.items():
        medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"{kind}: " + ", ".join(f"{k} {v:.1f}" for k, v in medians.items()))
    pairs = zip(rows["newborn-kg"], rows["gunicorn-sync"], strict=True)
    ratio = [n["rps_idle"] / g["rps_idle"] for n, g in pairs]
    print(f"newborn-kg / gunicorn-sync requests/s, idle, per round: {[round(r, 2) for r in ratio]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="a second or two per phase")
    parser.add_argument("--server", choices=["newborn-kg", "gunicorn-sync"], default="newborn-kg")
    parser.add_argument("--record", type=Path, help="write the figures to this results file")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--compare", action="store_true", help="A/B against gunicorn sync")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("soak: needs wrk (apt-get install wrk)")
    if args.compare:
        compare(TINY if args.tiny else FULL)
        return
    figures = soak(args.server, TINY if args.tiny else FULL)
    text = report(figures)
    print(text)
    if args.json:
        print("JSON " + json.dumps(figures))
    if args.record:
        record(args.record, text)


if __name__ == "__main__":
    main()
