"""Question matching latency, in-process: p50/p99 per language over the evaluation set.

Baseline in the same run: folding the question text (normalisation alone), so that the ratio
says how much work matching adds on top of reading the question.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from service.canned import open_canned
from service.config import load_config
from service.qa.asker import Asker
from service.qa.evaluation import load_cases
from service.qa.normalise import detect_lang, fold

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 20


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> None:
    start = time.perf_counter()
    asker = Asker.build(open_canned(load_config()))
    print(
        f"building the matcher (index, names, example patterns): "
        f"{(time.perf_counter() - start) * 1e3:.0f} ms"
    )
    questions = [c["q"] for c in load_cases(ROOT / "tests" / "qa_eval.yaml")]
    for lang in ("zh", "en"):
        subset = [q for q in questions if detect_lang(q) == lang]
        match, answer, base = [], [], []
        for _ in range(ROUNDS):
            for q in subset:
                t = time.perf_counter()
                fold(q)
                base.append(time.perf_counter() - t)
                t = time.perf_counter()
                asker.understanding.understand(q)
                match.append(time.perf_counter() - t)
                t = time.perf_counter()
                asker.ask(q)
                answer.append(time.perf_counter() - t)
        (b50, _), (m50, m99), (a50, a99) = (
            percentiles(base),
            percentiles(match),
            percentiles(answer),
        )
        print(
            f"{lang}: {len(subset)} questions x {ROUNDS}: match p50 {m50 * 1e3:.2f} ms, "
            f"p99 {m99 * 1e3:.2f} ms; full answer (cached query) p50 {a50 * 1e3:.2f} ms, "
            f"p99 {a99 * 1e3:.2f} ms; match / fold-only baseline = {m50 / b50:.0f}x"
        )


if __name__ == "__main__":
    main()
