"""Dereferenceable IRIs: /id/…, /ontology, /dataset, /.well-known/void and dumps."""

from __future__ import annotations

import gzip
import hashlib
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from . import describe as rdf
from . import vocabulary
from .cors import allow_cross_origin
from .errors import ApiError
from .index import EntityIndex
from .namespaces import PREFIXES
from .negotiation import pick_format, pick_lang
from .store import Store

bp = Blueprint("linked_data", __name__)
allow_cross_origin(bp, expose="ETag, Last-Modified, Content-Location, Link")

HTML = "text/html"
# Turtle first: a client that accepts anything (*/*) gets data, a browser gets HTML.
OFFERED = {"turtle": rdf.RDF_FORMATS["turtle"][0], "html": HTML} | {
    name: mime for name, (mime, _, _) in rdf.RDF_FORMATS.items()
}
BY_EXT = {ext: name for name, (_, _, ext) in rdf.RDF_FORMATS.items()} | {"html": "html"}
ALIASES = {"ttl": "turtle", "json-ld": "jsonld", "nt": "ntriples", "rdf": "rdfxml", "xml": "rdfxml"}
SCHEMA_TEXT = URIRef("https://schema.org/text")
DEFINITION = SKOS.definition


def store() -> Store:
    found: Store = current_app.extensions["newborn_kg.store"]
    return found


def index() -> EntityIndex:
    found: EntityIndex = current_app.extensions["newborn_kg.canned"].index
    return found


def base() -> str:
    return str(current_app.config["BASE_URI"])


def negotiate(extension: str | None) -> str:
    """The format asked for by extension, `format=`, or the Accept header."""
    if extension:
        return BY_EXT[extension]
    raw = request.args.get("format")
    return pick_format(OFFERED, ALIASES.get(raw, raw) if raw else None)


def extension(ext: str | None) -> str | None:
    """A path's extension, 404 unless it names one of the formats."""
    if ext is not None and ext not in BY_EXT:
        raise ApiError(404, f"no representation .{ext}", allowed=sorted(BY_EXT))
    return ext


def split(path: str) -> tuple[str, str | None]:
    """'step/1.ttl' → ('step/1', 'ttl'); a path without a known extension is left whole."""
    stem, dot, ext = path.rpartition(".")
    return (stem, ext) if dot and ext in BY_EXT and "/" not in ext else (path, None)


def respond(graph: Graph, fmt: str, path: str, context: dict[str, Any]) -> Response:
    """Serialise or render, with Content-Location, Vary, ETag and Last-Modified."""
    if fmt == "html":
        jsonld = rdf.serialise(graph, "jsonld")
        body = render_template(context.pop("template"), jsonld=jsonld, path=path, **context)
        response = Response(body, mimetype=HTML)
        response.headers["Content-Location"] = f"{path}.html"
    else:
        mime, _, ext = rdf.RDF_FORMATS[fmt]
        response = Response(rdf.serialise(graph, fmt), mimetype=mime)
        response.headers["Content-Location"] = f"{path}.{ext}"
    response.vary.update(("Accept", "Accept-Language"))
    key = f"{store().data_version}:{path}:{fmt}:{context.get('lang', '')}"
    response.set_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    response.last_modified = store().modified
    response.headers["Cache-Control"] = "public, max-age=300"
    response.make_conditional(request)
    return response


def not_found(fmt: str, iri: str) -> Response:
    if fmt == "html":
        body = render_template(
            "not_found.html",
            iri=iri,
            lang=pick_lang(),
            title="404",
            subtitle="",
            formats={},
            path="",
        )
        return Response(body, status=404, mimetype=HTML)
    raise ApiError(404, f"no resource {iri} in this graph")


@bp.get("/id/<path:path>")
def resource(path: str) -> Response:
    local, ext = split(path)
    iri = base() + "id/" + local
    graph = rdf.described(store(), iri)
    if graph is None and ext:  # the dot may belong to the name itself
        graph = rdf.described(store(), base() + "id/" + path)
        if graph is not None:
            local, ext, iri = path, None, base() + "id/" + path
    fmt = negotiate(ext)
    if graph is None:
        return not_found(fmt, iri)
    context = (
        {"template": "resource.html", **page(graph, URIRef(iri), pick_lang())}
        if fmt == "html"
        else {}
    )
    return respond(graph, fmt, f"/id/{local}", context)


@bp.get("/ontology")
@bp.get("/ontology.<ext>")
def ontology(ext: str | None = None) -> Response:
    fmt = negotiate(extension(ext))
    graph = rdf.ontology(store())
    context = {"template": "ontology.html", **terms(graph, pick_lang())} if fmt == "html" else {}
    return respond(graph, fmt, "/ontology", context)


@bp.get("/dataset")
@bp.get("/dataset.<ext>")
@bp.get("/.well-known/void")
def dataset(ext: str | None = None) -> Response:
    fmt = negotiate(extension(ext))
    graph = rdf.dataset(store(), base())
    iri = URIRef(base() + "id/dataset")
    context = (
        {"template": "resource.html", **page(graph, iri, pick_lang())} if fmt == "html" else {}
    )
    return respond(graph, fmt, "/dataset", context)


@bp.get("/dump.<ext>")
def dump(ext: str) -> Response:
    name = BY_EXT.get(ext)
    if name is None or name in ("html", "rdfxml"):
        raise ApiError(404, f"no dump .{ext}", allowed=["dump.ttl", "dump.nt", "dump.jsonld"])
    cache = current_app.extensions.setdefault("newborn_kg.dumps", {})
    if name not in cache:
        text = rdf.serialise(rdf.everything(store()), name).encode("utf-8")
        cache[name] = (text, gzip.compress(text, mtime=0))
    plain, packed = cache[name]
    zipped = "gzip" in request.accept_encodings
    response = Response(packed if zipped else plain, mimetype=rdf.RDF_FORMATS[name][0])
    if zipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{store().data_version}-{name}-{'gz' if zipped else 'id'}")
    response.last_modified = store().modified
    response.make_conditional(request)
    return response


