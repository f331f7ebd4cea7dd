"""The whole question path: understand a question, run the canned query, phrase, cite."""

from __future__ import annotations

import functools
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..canned import CannedQueries
from ..namespaces import expand
from . import bank
from .caveats import Caveats
from .classifier import Classifier
from .intend import Interpretation, Understanding
from .link import step_positions
from .phrase import phrase

MAX_QUESTION = 500
SOURCE_CLASSES = (expand("nkg:SourceSection") or "", expand("eli:LegalResourceSubdivision") or "")
POSITIONS = "SELECT ?s ?n WHERE { ?s <https://w3id.org/newborn-kg/ontology#position> ?n }"
LINKS = """SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && isIRI(?s))
  FILTER(?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) }"""
# The card the whole service produces names the service: the service the process walks
# through step by step, not the services it uses (their certificates name themselves).
FINALS = """SELECT ?service ?output WHERE {
  ?service a <http://purl.org/vocab/cpsv#PublicService> ;
           <https://w3id.org/newborn-kg/ontology#hasStep> ?step ;
           <http://purl.org/vocab/cpsv#produces> ?output
}"""
# A service names what it produces: "the legal basis of the birth certificate" is that of the
# service that issues it.
MAKERS = """SELECT ?service ?output WHERE {
  ?service a <http://purl.org/vocab/cpsv#PublicService> ;
           <http://purl.org/vocab/cpsv#produces> ?output
}"""
SOURCES = """SELECT ?x ?source WHERE {
  ?x <http://www.w3.org/ns/prov#wasDerivedFrom>|<http://purl.org/dc/terms/source>
     |<http://data.europa.eu/m8g/hasLegalResource> ?source
} ORDER BY ?x ?source"""  # one citation order on every store


