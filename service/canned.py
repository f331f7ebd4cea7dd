"""Run canned queries: resolve parameters, bind them as terms, label the rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from rdflib import Literal
from rdflib.term import Node

from .answers import Answer, Page, cell, render_answer
from .catalog import CannedQuery, load_catalog
from .index import EntityIndex
from .languages import LANGS
from .params import allowed_values, resolve_all
from .problems import UnknownQuery
from .store import Store, open_store

Terms = tuple[tuple[str, Node], ...]


class CannedQueries:
    """The catalog bound to a store and its entity index; nothing here caches (create_app
    caches rendered pages)."""

    def __init__(self, catalog: dict[str, CannedQuery], store: Store, index: EntityIndex) -> None:
        self.catalog, self.store, self.index = catalog, store, index

    def get(self, name: str) -> CannedQuery:
        """The named query; UnknownQuery lists the known names."""
        if name not in self.catalog:
            raise UnknownQuery(f"no canned query named {name!r}", allowed=sorted(self.catalog))
        return self.catalog[name]

    def resolve(self, name: str, raw: Mapping[str, str], lang: str) -> Terms:
        """The query's parameters as validated terms, in a hashable, sorted form."""
        return tuple(sorted(resolve_all(self.get(name), raw, self.index, lang).items()))

    def answer(self, name: str, raw: Mapping[str, str], lang: str) -> Answer:
        """Resolve parameters and run the query."""
        return self.run(name, self.resolve(name, raw, lang), lang)

    def page(self, name: str, terms: Terms, lang: str, fmt: str, offset: int, limit: int) -> Page:
        """Run the query and render one page of its answer, with an ETag."""
        answer = self.run(name, terms, lang)
        key = [answer.data_version, name, answer.params, lang, fmt, offset, limit]
        etag = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]
        return Page(etag, render_answer(answer, fmt, offset, limit), len(answer.rows))

    def sparql(self, name: str, terms: Terms, lang: str) -> str:
        """The query text with its terms bound, and ?lang when the query mentions it."""
        query = self.catalog[name]
        bindings = dict(terms)
        if "?lang" in query.sparql:
            bindings["lang"] = Literal(lang)
        return query.bind(bindings)

    def run(self, name: str, terms: Terms, lang: str) -> Answer:
        """Bind the terms, query the store and label the rows."""
        sparql = self.sparql(name, terms, lang)
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
    return CannedQueries(load_catalog(config["QUERIES_DIR"]), store, index)
