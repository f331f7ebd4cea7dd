"""Configuration keys, their defaults and documentation."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "NEWBORN_KG"

# key -> (default, one-line documentation); the README's config table must list every key.
SETTINGS: dict[str, tuple[Any, str]] = {
    "DATA_FILES": (
        [
            str(PROJECT_ROOT / "kg" / "ontology.ttl"),
            str(PROJECT_ROOT / "kg" / "data.ttl"),
            str(PROJECT_ROOT / "kg" / "matching.ttl"),
        ],
        "Turtle files loaded into the embedded store (JSON list, or paths separated by commas).",
    ),
    "SHAPES_FILE": (str(PROJECT_ROOT / "kg" / "shapes.ttl"), "SHACL shapes used by `validate`."),
    "QUERIES_DIR": (str(PROJECT_ROOT / "queries"), "Folder of canned `.rq` queries."),
    "STORE": ("embedded", "`embedded` (Oxigraph behind rdflib) or `sparql` (a remote endpoint)."),
    "ENDPOINT": (None, "SPARQL 1.1 query endpoint URL, for `STORE=sparql`."),
    "GRAPH": (None, "Graph IRI to query on the remote endpoint (default graph when unset)."),
    "BASE_URI": ("https://w3id.org/newborn-kg/", "Canonical IRI base of the graph's resources."),
    "QUERY_TIMEOUT": (10.0, "Per-query deadline in seconds."),
    "MAX_ROWS": (10000, "Most rows a query may return before it is truncated."),
    "MAX_QUERY_LENGTH": (20000, "Longest SPARQL query text accepted, in characters."),
    "MAX_REQUEST_BYTES": (1048576, "Largest request body accepted (413 above)."),
    "SPARQL_WORKERS": (2, "Killable query processes per server process."),
    "SERVICE_ALLOWLIST": (
        [],
        "SERVICE endpoints a query may call (JSON list or commas); none by default.",
    ),
}

STORES = ("embedded", "sparql")


class ConfigError(ValueError):
    """A configuration value is missing or has the wrong type."""


def load_config(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Merge defaults, `NEWBORN_KG_*` environment variables and explicit overrides."""
    environ = os.environ if environ is None else environ
    config = {key: default for key, (default, _) in SETTINGS.items()}
    for key in SETTINGS:
        value = environ.get(f"{ENV_PREFIX}_{key}")
        if value is not None and value != "":
            config[key] = value
    config.update(overrides or {})
    return _normalise(config)


def _normalise(config: dict[str, Any]) -> dict[str, Any]:
    files = config["DATA_FILES"]
    if isinstance(files, str):
        files = [part.strip() for part in files.strip("[]").replace('"', "").split(",")]
    config["DATA_FILES"] = [str(f) for f in files if str(f)]
    allowed = config["SERVICE_ALLOWLIST"]
    if isinstance(allowed, str):
        allowed = [part.strip() for part in allowed.strip("[]").replace('"', "").split(",")]
    config["SERVICE_ALLOWLIST"] = [str(a) for a in allowed if str(a)]
    config["QUERIES_DIR"] = str(config["QUERIES_DIR"])
    if config["STORE"] not in STORES:
        raise ConfigError(f"STORE must be one of {', '.join(STORES)}, not {config['STORE']!r}")
    if config["STORE"] == "sparql" and not config["ENDPOINT"]:
        raise ConfigError("STORE=sparql needs ENDPOINT, the SPARQL endpoint URL")
    for key, kind in (
        ("QUERY_TIMEOUT", float),
        ("MAX_ROWS", int),
        ("MAX_QUERY_LENGTH", int),
        ("MAX_REQUEST_BYTES", int),
        ("SPARQL_WORKERS", int),
    ):
        try:
            config[key] = kind(config[key])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{key} must be a number, not {config[key]!r}") from exc
        if config[key] <= 0:
            raise ConfigError(f"{key} must be positive, not {config[key]!r}")
    if not str(config["BASE_URI"]).endswith(("/", "#")):
        raise ConfigError("BASE_URI must end with '/' or '#'")
    return config
