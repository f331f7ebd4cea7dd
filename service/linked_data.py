"""Dereferenceable IRIs: /id/…, /ontology, /dataset, /.well-known/void and dumps."""

from __future__ import annotations

import gzip
import hashlib
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import Graph, URIRef

from . import describe as rdf
from .cors import allow_cross_origin
from .errors import ApiError
from .formats import RDF_ALIASES, RDF_FORMATS, serialise
from .negotiation import pick_format, pick_lang
from .pages import Labels, ontology_page, resource_page
from .store import Store

bp = Blueprint("linked_data", __name__)
allow_cross_origin(bp, expose="ETag, Last-Modified, Content-Location, Link")

HTML = "text/html"
# Turtle first: a client that accepts anything (*/*) gets data, a browser gets HTML.
OFFERED = {"turtle": RDF_FORMATS["turtle"][0], "html": HTML} | {
    name: mime for name, (mime, _, _) in RDF_FORMATS.items()
}
BY_EXT = {ext: name for name, (_, _, ext) in RDF_FORMATS.items()} | {"html": "html"}


def store() -> Store:
    found: Store = current_app.extensions["newborn_kg.store"]
    return found


def labels() -> Labels:
    """What the page builders need: the entity index, the IRI base and the page's language."""
    return Labels(current_app.extensions["newborn_kg.canned"].index, base(), pick_lang())


def base() -> str:
    return str(current_app.config["BASE_URI"])


def negotiate(extension: str | None) -> str:
    """The format asked for by extension, `format=`, or the Accept header."""
    if extension:
        return BY_EXT[extension]
    raw = request.args.get("format")
    return pick_format(OFFERED, RDF_ALIASES.get(raw, raw) if raw else None)


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
        jsonld = serialise(graph, "jsonld")
        body = render_template(context.pop("template"), jsonld=jsonld, path=path, **context)
        response = Response(body, mimetype=HTML)
        response.headers["Content-Location"] = f"{path}.html"
    else:
        mime, _, ext = RDF_FORMATS[fmt]
        response = Response(serialise(graph, fmt), mimetype=mime)
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
        body = render_template("not_found.html", iri=iri, lang=pick_lang())
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
        {"template": "resource.html", **resource_page(graph, URIRef(iri), labels())}
        if fmt == "html"
        else {}
    )
    return respond(graph, fmt, f"/id/{local}", context)


@bp.get("/ontology")
@bp.get("/ontology.<ext>")
def ontology(ext: str | None = None) -> Response:
    fmt = negotiate(extension(ext))
    graph = rdf.ontology(store())
    context = (
        {"template": "ontology.html", **ontology_page(graph, labels())} if fmt == "html" else {}
    )
    return respond(graph, fmt, "/ontology", context)


@bp.get("/dataset")
@bp.get("/dataset.<ext>")
@bp.get("/.well-known/void")
def dataset(ext: str | None = None) -> Response:
    fmt = negotiate(extension(ext))
    graph = rdf.dataset(store(), base())
    iri = URIRef(base() + "id/dataset")
    context = (
        {"template": "resource.html", **resource_page(graph, iri, labels())}
        if fmt == "html"
        else {}
    )
    return respond(graph, fmt, "/dataset", context)


@bp.get("/dump.<ext>")
def dump(ext: str) -> Response:
    name = BY_EXT.get(ext)
    if name is None or name in ("html", "rdfxml"):
        raise ApiError(404, f"no dump .{ext}", allowed=["dump.ttl", "dump.nt", "dump.jsonld"])
    cache = current_app.extensions.setdefault("newborn_kg.dumps", {})
    if name not in cache:
        text = serialise(rdf.everything(store()), name).encode("utf-8")
        cache[name] = (text, gzip.compress(text, mtime=0))
    plain, packed = cache[name]
    zipped = request.accept_encodings.quality("gzip") > 0
    response = Response(packed if zipped else plain, mimetype=RDF_FORMATS[name][0])
    if zipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{store().data_version}-{name}-{'gz' if zipped else 'id'}")
    response.last_modified = store().modified
    response.make_conditional(request)
    return response
