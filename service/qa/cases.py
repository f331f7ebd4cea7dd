"""Question sets: the cases of an evaluation or development set, and their accepted answers.

The two case shapes are described in `evaluation.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import yamltext


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    """The question set, each case checked for one of the two shapes."""
    cases = yamltext.load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(cases, list) or not all(isinstance(c, dict) and "q" in c for c in cases):
        raise ValueError(f"{path}: expected a list of mappings with q")
    for case in cases:
        if "accept" in case and not isinstance(case["accept"], list):
            raise ValueError(f"{path}: {case['q']!r}: accept must be a list of alternatives")
        if case.get("scope", "in") not in ("in", "out"):
            raise ValueError(f"{path}: {case['q']!r}: scope is in or out")
    return cases


def alternatives(case: dict[str, Any]) -> list[list[dict[str, Any]]] | None:
    """The accepted answers of a case, each a list of parts; None when it must abstain."""
    if case.get("scope") == "out":
        return None
    if "accept" in case:
        found = [alt if isinstance(alt, list) else [alt] for alt in case["accept"]]
        if not found:
            return []  # in scope, but no canned query answers it (its `needs` says what would)
        if all(part.get("query") is None for alt in found for part in alt):
            return None
        return found
    if case.get("query") is None:
        return None
    return [[{"query": case["query"], "params": case.get("params")}]]
