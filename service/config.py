"""Configuration keys, their defaults and documentation."""

from __future__ import annotations

import json
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
        ],
        "Turtle files loaded into the embedded store (JSON list, or paths separated by commas).",
    ),
    "SHAPES_FILE": (str(PROJECT_ROOT / "kg" / "shapes.ttl"), "SHACL shapes used by `validate`."),
    "QUERIES_DIR": (str(PROJECT_ROOT / "queries"), "Folder of canned `.rq` queries."),
    "STORE": ("embedded", "`embedded` (in-process Oxigraph) or `sparql` (a remote endpoint)."),
    "ENDPOINT": (None, "SPARQL 1.1 query endpoint URL, for `STORE=sparql`."),
    "GRAPH": (
        None,
        "Graph IRI holding our data on the remote endpoint; every query is confined to it.",
    ),
    "STORE_CONCURRENCY": (4, "Most queries one server process has waiting on a remote store."),
    "BASE_URI": ("https://w3id.org/newborn-kg/", "Canonical IRI base of the graph's resources."),
    "QUERY_TIMEOUT": (10.0, "Per-query deadline in seconds."),
    "MAX_ROWS": (10000, "Most rows a query may return before it is truncated."),
    "MAX_QUERY_LENGTH": (20000, "Longest SPARQL query text accepted, in characters."),
    "MAX_REQUEST_BYTES": (1048576, "Largest request body accepted (413 above)."),
    "SPARQL_WORKERS": (
        2,
        "Killable query processes per server process: the /sparql capacity (503 when all busy).",
    ),
    "SERVER_THREADS": (8, "Threads running the app in each server process (`serve`)."),
    "BODY_TIMEOUT": (
        10.0,
        "Seconds a connection may wait for a request's headers (then it is closed; idle "
        "keep-alive too) and then for its body (408).",
    ),
    "RESPONSE_CACHE_BYTES": (
        33554432,
        "Bytes of whole answers (canned; /sparql GETs on the embedded store without a rate "
        "limit) each `serve` process replays without running the app; 0 turns it off.",
    ),
    "RATE_LIMIT": (
        0.0,
        "Requests a minute one client address may make to /sparql and /api/ask, per server "
        "process (429 above); 0 turns the limit off.",
    ),
    "RATE_BURST": (10, "Requests one client may make at once before RATE_LIMIT applies."),
    "ACCESS_LOG": (
        False,
        "One line per request on stdout from `serve` (true/false); off by default, as measured "
        "in bench/results.md.",
    ),
}
BOOLEANS = {
    "true": True,
    "1": True,
    "on": True,
    "yes": True,
    "false": False,
    "0": False,
    "off": False,
    "no": False,
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


def parse_list(text: str) -> list[str]:
    """A list from an environment variable: a JSON list of strings, or items separated by commas
    (paths with commas in them need the JSON form)."""
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"not a JSON list: {exc}") from None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"a JSON list of strings is needed, not {text!r}")
        return [i.strip() for i in items if i.strip()]
    return [part.strip() for part in text.split(",") if part.strip()]


def _normalise(config: dict[str, Any]) -> dict[str, Any]:
    files = config["DATA_FILES"]
    try:
        files = parse_list(files) if isinstance(files, str) else [str(f) for f in files]
    except ConfigError as exc:
        raise ConfigError(f"DATA_FILES: {exc}") from None
    config["DATA_FILES"] = [f for f in files if f]
    config["QUERIES_DIR"] = str(config["QUERIES_DIR"])
    if config["STORE"] not in STORES:
        raise ConfigError(f"STORE must be one of {', '.join(STORES)}, not {config['STORE']!r}")
    if config["STORE"] == "sparql" and not config["ENDPOINT"]:
        raise ConfigError("STORE=sparql needs ENDPOINT, the SPARQL endpoint URL")
    if config["STORE"] == "sparql" and not config["GRAPH"]:
        raise ConfigError("STORE=sparql needs GRAPH, the graph IRI to confine queries to")
    for key, kind in (
        ("QUERY_TIMEOUT", float),
        ("MAX_ROWS", int),
        ("MAX_QUERY_LENGTH", int),
        ("MAX_REQUEST_BYTES", int),
        ("SPARQL_WORKERS", int),
        ("STORE_CONCURRENCY", int),
        ("SERVER_THREADS", int),
        ("BODY_TIMEOUT", float),
        ("RATE_BURST", int),
    ):
        try:
            config[key] = kind(config[key])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{key} must be a number, not {config[key]!r}") from exc
        if config[key] <= 0:
            raise ConfigError(f"{key} must be positive, not {config[key]!r}")
    try:
        config["RESPONSE_CACHE_BYTES"] = int(config["RESPONSE_CACHE_BYTES"])
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"RESPONSE_CACHE_BYTES must be a number, not {config['RESPONSE_CACHE_BYTES']!r}"
        ) from exc
    if config["RESPONSE_CACHE_BYTES"] < 0:
        raise ConfigError("RESPONSE_CACHE_BYTES must be 0 (off) or positive")
    try:
        config["RATE_LIMIT"] = float(config["RATE_LIMIT"])
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"RATE_LIMIT must be a number, not {config['RATE_LIMIT']!r}") from exc
    if config["RATE_LIMIT"] < 0:
        raise ConfigError(f"RATE_LIMIT must be 0 (off) or positive, not {config['RATE_LIMIT']!r}")
    flag = config["ACCESS_LOG"]
    if not isinstance(flag, bool):
        if str(flag).strip().lower() not in BOOLEANS:
            raise ConfigError(f"ACCESS_LOG must be true or false, not {flag!r}")
        config["ACCESS_LOG"] = BOOLEANS[str(flag).strip().lower()]
    if not str(config["BASE_URI"]).endswith(("/", "#")):
        raise ConfigError("BASE_URI must end with '/' or '#'")
    return config
