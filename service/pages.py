"""View models of the linked-data pages: what a resource or the ontology shows (pure; no Flask)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from . import vocabulary
from .formats import RDF_FORMATS
from .index import EntityIndex
from .namespaces import PREFIXES

SCHEMA_TEXT = URIRef("https://schema.org/text")
FORMATS = {name: ext for name, (_, _, ext) in RDF_FORMATS.items()}
# Not shown on pages for people: the type and labels are the heading, the synonyms are for search.
HIDDEN = (RDF.type, RDFS.label, SCHEMA_TEXT, SKOS.altLabel, SKOS.prefLabel, SKOS.hiddenLabel)


@dataclass(frozen=True)
class Labels:
    """How a page names things: the entity index, the IRI base served locally, a language."""

    index: EntityIndex
    base: str
    lang: str

    def link(self, term: Node, graph: Graph | None = None) -> dict[str, Any]:
        """How a term shows on a page: its label, where it links to, its language; a blank node
        has no page of its own, so its properties show inline."""
        if isinstance(term, Literal):
            return {"label": str(term), "lang": term.language or ""}
        if isinstance(term, BNode):
            return {"label": "", "inline": self.rows(graph, term) if graph is not None else []}
        iri = str(term)
        href = "/" + iri[len(self.base) :] if iri.startswith(self.base) else iri
        return {"label": self.index.label(iri, self.lang) or curie(iri), "href": href, "iri": iri}

    def predicate(self, iri: str) -> str:
        """A property's label in the page's language (standard terms from vocabulary.py)."""
        return vocabulary.property_label(self.index, iri, self.lang)

    def rows(self, graph: Graph, subject: Node, depth: int = 0) -> list[dict[str, Any]]:
        """The properties of a subject in the page's language, each labelled, in a stable order."""
        rows: dict[str, dict[str, Any]] = {}
        for p, o in graph.predicate_objects(subject):
            if (p in HIDDEN and not isinstance(subject, BNode)) or (
                isinstance(o, Literal) and o.language not in (None, self.lang)
            ):
                continue
            if isinstance(o, BNode) and depth >= 2:
                continue
            row = rows.setdefault(
                str(p), {"iri": str(p), "label": self.predicate(str(p)), "values": []}
            )
            row["values"].append(
                self.link(o, graph)
                if not isinstance(o, BNode)
                else {"label": "", "inline": self.rows(graph, o, depth + 1)}
            )
        for row in rows.values():
            row["values"].sort(key=sort_key)
        return sorted(rows.values(), key=lambda r: (r["label"], r["iri"]))


def sort_key(value: dict[str, Any]) -> str:
    """Order values by what they show, never by a blank node's random id."""
    if "inline" in value:
        return "\uffff" + repr(
            [(r["iri"], [sort_key(v) for v in r["values"]]) for r in value["inline"]]
        )
    return str(value.get("label", "")) + str(value.get("iri", ""))


def curie(iri: str) -> str:
    """The IRI as prefix:name with the project's prefixes (instances keep their full IRI)."""
    return vocabulary.curie(iri)


def resource_page(graph: Graph, subject: URIRef, labels: Labels) -> dict[str, Any]:
    """Labels in both languages, properties, incoming links and legal text of one resource."""
    lang = labels.lang
    names = {
        label.language: str(label)
        for label in graph.objects(subject, RDFS.label)
        if isinstance(label, Literal)
    }
    incoming = sorted(
        (
            (labels.link(s), {"label": labels.predicate(str(p)), "iri": str(p)})
            for s, p, _ in graph.triples((None, None, subject))
            if not isinstance(s, BNode)
        ),
        key=lambda item: (item[1]["label"], item[0]["label"]),
    )
    texts = {
        t.language: str(t) for t in graph.objects(subject, SCHEMA_TEXT) if isinstance(t, Literal)
    }
    return {
        "lang": lang,
        "iri": str(subject),
        "title": names.get(lang) or names.get("en") or names.get("zh") or curie(str(subject)),
        "subtitle": names.get("en" if lang == "zh" else "zh", ""),
        "subtitle_lang": "en" if lang == "zh" else "zh",
        "types": sorted((labels.link(t) for t in graph.objects(subject, RDF.type)), key=sort_key),
        "rows": labels.rows(graph, subject),
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
