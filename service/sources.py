"""What the graph records about the dataset's sources: titles, dates and notes, for the guide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD

from .vocabulary import property_label

if TYPE_CHECKING:
    from .canned import CannedQueries

# Everything the graph says about the dataset's source, read whole so that a property added
# later (a date, a caveat about the date) shows without a change here.
SOURCE = """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?dataset ?source ?p ?o WHERE {
  ?dataset a dcat:Dataset ; prov:wasDerivedFrom|dct:source ?source . ?source ?p ?o
  FILTER(isIRI(?source))
}
ORDER BY ?source ?p ?o"""
DATE_TYPES = {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth}
NOTE_PROPERTIES = {
    SKOS.editorialNote,
    SKOS.note,
    SKOS.scopeNote,
    SKOS.historyNote,
    RDFS.comment,
    DCTERMS.description,
}


def dataset_sources(canned: CannedQueries, lang: str) -> list[dict[str, Any]]:
    """The dataset's sources: label, title, citation, every dated value and note in `lang`."""
    sources: dict[str, dict[str, Any]] = {}
    for row in canned.store.query(SOURCE).rows:
        iri, prop, value = str(row["source"]), row["p"], row["o"]
        entry = sources.setdefault(
            iri,
            {**_link(canned, iri, lang), "dates": [], "notes": [], "titles": []},
        )
        if not isinstance(value, Literal):
            continue
        if value.datatype in DATE_TYPES:
            entry["dates"].append({"property": _prop(canned, str(prop), lang), "value": str(value)})
        elif value.language not in (None, lang):
            continue
        elif prop in NOTE_PROPERTIES:
            entry["notes"].append(str(value))
        elif prop in (DCTERMS.title, DCTERMS.bibliographicCitation):
            entry["titles"].append(str(value))
    for entry in sources.values():  # sorted here: engines collate strings differently
        for key in ("notes", "titles"):
            entry[key].sort()
        entry["dates"].sort(key=lambda d: (d["property"]["iri"], d["value"]))
    return [sources[iri] for iri in sorted(sources)]


def _prop(canned: CannedQueries, prop: str, lang: str) -> dict[str, str]:
    return {"iri": prop, "label": property_label(canned.index, prop, lang)}


def _link(canned: CannedQueries, iri: str, lang: str) -> dict[str, str]:
    base = canned.index.base.removesuffix("id/")
    return {
        "label": canned.index.label(iri, lang) or iri,
        "iri": iri,
        "href": "/" + iri.removeprefix(base),
    }
