"""A minimal SPARQL 1.1 Protocol server over pyoxigraph, for testing the remote store over HTTP.

Our graph sits in the named graph GRAPH beside a canary graph, so only a request that names its
dataset sees our data; `mode` makes the server misbehave like a broken store would.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pyoxigraph as ox
from werkzeug.wrappers import Request, Response

from service.loader import load_store

GRAPH = "https://w3id.org/newborn-kg/graph"
CANARY = "CANARY-2c9e0f"
MODES = {
    "html": Response("<html><body>Welcome to nginx!</body></html>", mimetype="text/html"),
    "garbage": Response(b"\x00{not json", mimetype="application/sparql-results+json"),
    "500": Response("Internal Server Error", status=500, mimetype="text/plain"),
    "503": Response("Service Unavailable", status=503, mimetype="text/plain"),
}


def sparql_wsgi(paths):
    loaded = load_store(paths)
    store = ox.Store()
    graph = ox.NamedNode(GRAPH)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in loaded)
    canary = ox.NamedNode("urn:canary")
    store.add(ox.Quad(canary, canary, ox.Literal(CANARY), canary))
    seen: list[dict] = []

    @Request.application
    def app(request: Request) -> Response:
        if app.mode in MODES:
            return MODES[app.mode]
        if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
            form = parse_qs(request.get_data(as_text=True))
        elif request.method == "POST":
            form = {"query": [request.get_data(as_text=True)]}
        else:
            form = {k: request.args.getlist(k) for k in request.args}
        seen.append(form)
        dataset = {
            "default_graph": [ox.NamedNode(g) for g in form.get("default-graph-uri", [])],
            "named_graphs": [ox.NamedNode(g) for g in form.get("named-graph-uri", [])],
        }
        try:
            result = store.query(form["query"][0], **{k: v for k, v in dataset.items() if v})
        except SyntaxError as exc:
            return Response(str(exc), status=400)
        if isinstance(result, ox.QueryTriples):
            body = ox.serialize(result, format=ox.RdfFormat.TURTLE)
            return Response(body, mimetype="text/turtle")
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, mimetype="application/sparql-results+json")

    app.seen = seen
    app.mode = "ok"
    return app
