"""The SPARQL 1.1 Protocol endpoint: read-only, no outbound calls, loud limits."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from werkzeug.datastructures import MultiDict

from . import describe as rdf
from .confine import Unconfinable, confine
from .cors import allow_cross_origin
from .errors import ApiError
from .formats import RESULT_FORMATS, render_result
from .guards import GuardError, check
from .isolation import Crashed, Runner, Timeout, Unisolated
from .negotiation import pick_format
from .sparql_errors import explain
from .store import QueryError, Store, StoreError

bp = Blueprint("sparql", __name__)
allow_cross_origin(bp, expose="X-Truncated, X-Max-Rows, Retry-After")

GRAPH_FORMATS = {name: mime for name, (mime, _, _) in rdf.RDF_FORMATS.items()}
ALIASES = {
    "ttl": "turtle",
    "json-ld": "jsonld",
    "nt": "ntriples",
    "rdf": "rdfxml",
    "srj": "json",
    "srx": "xml",
}
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
REMOTE_GRACE = 2.0


def execute(store: Store, job: Mapping[str, Any]) -> tuple[str, Any, bool]:
    """Run one job (in a child process): ('ok', body, truncated) or ('error', message, False)."""
    # A remote store pauses after a timeout so that request threads stay free; a child is
    # already bounded by the runner, and its pause would outlast the store's recovery.
    if hasattr(store, "hung_pause"):
        store.hung_pause = 0.0
    try:
        result = store.query(
            job["query"], job["default"], job["named"], job["max_rows"], job["base"]
        )
    except QueryError as exc:
        return "error", str(exc), False
    except StoreError as exc:  # re-raised in the parent: 502, 503 or 504
        return "store", exc, False
    return "ok", render_result(result, job["fmt"]), result.truncated


def make_runner(store: Store, config: Mapping[str, Any]) -> Runner:
    """The per-process pool of killable query children for this store."""
    # a remote store's children must reach the store; the guard still refuses SERVICE there
    return Runner(
        lambda job: execute(store, job),
        size=int(config["SPARQL_WORKERS"]),
        offline=store.kind == "embedded",
    )


def single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ApiError(
            400, f"parameter '{name}' is given {len(values)} times; give it once", param=name
        )
    return values[0] if values else None


def read_request() -> tuple[str | None, list[str], list[str]]:
    """The query and the protocol dataset, from any of the three protocol forms."""
    args = request.args
    form: MultiDict[str, str] = MultiDict()
    if request.method == "POST":
        mime = request.mimetype
        charset = (request.mimetype_params.get("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ApiError(415, f"the body must be UTF-8, not {charset}")
        if mime == UPDATE_TYPE:
            raise ApiError(403, "this endpoint is read-only: updates are refused")
        if mime == QUERY_TYPE:
            form = MultiDict({"query": request.get_data(as_text=True)})
        elif mime == FORM_TYPE:
            form = request.form
        else:
            raise ApiError(
                415,
                f"POST a query as {FORM_TYPE} or {QUERY_TYPE}, not "
                f"{mime or 'a body without a media type'}",
            )
    if "update" in args or "update" in form:
        raise ApiError(403, "this endpoint is read-only: updates are refused")
    query = single(args.getlist("query") + form.getlist("query"), "query")
    default = args.getlist("default-graph-uri") + form.getlist("default-graph-uri")
    named = args.getlist("named-graph-uri") + form.getlist("named-graph-uri")
    for iri in default + named:
        if not rdf.valid_iri(iri) or ":" not in iri:
            raise ApiError(400, f"{iri!r} is not an IRI", param="default-graph-uri")
    return query, default, named


def negotiate(form: str) -> str:
    """The result format for the query form, by `format=` or Accept."""
    offered = RESULT_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS
    if form == "ASK":
        offered = {k: v for k, v in offered.items() if k in ("json", "xml")}
    raw = request.args.get("format") or request.form.get("format")
    name = ALIASES.get(raw, raw) if raw else None
    if name == "xml" and form not in ("SELECT", "ASK"):
        name = "rdfxml"
    return pick_format(offered, name, f" for {form}")


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def endpoint() -> Response:
    config = current_app.config
    query, default, named = read_request()
    if query is None:
        if request.method == "POST":
            raise ApiError(400, "parameter 'query' is required", param="query")
        return description()
    if len(query) > config["MAX_QUERY_LENGTH"]:
        raise ApiError(
            400,
            f"the query is {len(query)} characters long; at most {config['MAX_QUERY_LENGTH']}",
            param="query",
        )
    store: Store = current_app.extensions["newborn_kg.store"]
    remote_graphs = {config["GRAPH"]} if store.kind == "sparql" else None
    try:
        checked = check(query, remote_graphs)
    except GuardError as exc:
        raise ApiError(exc.status, exc.message, param="query") from None
    if remote_graphs is not None:  # a shared store: only our graph may be reached
        try:
            confine(query, [config["GRAPH"]], default, named)
        except Unconfinable as exc:
            raise ApiError(403, str(exc), param="query") from None
    fmt = negotiate(checked.form)
    job = {
        "query": query,
        "default": default,
        "named": named,
        "fmt": fmt,
        "max_rows": config["MAX_ROWS"],
        "base": config["BASE_URI"] + "sparql",
    }
    runner: Runner = current_app.extensions["newborn_kg.runner"]
    try:
        # a remote store's own deadline (504) comes first; the child's is the backstop
        grace = REMOTE_GRACE if store.kind == "sparql" else 0.0
        status, body, truncated = runner.run(job, config["QUERY_TIMEOUT"] + grace)
    except Timeout:
        error = ApiError(
            503,
            f"the query did not finish within {config['QUERY_TIMEOUT']:g} s "
            "and was stopped; simplify it or add a LIMIT",
        )
        error.headers["Retry-After"] = "1"
        raise error from None
    except Unisolated as exc:
        raise ApiError(
            503, f"the query process could not be cut off from the network ({exc})"
        ) from None
    except Crashed:
        raise ApiError(
            400, "the query engine could not process this query", param="query"
        ) from None
    if status == "store":
        raise body
    if status == "error":
        why = explain(body, query)
        raise ApiError(400, why.message, param="query", **why.details())
    mime = (RESULT_FORMATS if checked.form in ("SELECT", "ASK") else GRAPH_FORMATS)[fmt]
    response = Response(body, mimetype=mime)  # text/* types get charset=utf-8 from werkzeug
    response.vary.add("Accept")
    if truncated:
        response.headers["X-Truncated"] = "true"
        response.headers["X-Max-Rows"] = str(config["MAX_ROWS"])
    return response


def description() -> Response:
    """The service description for machines, the query page for browsers."""
    offered = [GRAPH_FORMATS["turtle"], "text/html", *GRAPH_FORMATS.values()]
    if request.accept_mimetypes.best_match(offered) == "text/html":
        return Response(query_page(), mimetype="text/html")
    fmt = negotiate("DESCRIBE")
    graph = service_description()
    response = Response(rdf.serialise(graph, fmt), mimetype=GRAPH_FORMATS[fmt])
    response.vary.add("Accept")
    return response


def service_description() -> Graph:
    """sd:Service: endpoint, language, result formats, default dataset, limits."""
    config = current_app.config
    store: Store = current_app.extensions["newborn_kg.store"]
    graph = rdf.bind(Graph())
    graph.bind("sd", SD)
    service = URIRef(config["BASE_URI"] + "sparql")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "JSON-LD",
        "N-Triples",
        "RDF_XML",
    ):
        graph.add((service, SD.resultFormat, FORMATS_NS[name]))
    dataset, default = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, URIRef("http://rdfs.org/ns/void#triples"), Literal(store.triple_count())))
    graph.add(
        (
            service,
            URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
            Literal(
                f"Read-only. SERVICE refused (no outbound calls); deadline "
                f"{config['QUERY_TIMEOUT']:g} s (503); at most {config['MAX_ROWS']} rows "
                "(X-Truncated).",
                lang="en",
            ),
        )
    )
    return graph


def query_page() -> str:
    """YASGUI, served from our own static files, with every canned query as a tab."""
    canned = current_app.extensions["newborn_kg.canned"]
    tabs = []
    for name, query in canned.catalog.items():
        examples = {p.name: p.example for p in query.params}
        tabs.append(
            {
                "name": name,
                "summary": f"{query.summary['zh']} / {query.summary['en']}",
                "query": canned.answer(name, examples, "zh").sparql,
            }
        )
    return render_template(
        "sparql.html", tabs=json.dumps(tabs, ensure_ascii=False), lang="zh", title="SPARQL"
    )
