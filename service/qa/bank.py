"""The labelled questions the matcher learns from: the development sets, as (question, query),
a question the source does not answer labelled `OUT`.

`bank.yaml` is written from the development sets by `python -m service.qa.learn tests/FILE...`
(never from a blind set: tests/test_questions.py checks that none of their questions is in it).
Each question keeps every query an accepted answer starts with, so a question that two queries
answer teaches both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import yamltext
from .cases import alternatives, load_cases
from .normalise import detect_lang

BANK = Path(__file__).with_name("bank.yaml")
OUT = "out-of-scope"  # the label of a question the source does not answer
HEADER = """\
# Labelled questions of the development sets (question -> the queries that answer it), the
# examples the matcher's nearest-question evidence learns from. Written by
# `python -m service.qa.learn <development sets>`; never edited by hand; no blind set in it.
"""


@dataclass(frozen=True)
class Labelled:
    """One question of a development set and the queries that answer it."""

    q: str
    lang: str
    queries: tuple[str, ...]


def labelled(paths: Iterable[str | Path]) -> list[Labelled]:
    """Every in-scope question of the sets with the queries its accepted answers start with."""
    out: dict[str, Labelled] = {}
    for path in paths:
        for case in load_cases(path):
            accepted = alternatives(case)
            if accepted == []:
                continue  # in scope, but no canned query answers it
            names = [
                alt[0]["query"]
                for alt in accepted or [[{"query": OUT}]]
                if alt and alt[0].get("query")
            ]
            known = out.get(case["q"])
            names = list(dict.fromkeys([*(known.queries if known else ()), *names]))
            lang = case.get("lang") or detect_lang(case["q"])
            out[case["q"]] = Labelled(case["q"], lang, tuple(names))
    return sorted(out.values(), key=lambda item: (item.lang, item.q))


def load(path: Path = BANK) -> list[Labelled]:
    """The bank."""
    if not path.exists():
        return []
    data = yamltext.load(path.read_text(encoding="utf-8")) or []
    return [Labelled(item["q"], item["lang"], tuple(item["queries"])) for item in data]


def write(paths: Iterable[str | Path], path: Path = BANK) -> int:
    bank = labelled(paths)
    rows = [{"q": item.q, "lang": item.lang, "queries": list(item.queries)} for item in bank]
    # one flow mapping a line: a diff shows which questions came or went
    lines = [
        yaml.safe_dump(row, allow_unicode=True, default_flow_style=True, width=10**4)
        for row in rows
    ]
    path.write_text(HEADER + "".join(f"- {line}" for line in lines), encoding="utf-8")
    return len(bank)
