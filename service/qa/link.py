"""Step 2 of the question path: find the graph's entities named in a question.

Names are every rdfs:label, skos:altLabel and skos:hiddenLabel of the graph's instances, folded
like questions and put once into an Aho-Corasick automaton, so finding them costs the length of
the question, not the size of the graph. English names need word boundaries (a plural s/es is
allowed); the longest non-overlapping names win. A step is also found by its ordinal (第3步,
step 3, the third step), read from nkg:position. Chinese names of 4 to 8 characters are found
with one wrong character (出生证名 → 出生证明) through an index of one-wildcard keys, when the
window fits one entity only; unknown English words one edit from a known word are corrected.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import ahocorasick

from ..index import EntityIndex
from ..namespaces import expand
from .normalise import CJK, SEPARATOR, fold_all

EN_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|§[a-z]+")
NKG = expand("nkg:") or ""
EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
EN_NUMBERS |= {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
EN_NUMBERS |= {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
ORDINALS = [
    re.compile(r"第\s*(?P<n>\d+)\s*(?:个)?(?:步|部|步骤|环节)"),  # 部: a same-sounding slip
    re.compile(r"步骤\s*(?P<n>\d+)"),
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
FUZZY_SIZES = range(4, 9)
ENDINGS = {"s", "es", "d", "ed", "ing", "er", "ers", "ly"}
CJK_ONLY = re.compile(r"[\u3400-\u9fff]+")
WORD = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Mention:
    """A span of the question that names one or more graph entities."""

    start: int
    end: int
    iris: AbstractSet[str]


def stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


class Linker:
    """The names of one entity index, compiled once into an automaton."""

    def __init__(self, index: EntityIndex, positions: dict[int, str], texts: Iterable[str]) -> None:
        self.index, self.positions = index, positions
        raw = list(index.names)
        base = index.base
        # IRIs outside the instance base (ontology terms, external things) are not answers
        foreign = {i for iris in index.names.values() for i in iris if not i.startswith(base)}
        self.names: dict[str, AbstractSet[str]] = {}
        for name, folded in zip(raw, fold_all(raw), strict=True):
            if len(folded) < 2 or folded.isdigit():
                continue
            iris = index.names[name]
            if not iris.isdisjoint(foreign):
                iris = iris - foreign
            if iris:
                known = self.names.get(folded)
                self.names[folded] = iris if known is None else known | iris
        # an English name in the plural is also found in the singular ("the regulation")
        for name in [n for n in self.names if n[-1:] == "s" and n.isascii() and len(n) > 4]:
            if not name.endswith("ss") and name[:-1] not in self.names:
                self.names[name[:-1]] = self.names[name]
        self.automaton = ahocorasick.Automaton()
        for name in self.names:
            self.automaton.add_word(name, name)
        self.automaton.make_automaton()
        self.wildcards: dict[str, set[frozenset[str]]] = defaultdict(set)
        # a window one character off a name matches it exactly in one of its halves: windows
        # that match no half of a name of their size are skipped without building their keys
        self.halves: set[tuple[int, bool, str]] = set()
        for name, named in self.names.items():
            if len(name) in FUZZY_SIZES and CJK_ONLY.fullmatch(name):
                half = len(name) // 2
                self.halves |= {(len(name), True, name[:half]), (len(name), False, name[half:])}
                for i in range(len(name)):
                    self.wildcards[f"{name[:i]}?{name[i + 1 :]}"].add(frozenset(named))
        self.vocabulary: set[str] = set(EN_STOP)
        self.vocabulary.update(EN_TOKEN.findall(SEPARATOR.join(fold_all(list(texts)))))
        english = [n for n in self.names if n.isascii()]
        self.vocabulary.update(EN_TOKEN.findall(SEPARATOR.join(english)))
        self.deletes = self._deletes(
            w for w in self.vocabulary if len(w) >= 4 and not w.startswith("§")
        )

    def add(self, name: str, iris: AbstractSet[str]) -> None:
        """Add one name (for tests and extensions); the automaton is rebuilt."""
        self.names[name] = iris
        self.automaton.add_word(name, name)
        self.automaton.make_automaton()

    def remove(self, name: str) -> None:
        """Remove a name added with `add`."""
        self.names.pop(name, None)
        self.automaton.remove_word(name)
        self.automaton.make_automaton()

    def mentions(self, text: str, lang: str) -> list[Mention]:
        """Longest non-overlapping mentions of graph names and step ordinals."""
        found: list[Mention] = []
        taken = [False] * len(text)
        for pattern in ORDINALS:
            for match in pattern.finditer(text):
                iri = self._ordinal(match)
                if iri and not any(taken[match.start() : match.end()]):
                    found.append(Mention(match.start(), match.end(), frozenset([iri])))
                    taken[match.start() : match.end()] = [True] * (match.end() - match.start())
        hits = []
        for last, name in self.automaton.iter(text):
            start, end = last - len(name) + 1, last + 1
            if not CJK.search(name):
                end = self._word_end(text, start, end)
                if end is None:
                    continue
            hits.append((start, end, name))
        # the longest first; of two as long, in Chinese the later one, as the head of a
        # compound comes last ("宝宝出生证明" is a certificate, not the birth)
        later = -1 if lang == "zh" else 1
        for start, end, name in sorted(hits, key=lambda h: (h[0] - h[1], later * h[0])):
            if not any(taken[start:end]):
                found.append(Mention(start, end, self.names[name]))
                taken[start:end] = [True] * (end - start)
        if lang == "zh":
            found += self._fuzzy_zh(text, taken)
        return sorted(found, key=lambda m: m.start)

    @staticmethod
    def _word_end(text: str, start: int, end: int) -> int | None:
        """The end of an English name at a word boundary (plural allowed), or None."""
        if start > 0 and WORD.match(text[start - 1]):
            return None
        for suffix in ("", "s", "es"):
            stop = end + len(suffix)
            if text[end:stop] == suffix and (stop == len(text) or not WORD.match(text[stop])):
                return stop
        return None

    def _ordinal(self, match: re.Match[str]) -> str | None:
        if match.groupdict().get("last"):
            return self.positions[max(self.positions)] if self.positions else None
        raw = match.group("n")
        number = int(raw) if raw.isdigit() else EN_NUMBERS.get(raw, 0)
        return self.positions.get(number, f"missing-step:{number}")

    def _fuzzy_zh(self, text: str, taken: list[bool]) -> list[Mention]:
        """Chinese names of 4-8 characters with one wrong character, where the window fits a
        single entity's names."""
        windows: dict[tuple[int, int], set[frozenset[str]]] = {}
        for size in FUZZY_SIZES:
            for start in range(0, len(text) - size + 1):
                window = text[start : start + size]
                if any(taken[start : start + size]) or not CJK.match(window[0]):
                    continue
                half = size // 2
                if (size, True, window[:half]) not in self.halves and (
                    size,
                    False,
                    window[half:],
                ) not in self.halves:
                    continue
                candidates: set[frozenset[str]] = set()
                for i in range(size):
                    candidates |= self.wildcards.get(f"{window[:i]}?{window[i + 1 :]}", set())
                if candidates:
                    windows[(start, start + size)] = candidates
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
            if any(c.isdigit() for c in word):
                return word  # step3, 1st: ordinals, not misspelled words
            candidates = set(self.deletes.get(word, ()))
            if len(word) >= 4:
                for i in range(len(word)):
                    candidates |= self.deletes.get(word[:i] + word[i + 1 :], set())
            candidates = {c for c in candidates if 0 <= len(c) - len(word) <= 1 or len(word) >= 4}
            # an ending added is an inflection of an unknown word, not a typo (thing → things);
            # a letter added is a typo (certificat → certificate)
            candidates = {
                c for c in candidates if not (c.startswith(word) and c[len(word) :] in ENDINGS)
            }
            # nor is an ending more than a word needs (later → late)
            candidates = {c for c in candidates if not word.startswith(c)}
            if not candidates:
                return word
            # the nearest by edits (mariage: marriage, not marrige); a tie is no correction, and
            # a function word wins nothing but keeps "wich" from becoming "inch"
            distance = {c: edits(word, c) for c in candidates}
            best = min(distance.values())
            if best > (1 if len(word) < 7 else 2):
                return word  # later is not after
            nearest = [c for c, d in distance.items() if d == best]
            return nearest[0] if len(nearest) == 1 and nearest[0] not in EN_STOP else word

        return EN_TOKEN.sub(fix, text)


def edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one edit)."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def step_positions(index: EntityIndex, store_rows: Iterable[tuple[str, int]]) -> dict[int, str]:
    """Map each step's position to its IRI (from the store's nkg:position values)."""
    steps = index.members_of((expand("nkg:Step") or "",))
    return {position: iri for iri, position in store_rows if iri in steps}
