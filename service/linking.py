"""Find the graph's entities named in a question: labels, synonyms, step ordinals, typos.

Every label and synonym of the graph's instances is a name (longest match first); width, case and
colloquial Chinese (啥 → 什么) are folded alike in names and questions; a step is also found by its
ordinal (第三步, step 3, the third step), read from nkg:position; one edit is tolerated in English
words and in Chinese names of 4+ characters when the window fits one entity only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .index import EntityIndex, normalise
from .namespaces import expand

CJK = re.compile(r"[\u3400-\u9fff]")
EN_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|§[a-z]+")
NKG = expand("nkg:") or ""
ZH_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
EN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
}
ORDINALS = [
    re.compile(r"第\s*(?P<n>[一二两三四五六七八九\d]+)\s*(?:个)?(?:步|步骤|环节)"),
    re.compile(r"步骤\s*(?P<n>[一二两三四五六七八九\d]+)"),
    re.compile(
        r"(?<![a-z])step\s*(?:no\.?\s*|number\s*|#\s*)?(?P<n>\d+|one|two|three|four|five|six)\b"
    ),
    re.compile(
        r"\b(?P<n>first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th)\s+(?:step|stage)"
    ),
    re.compile(r"(?P<last>最后一步|最后那一?步|\blast step\b|\bfinal step\b)"),
]
# Function words: they carry no domain meaning, so they neither anchor nor count as unknown.
EN_STOP = set(
    """a an the i me my we our you your it its is are was be been do does did doing
