"""newborn-kg: the Henan newborn medical insurance card process as a knowledge graph."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from flask import Flask

from .canned import open_canned
from .config import load_config
from .qa import semantic
from .qa.asker import Asker
from .served import served
from .sparql.execution import make_runner
from .sparql.guards import check
from .store import Store


def create_app(config: Mapping[str, Any] | None = None, store: Store | None = None) -> Flask:
    """Build the application: configuration, store, canned queries, error handlers, blueprints."""
    semantic.preload()  # the question matcher's model loads while the graph does
    app = Flask(__name__)
    app.config.update(load_config(config))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    canned = open_canned(app.config, store)
    app.extensions["newborn_kg.store"] = canned.store
    app.extensions["newborn_kg.canned"] = canned
    # The data does not change while the server runs, so rendered answer pages are cached for
    # its lifetime, here at the edge; the keys are validated terms, so their number is bounded.
    app.extensions["newborn_kg.pages"] = functools.lru_cache(maxsize=4096)(canned.page)
    # the guide and the question matcher read the served version alone: at a million triples
    # of other versions they start in the time of one (the canned API still reads everything)
    version = served(canned, app.config["BASE_URI"] + "id/")
    app.extensions["newborn_kg.served"] = version
    app.extensions["newborn_kg.asker"] = Asker.build(version)
    app.extensions["newborn_kg.caveats"] = canned.caveats
    app.extensions["newborn_kg.runner"] = make_runner(canned.store, app.config)
    # the guards' verdict depends on the query text alone (and the fixed remote graphs), and
    # costs ~0.2 ms for a 1 KB query: remembered for repeated texts, refusals are not cached
    app.extensions["newborn_kg.sparql_checks"] = functools.lru_cache(maxsize=256)(check)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_BYTES"]

    from . import api, ask, errors, health, home, linked_data, ratelimit
    from .intake import register_intake
    from .sparql import endpoint as sparql

    errors.register_error_handlers(app)
    register_intake(app)
    ratelimit.install(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(ask.bp)
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(sparql.bp)
    with app.app_context():
        home.build_guides()  # once, at start-up: the data does not change while serving
    return app
