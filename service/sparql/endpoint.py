"""The /sparql blueprint: read the request, plan, run in a killable child, shape the reply."""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, current_app, render_template, request

from ..cors import allow_cross_origin
from ..describe import service_description
from ..errors import ApiError
from ..formats import serialise
from ..response_cache import mark_shareable
from ..store import Store
from .confine import Unconfinable, confine
from .explain import explain
from .isolation import Busy, Crashed, Runner, Timeout, Unisolated
from .plan import FORM_TYPE, GRAPH_FORMATS, Incoming, Plan, negotiate, plan

# functions whose value changes from one evaluation to the next: such answers are never replayed
# (a match inside a string or IRI only costs the cache a hit)
VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.I)
REMOTE_GRACE = 2.0  # a remote store's own deadline (504) comes first; the child's is the backstop
bp = Blueprint("sparql", __name__)
allow_cross_origin(bp, expose="X-Truncated, X-Max-Rows, Retry-After")


def incoming() -> Incoming:
    """This request's protocol parts; the body is read only for a direct POST."""
    direct = request.method == "POST" and request.mimetype != FORM_TYPE
    return Incoming(
        method=request.method,
        mimetype=request.mimetype,
        charset=request.mimetype_params.get("charset"),
        args=request.args,
        form=request.form,
        body=request.get_data() if direct else b"",
        accept=request.accept_mimetypes,
    )


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def endpoint() -> Response:
    config = current_app.config
    store: Store = current_app.extensions["newborn_kg.store"]
    remote_graphs: frozenset[str] | None = None
    if store.kind == "sparql":
        remote_graphs = frozenset({config["GRAPH"]} if config["GRAPH"] else ())
    asked = incoming()
    checks = current_app.extensions["newborn_kg.sparql_checks"]
    planned = plan(asked, config["MAX_QUERY_LENGTH"], remote_graphs, checks)
    if planned is None:
        return description(asked)
    if remote_graphs is not None:  # a shared store: only our graph may be reached
        try:
            confine(planned.query, [config["GRAPH"]], planned.default, planned.named)
        except Unconfinable as exc:
            raise ApiError(403, str(exc), param="query") from None
    body, truncated = run(planned)
    response = Response(body, mimetype=planned.mime)  # text/* gets charset=utf-8 from werkzeug
    response.vary.add("Accept")
    if truncated:
        response.headers["X-Truncated"] = "true"
        response.headers["X-Max-Rows"] = str(config["MAX_ROWS"])
    if replayable(store, planned.query):
        mark_shareable(request.environ)
    return response


def replayable(store: Store, query: str) -> bool:
    """Whether `serve` may answer this query again from its response cache: the embedded
    graph cannot change while serving (a remote one can), the answer does not depend on the
    moment, and no rate limit must count each request."""
    limited = bool(current_app.config["RATE_LIMIT"])
    return store.kind == "embedded" and not limited and VOLATILE.search(query) is None


def run(planned: Plan) -> tuple[str | bytes, bool]:
    """Run the plan in a query child; map its failures to the error shape."""
    config = current_app.config
    job = {
        "query": planned.query,
        "default": planned.default,
        "named": planned.named,
        "fmt": planned.fmt,
        "max_rows": config["MAX_ROWS"],
        "base": config["BASE_URI"] + "sparql",
    }
    runner: Runner = current_app.extensions["newborn_kg.runner"]
    store: Store = current_app.extensions["newborn_kg.store"]
    grace = REMOTE_GRACE if store.kind == "sparql" else 0.0
    try:
        status, body, truncated = runner.run(job, config["QUERY_TIMEOUT"] + grace)
    except Busy:
        error = ApiError(
            503,
            f"all {config['SPARQL_WORKERS']} query processes are busy; retry in a moment",
            retry_after=1,
        )
        error.headers["Retry-After"] = "1"
        raise error from None
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
        why = explain(str(body), planned.query)
        raise ApiError(400, why.message, param="query", **why.details())
    return body, truncated


def description(asked: Incoming) -> Response:
    """The service description for machines, the query page for browsers."""
    offered = [GRAPH_FORMATS["turtle"], "text/html", *GRAPH_FORMATS.values()]
    if asked.accept.best_match(offered) == "text/html":
        return Response(query_page(), mimetype="text/html")
    fmt = negotiate(asked, "DESCRIBE")
    store: Store = current_app.extensions["newborn_kg.store"]
    config = current_app.config
    graph = service_description(
        config["BASE_URI"], store.triple_count(), config["QUERY_TIMEOUT"], config["MAX_ROWS"]
    )
    response = Response(serialise(graph, fmt), mimetype=GRAPH_FORMATS[fmt])
    response.vary.add("Accept")
    return response


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
