"""The evidence an intent is scored on, compiled once: features, example patterns, keywords.

Features are character bigrams and characters (zh) or stemmed words and word pairs (en),
without function words. The example patterns of every query sit in one inverted index, so a
question is compared only with the patterns it shares a feature with. Keywords are folded and
compiled once; a keyword of function words only ('how do i') weighs nothing.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import ahocorasick
import numpy as np

from .link import EN_STOP, EN_TOKEN, ZH_STOP, stem
from .normalise import CJK, fold

WORD = re.compile(r"[a-z0-9]")


def features(text: str, lang: str) -> Counter[str]:
    """Character bigrams (zh) or stemmed words and word pairs (en), without function words."""
    if lang == "zh":
        chars = [
            t
            for t in re.findall(r"§[a-z]+|.", text)
            if (t.startswith("§") or CJK.match(t) or t.isalnum()) and t not in ZH_STOP
        ]
        return Counter(a + b for a, b in zip(chars, chars[1:], strict=False)) + Counter(chars)
    words = [stem(w) for w in EN_TOKEN.findall(text) if w not in EN_STOP]
    return Counter(words) + Counter(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def zh_bigrams(text: str) -> set[str]:
    """The character bigrams of `features(text, "zh")`, as a set (for vocabularies)."""
    chars = [c for c in text if (CJK.match(c) or c.isalnum()) and c not in ZH_STOP]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def norm(vector: Mapping[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two count vectors."""
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    both = norm(a) * norm(b)
    return dot / both if both else 0.0


class Patterns:
    """Example patterns of every query in one language, as an inverted index: for each feature,
    the patterns that have it and its count there, as arrays, so a question is compared with
    every pattern it shares a feature with in one vectorised pass per feature."""

    def __init__(self, patterns: Mapping[str, list[Counter[str]]]) -> None:
        self.names = [name for name, vectors in patterns.items() if vectors]
        owners: list[int] = []
        norms: list[float] = []
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for n, name in enumerate(self.names):
            for vector in patterns[name]:
                column = len(owners)
                owners.append(n)
                norms.append(norm(vector) or 1.0)
                for feature, count in vector.items():
                    postings[feature][0].append(column)
                    postings[feature][1].append(float(count))
        self.postings = {
            feature: (np.array(columns, dtype=np.int64), np.array(counts, dtype=np.float64))
            for feature, (columns, counts) in postings.items()
        }
        self.norms = np.array(norms, dtype=np.float64)
        # patterns are grouped by query: each query's best is a max over one slice
        self.starts = np.searchsorted(np.array(owners, dtype=np.int64), np.arange(len(self.names)))

    def best(self, asked: Counter[str]) -> dict[str, float]:
        """Each query's highest cosine similarity to the question's features."""
        size = norm(asked)
        if not size or not self.names:
            return defaultdict(float)
        dots = np.zeros(len(self.norms))
        for feature, count in asked.items():
            found = self.postings.get(feature)
            if found is not None:
                dots[found[0]] += count * found[1]  # a feature is counted once per pattern
        similarity = dots / (size * self.norms)
        best: dict[str, float] = defaultdict(float)
        for name, top in zip(self.names, np.maximum.reduceat(similarity, self.starts), strict=True):
            if top > 0:
                best[name] = float(top)
        return best


class Keywords:
    """Every query's keywords in one language, in one automaton: one pass over a question finds
    them all. An English keyword's last word may be inflected (activate → activates, activated,
    activating) and must stand at word boundaries."""

    def __init__(self, keywords: Mapping[str, Iterable[str]]) -> None:
        self.order: dict[str, list[tuple[str, float]]] = {}
        self.automaton = ahocorasick.Automaton()
        forms: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name, words in keywords.items():
            folded = sorted({fold(k) for k in words}, key=len, reverse=True)
            self.order[name] = [(k, _weight(k)) for k in folded]
            for keyword in folded:
                for form in _forms(keyword):
                    forms[form].append((name, keyword))
        for form, owners in forms.items():
            self.automaton.add_word(form, (form, owners))
        self.automaton.make_automaton()

    def scores(self, text: str) -> dict[str, float]:
        """Each query's weight of keywords found, longest first, without overlaps."""
        if self.automaton.kind != ahocorasick.AHOCORASICK:
            return {}
        found: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for last, (form, owners) in self.automaton.iter(text):
            start, end = last - len(form) + 1, last + 1
            if not CJK.search(form) and (
                (start > 0 and WORD.match(text[start - 1]))
                or (end < len(text) and WORD.match(text[end]))
            ):
                continue
            for owner in owners:
                found[owner].append((start, end))
        out: dict[str, float] = {}
        for name in {name for name, _ in found}:
            taken = [False] * len(text)
            total = 0.0
            for keyword, weight in self.order[name]:
                for start, end in sorted(found.get((name, keyword), ())):
                    if not any(taken[start:end]):
                        taken[start:end] = [True] * (end - start)
                        total += weight
                        break
            out[name] = total
        return out


def _forms(keyword: str) -> list[str]:
    """The surface forms a keyword is found in."""
    if CJK.search(keyword):
        return [keyword]
    if keyword.endswith("e"):
        return [keyword[:-1] + ending for ending in ("e", "es", "ed", "ing")]
    return [keyword + ending for ending in ("", "s", "es", "ed", "ing")]


def _weight(keyword: str) -> float:
    if CJK.search(keyword):
        return 0.5 * len(keyword)
    content = [w for w in keyword.split() if w not in EN_STOP]
    return 1.0 + 0.5 * (len(content) - 1) if content else 0.0


def phrases(words: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern finding any of the phrases: Chinese anywhere, English at word boundaries."""
    alternatives = sorted({fold(w) for w in words}, key=len, reverse=True)
    if not alternatives:
        return None
    parts = [
        re.escape(w) if CJK.search(w) else rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])"
        for w in alternatives
    ]
    return re.compile("|".join(parts))
