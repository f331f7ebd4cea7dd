"""A canned query's answer as a page for people: labelled columns, download links, its SPARQL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from . import vocabulary

if TYPE_CHECKING:
    from .answers import Answer
    from .canned import CannedQueries

NKG = "https://w3id.org/newborn-kg/ontology#"


def column_label(runner: CannedQueries, column: str, lang: str) -> str:
    """A column's label: the ontology's (?document → nkg:Document, ?in_force → nkg:inForce),
    else the interface table's, else the variable's name."""
    words = column.split("_")
    camel = words[0] + "".join(w.title() for w in words[1:])
    for name in (camel[:1].upper() + camel[1:], camel):
        found = runner.index.labels.get(NKG + name, {}).get(lang)
        if found:
            return found
    return vocabulary.column_label(column, lang) or column.replace("_", " ")


def columns(runner: CannedQueries, answer: Answer, lang: str) -> list[dict[str, str]]:
    """The columns worth showing (a column empty in every row is left to JSON and CSV)."""
    return [
        {"name": c, "label": column_label(runner, c, lang)}
        for c in answer.columns
        if not answer.rows or any(row.get(c) for row in answer.rows)
    ]


def _frame(runner: CannedQueries, name: str, raw: Mapping[str, str], lang: str) -> dict[str, Any]:
    return {
        "query": runner.describe(runner.get(name), lang),
        "raw": dict(raw),
        "lang": lang,
        "title": runner.catalog[name].summary[lang],
        "subtitle": "",
        "formats": {},
        "path": f"/api/queries/{name}",
    }


def page_context(
    runner: CannedQueries, name: str, raw: Mapping[str, str], lang: str
) -> dict[str, Any]:
    """Everything query.html shows for an answer (ApiError when a parameter is bad)."""
    answer = runner.answer(name, raw, lang)
    args = {**raw, "lang": lang}
    return {
        **_frame(runner, name, raw, lang),
        "answer": answer,
        "headers": columns(runner, answer, lang),
        "json_href": f"/api/queries/{name}?{urlencode({**args, 'format': 'json'})}",
        "csv_href": f"/api/queries/{name}?{urlencode({**args, 'format': 'csv', 'bom': 1})}",
    }


def problem_context(
    runner: CannedQueries, name: str, raw: Mapping[str, str], lang: str, problem: str
) -> dict[str, Any]:
    """The form again, with what was wrong."""
    return {**_frame(runner, name, raw, lang), "problem": problem}
