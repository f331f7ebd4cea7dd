"""Confine queries on a shared remote store to the service's own graph(s).

A store such as Virtuoso holds other graphs (its system and DAV graphs, other services' data).
Every query the service sends names its dataset in the protocol (`default-graph-uri` and
`named-graph-uri`), which overrides FROM, FROM NAMED and GRAPH ?g in the query text, so nothing
outside the configured graphs can match. What the protocol cannot confine is refused: a dataset
naming another graph, the store's own pragmas (Virtuoso's DEFINE) and its built-in function
namespaces (bif:, sql:), which run outside SPARQL's dataset.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..store import QueryError
from .guards import GuardError, decode_escapes, tokens

VENDOR_NAMESPACES = ("bif:", "sql:")
VENDOR_WORDS = {"DEFINE"}


class Unconfinable(QueryError):
    """The query or its dataset would reach beyond the configured graphs."""


def dataset(
    graphs: Sequence[str], default: Sequence[str] = (), named: Sequence[str] = ()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The protocol dataset to send: what was asked for, if it stays within `graphs`."""
    if not graphs:
        raise Unconfinable("no graph is configured, so queries cannot be confined (set GRAPH)")
    foreign = sorted({g for g in (*default, *named) if g not in graphs})
    if foreign:
        raise Unconfinable(
            f"the dataset may only name {', '.join(graphs)}, not {', '.join(foreign)}"
        )
    # Both lists are always sent: a store given only default-graph-uri may still let
    # GRAPH ?g range over every graph it holds (Virtuoso does).
    return tuple(default) or tuple(graphs), tuple(named) or tuple(graphs)


def query_tokens(query: str) -> list[tuple[str, str]]:
    """The query's tokens after decoding escapes; a bad escape is the query's fault."""
    try:
        return tokens(decode_escapes(query))
    except GuardError as exc:
        raise QueryError(exc.message) from None


def check_text(query: str) -> None:
    """Refuse store pragmas and built-in function namespaces that bypass the dataset."""
    for kind, text in query_tokens(query):
        if kind == "iri" and text[1:].lower().startswith(VENDOR_NAMESPACES):
            raise Unconfinable(f"{text} is a store built-in and is refused")
        if kind == "word" and text.upper() in VENDOR_WORDS:
            raise Unconfinable(f"{text} (a store pragma) is refused")
        if kind == "word" and text.lower().startswith(VENDOR_NAMESPACES):
            raise Unconfinable(f"{text.split(':')[0]}: functions are store built-ins, refused")


def confine(
    query: str, graphs: Sequence[str], default: Sequence[str] = (), named: Sequence[str] = ()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Check the query text and return the confined protocol dataset."""
    check_text(query)
    return dataset(graphs, default, named)
