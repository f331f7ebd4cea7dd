"""Question → (canned query, parameters): pure matching over the graph's names and the registry.

Entities are found through every label and synonym of the graph (longest match first, one
edit tolerated in longer names); a step is also found by its ordinal (第三步, step 3, the third
step), read from nkg:position. Each canned query is scored by its header keywords and by the
similarity of the question to its header examples, with entity mentions masked by their class
so that examples act as patterns. A query is a candidate only when its required parameters can
be filled from the mentions. Nothing is answered without a domain anchor and enough score.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .catalog import CannedQuery
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
MIN_SCORE = 1.2
MIN_COVERAGE = 0.5
MIN_EVIDENCE = 0.45


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


@dataclass(frozen=True)
class Interpretation:
    """What the question was understood to ask, or why it was not."""

    lang: str
    understood: bool
    query: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    confidence: float = 0.0
    clarify: tuple[tuple[str, str], ...] = ()
    reason: str = ""


def detect_lang(question: str) -> str:
    """Chinese when the question has any Chinese character, else English."""
    return "zh" if CJK.search(question) else "en"


def features(text: str, lang: str) -> Counter[str]:
    """Character bigrams (zh) or stemmed words and word pairs (en), without function words."""
    if lang == "zh":
        chars = [
            t
            for t in re.findall(r"§[a-z]+|.", text)
            if (t.startswith("§") or CJK.match(t) or t.isalnum()) and t not in ZH_STOP
        ]
        return Counter(a + b for a, b in zip(chars, chars[1:], strict=False)) + Counter(chars)
    words = [_stem(w) for w in EN_TOKEN.findall(text) if w not in EN_STOP]
    return Counter(words) + Counter(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two count vectors."""
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


