"""newborn-kg: the Henan newborn medical insurance card process as a knowledge graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from .config import load_config
from .store import Store, open_store


def create_app(config: Mapping[str, Any] | None = None, store: Store | None = None) -> Flask:
    """Build the application: configuration, store, error handlers and blueprints."""
    app = Flask(__name__)
    app.config.update(load_config(config))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["newborn_kg.store"] = store or open_store(app.config)

    from . import errors, health

    errors.register_error_handlers(app)
    app.register_blueprint(health.bp)
    return app
