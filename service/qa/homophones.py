"""Chinese typed by sound: a wrong character with the right pinyin (出声证明 → 出生证明).

People type Chinese by pinyin and pick the wrong character of the same sound: 派出锁, 户口笨,
结昏证, 鸡活, 兰底. A window of the question that is not a known term, but sounds exactly like
one (toneless pinyin, any reading of each character) and differs from it in at most one
character (two for terms of four or more), is replaced by the term. The terms are the domain
vocabulary: names of the graph, query keywords, cue and topic words (two to eight characters).
Readings come from pypinyin's character table; nothing is guessed beyond it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable

from pypinyin.pinyin_dict import pinyin_dict

from .normalise import CJK

SIZES = range(8, 1, -1)  # longest first
TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


@functools.lru_cache(maxsize=65536)
def sounds(char: str) -> tuple[str, ...]:
    """Every toneless reading of a character (the character itself when it has none)."""
    readings = pinyin_dict.get(ord(char))
    if not readings:
        return (char,)
    return tuple(dict.fromkeys(r.translate(TONES) for r in readings.split(",")))


def keys(term: str) -> list[tuple[str, ...]]:
    """The sound keys of a term: one per combination of its characters' readings (capped)."""
    return list(itertools.islice(itertools.product(*(sounds(c) for c in term)), 16))


class Homophones:
    """Terms indexed by sound; `correct` replaces sound-alike windows of a question."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = {t for t in terms if 2 <= len(t) <= max(SIZES) and all(map(CJK.match, t))}
        self.by_sound: dict[tuple[str, ...], set[str]] = {}
        for term in self.terms:
            for key in keys(term):
                self.by_sound.setdefault(key, set()).add(term)

    def correct(self, text: str) -> str:
        """The question with sound-alike windows replaced by the one term they sound like."""
        out: list[str] = []
        i = 0
        while i < len(text):
            replaced = None
            for size in SIZES:
                window = text[i : i + size]
                if len(window) < size or not all(map(CJK.match, window)):
                    continue
                if window in self.terms:
                    replaced = window
                    break
                allowed = 2 if size >= 4 else 1
                found = {
                    t
                    for key in keys(window)
                    for t in self.by_sound.get(key, ())
                    if sum(a != b for a, b in zip(t, window, strict=True)) <= allowed
                }
                if len(found) == 1:
                    replaced = found.pop()
                    break
            if replaced:
                out.append(replaced)
                i += len(replaced)
            else:
                out.append(text[i])
                i += 1
        return "".join(out)
