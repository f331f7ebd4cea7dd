"""Score question answering against a question set: accuracy per language, abstention, misses.

A set is a YAML list of cases, each in one of two shapes:

- ``{q, query, params}``: the one right answer; ``query: null`` means the service must abstain.
- ``{id, q, lang, scope: in|out, expect, accept: [...]}``: ``scope: out`` means the service must
  abstain; otherwise ANY alternative in ``accept`` counts as correct. An alternative is either
  ``{query: NAME, params: {...}}`` (a query and its parameters, by short name as in
  /openapi.json) or a list of such mappings for a question of several parts; an alternative is
  correct when every part it lists is among the parts answered (see
  ``Interpretation.parts``), the contract the annotators of the blind sets follow. The report
  also counts the stricter reading, where a one-part alternative must be the answer's first
  part. ``expect`` is free text for people; ``lang`` defaults to the question's script;
  ``accept: [{query: null}]`` is the same as ``scope: out``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .asker import Asker
from .cases import alternatives
from .intend import Interpretation
from .normalise import detect_lang

Answer = tuple[str, tuple[tuple[str, str], ...]]


@dataclass
class Report:
    """Per-language accuracy, abstention, and what went wrong."""

    total: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    first: Counter[str] = field(default_factory=Counter)  # and a one-part alternative first
    out_of_scope: int = 0
    abstained: int = 0
    abstained_correctly: int = 0
    answered_out_of_scope: list[str] = field(default_factory=list)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    def accuracy(self, lang: str) -> float:
        return self.correct[lang] / self.total[lang] if self.total[lang] else 0.0

    def first_accuracy(self, lang: str) -> float:
        return self.first[lang] / self.total[lang] if self.total[lang] else 0.0

    @property
    def precision(self) -> float:
        return self.abstained_correctly / self.abstained if self.abstained else 1.0

    @property
    def recall(self) -> float:
        return self.abstained_correctly / self.out_of_scope if self.out_of_scope else 1.0

    def lines(self) -> list[str]:
        out = [
            f"{lang}: {self.correct[lang]}/{self.total[lang]} = {self.accuracy(lang):.1%}"
            f" (in the first part: {self.first[lang]} = {self.first_accuracy(lang):.1%})"
            for lang in ("zh", "en")
        ]
        out.append(
            f"out of scope answered: {len(self.answered_out_of_scope)} of {self.out_of_scope}"
        )
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


def _key(part: dict[str, Any]) -> Answer:
    params = {k: str(v) for k, v in (part.get("params") or {}).items()}
    return str(part["query"]), tuple(sorted(params.items()))


def _show(answer: Answer) -> str:
    return f"{answer[0]} {dict(answer[1])}" if answer[1] else answer[0]


def answered(asker: Asker, meaning: Interpretation) -> list[Answer]:
    """The (query, short params) of each part the service answers, as /api/ask gives them
    (a part that refers to the previous answer is asked about what that answer names)."""
    index, catalog = asker.canned.index, asker.canned.catalog
    answer = asker.answered(meaning, meaning.lang)
    out = []
    for part in answer.get("parts") or [answer]:
        query = catalog[part["query"]]
        short = {
            p.name: index.short_names(p.classes).get(part["params"].get(p.name, ""), "")
            for p in query.params
            if p.name in part["params"]
        }
        out.append((part["query"], tuple(sorted(short.items()))))
    return out


def evaluate(asker: Asker, cases: list[dict[str, Any]]) -> Report:
    """Run every case through the matcher and tally the outcome."""
    report = Report()
    for case in cases:
        question = case["q"]
        meaning = asker.understanding.understand(question)
        got = answered(asker, meaning) if meaning.understood else []
        if not got:
            report.abstained += 1
        accepted = alternatives(case)
        if accepted is None:
            report.out_of_scope += 1
            if got:
                report.answered_out_of_scope.append(question)
            else:
                report.abstained_correctly += 1
            continue
        lang = case.get("lang") or detect_lang(question)
        report.total[lang] += 1
        right = [alt for alt in accepted if all(_key(part) in got for part in alt)]
        if right:
            report.correct[lang] += 1
            report.first[lang] += any(len(alt) > 1 or got[0] == _key(alt[0]) for alt in right)
            continue
        want = " | ".join(" + ".join(_show(_key(p)) for p in alt) for alt in accepted)
        shown = " + ".join(_show(g) for g in got) or "(abstained)"
        wanted = str(accepted[0][0]["query"]) if accepted else "(no query answers it)"
        report.confusions[(wanted, got[0][0] if got else "(abstained)")] += 1
        report.misses.append((question, want, shown))
    return report
