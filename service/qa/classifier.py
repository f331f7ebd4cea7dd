"""A linear intent classifier learned from the bank: which query a question asks, or none.

Its input is the question's sentence embedding (as `semantic.py` encodes it) beside all its
words, function words too, with the things it names masked by their class (`words`, hashed into
`DIMENSIONS` buckets); its output a probability for every query of the bank and for `OUT`, a
question the source does not answer. It is softmax regression, trained by
`python -m service.qa.learn` (Adam from zeros for a fixed number of epochs: the same bank gives the
same weights) and stored in `classifier.npz` with the digest of the bank it learned from.

Measured against the nearest-question vote alone (leave-one-set-out over the four newest
development sets, docs/decisions.md §22): the right query first for 79 % of in-scope questions
instead of 77 %, and out-of-scope ones recognised 83 % of the time instead of 80 %.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .link import EN_TOKEN, stem

MODEL = Path(__file__).with_name("classifier.npz")
DIMENSIONS = 1 << 13  # lexical feature buckets
EPOCHS, RATE, L2 = 300, 0.01, 1e-4
TOKEN = re.compile(r"§[a-z]+|[a-z0-9]+|\S")
FEATURES = "all-words"  # what `words` reads; a classifier learned from other features is stale


def digest(bank_text: str) -> str:
    """What the classifier learned from: the bank's text and the training settings."""
    settings = f"{DIMENSIONS} {EPOCHS} {RATE} {L2} {FEATURES}\n"
    return hashlib.sha256((settings + bank_text).encode("utf-8")).hexdigest()[:16]


def words(masked: str, lang: str) -> Counter[str]:
    """Every word of the question, function words too (what, where, 去, 在: the matcher's
    features leave them out, but they carry what is asked): characters, bigrams and trigrams in
    Chinese, stemmed words and word pairs in English, the things named masked by class."""
    if lang == "zh":
        tokens = [t for t in TOKEN.findall(masked) if t.isalnum() or t[0] == "§"]
        grams: Counter[str] = Counter(tokens)
        grams.update(a + b for a, b in zip(tokens, tokens[1:], strict=False))
        grams.update("".join(t) for t in zip(tokens, tokens[1:], tokens[2:], strict=False))
        return grams
    tokens = [stem(w) for w in EN_TOKEN.findall(masked)]
    return Counter(tokens) + Counter(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))


def lexical(masked: str, lang: str) -> dict[int, float]:
    """The question's features as hashed buckets, scaled to unit length."""
    counts: dict[int, float] = {}
    for feature in words(masked, lang):
        bucket = zlib.crc32(feature.encode("utf-8")) % DIMENSIONS
        counts[bucket] = counts.get(bucket, 0.0) + 1.0
    size = sum(v * v for v in counts.values()) ** 0.5
    return {k: v / size for k, v in counts.items()} if size else {}


def dense(embedding: Any, masked: str, lang: str) -> Any:
    """One training row: the embedding, then the lexical buckets."""
    row = np.zeros(len(embedding) + DIMENSIONS, dtype=np.float32)
    row[: len(embedding)] = embedding
    for bucket, value in lexical(masked, lang).items():
        row[len(embedding) + bucket] = value
    return row


@dataclass(frozen=True)
class Classifier:
    """Softmax regression over [embedding, lexical buckets]."""

    classes: tuple[str, ...]
    weights: Any  # (embedding size + DIMENSIONS, classes)
    bias: Any
    learned_from: str  # digest() of the bank

    def probabilities(self, embedding: Any, masked: str, lang: str) -> dict[str, float]:
        size = len(embedding)
        z = embedding @ self.weights[:size] + self.bias
        for bucket, value in lexical(masked, lang).items():
            z = z + value * self.weights[size + bucket]
        z = np.exp(z - z.max())
        z /= z.sum()
        return {name: float(p) for name, p in zip(self.classes, z, strict=True)}

    def save(self, path: Path = MODEL) -> None:
        with path.open("wb") as out:
            np.savez_compressed(
                out,
                classes=np.array(self.classes),
                weights=self.weights.astype(np.float32),
                bias=self.bias.astype(np.float32),
                learned_from=np.array(self.learned_from),
            )

    @classmethod
    def load(cls, path: Path = MODEL) -> Classifier | None:
        if not path.exists():
            return None
        with np.load(path) as data:
            return cls(
                tuple(str(c) for c in data["classes"]),
                data["weights"],
                data["bias"],
                str(data["learned_from"]),
            )


def train(rows: Any, labels: Sequence[Sequence[str]], learned_from: str) -> Classifier:
    """Fit softmax regression; a question of several queries teaches each an equal share."""
    classes = tuple(sorted({name for names in labels for name in names}))
    column = {name: i for i, name in enumerate(classes)}
    targets = np.zeros((len(labels), len(classes)), dtype=np.float32)
    for i, names in enumerate(labels):
        for name in names:
            targets[i, column[name]] = 1.0 / len(names)
    weights = np.zeros((rows.shape[1], len(classes)), dtype=np.float32)
    bias = np.zeros(len(classes), dtype=np.float32)
    params = (weights, bias)
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for step in range(1, EPOCHS + 1):
        z = rows @ weights + bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        error = (p - targets) / len(rows)
        grads = (rows.T @ error + L2 * weights, error.sum(axis=0))
        for k, (param, grad) in enumerate(zip(params, grads, strict=True)):
            first[k] = 0.9 * first[k] + 0.1 * grad
            second[k] = 0.999 * second[k] + 0.001 * grad * grad
            m = first[k] / (1 - 0.9**step)
            v = second[k] / (1 - 0.999**step)
            param -= RATE * m / (np.sqrt(v) + 1e-8)
    return Classifier(classes, weights, bias, learned_from)
