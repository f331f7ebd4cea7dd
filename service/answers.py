"""A canned query's labelled answer, its rendered pages, and how each is rendered."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .formats import sparql_json
from .index import EntityIndex
from .store import Result


@dataclass(frozen=True)
class Page:
    """One rendered page of an answer, with its validator."""

    etag: str
    body: str
    total: int


@dataclass(frozen=True)
class Answer:
    """A canned query's labelled result."""

    query: str
    params: tuple[tuple[str, str], ...]
    lang: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, dict[str, str] | None], ...]
    sparql: str
    data_version: str
    result: Result


def cell(term: Node, index: EntityIndex, lang: str) -> dict[str, str]:
    """One result cell: its value, a label in `lang`, and its kind (an unbound value or an
    empty string is no cell at all: stores differ on which one an empty GROUP_CONCAT gives)."""
    if isinstance(term, URIRef):
        return {"value": str(term), "label": index.label(term, lang) or str(term), "type": "uri"}
    if isinstance(term, BNode):
        return {"value": str(term), "label": str(term), "type": "bnode"}
    assert isinstance(term, Literal)
    return {"value": str(term), "label": str(term), "type": "literal"}


def render_answer(answer: Answer, fmt: str, offset: int, limit: int) -> str:
    """Render one page of an answer in the requested format."""
    rows = answer.rows[offset : offset + limit]
    if fmt == "sparql-json":
        page = replace(answer.result, rows=answer.result.rows[offset : offset + limit])
        return json.dumps(sparql_json(page), ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
        writer.writerow([h for c in answer.columns for h in (c, f"{c}_label")])
        for row in rows:
            writer.writerow([v for c in answer.columns for v in _pair(row[c])])
        return out.getvalue()
    body: dict[str, Any] = {
        "query": answer.query,
        "params": dict(answer.params),
        "lang": answer.lang,
        "columns": list(answer.columns),
        "rows": list(rows),
        "total": len(answer.rows),
        "offset": offset,
        "limit": limit,
        "data_version": answer.data_version,
        "sparql": answer.sparql,
    }
    return json.dumps(body, ensure_ascii=False)


def _pair(value: dict[str, str] | None) -> tuple[str, str]:
    return ("", "") if value is None else (value["value"], value["label"])
