"""A clearly synthetic second region, made from the Henan graph for tests only (never shipped).

Everything the Henan file says about IRIs under `id/region/410000` is copied with the region code
replaced by 990000 (no such GB/T 2260 code exists); the region itself loses its Wikidata link and
codes and is labelled as fictional. National resources (documents, laws, roles …) are not
copied: a region's graph uses them, as another province's graph would.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS
from rdflib.term import Node

from .iris import HENAN, ID

SYNTHETIC = "region/990000"
HENAN_IRI, SYNTHETIC_IRI = ID + HENAN, ID + SYNTHETIC
LABELS = {
    "zh": "合成测试地区（虚构，仅供测试）",
    "en": "Synthetic test region (fictional, tests only)",
}


def to_synthetic(term: Node) -> Node:
    """The synthetic twin of a Henan IRI; anything else unchanged."""
    text = str(term)
    if isinstance(term, URIRef) and (text == HENAN_IRI or text.startswith(HENAN_IRI + "/")):
        return URIRef(SYNTHETIC_IRI + text[len(HENAN_IRI) :])
    return term


def to_henan(text: str) -> str:
    """Map a synthetic IRI back to its Henan original (for comparing answers)."""
    if text == SYNTHETIC_IRI or text.startswith(SYNTHETIC_IRI + "/"):
        return HENAN_IRI + text[len(SYNTHETIC_IRI) :]
    return text


def write_variant(data: Path, out: Path) -> Path:
    """Write the synthetic region's Turtle file (its own prov:Bundle, so its own named graph)."""
    henan, variant = Graph().parse(data), Graph()
    region = URIRef(HENAN_IRI)
    for s, p, o in henan:
        if not str(s).startswith(HENAN_IRI):
            continue
        if s == region and p in (OWL.sameAs, SKOS.notation, SKOS.altLabel, RDFS.label):
            continue
        variant.add((to_synthetic(s), p, to_synthetic(o)))
    for lang, text in LABELS.items():
        variant.add((URIRef(SYNTHETIC_IRI), RDFS.label, Literal(text, lang=lang)))
        variant.add((URIRef(SYNTHETIC_IRI), DCTERMS.description, Literal(text, lang=lang)))
    variant.serialize(out, format="turtle")
    return out