class Understanding:
    """The question matcher for one catalog over one entity index."""

    def __init__(
        self,
        catalog: dict[str, CannedQuery],
        index: EntityIndex,
        positions: dict[int, str],
        links: dict[str, set[str]] | None = None,
    ) -> None:
        self.catalog, self.index, self.positions = catalog, index, positions
        self.links = links or {}
        merged: dict[str, set[str]] = defaultdict(set)
        for name, iris in index.names.items():
            instances = {i for i in iris if i.startswith(index.base)}
            if len(name) > 1 and not name.isdigit() and instances:
                merged[fold(name)] |= instances
        self.names = sorted(
            ((n, frozenset(i)) for n, i in merged.items()), key=lambda x: -len(x[0])
        )
        self.classes = self._classes_by_member()
        self.vocabulary = self._vocabulary()
        self.zh_vocabulary = self._zh_vocabulary()
        self.deletes = self._deletes(
            w for w in self.vocabulary if len(w) >= 4 and not w.startswith("§") and w not in EN_STOP
        )
        self.examples = {
            (name, lang): [self._pattern(fold(e), lang) for e in q.examples[lang]]
            for name, q in catalog.items()
            for lang in ("zh", "en")
        }

    # ------------------------------------------------------------------ entity mentions

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

    def _vocabulary(self) -> set[str]:
        words: set[str] = set(EN_STOP)
        texts = [n for n, _ in self.names]
        for q in self.catalog.values():
            texts += list(q.keywords["en"]) + list(q.examples["en"]) + [q.summary["en"]]
        for text in texts:
            words.update(EN_TOKEN.findall(fold(text)))
        return words

    def _zh_vocabulary(self) -> set[str]:
        texts = [n for n, _ in self.names]
        for q in self.catalog.values():
            texts += list(q.keywords["zh"]) + list(q.examples["zh"]) + [q.summary["zh"]]
        return {g for t in texts for g in features(fold(t), "zh") if len(g) == 2}

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
            if word in self.vocabulary or len(word) < 3 or _stem(word) in self.vocabulary:
                return word
            candidates = set(self.deletes.get(word, ()))
            if len(word) >= 4:
                for i in range(len(word)):
                    candidates |= self.deletes.get(word[:i] + word[i + 1 :], set())
            candidates = {c for c in candidates if 0 <= len(c) - len(word) <= 1 or len(word) >= 4}
            return min(candidates) if len(candidates) == 1 else word

        return EN_TOKEN.sub(fix, text)

    # ------------------------------------------------------------------ intent

    def _classes_by_member(self) -> dict[str, set[str]]:
        classes: dict[str, set[str]] = defaultdict(set)
        for cls, members in self.index.members.items():
            for iri in members:
                classes[iri].add(cls)
        return classes

    def _pattern(self, text: str, lang: str) -> Counter[str]:
        return features(self.masked(text, self.mentions(text, lang)), lang)

    def masked(self, text: str, mentions: list[Mention]) -> str:
        """Replace each mention by a token of its class, so examples act as patterns."""
        out, last = [], 0
        for mention in mentions:
            out.append(text[last : mention.start] + f" {self._token(mention)} ")
            last = mention.end
        return "".join(out) + text[last:]

    def _token(self, mention: Mention) -> str:
        ours = sorted(
            {c for i in mention.iris for c in self.classes.get(i, ()) if c.startswith(NKG)}
        )
        name = ours[0][len(NKG) :].lower() if ours else "thing"
        return f"§{name}"

    def _coverage(self, text: str, lang: str, mentions: list[Mention]) -> float:
        """Share of the question's content that the domain vocabulary knows."""
        rest = list(text)
        for m in mentions:
            rest[m.start : m.end] = [" "] * (m.end - m.start)
        remainder = "".join(rest)
        if lang == "zh":
            known = self.zh_vocabulary
            grams = [g for g in features(remainder, "zh") if len(g) == 2]
            if not grams:
                return 1.0 if mentions else 0.0
            return sum(g in known for g in grams) / len(grams)
        words = [w for w in EN_TOKEN.findall(remainder) if w not in EN_STOP]
        if not words:
            return 1.0 if mentions else 0.0
        return sum(w in self.vocabulary or _stem(w) in self.vocabulary for w in words) / len(words)

    def _fill(
        self, query: CannedQuery, mentions: list[Mention]
    ) -> tuple[dict[str, list[str]], float] | None:
        """Candidate IRIs for each parameter and how directly they were named; None when a
        required parameter cannot be filled. A parameter not named itself may be filled by the
        one member of its class linked to a named entity (社保局 → the channel at 社保局)."""
        filled: dict[str, list[str]] = {}
        directness = 0.0
        for param in query.params:
            wanted = set(param.classes)
            options: list[str] = []
            weight = 0.8
            for m in mentions:
                fits = sorted(i for i in m.iris if self.classes.get(i, set()) & wanted)
                options += fits
                if fits and len(fits) < len(m.iris):
                    weight = 0.4  # the name also means something of another kind
            options = list(dict.fromkeys(options))
            if options:
                filled[param.name], directness = options, directness + weight
                continue
            linked = {
                n
                for m in mentions
                for i in m.iris
                for n in self.links.get(i, ())
                if self.classes.get(n, set()) & wanted
            }
            if len(linked) == 1:
                filled[param.name], directness = [linked.pop()], directness + 0.4
            elif param.required:
                return None
        return filled, directness

    def understand(self, question: str, lang: str | None = None) -> Interpretation:
        """Map a question onto one canned query and its parameters, or say why not."""
        lang = lang or detect_lang(question)
        text = fold(question)
        if lang == "en":
            text = self.correct(text)
        mentions = self.mentions(text, lang)
        missing = sorted({i for m in mentions for i in m.iris if i.startswith("missing-step:")})
        if missing:
            steps = [
                (iri, self.index.label(iri, lang) or iri)
                for _, iri in sorted(self.positions.items())
            ]
            return Interpretation(lang, False, clarify=tuple(steps), reason="no such step")
        mentions = [m for m in mentions if m.iris]
        asked = features(self.masked(text, mentions), lang)
        scored = []
        for name, query in self.catalog.items():
            fit = self._fill(query, mentions)
            if fit is None:
                continue
            filled, directness = fit
            keywords = keyword_score(text, query.keywords[lang])
            similar = max((cosine(asked, e) for e in self.examples[(name, lang)]), default=0.0)
            if not keywords and similar < MIN_EVIDENCE:
                continue  # naming an entity is not a question about it
            score = keywords + 3.0 * similar + directness
            scored.append((score, name, filled, keywords, similar))
        scored.sort(key=lambda s: -s[0])
        coverage = self._coverage(text, lang, mentions)
        # A named entity anchors the question in the domain; otherwise a content keyword or a
        # near-verbatim example must, and most of the question must be domain vocabulary.
        anchored = bool(mentions) or (
            bool(scored) and coverage >= MIN_COVERAGE and (scored[0][3] > 0 or scored[0][4] >= 0.8)
        )
        if not scored or scored[0][0] < MIN_SCORE or not anchored:
            return Interpretation(lang, False, reason="not understood")
        score, name, filled = scored[0][:3]
        second = scored[1][0] if len(scored) > 1 else 0.0
        ambiguous = {p: iris for p, iris in filled.items() if len(iris) > 1}
        if ambiguous:
            options = [
                (i, self.index.label(i, lang) or i) for iris in ambiguous.values() for i in iris
            ]
            return Interpretation(
                lang, False, query=name, clarify=tuple(options), reason="ambiguous"
            )
        confidence = round(min(1.0, score / 4.0) * (score / (score + second)) * 2 * coverage, 3)
        params = {p: iris[0] for p, iris in filled.items()}
        return Interpretation(lang, True, name, params, min(1.0, confidence))


def keyword_score(text: str, keywords: Iterable[str]) -> float:
    """Weight of the keywords found, longest first, without overlaps; a keyword of function
    words only ('how do i', 'what is') weighs nothing."""
    taken = [False] * len(text)
    total = 0.0
    for keyword in sorted({fold(k) for k in keywords}, key=len, reverse=True):
        for start in _spans(text, keyword):
            end = start + len(keyword)
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                total += _weight(keyword)
                break
    return total


def _spans(text: str, keyword: str) -> Iterable[int]:
    if CJK.search(keyword):
        start = text.find(keyword)
        while start >= 0:
            yield start
            start = text.find(keyword, start + 1)
        return
    for match in re.finditer(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", text):
        yield match.start()


def _weight(keyword: str) -> float:
    if CJK.search(keyword):
        return 0.5 * len(keyword)
    content = [w for w in keyword.split() if w not in EN_STOP]
    return 1.0 + 0.5 * (len(content) - 1) if content else 0.0


def step_positions(index: EntityIndex, store_rows: Iterable[tuple[str, int]]) -> dict[int, str]:
    """Map each step's position to its IRI (from the store's nkg:position values)."""
    steps = index.members_of((expand("nkg:Step") or "",))
    return {position: iri for iri, position in store_rows if iri in steps}
