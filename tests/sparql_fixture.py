"""A minimal SPARQL 1.1 Protocol server over pyoxigraph, for testing the remote store over HTTP."""

from __future__ import annotations

from urllib.parse import parse_qs

import pyoxigraph as ox
from werkzeug.wrappers import Request, Response

from service.loader import load_store


def sparql_wsgi(paths):
    store = load_store(paths)
    seen: list[dict] = []

    @Request.application
    def app(request: Request) -> Response:
        if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
            form = parse_qs(request.get_data(as_text=True))
        elif request.method == "POST":
            form = {"query": [request.get_data(as_text=True)]}
        else:
            form = {k: request.args.getlist(k) for k in request.args}
        seen.append(form)
        try:
            # like a store configured with the union of its graphs as the default graph
            result = store.query(form["query"][0], use_default_graph_as_union=True)
        except SyntaxError as exc:
            return Response(str(exc), status=400)
        if isinstance(result, ox.QueryTriples):
            body = ox.serialize(result, format=ox.RdfFormat.TURTLE)
            return Response(body, mimetype="text/turtle")
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, mimetype="application/sparql-results+json")

    app.seen = seen
    return app