have has had can could should would will shall must may might to of for in on at by with from
about into then than and or but if so as that this these those there here what which who whom
whose when where why how any some all each every no not please tell go going want know up out
just also again still yet am he she they them his her their baby babys child childs kid kids
son daughter one s""".split()
)
ZH_STOP = set("的了吗呢吧啊呀么嘛我你他她它们要在去到把给和跟与及或是有没不就都也还再")
# Colloquial and regional forms, folded in questions, names, keywords and examples alike.
COLLOQUIAL = [
    ("啥时候", "什么时候"),
    ("多会儿", "什么时候"),
    ("哪儿", "哪里"),
    ("哪旮旯", "哪里"),
    ("啥", "什么"),
    ("咋", "怎么"),
    ("甚么", "什么"),
    ("娃", "孩子"),
    ("俺", "我"),
]


def fold(text: str) -> str:
    """Normalise width, case and spacing, and colloquial Chinese forms."""
    text = normalise(text)
    for variant, standard in COLLOQUIAL:
        text = text.replace(variant, standard)
    return text


@dataclass(frozen=True)
class Mention:
    """A span of the question that names one or more graph entities."""

    start: int
    end: int
    iris: frozenset[str]


def detect_lang(question: str) -> str:
    """Chinese when the question has any Chinese character, else English."""
    return "zh" if CJK.search(question) else "en"


def stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


class Linker:
    """Names of one entity index, ready to be found in questions."""

    def __init__(self, index: EntityIndex, positions: dict[int, str], texts: Iterable[str]) -> None:
        self.index, self.positions = index, positions
        merged: dict[str, set[str]] = defaultdict(set)
        for name, iris in index.names.items():
            instances = {i for i in iris if i.startswith(index.base)}
            if len(name) > 1 and not name.isdigit() and instances:
                merged[fold(name)] |= instances
        self.names = sorted(
            ((n, frozenset(i)) for n, i in merged.items()), key=lambda x: -len(x[0])
        )
        self.vocabulary: set[str] = set(EN_STOP)
        for text in [n for n, _ in self.names] + list(texts):
            self.vocabulary.update(EN_TOKEN.findall(fold(text)))
        self.deletes = self._deletes(
            w for w in self.vocabulary if len(w) >= 4 and not w.startswith("§") and w not in EN_STOP
        )

    def mentions(self, text: str, lang: str) -> list[Mention]:
        """Longest non-overlapping mentions of graph names and step ordinals."""
        found: list[Mention] = []
        taken = [False] * len(text)
        for pattern in ORDINALS:
            for match in pattern.finditer(text):
                iri = self._ordinal(match)
                if iri:
                    found.append(Mention(match.start(), match.end(), frozenset([iri])))
                    taken[match.start() : match.end()] = [True] * (match.end() - match.start())
        for name, iris in self.names:
            for start in self._occurrences(text, name, lang):
                end = start + len(name)
                if not any(taken[start:end]):
                    found.append(Mention(start, end, iris))
                    taken[start:end] = [True] * (end - start)
        if lang == "zh":
            found += self._fuzzy_zh(text, taken)
        return sorted(found, key=lambda m: m.start)

    def _ordinal(self, match: re.Match[str]) -> str | None:
        if match.groupdict().get("last"):
            return self.positions[max(self.positions)] if self.positions else None
        raw = match.group("n")
        number = int(raw) if raw.isdigit() else ZH_DIGITS.get(raw, EN_NUMBERS.get(raw, 0))
        return self.positions.get(number, f"missing-step:{number}")

    @staticmethod
    def _occurrences(text: str, name: str, lang: str) -> Iterable[int]:
        if CJK.search(name):
            start = text.find(name)
            while start >= 0:
                yield start
                start = text.find(name, start + 1)
        else:
            pattern = rf"(?<![a-z0-9]){re.escape(name)}(?:s|es)?(?![a-z0-9])"
            for match in re.finditer(pattern, text):
                yield match.start()

    def _fuzzy_zh(self, text: str, taken: list[bool]) -> list[Mention]:
        """Chinese names of 4+ characters with one wrong character (出生证名 → 出生证明),
        accepted only where the window fits a single entity's names."""
        windows: dict[tuple[int, int], set[frozenset[str]]] = defaultdict(set)
        present = set(text)
        for name, iris in self.names:
            size = len(name)
            if size < 4 or not CJK.search(name) or sum(c in present for c in name) < size - 1:
                continue
            for start in range(0, len(text) - size + 1):
                if any(taken[start : start + size]):
                    continue
                window = text[start : start + size]
                if sum(a != b for a, b in zip(window, name, strict=True)) == 1 and CJK.match(
                    window[0]
                ):
                    windows[(start, start + size)].add(iris)
        found = []
        for (start, end), candidates in sorted(windows.items(), key=lambda w: w[0][0] - w[0][1]):
            if len(candidates) == 1 and not any(taken[start:end]):
                found.append(Mention(start, end, next(iter(candidates))))
                taken[start:end] = [True] * (end - start)
        return found

    # ------------------------------------------------------------------ typo correction

    @staticmethod
    def _deletes(words: Iterable[str]) -> dict[str, set[str]]:
        table: dict[str, set[str]] = defaultdict(set)
        for word in words:
            table[word].add(word)
            for i in range(len(word)):
                table[word[:i] + word[i + 1 :]].add(word)
        return table

    def correct(self, text: str) -> str:
        """Replace unknown English words by the vocabulary word one edit away, if unique."""

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in self.vocabulary or len(word) < 3 or stem(word) in self.vocabulary:
                return word
            candidates = set(self.deletes.get(word, ()))
            if len(word) >= 4:
                for i in range(len(word)):
                    candidates |= self.deletes.get(word[:i] + word[i + 1 :], set())
            candidates = {c for c in candidates if 0 <= len(c) - len(word) <= 1 or len(word) >= 4}
            return min(candidates) if len(candidates) == 1 else word

        return EN_TOKEN.sub(fix, text)

    # ------------------------------------------------------------------ intent


def step_positions(index: EntityIndex, store_rows: Iterable[tuple[str, int]]) -> dict[int, str]:
    """Map each step's position to its IRI (from the store's nkg:position values)."""
    steps = index.members_of((expand("nkg:Step") or "",))
    return {position: iri for iri, position in store_rows if iri in steps}
