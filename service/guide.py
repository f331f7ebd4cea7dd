"""The guide for parents as plain data, read from the graph through the canned queries."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rdflib import Literal

from .deadline import find_rule
from .sources import dataset_sources
from .store import values_block

if TYPE_CHECKING:
    from .canned import CannedQueries

Cell = dict[str, str] | None
NKG = "https://w3id.org/newborn-kg/ontology#"
# The editorial notes that belong with a step or channel: on it, its actions, its document
# requirements, the checklists for it, what it produces and where it takes place.
NOTES = f"""PREFIX nkg: <{NKG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?holder ?about ?note WHERE {{
  VALUES ?kind {{ nkg:Step nkg:ActivationChannel }}
  {{ ?holder a ?kind . BIND(?holder AS ?about) }}
  UNION {{
    ?holder a ?kind ; nkg:hasAction|nkg:hasDocumentRequirement|nkg:produces|nkg:atOffice ?about
  }}
  UNION {{ ?holder a ?kind ; nkg:hasAction/(nkg:hasDocumentRequirement|nkg:produces) ?about }}
  UNION {{ ?holder a ?kind . ?about nkg:checklistFor ?holder }}
  UNION {{
    ?holder a ?kind . ?checklist nkg:checklistFor ?holder ; nkg:hasDocumentRequirement ?about
  }}
  ?about skos:editorialNote ?note .
  FILTER(lang(?note) = ?lang)
}}
ORDER BY ?holder ?about ?note"""
CHECKLISTS = f"""PREFIX nkg: <{NKG}>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?checklist ?step ?description WHERE {{
  ?checklist a nkg:Checklist ; nkg:checklistFor ?step .
  OPTIONAL {{ ?checklist dct:description ?description }}
  FILTER(!BOUND(?description) || lang(?description) = ?lang)
}}
ORDER BY ?checklist"""


def text(cell: Cell) -> str:
    """A cell's label, or '' when the query left it unbound."""
    return cell["label"] if cell else ""


def ref(cell: Cell, base: str) -> dict[str, str]:
    """A labelled link to a resource, or plain text for a literal."""
    if not cell:
        return {}
    if cell["type"] != "uri":
        return {"label": cell["label"]}
    iri = cell["value"]
    href = "/" + iri[len(base) :] if iri.startswith(base) else iri
    return {"label": cell["label"], "iri": iri, "href": href}


class GuideReader:
    """Run the canned queries a guide needs in one language."""

    def __init__(self, canned: CannedQueries, base: str, lang: str) -> None:
        self.canned, self.base, self.lang = canned, base, lang
        self.scope = ""  # the IRI prefix of the guide's region and version, once known

    def rows(self, name: str, **params: str) -> tuple[dict[str, Cell], ...]:
        return self.canned.answer(name, params, self.lang).rows

    def ours(self, cell: Cell | None) -> bool:
        """Whether a row's resource belongs to the guide's region and version (a store holding
        other regions or versions answers the canned queries for all of them)."""
        return cell is not None and str(cell.get("value", "")).startswith(self.scope)

    def select(self, sparql: str) -> list[dict[str, Any]]:
        block = values_block({"lang": Literal(self.lang)})
        head, sep, tail = sparql.partition("WHERE {")
        return list(self.canned.store.query(f"{head}{sep}\n  {block}{tail}").rows)

    def ref(self, cell: Cell) -> dict[str, str]:
        return ref(cell, self.base)

    def short(self, iri: str) -> str:
        """The name a canned query's parameter takes for this resource."""
        return self.canned.index.local_name(iri)

    def label(self, iri: str) -> str:
        return self.canned.index.label(iri, self.lang) or iri


def build_guide(canned: CannedQueries, base: str, lang: str) -> dict[str, Any]:
    """Everything the guide page shows, in one language."""
    read = GuideReader(canned, base, lang)
    notes: dict[str, list[str]] = defaultdict(list)
    # sorted here, not by the store: engines collate strings differently
    for row in sorted(
        read.select(NOTES), key=lambda r: (str(r["holder"]), str(r["about"]), str(r["note"]))
    ):
        if str(row["note"]) not in notes[str(row["holder"])]:
            notes[str(row["holder"])].append(str(row["note"]))
    # the guide is one region's version of the service: the first by IRI that has steps
    overview = sorted(
        (r for r in read.rows("service-overview") if r.get("service")),
        key=lambda r: str(r["service"]["value"] if r["service"] else ""),
    )
    service = overview[0] if overview else {}
    chosen = service.get("service")
    if chosen:
        read.scope = chosen["value"].rsplit("/service/", 1)[0] + "/"
    steps = _steps(read, notes)
    checklist = _checklist(read)
    position = {step["iri"]: step["position"] for step in steps}
    for item in checklist:
        item["produced_at"] = position.get(item["produced_by"].get("iri", ""))
    return {
        "lang": lang,
        "service": read.ref(service.get("service")),
        "summary": (service.get("summary") or {}).get("label", ""),
        "steps": steps,
        "channels": _channels(read, notes),
        "checklist": checklist,
        "laws": _laws(read, service.get("service")),
        "registration": _registration(read),
        "deadline": find_rule(canned, lang),
        "source": dataset_sources(read.canned, read.lang),
    }


def _steps(read: GuideReader, notes: dict[str, list[str]]) -> list[dict[str, Any]]:
    steps: dict[str, dict[str, Any]] = {}
    for row in read.rows("steps"):
        cell = row["step"]
        assert cell and row["position"]
        if not read.ours(cell):
            continue
        steps.setdefault(
            cell["value"], {**read.ref(cell), "position": int(row["position"]["value"])}
        )
    checklists: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read.select(CHECKLISTS):
        checklists[str(row["step"])].append(
            {
                **read.ref(
                    {
                        "type": "uri",
                        "value": str(row["checklist"]),
                        "label": read.label(str(row["checklist"])),
                    }
                ),
                "description": str(row.get("description", "")),
            }
        )
    for iri, step in steps.items():
        name = read.short(iri)
        offices: dict[str, dict[str, Any]] = {}
        for row in read.rows("step-offices", step=name):
            found = read.ref(row["office"])
            office = offices.setdefault(found["iri"], {**found, "what": []})
            what = text(row.get("what"))
            if what and what not in office["what"]:
                office["what"].append(what)
        step["offices"] = list(offices.values())
        step["documents"] = [
            _requirement(read, row) for row in read.rows("step-documents", step=name)
        ]
        step["outputs"] = [
            {**read.ref(row["output"]), "action": read.ref(row.get("action"))}
            for row in read.rows("step-outputs", step=name)
        ]
        step["checklists"] = checklists.get(iri, [])
        step["notes"] = notes.get(iri, [])
    return sorted(steps.values(), key=lambda s: s["position"])


def _requirement(read: GuideReader, row: dict[str, Cell]) -> dict[str, Any]:
    return {
        "document": read.ref(row["document"]),
        **{key: read.ref(row.get(key)) for key in ("action", "office", "form", "part")},
        **{key: text(row.get(key)) for key in ("specification", "condition")},
    }


def _channels(read: GuideReader, notes: dict[str, list[str]]) -> list[dict[str, Any]]:
    channels: dict[str, dict[str, Any]] = {}
    for row in read.rows("activation-channels"):
        cell = row["channel"]
        assert cell
        if not read.ours(cell):
            continue
        channels.setdefault(cell["value"], {**read.ref(cell), "office": read.ref(row["office"])})
    for iri, channel in channels.items():
        details = read.rows("channel-details", channel=read.short(iri))
        for key in ("document", "password"):
            found = [read.ref(r[key]) for r in details if r.get(key)]
            channel[key + "s"] = [x for i, x in enumerate(found) if x not in found[:i]]
        for key in ("service_point", "effect"):
            channel[key] = next((t for r in details if (t := text(r.get(key)))), "")
        channel["notes"] = notes.get(iri, [])
    return list(channels.values())


def _checklist(read: GuideReader) -> list[dict[str, Any]]:
    out = []
    for row in read.rows("checklist"):
        if not read.ours(row.get("service")):
            continue
        item = _requirement(read, row)
        item["steps"] = text(row.get("steps"))
        item["in_checklist"] = read.ref(row.get("in_checklist"))
        item["produced_by"] = read.ref(row.get("produced_by"))
        out.append(item)
    return out


def _laws(read: GuideReader, service: Cell) -> list[dict[str, Any]]:
    if not service:
        return []
    articles: dict[str, dict[str, Any]] = {}
    for row in read.rows("legal-basis", subject=read.short(service["value"])):
        article = row["article"]
        assert article
        entry = articles.setdefault(
            article["value"],
            {**read.ref(article), "law": read.ref(row["law"]), "rules": [], "note": ""},
        )
        entry["rules"].append(read.ref(row["rule"]))
        entry["note"] = text(row.get("note"))
    for iri, entry in articles.items():
        found = read.rows("article-text", article=read.short(iri))
        if found:
            entry["text"] = text(found[0].get("text"))
            entry["adopted"] = (found[0].get("adopted") or {}).get("value", "")
            entry["in_force"] = (found[0].get("in_force") or {}).get("value", "")
    return list(articles.values())


def _registration(read: GuideReader) -> list[dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for row in read.rows("birth-registration"):
        rule = row["rule"]
        assert rule
        entry = rules.setdefault(
            rule["value"],
            {
                **read.ref(rule),
                "declarants": [],
                "declare_to": read.ref(row["declare_to"]),
                "article": read.ref(row["article"]),
                "has_deadline": bool(row.get("deadline")),
            },
        )
        entry["declarants"].append(read.ref(row["declarant"]))
    return list(rules.values())