# ---------------------------------------------------------------- view models for the pages


def link(term: Any, graph: Graph | None = None) -> dict[str, Any]:
    """How a term shows on a page: its label, where it links to, its language; a blank node
    has no page of its own, so its properties show inline."""
    if isinstance(term, Literal):
        return {"label": str(term), "lang": term.language or ""}
    if isinstance(term, BNode):
        return {"label": "", "inline": _rows(graph, term) if graph is not None else []}
    iri = str(term)
    href = "/" + iri[len(base()) :] if iri.startswith(base()) else iri
    return {"label": index().label(iri, pick_lang()) or curie(iri), "href": href, "iri": iri}


def curie(iri: str) -> str:
    return vocabulary.curie(iri)


# Not shown on pages for people: the type and labels are the heading, the synonyms are for search.
HIDDEN = (RDF.type, RDFS.label, SCHEMA_TEXT, SKOS.altLabel, SKOS.prefLabel)


def _rows(graph: Graph, subject: Any, depth: int = 0) -> list[dict[str, Any]]:
    """The properties of a subject in the page's language, each labelled, in a stable order."""
    language = pick_lang()
    rows: dict[str, dict[str, Any]] = {}
    for p, o in graph.predicate_objects(subject):
        if (p in HIDDEN and not isinstance(subject, BNode)) or (
            isinstance(o, Literal) and o.language not in (None, language)
        ):
            continue
        if isinstance(o, BNode) and depth >= 2:
            continue
        row = rows.setdefault(str(p), {"iri": str(p), "label": _predicate(str(p)), "values": []})
        row["values"].append(
            link(o, graph)
            if not isinstance(o, BNode)
            else {"label": "", "inline": _rows(graph, o, depth + 1)}
        )
    for row in rows.values():
        row["values"].sort(key=_sort_key)
    return sorted(rows.values(), key=lambda r: (r["label"], r["iri"]))


def _sort_key(value: dict[str, Any]) -> str:
    """Order values by what they show, never by a blank node's random id."""
    if "inline" in value:
        return "\uffff" + repr(
            [(r["iri"], [_sort_key(v) for v in r["values"]]) for r in value["inline"]]
        )
    return value.get("label", "") + value.get("iri", "")


def page(graph: Graph, subject: URIRef, language: str) -> dict[str, Any]:
    """Labels in both languages, properties, incoming links and legal text of one resource."""
    labels = {
        label.language: str(label)
        for label in graph.objects(subject, RDFS.label)
        if isinstance(label, Literal)
    }
    incoming = sorted(
        (
            (link(s), {"label": _predicate(str(p)), "iri": str(p)})
            for s, p, o in graph.triples((None, None, subject))
            if not isinstance(s, BNode)
        ),
        key=lambda item: (item[1]["label"], item[0]["label"]),
    )
    texts = {
        t.language: str(t) for t in graph.objects(subject, SCHEMA_TEXT) if isinstance(t, Literal)
    }
    return {
        "lang": language,
        "iri": str(subject),
        "title": labels.get(language)
        or labels.get("en")
        or labels.get("zh")
        or curie(str(subject)),
        "subtitle": labels.get("en" if language == "zh" else "zh", ""),
        "subtitle_lang": "en" if language == "zh" else "zh",
        "types": sorted((link(t) for t in graph.objects(subject, RDF.type)), key=_sort_key),
        "rows": _rows(graph, subject),
        "incoming": incoming,
        "texts": texts,
        "formats": {name: ext for name, (_, _, ext) in rdf.RDF_FORMATS.items()},
    }


def _predicate(iri: str) -> str:
    return vocabulary.property_label(index(), iri, pick_lang())


def terms(graph: Graph, language: str) -> dict[str, Any]:
    """The ontology's classes and properties with zh/en labels and definitions."""
    kinds = [
        ("classes", OWL.Class),
        ("object_properties", OWL.ObjectProperty),
        ("datatype_properties", OWL.DatatypeProperty),
        ("datatypes", RDFS.Datatype),
    ]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for key, kind in kinds:
        by_kind[key] = [
            {
                "curie": curie(str(term)),
                "anchor": str(term).rsplit("#", 1)[-1],
                "zh": _text(graph, term, RDFS.label, "zh"),
                "en": _text(graph, term, RDFS.label, "en"),
                "definition_zh": _text(graph, term, DEFINITION, "zh"),
                "definition_en": _text(graph, term, DEFINITION, "en"),
                "parents": [link(p) for p in graph.objects(term, RDFS.subClassOf)]
                + [link(p) for p in graph.objects(term, RDFS.subPropertyOf)],
            }
            for term in sorted(graph.subjects(RDF.type, kind), key=str)
            if str(term).startswith(PREFIXES["nkg"])
        ]
    title = "newborn-kg 本体" if language == "zh" else "newborn-kg ontology"
    formats = {n: e for n, (_, _, e) in rdf.RDF_FORMATS.items()}
    return {
        "lang": language,
        "title": title,
        "subtitle": "",
        "formats": formats,
        "terms_by_kind": by_kind,
    }


def _text(graph: Graph, term: Any, prop: URIRef, language: str) -> str:
    return next(
        (
            str(o)
            for o in graph.objects(term, prop)
            if isinstance(o, Literal) and o.language == language
        ),
        "",
    )
