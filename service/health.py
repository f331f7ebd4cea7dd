"""GET /health: the store kind, triple count, data version, and whether the store answers now.

While a remote store is failing, /health says `degraded` with the reason (and still 200: the
replica itself is fine and may serve cached answers), and every successful answer carries
`X-Stale: true`, since it can only come from a cache. Both clear as soon as the store answers.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from .store import Store

bp = Blueprint("health", __name__)


def store() -> Store:
    found: Store = current_app.extensions["newborn_kg.store"]
    return found


@bp.get("/health")
def health() -> Response:
    reason = store().probe()
    body = {
        "status": "degraded" if reason else "ok",
        "store": store().kind,
        "triples": store().triple_count(),
        "data_version": store().data_version,
    }
    if reason:
        body["reason"] = reason
    return jsonify(body)


@bp.after_app_request
def mark_stale(response: Response) -> Response:
    """Say so when an answer comes from a cache while the store is failing."""
    if store().failure and response.status_code < 300 and request.endpoint != "health.health":
        response.headers["X-Stale"] = "true"
        exposed = response.headers.get("Access-Control-Expose-Headers")
        if exposed:  # readable by cross-origin scripts, like the blueprint's own headers
            response.headers["Access-Control-Expose-Headers"] = f"{exposed}, X-Stale"
    return response
