"""The OpenAPI 3.1 document, generated from the canned-query registry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .languages import LANGS
from .openapi_surface import SCHEMAS as SURFACE_SCHEMAS
from .openapi_surface import STORE_FAULTS, errors, surface_paths

if TYPE_CHECKING:
    from .canned import CannedQueries

ALSO_ACCEPTED = "also accepted: the full IRI, an id: CURIE, or a label or synonym in zh or en."
ERROR = {"$ref": "#/components/schemas/Error"}
CELL = {
    "type": ["object", "null"],
    "required": ["value", "label", "type"],
    "properties": {
        "value": {"type": "string"},
        "label": {"type": "string"},
        "type": {"enum": ["uri", "literal", "bnode"]},
    },
}
SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "param": {"type": "string"},
                    "allowed": {"type": "array", "items": {"type": "string"}},
                    "line": {"type": "integer"},
                    "column": {"type": "integer"},
                    "token": {"type": "string"},
                    "expected": {"type": "array", "items": {"type": "string"}},
                    "hint": {"type": "string"},
                },
            }
        },
    },
    "Cell": CELL,
    "Answer": {
        "type": "object",
        "required": ["query", "params", "lang", "columns", "rows", "total", "data_version"],
        "properties": {
            "query": {"type": "string"},
            "params": {"type": "object", "additionalProperties": {"type": "string"}},
            "lang": {"enum": list(LANGS)},
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/components/schemas/Cell"},
                },
            },
            "total": {"type": "integer"},
            "offset": {"type": "integer"},
            "limit": {"type": "integer"},
            "data_version": {"type": "string"},
            "sparql": {"type": "string"},
        },
    },
}
COMMON = [
    {
        "name": "lang",
        "in": "query",
        "required": False,
        "schema": {"enum": list(LANGS)},
        "description": "Language of labels and texts; default from Accept-Language, else zh.",
    },
    {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"enum": ["json", "csv", "tsv", "sparql-json", "html", ""]},
        "description": "Overrides Accept; html is the page for browsers; empty: as if absent.",
    },
    {
        "name": "bom",
        "in": "query",
        "required": False,
        "schema": {"enum": ["0", "1"]},
        "description": "1: start CSV/TSV with a UTF-8 byte order mark, so Excel reads Chinese.",
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 0},
    },
    {
        "name": "offset",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 0},
    },
]


DEADLINE: dict[str, Any] = {
    "operationId": "deadline",
    "summary": "The last day to declare a birth, from the graph's one-month rule",
    "parameters": [
        {
            "name": "birth",
            "in": "query",
            "required": True,
            "schema": {"type": "string", "format": "date", "examples": ["2024-01-31"]},
            "description": "The baby's date of birth, YYYY-MM-DD.",
        },
        COMMON[0],
    ],
    "responses": {
        "200": {
            "description": "The deadline, counted in calendar months, with its rule and article.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deadline"}}},
        },
        "400": {
            "description": "The date is missing, malformed or impossible.",
            "content": {"application/json": {"schema": ERROR}},
        },
    },
}
LINK: dict[str, Any] = {
    "type": "object",
    "required": ["iri", "label"],
    "properties": {"iri": {"type": "string"}, "label": {"type": "string"}},
}
SCHEMAS["Deadline"] = {
    "type": "object",
    "required": ["birth", "deadline", "rule", "source"],
    "properties": {
        "birth": {"type": "string", "format": "date"},
        "deadline": {"type": "string", "format": "date"},
        "lang": {"enum": list(LANGS)},
        "rule": {
            **LINK,
            "properties": {
                **LINK["properties"],
                "duration": {"type": "string"},
                "starts": {"type": "string"},
            },
        },
        "source": LINK,
    },
}


def _errors(*codes: int) -> dict[str, Any]:
    return {
        str(code): {"description": text, "content": {"application/json": {"schema": ERROR}}}
        for code, text in {
            400: "A parameter is missing or invalid; the body names it and what is allowed.",
            404: "No such canned query.",
            406: "None of the accepted media types is available.",
        }.items()
        if code in codes
    }


def _operation(runner: CannedQueries, name: str, lang: str) -> dict[str, Any]:
    query = runner.catalog[name]
    errors_400_406 = _errors(400, 406)
    # format=html (or a browser) gets the query page again: the message above the form
    errors_400_406["400"]["content"]["text/html"] = {"schema": {"type": "string"}}
    params = []
    for p in query.params:
        schema: dict[str, Any] = {"type": "string", "examples": [p.example]}
        if p.type == "iri":
            schema["enum"] = sorted(runner.index.short_names(p.classes).values())
        params.append(
            {
                "name": p.name,
                "in": "query",
                "required": p.required,
                "schema": schema,
                "description": f"{p.description[lang]} — {ALSO_ACCEPTED}",
            }
        )
    return {
        "operationId": name.replace("-", "_"),
        "summary": query.summary[lang],
        "description": query.description[lang],
        "tags": ["canned queries"],
        "parameters": params + COMMON,
        "responses": {
            "200": {
                "description": "The answer; `Link` carries next/prev pages.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Answer"}},
                    "text/csv": {"schema": {"type": "string"}},
                    "text/tab-separated-values": {"schema": {"type": "string"}},
                    "application/sparql-results+json": {"schema": {"type": "object"}},
                    "text/html": {"schema": {"type": "string"}},
                },
            },
            "304": {"description": "Not modified (If-None-Match matched the ETag)."},
            **errors_400_406,
            **errors(*STORE_FAULTS),
        },
        "x-examples": {"zh": list(query.examples["zh"]), "en": list(query.examples["en"])},
    }


def build_openapi(runner: CannedQueries, lang: str) -> dict[str, Any]:
    """Build the document: one path per canned query, with typed parameters and errors."""
    paths: dict[str, Any] = surface_paths()
    paths["/api/deadline"] = {"get": DEADLINE}
    for name in runner.catalog:
        paths[f"/api/queries/{name}"] = {"get": _operation(runner, name, lang)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "newborn-kg API",
            "version": "0.1.0",
            "description": "Questions, canned queries, a SPARQL endpoint and linked data about "
            "the Henan newborn medical insurance card.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "paths": paths,
        "components": {"schemas": SCHEMAS | SURFACE_SCHEMAS},
    }
