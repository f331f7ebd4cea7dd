"""GET /health: liveness with the store kind, triple count and data version."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from .store import Store

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> Response:
    store: Store = current_app.extensions["newborn_kg.store"]
    return jsonify(
        status="ok",
        store=store.kind,
        triples=store.triple_count(),
        data_version=store.data_version,
    )