class QuestionError(ValueError):
    """A question that cannot be asked at all: empty, too long, or in an unknown language."""

    def __init__(self, param: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.param, self.message, self.details = param, message, details


@dataclass
class Asker:
    """Questions in, answers with evidence out; no Flask."""

    canned: CannedQueries
    understanding: Understanding
    sources: dict[str, list[str]]
    caveats: Caveats

    def __post_init__(self) -> None:
        # The graph does not change while the server runs, so the answer to a question is
        # cached for its lifetime (bounded), like the canned answers it is made of.
        self._answer = functools.lru_cache(maxsize=4096)(self._body)

    @classmethod
    def build(cls, canned: CannedQueries) -> Asker:
        rows = canned.store.query(POSITIONS).rows
        positions = step_positions(canned.index, ((str(r["s"]), int(r["n"])) for r in rows))
        cited = canned.index.members_of(SOURCE_CLASSES)
        sources: dict[str, list[str]] = {}
        for row in canned.store.query(SOURCES).rows:
            if str(row["source"]) in cited:
                sources.setdefault(str(row["x"]), []).append(str(row["source"]))
        named = set(canned.index.labels)
        links: dict[str, set[str]] = {}
        for row in canned.store.query(LINKS).rows:
            s, o = str(row["s"]), str(row["o"])
            if s in named and o in named:
                links.setdefault(s, set()).add(o)
                links.setdefault(o, set()).add(s)
        rows = canned.store.query(FINALS).rows
        finals = frozenset(str(r["output"]) for r in rows)
        producers = frozenset(str(r["service"]) for r in rows)
        makers: dict[str, set[str]] = {}
        for row in canned.store.query(MAKERS).rows:
            makers.setdefault(str(row["output"]), set()).add(str(row["service"]))
        taught = tuple(bank.load())
        understanding = Understanding(
            canned.catalog,
            canned.index,
            positions,
            links,
            finals,
            producers,
            taught,
            classifier=Classifier.load(),
            makers=makers,
        )
        return cls(canned, understanding, sources, Caveats.build(canned.store, canned.index, links))

    def warm(self) -> None:
        """Wait until everything the questions need is loaded (before forking workers)."""
        if self.understanding.semantic is not None:
            self.understanding.semantic.wait()

    def forget(self) -> None:
        """Drop the cached answers (benchmarks time the work, not the cache)."""
        self._answer.cache_clear()

    def ask(self, question: str, lang: str | None = None) -> dict[str, Any]:
        """The answer document for one question."""
        if not question.strip():
            raise QuestionError("q", "parameter 'q': the question is empty")
        if len(question) > MAX_QUESTION:
            raise QuestionError("q", f"parameter 'q': at most {MAX_QUESTION} characters")
        if lang not in (None, "zh", "en"):
            raise QuestionError(
                "lang", f"parameter 'lang': {lang!r} is not supported", allowed=["zh", "en"]
            )
        return dict(self._answer(question, lang))

    def _body(self, question: str, lang: str | None) -> dict[str, Any]:
        meaning = self.understanding.understand(question)  # matched in the question's language
        lang = lang or meaning.lang
        head = {"question": question, "lang": lang}
        if not meaning.understood:
            return {**head, **self.not_understood(question, meaning, lang)}
        return {**head, **self.answered(meaning, lang)}

    def not_understood(self, question: str, meaning: Interpretation, lang: str) -> dict[str, Any]:
        body: dict[str, Any] = {"understood": False, "reason": meaning.reason}
        refusal = self.understanding.refusal(meaning, lang)
        if refusal:
            body["text"] = refusal
        label = self.canned.index.label
        if meaning.clarify:
            body["clarify"] = [
                {"iri": iri, "label": label(iri, lang) or iri} for iri, _ in meaning.clarify
            ]
        else:
            body["suggestions"] = self.suggestions(question, lang)
        return body

    def suggestions(self, question: str, lang: str) -> list[str]:
        """Three example questions of parameterless queries, varied by the question."""
        pool = [q.examples[lang][0] for q in self.canned.catalog.values() if not q.params]
        start = zlib.crc32(question.encode()) % len(pool)
        return [pool[(start + i) % len(pool)] for i in range(3)]

    def answered(self, meaning: Interpretation, lang: str) -> dict[str, Any]:
        """The answer to the first part, and to every part when the question has several."""
        if not meaning.parts:
            return self.answer_one(meaning, lang)
        parts: list[dict[str, Any]] = []
        for part in meaning.parts:
            hops = self.hop(part, parts[-1], lang) if part.follows and parts else []
            if hops:
                parts += hops
            elif part.understood:
                parts.append(self.answer_one(part, lang))
        # two parts or hops that land on the same answer are said once
        unique: dict[tuple[str, str], dict[str, Any]] = {}
        for said in parts:
            unique.setdefault((said["query"], repr(sorted(said["params"].items()))), said)
        parts = list(unique.values())
        return {
            **parts[0],
            "confidence": min(p["confidence"] for p in parts),
            "text": self.caveats.joined(parts, lang),
            "parts": parts,
        }

    def hop(
        self, part: Interpretation, previous: dict[str, Any], lang: str
    ) -> list[dict[str, Any]]:
        """A part that refers to the previous answer ("where do I use it next?"), asked about
        each thing that answer names (at most three): multi-hop, one query per hop. Where the
        things call for different queries, the query most of them call for is kept, among
        those about the thing itself."""
        found: list[tuple[Interpretation, bool]] = []
        for item in previous.get("answers", [])[:3]:
            if "iri" not in item:
                continue
            label = self.understanding.mention_of(item["iri"], part.lang)
            # the previous answer said where the thing comes from; the hop asks where it goes
            meaning = self.understanding.understand(
                f"{label} {part.text}", part.lang, avoid=frozenset({"document-source"})
            )
            if meaning.understood and not meaning.parts and meaning.query:
                found.append((meaning, item["iri"] in meaning.params.values()))
        # the answers about the thing itself, where there are some
        meanings = [m for m, itself in found if itself] or [m for m, _ in found]
        if not meanings:
            return []
        common = Counter(m.query for m in meanings).most_common(1)[0][0]
        return [self.answer_one(m, lang) for m in meanings if m.query == common]

    def answer_one(self, meaning: Interpretation, lang: str) -> dict[str, Any]:
        """The answer document of one understood query."""
        assert meaning.query
        index = self.canned.index
        query = self.canned.catalog[meaning.query]
        answer = self.canned.answer(meaning.query, meaning.params, lang)
        labels = {p: index.label(iri, lang) or iri for p, iri in meaning.params.items()}
        iris = list(meaning.params.values())
        values: list[str] = []
        answers = []
        for row in answer.rows:
            # the first IRI column is the answer; the other columns describe it
            main = next((cell for cell in row.values() if cell and cell["type"] == "uri"), None)
            item: dict[str, Any] = {"iri": main["value"], "label": main["label"]} if main else {}
            item.update({c: v["label"] for c, v in row.items() if v and v is not main})
            answers.append(item)
            values += [main["value"]] if main else []
            iris += [v["value"] for v in row.values() if v and v["type"] == "uri"]
        short = {p: self._short(query, p, iri) for p, iri in meaning.params.items()}
        caveats = (
            []
            if query.name == "ambiguities"
            else self.caveats.about(meaning.params.values(), values, iris, index, lang)
        )
        text = phrase(query.answer[lang], answer.rows, labels, lang)
        return {
            "understood": True,
            "query": meaning.query,
            "params": dict(meaning.params),
            "confidence": meaning.confidence,
            "answers": answers,
            "text": self.caveats.text(caveats, lang, text),
            "caveats": caveats,
            "sources": self.cite(iris, lang),
            "sparql": answer.sparql,
            "try": f"/api/queries/{meaning.query}?{urlencode({**short, 'lang': lang})}",
        }

    def _short(self, query: Any, name: str, iri: str) -> str:
        param = next(p for p in query.params if p.name == name)
        return self.canned.index.short_names(param.classes).get(iri, iri)

    def cite(self, iris: list[str], lang: str) -> list[dict[str, str]]:
        """The source passages and legal articles behind these resources, each once."""
        cited = self.canned.index.members_of(SOURCE_CLASSES)
        found: dict[str, None] = {}
        for iri in iris:
            if iri in cited:
                found.setdefault(iri, None)
            for source in self.sources.get(iri, []):
                found.setdefault(source, None)
        label = self.canned.index.label
        return [{"iri": iri, "label": label(iri, lang) or iri} for iri in found]
