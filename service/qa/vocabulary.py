"""The shared intent vocabulary of service/qa/intents.yaml, compiled once.

Cues (words that carry an intent), question frames expanded with verb lists and class tokens,
filler words, and the out-of-scope topics with their honest replies. See the file's header.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path
from typing import Any

from .. import yamltext
from .score import phrases

INTENTS = Path(__file__).with_name("intents.yaml")
LANGS = ("zh", "en")
CLASS_TOKENS = {
    "service": "§service",
    "step": "§step",
    "document": "§document",
    "office": "§office",
    "channel": "§activationchannel",
    "article": "§thing",
}


def expand_frame(frame: str, verbs: dict[str, list[str]]) -> list[str]:
    """Every reading of a frame: each verb of each {verb list}, class tokens for parameters."""
    for slot, token in CLASS_TOKENS.items():
        frame = frame.replace(f"{{{slot}}}", f" {token} ")
    out = [frame]
    for slot, words in verbs.items():
        if f"{{{slot}}}" in frame:
            out = [f.replace(f"{{{slot}}}", w) for f in out for w in words]
    return out


class Vocabulary:
    """Cues, frames, fillers and out-of-scope topics, per language."""

    def __init__(self, path: Path = INTENTS) -> None:
        data: dict[str, Any] = yamltext.load(path.read_text(encoding="utf-8"))
        self.frames = {
            (name, lang): [
                f
                for frame in spec.get(lang, [])
                for f in expand_frame(frame, {k: v[lang] for k, v in data["verbs"].items()})
            ]
            for name, spec in data["frames"].items()
            for lang in LANGS
        }
        self.fillers: dict[str, list[str]] = data["fillers"]
        # every phrase of the file that says what a question asks, per language (the
        # out-of-scope topics aside: a sound-alike must not turn a question into a refusal)
        self.phrases: dict[str, set[str]] = {
            lang: {
                *(w for cue in data["cues"].values() for w in cue[lang]),
                *(w for verbs in data["verbs"].values() for w in verbs[lang]),
                *self.fillers[lang],
            }
            for lang in LANGS
        }
        self.cue_names = list(data["cues"])
        self.cues = [
            (
                {lang: phrases(cue[lang]) for lang in LANGS},
                {lang: phrases(cue["with"][lang]) for lang in LANGS} if "with" in cue else None,
                cue["queries"],
                bool(cue.get("about_service")),
                bool(cue.get("sure")),
            )
            for cue in data["cues"].values()
        ]
        self.topics = {
            topic: ({lang: phrases(spec[lang]) for lang in LANGS}, spec["say"], spec["en"])
            for topic, spec in data["out_of_scope"].items()
        }
        self.unless = {
            topic: {lang: phrases(spec["unless"][lang]) for lang in LANGS}
            for topic, spec in data["out_of_scope"].items()
            if "unless" in spec
        }
        self.situations = {t for t, spec in data["out_of_scope"].items() if spec.get("situation")}

    def english_words(self) -> list[str]:
        """Every English text of the vocabulary: known words, never 'corrected' away."""
        words = [f for (_, lang), fs in self.frames.items() if lang == "en" for f in fs]
        topics = [w for _, _, en in self.topics.values() for w in en]
        return words + self.fillers["en"] + topics + sorted(self.phrases["en"])

    @functools.lru_cache(maxsize=1024)  # noqa: B019 - one vocabulary per app, asked many times
    def _found(
        self, text: str, lang: str, about_service: bool
    ) -> list[tuple[dict[str, Any], bool]]:
        """The cues in a question: each one's query weights and whether it is sure."""
        found = []
        for patterns, together, queries, needs_service, sure in self.cues:
            pattern = patterns[lang]
            if needs_service and not about_service:
                continue
            also = together[lang] if together else None
            if together and (also is None or not also.search(text)):
                continue
            if pattern is not None and pattern.search(text):
                found.append((queries, sure))
        return found

    def has(self, cue: str, text: str, lang: str) -> bool:
        """Whether the question has the phrases of one named cue."""
        patterns = self.cues[self.cue_names.index(cue)][0]
        pattern = patterns[lang]
        return pattern is not None and bool(pattern.search(text))

    def cues_in(self, text: str, lang: str, about_service: bool) -> Counter[str]:
        """Each query's cue weight: the strongest positive cue once, negative cues always."""
        bonus: Counter[str] = Counter()
        for queries, _ in self._found(text, lang, about_service):
            for name, weight in queries.items():
                bonus[name] = max(bonus[name], weight) if weight > 0 else bonus[name] + weight
        return bonus

    def is_sure(self, text: str, lang: str, about_service: bool) -> bool:
        """Whether a cue settles the question in scope (`sure: true`) whatever the classifier
        says; the out-of-scope words still refuse it."""
        return any(sure for _, sure in self._found(text, lang, about_service))

    def topic(self, text: str, lang: str, situations: bool = False) -> str | None:
        """The out-of-scope topic the question asks about, if any (only the asker's situations
        the source does not cover, with `situations`)."""
        for topic, (patterns, _, _) in self.topics.items():
            if situations and topic not in self.situations:
                continue
            pattern: re.Pattern[str] | None = patterns[lang]
            if pattern is None or not pattern.search(text):
                continue
            unless = self.unless.get(topic, {}).get(lang)
            if unless is None or not unless.search(text):
                return str(topic)
        return None

    def reply(self, topic: str, lang: str, document: str = "") -> str:
        """The honest reply to an out-of-scope topic ('' for an unknown topic)."""
        if topic not in self.topics:
            return ""
        return str(self.topics[topic][1][lang]).replace("{document}", document)
