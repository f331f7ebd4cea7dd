"""Run wrk against one URL and read its throughput and latency."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass(frozen=True)
class Run:
    rps: float  # 2xx/3xx answers a second: refusals (503 when busy) do not count
    p50_ms: float
    p99_ms: float
    errors: int


def available() -> bool:
    return shutil.which("wrk") is not None


def _ms(text: str) -> float:
    """wrk's '812.00us', '1.20ms', '2.00s', '1.00m'; NaN when no request finished."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")


def run(
    url: str,
    seconds: float,
    threads: int = 2,
    connections: int = 16,
    headers: dict[str, str] | None = None,
) -> Run:
    """wrk -tT -cC -dS --latency URL; non-2xx answers and socket errors count as errors."""
    duration = f"-d{max(1, round(seconds))}s"
    argv = ["wrk", f"-t{threads}", f"-c{connections}", duration, "--timeout", "10s", "--latency"]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run(argv + [url], capture_output=True, text=True, check=True).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", out)
    assert done, out
    requests, elapsed = int(done.group(1)), float(done.group(2)) * UNITS[done.group(3)] / 1e3
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    refused = int(non_2xx.group(1)) if non_2xx else 0
    rps = (requests - refused) / elapsed
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    errors = refused
    # read errors are connections the server closed (gunicorn's sync workers close each one)
    if match := re.search(r"Socket errors: connect (\d+), read \d+, write \d+, timeout (\d+)", out):
        errors += sum(int(g) for g in match.groups())
    return Run(rps, p50, p99, errors)
