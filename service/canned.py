"""Run canned queries: resolve parameters, bind them as terms, label the rows, cache."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .catalog import LANGS, CannedQuery, load_catalog
from .dating import caveats
from .errors import ApiError
from .index import EntityIndex
from .params import allowed_values, resolve_all
from .store import Result, Store, open_store


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
    caveat: str = ""  # how current the source is (the graphs' dating notes), in `lang`


def cell(term: Node, index: EntityIndex, lang: str) -> dict[str, str]:
    """One result cell: its value, a label in `lang`, and its kind (an unbound value or an
    empty string is no cell at all: stores differ on which one an empty GROUP_CONCAT gives)."""
    if isinstance(term, URIRef):
        return {"value": str(term), "label": index.label(term, lang) or str(term), "type": "uri"}
    if isinstance(term, BNode):
        return {"value": str(term), "label": str(term), "type": "bnode"}
    assert isinstance(term, Literal)
    return {"value": str(term), "label": str(term), "type": "literal"}


class CannedQueries:
    """The catalog bound to a store and its entity index."""

    def __init__(
        self,
        catalog: dict[str, CannedQuery],
        store: Store,
        index: EntityIndex,
        caveats: dict[str, str] | None = None,
    ) -> None:
        self.catalog, self.store, self.index = catalog, store, index
        self.caveats = caveats or {}
        # The data does not change while the server runs, so answers and rendered pages are
        # cached for its lifetime; the keys are validated terms, so their number is bounded.
        self._execute = functools.lru_cache(maxsize=1024)(self._run)
        self._page = functools.lru_cache(maxsize=4096)(self._render)

    def get(self, name: str) -> CannedQuery:
        """The named query, or 404 listing the known names."""
        if name not in self.catalog:
            raise ApiError(404, f"no canned query named {name!r}", allowed=sorted(self.catalog))
        return self.catalog[name]

    def answer(self, name: str, raw: Mapping[str, str], lang: str) -> Answer:
        """Resolve parameters and return the (cached) labelled answer."""
        query = self.get(name)
        terms = resolve_all(query, raw, self.index, lang)
        return self._execute(name, tuple(sorted(terms.items())), lang)

    def page(
        self, name: str, raw: Mapping[str, str], lang: str, fmt: str, offset: int, limit: int
    ) -> Page:
        """One rendered page of the answer, cached with its ETag."""
        terms = resolve_all(self.get(name), raw, self.index, lang)
        return self._page(name, tuple(sorted(terms.items())), lang, fmt, offset, limit)

    def _render(
        self,
        name: str,
        terms: tuple[tuple[str, Node], ...],
        lang: str,
        fmt: str,
        offset: int,
        limit: int,
    ) -> Page:
        from .formats import render_answer

        answer = self._execute(name, terms, lang)
        key = [answer.data_version, name, answer.params, lang, fmt, offset, limit]
        etag = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]
        return Page(etag, render_answer(answer, fmt, offset, limit), len(answer.rows))

    def _run(self, name: str, terms: tuple[tuple[str, Node], ...], lang: str) -> Answer:
        query = self.catalog[name]
        bindings = dict(terms)
        if "?lang" in query.sparql:
            bindings["lang"] = Literal(lang)
        sparql = query.bind(bindings)
        result = self.store.query(sparql)
        rows = tuple(
            {
                c: (cell(row[c], self.index, lang) if str(row.get(c, "")) else None)
                for c in result.variables
            }
            for row in result.rows
        )
        return Answer(
            query=name,
            params=tuple((k, str(v)) for k, v in terms),
            lang=lang,
            columns=result.variables,
            rows=rows,
            sparql=sparql,
            data_version=self.store.data_version,
            result=result,
            caveat=self.caveats.get(lang, ""),
        )

    def describe(self, query: CannedQuery, lang: str) -> dict[str, Any]:
        """The catalog entry of a query in one language."""
        return {
            "name": query.name,
            "summary": query.summary[lang],
            "description": query.description[lang],
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "class": list(p.classes),
                    "description": p.description[lang],
                    "required": p.required,
                    "example": p.example,
                    "allowed": allowed_values(p, self.index, lang),
                }
                for p in query.params
            ],
            "examples": list(query.examples[lang]),
            "languages": list(LANGS),
        }


def open_canned(config: Mapping[str, Any], store: Store | None = None) -> CannedQueries:
    """Open the store (unless given), index it and load the catalog."""
    store = store or open_store(config)
    index = EntityIndex.build(store, config["BASE_URI"] + "id/")
    return CannedQueries(load_catalog(config["QUERIES_DIR"]), store, index, caveats(store))
