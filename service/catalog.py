"""Parse queries/*.rq, with their `#+` YAML headers, into frozen dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from . import yamltext
from .languages import LANGS
from .namespaces import expand
from .store import WHERE, with_values

KEYS = {"summary", "description", "params", "examples", "keywords", "answer"}
REQUIRED = {"summary", "description", "examples", "answer"}
ANSWER_KEYS = {"text", "row", "group", "empty"}
PLACEHOLDER = re.compile(r"\{#?([a-z_]+)\}")
PARAM_KEYS = {"type", "class", "description", "example", "required"}
PARAM_TYPES = {"iri", "lang", "integer", "date"}
RESERVED = {"lang", "limit", "offset", "format", "bom"}
NAME = re.compile(r"^[a-z][a-z0-9-]*$")
PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogError(Exception):
    """A canned query file is malformed; the message names the file."""


@dataclass(frozen=True)
class Param:
    """One typed parameter of a canned query."""

    name: str
    type: str
    classes: tuple[str, ...]
    description: dict[str, str]
    example: str
    required: bool = True


@dataclass(frozen=True)
class CannedQuery:
    """One canned query: its SPARQL and everything its header declares."""

    name: str
    summary: dict[str, str]
    description: dict[str, str]
    params: tuple[Param, ...]
    examples: dict[str, tuple[str, ...]]
    keywords: dict[str, tuple[str, ...]]
    answer: dict[str, dict[str, str]]
    sparql: str

    def bind(self, terms: dict[str, Node]) -> str:
        """The query text with validated terms bound in a VALUES block at the top of WHERE."""
        return with_values(self.sparql, terms)


def load_catalog(folder: str | Path) -> dict[str, CannedQuery]:
    """Load every .rq file of the folder; raise CatalogError naming the first bad file."""
    paths = sorted(Path(folder).glob("*.rq"))
    if not paths:
        raise CatalogError(f"{folder}: no .rq files")
    return {path.stem: parse_query_file(path) for path in paths}


def parse_query_file(path: Path) -> CannedQuery:
    """Parse one .rq file; every problem is reported with the file's path."""
    try:
        return _parse(path)
    except CatalogError as exc:
        raise CatalogError(f"{path}: {exc}") from None


def _parse(path: Path) -> CannedQuery:
    if not NAME.match(path.stem):
        raise CatalogError("file names are lower-case words joined by '-'")
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[2:] for line in text.splitlines() if line.startswith("#+"))
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#+")).strip()
    try:
        meta = yamltext.load(header) or {}
    except yaml.YAMLError as exc:
        raise CatalogError(f"the #+ header is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise CatalogError("the #+ header must be a mapping")
    unknown, missing = set(meta) - KEYS, REQUIRED - set(meta)
    if unknown:
        raise CatalogError(f"unknown header key(s) {sorted(unknown)}; allowed: {sorted(KEYS)}")
    if missing:
        raise CatalogError(f"missing header key(s) {sorted(missing)}")
    params = tuple(_param(name, spec, body) for name, spec in (meta.get("params") or {}).items())
    query = CannedQuery(
        name=path.stem,
        summary=_bilingual(meta["summary"], "summary"),
        description=_bilingual(meta["description"], "description"),
        params=params,
        examples=_lists(meta["examples"], "examples", required=True),
        keywords=_lists(meta.get("keywords") or {}, "keywords", required=False),
        answer=_answer(meta["answer"], params, body),
        sparql=body,
    )
    _check_sparql(query)
    return query


def _bilingual(value: Any, key: str) -> dict[str, str]:
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGS):
        raise CatalogError(f"{key} needs zh and en strings")
    if set(value) - set(LANGS):
        raise CatalogError(
            f"{key} has keys other than zh and en: {sorted(set(value) - set(LANGS))}"
        )
    return {lang: value[lang].strip() for lang in LANGS}


def _lists(value: Any, key: str, required: bool) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or set(value) - set(LANGS):
        raise CatalogError(f"{key} must map zh and en to lists of strings")
    out = {}
    for lang in LANGS:
        items = value.get(lang) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise CatalogError(f"{key}.{lang} must be a list of strings")
        if required and not items:
            raise CatalogError(f"{key}.{lang} needs at least one entry")
        out[lang] = tuple(items)
    return out


def _answer(value: Any, params: tuple[Param, ...], body: str) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict) or set(value) != set(LANGS):
        raise CatalogError("answer needs zh and en templates")
    names = {p.name for p in params} | {"rows"}
    out = {}
    for lang in LANGS:
        spec = value[lang]
        if not isinstance(spec, dict) or "text" not in spec or set(spec) - ANSWER_KEYS:
            raise CatalogError(f"answer.{lang} needs text and allows only {sorted(ANSWER_KEYS)}")
        for key, template in spec.items():
            for name in PLACEHOLDER.findall(str(template)) if key != "group" else [template]:
                if name not in names and not re.search(rf"[?$]{name}\b", body):
                    raise CatalogError(
                        f"answer.{lang}.{key}: {{{name}}} is neither a param nor a variable"
                    )
        out[lang] = {k: str(v) for k, v in spec.items()}
    return out


def _param(name: str, spec: Any, body: str) -> Param:
    where = f"param {name!r}"
    if not PARAM_NAME.match(str(name)) or name in RESERVED:
        raise CatalogError(f"{where}: names are lower-case identifiers, not {sorted(RESERVED)}")
    if not isinstance(spec, dict) or set(spec) - PARAM_KEYS:
        raise CatalogError(f"{where}: allowed keys are {sorted(PARAM_KEYS)}")
    if spec.get("type") not in PARAM_TYPES:
        raise CatalogError(f"{where}: type must be one of {sorted(PARAM_TYPES)}")
    classes = spec.get("class") or []
    classes = [classes] if isinstance(classes, str) else classes
    expanded = tuple(expand(str(c)) or "" for c in classes)
    if spec["type"] == "iri" and (not expanded or not all(expanded)):
        raise CatalogError(f"{where}: an iri param needs class: a CURIE with a known prefix")
    if "example" not in spec:
        raise CatalogError(f"{where}: needs an example value")
    if not re.search(rf"[?$]{name}\b", body):
        raise CatalogError(f"{where} is declared but ?{name} does not occur in the query")
    return Param(
        name=name,
        type=spec["type"],
        classes=expanded,
        description=_bilingual(spec.get("description") or {"zh": "", "en": ""}, where),
        example=str(spec["example"]),
        required=bool(spec.get("required", True)),
    )


def _check_sparql(query: CannedQuery) -> None:
    if not WHERE.search(query.sparql):
        raise CatalogError("the query needs a WHERE { … } clause to bind parameters into")
    dummies = {p.name: _dummy(p) for p in query.params}
    text = query.bind(dummies)
    if "?lang" in text:
        text = query.bind({**dummies, "lang": Literal("zh")})
    try:
        result = ox.Store().query(text)
    except SyntaxError as exc:
        raise CatalogError(f"the query does not parse: {exc}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise CatalogError("canned queries are SELECT queries")


def _dummy(param: Param) -> Node:
    return {
        "iri": URIRef("urn:newborn-kg:check"),
        "integer": Literal(1),
        "date": Literal("2000-01-01", datatype=XSD.date),
    }.get(param.type, Literal("zh"))
