"""View models of the linked-data pages: what a resource or the ontology shows (pure; no Flask)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from .formats import RDF_FORMATS
from .index import EntityIndex
from .namespaces import PREFIXES

SCHEMA_TEXT = URIRef("https://schema.org/text")
FORMATS = {name: ext for name, (_, _, ext) in RDF_FORMATS.items()}


@dataclass(frozen=True)
class Labels:
    """How a page names things: the entity index, the IRI base served locally, a language."""

    index: EntityIndex
    base: str
    lang: str

    def link(self, term: Node) -> dict[str, str]:
        """How a term shows on a page: its label, where it links to, its language."""
        if isinstance(term, Literal):
            return {"label": str(term), "lang": term.language or ""}
        iri = str(term)
        href = "/" + iri[len(self.base) :] if iri.startswith(self.base) else iri
        return {"label": self.index.label(iri, self.lang) or curie(iri), "href": href, "iri": iri}

    def predicate(self, iri: str) -> str:
        return self.index.label(iri, self.lang) or curie(iri)


def curie(iri: str) -> str:
    """The IRI as prefix:name with the project's prefixes (instances keep their full IRI)."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and prefix != "id":
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def resource_page(graph: Graph, subject: URIRef, labels: Labels) -> dict[str, Any]:
    """Labels in both languages, properties, incoming links and legal text of one resource."""
    lang = labels.lang
    names = {
        label.language: str(label)
        for label in graph.objects(subject, RDFS.label)
        if isinstance(label, Literal)
    }
    rows: dict[str, list[dict[str, str]]] = {}
    for p, o in sorted(graph.predicate_objects(subject), key=lambda po: (str(po[0]), str(po[1]))):
        if p in (RDF.type, RDFS.label, SCHEMA_TEXT) or (
            isinstance(o, Literal) and o.language not in (None, lang) and p != SKOS.altLabel
        ):
            continue
        rows.setdefault(labels.predicate(str(p)), []).append(labels.link(o))
    incoming = sorted(
        (
            (labels.link(s), labels.predicate(str(p)))
            for s, p, _ in graph.triples((None, None, subject))
        ),
        key=lambda item: (item[1], item[0]["label"]),
    )
    texts = {
        t.language: str(t) for t in graph.objects(subject, SCHEMA_TEXT) if isinstance(t, Literal)
    }
    return {
        "lang": lang,
        "iri": str(subject),
        "title": names.get(lang) or names.get("en") or names.get("zh") or curie(str(subject)),
        "subtitle": names.get("en" if lang == "zh" else "zh", ""),
        "types": [labels.link(t) for t in graph.objects(subject, RDF.type)],
        "rows": rows,
        "incoming": incoming,
        "texts": texts,
        "formats": FORMATS,
    }


KINDS = [
    ("classes", OWL.Class),
    ("object_properties", OWL.ObjectProperty),
    ("datatype_properties", OWL.DatatypeProperty),
    ("datatypes", RDFS.Datatype),
]


def ontology_page(graph: Graph, labels: Labels) -> dict[str, Any]:
    """The ontology's classes and properties with zh/en labels and definitions."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for key, kind in KINDS:
        by_kind[key] = [
            {
                "curie": curie(str(term)),
                "anchor": str(term).rsplit("#", 1)[-1],
                "zh": _text(graph, term, RDFS.label, "zh"),
                "en": _text(graph, term, RDFS.label, "en"),
                "definition_zh": _text(graph, term, SKOS.definition, "zh"),
                "definition_en": _text(graph, term, SKOS.definition, "en"),
                "parents": [labels.link(p) for p in graph.objects(term, RDFS.subClassOf)]
                + [labels.link(p) for p in graph.objects(term, RDFS.subPropertyOf)],
            }
            for term in sorted(graph.subjects(RDF.type, kind), key=str)
            if str(term).startswith(PREFIXES["nkg"])
        ]
    return {
        "lang": labels.lang,
        "title": "newborn-kg 本体" if labels.lang == "zh" else "newborn-kg ontology",
        "subtitle": "",
        "formats": FORMATS,
        "terms_by_kind": by_kind,
    }


def _text(graph: Graph, term: Node, prop: URIRef, language: str) -> str:
    return next(
        (
            str(o)
            for o in graph.objects(term, prop)
            if isinstance(o, Literal) and o.language == language
        ),
        "",
    )
