"""The /sparql endpoint: what process isolation costs per query, in-process (WSGI).

Baseline in the same run: the same query straight on the store, in the serving process.
"""

from __future__ import annotations

import os
import sys

from service import create_app

sys.path.insert(0, os.path.dirname(__file__))
from timing import per_call, report  # noqa: E402

QUERY = """PREFIX nkg: <https://w3id.org/newborn-kg/ontology#>
SELECT ?step ?position WHERE { ?step a nkg:Step ; nkg:position ?position } ORDER BY ?position"""


def main() -> None:
    app = create_app()
    client = app.test_client()
    store = app.extensions["newborn_kg.store"]
    client.get("/sparql", query_string={"query": QUERY})  # fork the query processes once
    rows = [
        ("store.query in the serving process (baseline)", per_call(lambda: store.query(QUERY))),
        (
            "GET /sparql: guards + killable child + JSON",
            per_call(lambda: client.get("/sparql", query_string={"query": QUERY})),
        ),
        (
            "GET /api/queries/steps, cached canned answer",
            per_call(lambda: client.get("/api/queries/steps?lang=en")),
        ),
    ]
    print("a 4-row SELECT:")
    report(rows, rows[0][0])


if __name__ == "__main__":
    main()
