"""The OpenAPI paths of every route but the canned queries: ask, SPARQL, linked data, dumps.

Each operation lists its parameters, its success media types with schemas, and every error
status it can answer in the one error shape, so a generated client can reach it and a fuzzer can
tell an off-schema response from a documented one.
"""

from __future__ import annotations

from typing import Any

from .formats import QUAD_FORMATS, RDF_FORMATS, RESULT_FORMATS
from .languages import LANGS

ERROR = {"$ref": "#/components/schemas/Error"}
TEXT = {"type": "string"}
ANY_JSON: dict[str, Any] = {"type": ["object", "array"]}
RDF_CONTENT = {
    mime: {"schema": ANY_JSON if "json" in mime else TEXT} for mime, _, _ in RDF_FORMATS.values()
}
HTML = {"text/html": {"schema": TEXT}}
EXTENSIONS = sorted(ext for _, _, ext in RDF_FORMATS.values()) + ["html"]
ERROR_TEXT = {
    400: "The request is malformed or a parameter is invalid; the body says which and why.",
    403: "Refused: an update, SERVICE, or a dataset this server does not hold.",
    404: "No such resource or representation.",
    406: "None of the accepted media types is available.",
    408: "The client paused longer than BODY_TIMEOUT while sending the body.",
    413: "The request body is too large.",
    415: "The body's media type or charset is not accepted.",
    502: "The remote store answered, but not as a SPARQL endpoint.",
    503: "The query did not finish within the deadline, cannot run isolated, or the remote store "
    "cannot be reached; see Retry-After.",
    504: "The remote store did not answer before the deadline.",
}
STORE_FAULTS = (502, 503, 504)  # STORE=sparql only
LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "schema": {"enum": list(LANGS)},
    "description": "Language of labels and texts; default from Accept-Language, else zh.",
}
RDF_FORMAT = {
    "name": "format",
    "in": "query",
    "required": False,
    "schema": {"enum": [*RDF_FORMATS, "html", "ttl", "json-ld", "nt", "rdf", "xml", ""]},
    "description": "Overrides the Accept header (empty: as if absent).",
}


def errors(*codes: int) -> dict[str, Any]:
    """Documented error responses, all in the one error shape."""
    return {
        str(code): {
            "description": ERROR_TEXT[code],
            "content": {"application/json": {"schema": ERROR}},
        }
        for code in codes
    }


def json_of(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def operation(
    op_id: str, summary: str, ok: dict[str, Any], *codes: int, **extra: Any
) -> dict[str, Any]:
    """One operation: a 200 with the given media types, and the given error statuses."""
    faults = STORE_FAULTS if extra.pop("store", True) else ()
    responses = {"200": {"description": "OK", "content": ok}, **errors(400, *codes, *faults)}
    if extra.pop("conditional", False):
        responses["304"] = {"description": "Not modified (If-None-Match or If-Modified-Since)."}
    if extra.pop("html_404", False):
        responses["404"]["content"].update(HTML)
    return {"operationId": op_id, "summary": summary, "responses": responses, **extra}


def path_param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }


def sparql_operations(op_id: str) -> dict[str, Any]:
    """GET and POST of the SPARQL 1.1 Protocol endpoint."""
    dataset = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string", "format": "iri"}},
            "style": "form",
            "explode": True,
            "description": "An IRI of the protocol dataset (repeatable).",
        }
        for name in ("default-graph-uri", "named-graph-uri")
    ]
    query = {
        "name": "query",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": 20000},
        "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE). Without it, GET "
        "answers the service description (or the query page for a browser).",
    }
    fmt = {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "Result format by name (json, xml, csv, tsv, turtle, jsonld, ntriples, "
        "rdfxml and aliases); overrides Accept.",
    }
    ok = {
        mime: {"schema": ANY_JSON if "json" in mime else TEXT}
        for mime in [*RESULT_FORMATS.values(), *(m for m, _, _ in RDF_FORMATS.values())]
    } | HTML
    form_body = {
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["query"],
    }
    codes = (403, 406, 408, 413, 415, 503)
    return {
        "get": operation(
            f"{op_id}_get",
            "Run a read-only SPARQL query (SPARQL 1.1 Protocol, GET)",
            ok,
            *codes,
            tags=["SPARQL"],
            parameters=[query, *dataset, fmt],
        ),
        "post": operation(
            f"{op_id}_post",
            "Run a read-only SPARQL query (form or application/sparql-query body)",
            ok,
            *codes,
            tags=["SPARQL"],
            parameters=[*dataset, fmt],
            requestBody={
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": form_body},
                    "application/sparql-query": {"schema": TEXT},
                },
            },
        ),
    }


