"""Turn raw parameter values into validated RDF terms, or explain what is allowed."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from .catalog import CannedQuery, Param
from .index import EntityIndex, normalise
from .languages import LANGS
from .namespaces import expand
from .problems import ParamError

MAX_LENGTH = 200


def resolve_all(
    query: CannedQuery, raw: Mapping[str, str], index: EntityIndex, lang: str
) -> dict[str, Node]:
    """Resolve every declared parameter; refuse unknown and missing ones."""
    declared = {p.name: p for p in query.params}
    for name in raw:
        if name not in declared:
            raise ParamError(name, f"'{query.name}' takes no such parameter", sorted(declared))
    terms: dict[str, Node] = {}
    for param in query.params:
        if param.name in raw:
            terms[param.name] = resolve(param, raw[param.name], index, lang)
        elif param.required:
            raise ParamError(param.name, "is required", allowed_values(param, index, lang))
    return terms


def resolve(param: Param, raw: str, index: EntityIndex, lang: str) -> Node:
    """Resolve one raw value by the parameter's type."""
    if len(raw) > MAX_LENGTH:
        raise ParamError(param.name, f"is {len(raw)} characters long; at most {MAX_LENGTH}")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in raw):
        raise ParamError(param.name, "contains control or format characters")
    if param.type == "iri":
        return _iri(param, raw.strip(), index, lang)
    if param.type == "lang":
        if raw not in LANGS:
            raise ParamError(param.name, f"{raw!r} is not a supported language", list(LANGS))
        return Literal(raw)
    if param.type == "integer":
        if not raw.isascii() or not raw.strip().lstrip("-").isdigit() or abs(int(raw)) > 10**9:
            raise ParamError(param.name, f"{raw!r} is not an integer")
        return Literal(int(raw))
    try:
        return Literal(datetime.date.fromisoformat(raw).isoformat(), datatype=XSD.date)
    except ValueError:
        raise ParamError(param.name, f"{raw!r} is not a date (YYYY-MM-DD)") from None


def _iri(param: Param, raw: str, index: EntityIndex, lang: str) -> URIRef:
    # lookups only: a request never walks the class's members
    members = index.members_of(param.classes)
    bare = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
    named = index.by_short_name(param.classes).get(raw)
    candidates = {bare, expand(raw) or "", index.base + raw, named or ""}
    # a tail of the path ('step/3') is the slow path, taken only when nothing else matched
    found = {iri for iri in candidates if iri in members} or index.with_tail(param.classes, raw)
    if not found:
        found = set(index.names_of(param.classes).get(normalise(raw), ()))
    if len(found) == 1:
        return URIRef(found.pop())
    if found:
        short = index.short_names(param.classes)
        options = [f"{short[i]} ({index.label(i, lang)})" for i in sorted(found)]
        raise ParamError(param.name, f"{raw!r} is ambiguous", options)
    raise ParamError(param.name, f"no match for {raw!r}", allowed_values(param, index, lang))


def allowed_values(param: Param, index: EntityIndex, lang: str) -> list[str]:
    """The canonical values of a parameter, with their labels for IRIs."""
    if param.type == "iri":
        short = index.short_names(param.classes)
        return [f"{name} ({index.label(iri, lang)})" for iri, name in sorted(short.items())]
    if param.type == "lang":
        return list(LANGS)
    return [f"a {param.type}, e.g. {param.example}"]
