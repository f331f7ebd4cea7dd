"""Score question answering against an evaluation set: accuracy, abstention, confusions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .asker import Asker
from .normalise import detect_lang


@dataclass
class Report:
    """Per-language accuracy, abstention precision/recall, and what went wrong."""

    total: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    out_of_scope: int = 0
    abstained: int = 0
    abstained_correctly: int = 0
    answered_out_of_scope: list[str] = field(default_factory=list)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    def accuracy(self, lang: str) -> float:
        return self.correct[lang] / self.total[lang] if self.total[lang] else 0.0

    @property
    def precision(self) -> float:
        return self.abstained_correctly / self.abstained if self.abstained else 1.0

    @property
    def recall(self) -> float:
        return self.abstained_correctly / self.out_of_scope if self.out_of_scope else 1.0

    def lines(self) -> list[str]:
        out = [
            f"{lang}: {self.correct[lang]}/{self.total[lang]} = {self.accuracy(lang):.1%}"
            for lang in ("zh", "en")
        ]
        out.append(
            f"abstention: precision {self.precision:.1%}, recall {self.recall:.1%} "
            f"({self.abstained_correctly} of {self.out_of_scope} out-of-scope questions)"
        )
        out += [f"answered out of scope: {q}" for q in self.answered_out_of_scope]
        out += [
            f"confusion {want} -> {got}: {n}" for (want, got), n in self.confusions.most_common()
        ]
        out += [f"miss: {q!r} expected {want}, got {got}" for q, want, got in self.misses]
        return out


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    """The evaluation set: a YAML list of {q, query, params}."""
    cases = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(cases, list) or not all(isinstance(c, dict) and "q" in c for c in cases):
        raise ValueError(f"{path}: expected a list of {{q, query, params}} mappings")
    return cases


def evaluate(asker: Asker, cases: list[dict[str, Any]]) -> Report:
    """Run every case through the matcher and tally the outcome."""
    report = Report()
    understanding, index = asker.understanding, asker.canned.index
    for case in cases:
        question, expected = case["q"], case.get("query")
        meaning = understanding.understand(question)
        if expected is None:
            report.out_of_scope += 1
            if meaning.understood:
                report.answered_out_of_scope.append(question)
            continue
        lang = detect_lang(question)
        report.total[lang] += 1
        got = "(abstained)"
        if meaning.understood and meaning.query:
            query = asker.canned.catalog[meaning.query]
            short = {
                p.name: index.short_names(p.classes).get(meaning.params.get(p.name, ""), "")
                for p in query.params
                if p.name in meaning.params
            }
            got = f"{meaning.query} {short}" if short else meaning.query
        want_params = {k: str(v) for k, v in (case.get("params") or {}).items()}
        want = f"{expected} {want_params}" if want_params else expected
        if got == want:
            report.correct[lang] += 1
        else:
            report.confusions[(expected, got.split(" ")[0])] += 1
            report.misses.append((question, want, got))
    for case in cases:
        if not understanding.understand(case["q"]).understood:
            report.abstained += 1
            report.abstained_correctly += case.get("query") is None
    return report