def linked_data_paths() -> dict[str, Any]:
    """Dereferenceable IRIs, the ontology, the dataset description and the dumps."""
    ok = RDF_CONTENT | HTML
    params = [RDF_FORMAT, LANG]
    common: dict[str, Any] = {"tags": ["linked data"], "parameters": params, "conditional": True}
    ext = path_param("ext", {"enum": EXTENSIONS}, "The representation: " + ", ".join(EXTENSIONS))
    described = {
        "/ontology": ("ontology", "The ontology: classes and properties"),
        "/dataset": ("dataset", "The dataset description (VoID and DCAT)"),
    }
    paths: dict[str, Any] = {
        "/id/{path}": {
            "get": operation(
                "resource",
                "A resource of the graph, by its IRI path (a .ttl/.jsonld/.nt/.rdf/.html "
                "extension picks the format)",
                ok,
                404,
                406,
                html_404=True,
                **{
                    **common,
                    "parameters": [
                        path_param(
                            "path",
                            TEXT,
                            "e.g. region/410000/v1/service/newborn-medical-insurance-card",
                        ),
                        *params,
                    ],
                },
            )
        },
        "/.well-known/void": {
            "get": operation(
                "void", "The dataset description (RFC 5785 location)", ok, 404, 406, **common
            )
        },
        "/dump.{ext}": {
            "get": operation(
                "dump",
                "The whole graph (gzip when accepted)",
                {m: RDF_CONTENT[m] for m, _, e in RDF_FORMATS.values() if e != "rdf"}
                | {m: {"schema": TEXT} for m, _, _ in QUAD_FORMATS.values()},
                404,
                conditional=True,
                tags=["linked data"],
                parameters=[
                    path_param(
                        "ext",
                        {"enum": ["ttl", "nt", "jsonld", "nq", "trig"]},
                        "The format; nq and trig keep the named graphs",
                    )
                ],
            )
        },
    }
    for path, (name, summary) in described.items():
        paths[path] = {"get": operation(name, summary, ok, 404, 406, **common)}
        paths[path + ".{ext}"] = {
            "get": operation(
                f"{name}_ext",
                summary,
                ok,
                404,
                406,
                **{**common, "parameters": [ext, *params]},
            )
        }
    return paths


def surface_paths() -> dict[str, Any]:
    """Every path of the service but the canned queries' own."""
    ask_params = [
        {
            "name": "q",
            "in": "query",
            "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": 500},
        },
        LANG,
    ]
    return {
        "/": {
            "get": operation(
                "home",
                "Where to go next: a page for people, links for programs",
                HTML | json_of("Links"),
                406,
                parameters=[LANG],
                store=False,
            )
        },
        "/health": {
            "get": operation(
                "health",
                "The store kind, triple count, data version; `degraded` while the store fails",
                json_of("Health"),
                store=False,
            )
        },
        "/openapi.json": {
            "get": operation(
                "openapi",
                "This document",
                {"application/json": {"schema": {"type": "object"}}},
                parameters=[LANG],
                store=False,
            )
        },
        "/checklist": {
            "get": operation(
                "checklist_page",
                "The documents to bring, as one printable page",
                HTML,
                parameters=[LANG],
            )
        },
        "/api/docs": {
            "get": operation(
                "api_docs", "The canned queries as a page", HTML, parameters=[LANG], store=False
            )
        },
        "/api/queries": {
            "get": operation(
                "catalog",
                "The catalog of canned queries",
                json_of("Catalog"),
                parameters=[LANG],
                store=False,
            )
        },
        "/api/ask": {
            "get": operation(
                "ask_get",
                "Ask a question in Chinese or English",
                json_of("AskAnswer"),
                tags=["questions"],
                parameters=ask_params,
            ),
            "post": operation(
                "ask_post",
                "Ask a question in a JSON body",
                json_of("AskAnswer"),
                408,
                413,
                415,
                tags=["questions"],
                requestBody={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["q"],
                                "properties": {
                                    "q": ask_params[0]["schema"],
                                    "lang": {"enum": [*LANGS, None]},
                                },
                            }
                        }
                    },
                },
            ),
        },
        "/sparql": sparql_operations("sparql"),
        "/sparql/": sparql_operations("sparql_slash"),
        **linked_data_paths(),
        "/static/{filename}": {
            "get": operation(
                "static",
                "Static files of the pages (the YASGUI query editor)",
                {
                    "text/css": {"schema": TEXT},
                    "text/javascript": {"schema": TEXT},
                    "text/plain": {"schema": TEXT},
                },
                404,
                conditional=True,
                parameters=[path_param("filename", TEXT, "e.g. yasgui/yasgui.min.js")],
                store=False,
            )
        },
    }


SCHEMAS: dict[str, Any] = {
    "Health": {
        "type": "object",
        "required": ["status", "store", "triples", "data_version"],
        "properties": {
            "status": {"enum": ["ok", "degraded"]},
            "reason": TEXT,
            "store": {"enum": ["embedded", "sparql"]},
            "triples": {"type": "integer", "minimum": 0},
            "data_version": {"type": "string"},
        },
    },
    "Links": {
        "type": "object",
        "required": ["links"],
        "properties": {
            "links": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["href", "title"],
                    "properties": {"href": TEXT, "title": TEXT},
                },
            }
        },
    },
    "Catalog": {
        "type": "object",
        "required": ["lang", "queries"],
        "properties": {
            "lang": {"enum": list(LANGS)},
            "queries": {
                "type": "array",
                "items": {"type": "object", "required": ["name", "summary", "params"]},
            },
        },
    },
    "AskAnswer": {
        "type": "object",
        "required": ["question", "lang", "understood"],
        "properties": {
            "question": TEXT,
            "lang": {"enum": list(LANGS)},
            "understood": {"type": "boolean"},
            "reason": TEXT,
            "suggestions": {"type": "array", "items": TEXT},
            "clarify": {
                "type": "array",
                "items": {"type": "object", "required": ["iri", "label"]},
            },
            "query": TEXT,
            "params": {"type": "object", "additionalProperties": TEXT},
            "confidence": {"type": "number"},
            "answers": {"type": "array", "items": {"type": "object"}},
            "text": TEXT,
            "sources": {
                "type": "array",
                "items": {"type": "object", "required": ["iri", "label"]},
            },
            "sparql": TEXT,
            "try": TEXT,
        },
    },
}
