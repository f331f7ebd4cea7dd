"""Teach the matcher: `python -m service.qa.learn tests/SET.yaml ...` (every development set,
never a blind one) writes the bank of labelled questions (`bank.yaml`) and the intent classifier
learned from it (`classifier.npz`); the tests fail when either is stale."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from .bank import BANK, Labelled, load, write
from .classifier import MODEL, Classifier, dense, digest, train
from .intend import header_examples
from .normalise import fold


def teach(understanding: Any, items: Sequence[Labelled], learned_from: str) -> Classifier:
    """The intent classifier learned from the queries' header examples and summaries and the
    labelled questions, read as the matcher reads a question (typos corrected, things named
    masked, office names made generic)."""
    import numpy as np

    examples = [
        (text, lang, (name,)) for text, lang, name in header_examples(understanding.catalog)
    ] + [(item.q, item.lang, item.queries) for item in items]
    rows, labels = [], []
    for question, lang, names in examples:
        text = understanding.correct(fold(question), lang)
        vector, masked = understanding.intent_input(text, understanding.named(text, lang))
        rows.append(dense(vector, masked, lang))
        labels.append(names)
    return train(np.stack(rows), labels, learned_from)


def main(paths: Sequence[str]) -> None:
    from service import create_app

    print(f"{write(paths)} questions written to {BANK}")
    asker = create_app({"TESTING": True}).extensions["newborn_kg.asker"]
    teach(asker.understanding, load(), digest(BANK.read_text(encoding="utf-8"))).save(MODEL)
    print(f"the intent classifier learned them: {MODEL}")


if __name__ == "__main__":
    main(sys.argv[1:])
