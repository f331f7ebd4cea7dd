"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def per_call(func: Callable[[], object], seconds: float = 1.0, min_calls: int = 5) -> list[float]:
    """Call func repeatedly for about `seconds`; return each call's time in seconds."""
    times: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < min_calls:
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def report(rows: list[tuple[str, list[float]]], baseline: str) -> None:
    """Print median and p99 per row, and each median's ratio to the baseline's."""
    medians = {name: statistics.median(times) for name, times in rows}
    base = medians[baseline]
    print(f"  {'case':46} {'median':>10} {'p99':>10} {'calls':>7} {'vs ' + baseline[:18]:>22}")
    for name, times in rows:
        p99 = sorted(times)[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"  {name:46} {medians[name] * 1e3:8.3f}ms {p99 * 1e3:8.3f}ms {len(times):7d} "
            f"{base / medians[name]:20.1f}x"
        )
