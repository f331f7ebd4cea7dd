"""The caveats of an answer: the editors' notes recorded on the things it is about.

A thing is in the answer when it is a parameter, a row's value, or what joins the two (the
document requirement between a step and a document, also through the step's actions), so that
the note on step 1's "birth certificate" or on the ID card of activation way 2 comes with the
answer that lists them. Notes are read once; each answer looks them up by IRI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..index import EntityIndex
from ..namespaces import expand
from ..store import Store

NKG = expand("nkg:") or ""
NOTES = """SELECT ?x ?note WHERE {
  ?x <http://www.w3.org/2004/02/skos/core#editorialNote> ?note FILTER(isIRI(?x))
}"""
HEAD = {"zh": "注意：", "en": "Note: "}


@dataclass
class Caveats:
    """Editorial notes by IRI and language, and the graph's links to find what joins things."""

    notes: dict[str, dict[str, str]]
    links: Mapping[str, set[str]]
    joins: frozenset[str]
    actions: frozenset[str]

    @classmethod
    def build(cls, store: Store, index: EntityIndex, links: Mapping[str, set[str]]) -> Caveats:
        notes: dict[str, dict[str, str]] = {}
        for row in store.query(NOTES).rows:
            lang = (getattr(row["note"], "language", None) or "").split("-")[0]
            notes.setdefault(str(row["x"]), {})[lang] = str(row["note"])
        joins = index.members_of((NKG + "DocumentRequirement",))
        return cls(notes, links, joins, index.members_of((NKG + "Action",)))

    def about(
        self,
        params: Iterable[str],
        answers: Iterable[str],
        cells: Iterable[str],
        index: EntityIndex,
        lang: str,
    ) -> list[dict[str, str]]:
        """The notes on the parameters, the answers (each row's main value) and what joins a
        parameter to any value of the rows, each once."""
        params = list(dict.fromkeys(params))
        things = params + list(dict.fromkeys(answers))
        cells = list(dict.fromkeys(cells))
        for param in params:
            near = set(self.links.get(param, ()))
            near |= {far for n in near & self.actions for far in self.links.get(n, ())}
            near &= self.joins
            for value in cells:
                things += sorted(near & self.links.get(value, set()))
        out: dict[str, dict[str, str]] = {}
        for iri in things:
            note = self.notes.get(iri, {}).get(lang)
            if note and note not in {c["note"] for c in out.values()}:
                out[iri] = {"iri": iri, "label": index.label(iri, lang) or iri, "note": note}
        return list(out.values())

    @staticmethod
    def joined(parts: list[dict[str, Any]], lang: str) -> str:
        """The texts of several answers, each note said once."""
        said = ""
        for part in parts:
            text = part["text"]
            for caveat in part.get("caveats", []):
                note = caveat["note"]
                if note in said:
                    text = text.replace(f"{HEAD[lang]}{note} ", HEAD[lang])
                    text = text.replace(f"{HEAD[lang]}{note}", HEAD[lang]).replace(f" {note}", "")
            text = text.rstrip().removesuffix(HEAD[lang].rstrip()).rstrip()
            said = f"{said} {text}".strip()
        return said

    @staticmethod
    def text(caveats: list[dict[str, str]], lang: str, answer: str) -> str:
        """The answer text followed by the notes it does not already say."""
        extra = [c["note"] for c in caveats if c["note"] not in answer]
        return answer if not extra else f"{answer} {HEAD[lang]}{' '.join(extra)}"
