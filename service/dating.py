"""The source's date caveat: how current the graph's facts are, as the graph itself says."""

from __future__ import annotations

from .store import Store

# Each named graph (a region's version, a prov:Bundle) states how current its source is.
NOTES = """SELECT ?graph ?note WHERE {
  ?graph a <http://www.w3.org/ns/prov#Bundle> ;
         <https://w3id.org/newborn-kg/ontology#datingNote> ?note .
} ORDER BY ?graph"""


def caveats(store: Store) -> dict[str, str]:
    """The dating notes of every graph, joined, by language ('zh', 'en')."""
    found: dict[str, list[str]] = {}
    for row in store.query(NOTES).rows:
        note = row["note"]
        lang = (getattr(note, "language", None) or "").split("-")[0]
        found.setdefault(lang, []).append(str(note))
    return {lang: " ".join(notes) for lang, notes in found.items() if lang}
