"""Question matching at the real size and on generated graphs: build time, p50/p99 per question.

For each size: loading the store, the entity index, Asker.build (reading positions, links,
sources and notes from the store, then the matcher: names automaton, example patterns,
keywords, cues), the wait for the sentence embedding (model and bank, loaded on a thread of its
own from Asker.build on), the matcher alone, then every question of the development set
(tests/qa_eval.yaml) matched ROUNDS times (understand). On the real graph each question is also
answered (ask, after one untimed round that runs and caches the canned queries; the cache of
whole answers is emptied before each timed call); on generated
graphs the canned queries run over every copy, which is the SPARQL store's cost, not the
matcher's, so they are not timed there. Baseline in the same run: folding the question alone.
Build times are given as CPU time and wall time: on a shared machine the wall time also counts
the other processes' turns; per-question times are CPU time of this thread.

    .venv/bin/python bench/bench_questions.py                        # the real graph
    .venv/bin/python bench/bench_questions.py real 100000 1000000    # as in bench/results.md
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from service.canned import CannedQueries  # noqa: E402
from service.catalog import load_catalog  # noqa: E402
from service.config import load_config  # noqa: E402
from service.index import EntityIndex  # noqa: E402
from service.opening import open_store  # noqa: E402
from service.qa import bank  # noqa: E402
from service.qa.asker import Asker  # noqa: E402
from service.qa.cases import load_cases  # noqa: E402
from service.qa.intend import Understanding  # noqa: E402
from service.qa.normalise import fold  # noqa: E402

ROOT = HERE.parent
ROUNDS = 5


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def measure(
    files: list[str] | None, questions: list[str], rounds: int = ROUNDS, answer: bool = True
) -> dict[str, float]:
    """Build the matcher over the files (the configured graph when None) and time questions."""
    config = load_config({"DATA_FILES": files} if files else None, environ={})
    figures: dict[str, float] = {}
    clock = Clock()
    store = open_store(config)
    figures["load_cpu"], figures["load_wall"] = clock.lap()
    figures["triples"] = store.triple_count()
    index = EntityIndex.build(store, config["BASE_URI"] + "id/")
    figures["index_cpu"], figures["index_wall"] = clock.lap()
    canned = CannedQueries(load_catalog(config["QUERIES_DIR"]), store, index)
    asker = Asker.build(canned)
    figures["asker_cpu"], figures["asker_wall"] = clock.lap()
    asker.warm()  # the sentence embedding loads and encodes the bank on a thread of its own
    figures["embedding_cpu"], figures["embedding_wall"] = clock.lap()
    u = asker.understanding
    taught = tuple(bank.load())
    Understanding(
        canned.catalog,
        index,
        u.positions,
        u.links,
        u.finals,
        u.producers,
        taught,
        False,
        makers=u.makers,
    )
    figures["matcher_cpu"], figures["matcher_wall"] = clock.lap()
    base, match, answered = [], [], []
    tick = time.thread_time
    for q in questions if answer else []:
        asker.ask(q)  # runs and caches the canned queries
    for _ in range(rounds):
        for q in questions:
            t = tick()
            fold(q)
            base.append(tick() - t)
            t = tick()
            u.understand(q)
            match.append(tick() - t)
            if answer:
                asker.forget()
                t = tick()
                asker.ask(q)
                answered.append(tick() - t)
    figures["fold_p50_ms"] = percentiles(base)[0] * 1e3
    figures["match_p50_ms"], figures["match_p99_ms"] = (x * 1e3 for x in percentiles(match))
    if answered:
        figures["ask_p50_ms"], figures["ask_p99_ms"] = (x * 1e3 for x in percentiles(answered))
    figures["questions"] = len(questions) * rounds
    return figures


class Clock:
    """CPU and wall seconds since the last lap."""

    def __init__(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def lap(self) -> tuple[float, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        lap = (cpu - self.cpu, wall - self.wall)
        self.cpu, self.wall = cpu, wall
        return lap


def line(size: str, f: dict[str, float]) -> str:
    return (
        f"{size:>8}: {int(f['triples']):>9} triples; CPU (wall) s: load {f['load_cpu']:.1f} "
        f"({f['load_wall']:.1f}), entity index {f['index_cpu']:.2f} ({f['index_wall']:.2f}), "
        f"Asker.build {f['asker_cpu']:.2f} ({f['asker_wall']:.2f}), of which the matcher "
        f"{f['matcher_cpu']:.2f} ({f['matcher_wall']:.2f}), then waiting for the sentence "
        f"embedding's load {f['embedding_cpu']:.2f} ({f['embedding_wall']:.2f}); per question "
        f"(CPU): match p50 "
        f"{f['match_p50_ms']:.2f} ms, p99 {f['match_p99_ms']:.2f} ms"
        + (
            f"; ask with cached query p50 {f['ask_p50_ms']:.2f} ms, p99 {f['ask_p99_ms']:.2f} ms"
            if "ask_p50_ms" in f
            else ""
        )
        + f" ({int(f['questions'])} questions; fold-only baseline {f['fold_p50_ms']:.3f} ms)"
    )


def main(sizes: list[str] | None = None) -> None:
    questions = [c["q"] for c in load_cases(ROOT / "tests" / "qa_eval.yaml")]
    for size in sizes or ["real"]:
        if size == "real":
            print(line(size, measure(None, questions)), flush=True)
            continue
        with tempfile.TemporaryDirectory() as folder:
            files = [str(p) for p in generate(int(size), Path(folder))]
            print(line(size, measure(files, questions, answer=False)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
