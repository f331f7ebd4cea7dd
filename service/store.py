"""The store interface, its failures, and the embedded Oxigraph store (remote: remote.py)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from .loader import data_version, load_store

Term = URIRef | RDFLiteral | BNode


class QueryError(Exception):
    """The store rejected a query (syntax, unsupported feature, refused dataset)."""


class StoreError(Exception):
    """The store itself failed: not the query's fault, so never a 4xx."""

    status = 502


class StoreUnavailable(StoreError):
    """The store cannot be reached (refused, reset, busy): 503, try again shortly."""

    status = 503


class StoreTimeout(StoreError):
    """The store did not answer before the deadline: 504."""

    status = 504


class BadGateway(StoreError):
    """The store answered, but not as a SPARQL endpoint (HTML, garbage, 5xx, refusal): 502."""

    status = 502


@dataclass(frozen=True)
class Result:
    """One normalised result shape for every store and query form."""

    kind: Literal["SELECT", "ASK", "CONSTRUCT"]
    variables: tuple[str, ...] = ()
    rows: tuple[dict[str, Term], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)
    truncated: bool = False


class Store(Protocol):
    """What the service needs from a store."""

    kind: str
    data_version: str
    modified: datetime
    failure: str | None  # why the store last failed; None while it answers

    def query(
        self,
        sparql: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> Result:
        """Run a SPARQL query (on the given dataset) and return its normalised result."""
        ...

    def triple_count(self) -> int:
        """Count the triples the service answers from."""
        ...

    def probe(self) -> str | None:
        """Check the store now: None when it answers, else the reason it does not."""
        ...


def values_block(bindings: Mapping[str, Node]) -> str:
    """Render validated RDF terms as a SPARQL VALUES block (terms serialise themselves)."""
    if not bindings:
        return ""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with the terms bound in a VALUES block at the top of its first WHERE clause."""
    block = values_block(bindings)
    match = WHERE.search(sparql)
    if not block:
        return sparql
    if match is None:
        raise ValueError("the query has no WHERE { … } clause to bind terms into")
    return f"{sparql[: match.end()]}\n  {block}{sparql[match.end() :]}"


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_ox(term: Any) -> Term:
    """An Oxigraph term as an rdflib term; xsd:string literals are written plainly (RDF 1.1)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return RDFLiteral(term.value, lang=term.language)
    datatype = term.datatype.value
    return RDFLiteral(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def _from_oxigraph(result: Any, max_rows: int | None) -> Result:
    """Convert an Oxigraph result, stopping after max_rows rows or triples (flagged)."""
    if isinstance(result, ox.QueryBoolean):
        return Result("ASK", boolean=bool(result))
    limit = max_rows if max_rows is not None else float("inf")
    truncated = False
    if isinstance(result, ox.QueryTriples):
        graph = Graph()
        for n, triple in enumerate(result):
            if n >= limit:
                truncated = True
                break
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return Result("CONSTRUCT", graph=graph, truncated=truncated)
    names = tuple(v.value for v in result.variables)
    rows: list[dict[str, Term]] = []
    for solution in result:
        if len(rows) >= limit:
            truncated = True
            break
        rows.append({n: from_ox(v) for n, v in zip(names, solution, strict=True) if v is not None})
    return Result("SELECT", variables=names, rows=tuple(rows), truncated=truncated)


class EmbeddedStore:
    """The graph's files in an in-process Oxigraph store, one named graph a file.

    Queries go to Oxigraph directly (no rdflib algebra), which also gives protocol datasets
    (default-graph-uri, named-graph-uri) over the store's graphs; nothing is ever fetched.
    """

    kind = "embedded"
    failure: str | None = None

    def __init__(self, paths: Sequence[str], store: ox.Store | None = None) -> None:
        self.ox = store if store is not None else load_store(paths)
        self.data_version = data_version(paths) if paths else _hash_store(self.ox)
        mtimes = [Path(p).stat().st_mtime for p in paths]
        self.modified = datetime.fromtimestamp(max(mtimes), UTC) if mtimes else datetime.now(UTC)

    def query(
        self,
        sparql: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> Result:
        result = self.ox_query(sparql, default_graphs, named_graphs, base_iri)
        try:
            return _from_oxigraph(result, max_rows)
        except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
            raise QueryError(str(exc)) from None

    def ox_query(
        self,
        sparql: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> Any:
        """Oxigraph's own result object, for writers that need no rdflib terms."""
        options: dict[str, Any] = {"base_iri": base_iri} if base_iri else {}
        if not default_graphs and not named_graphs:
            # every file is its own named graph; the default graph is their union
            options["use_default_graph_as_union"] = True
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self.ox.query(sparql, **options)
        except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
            raise QueryError(str(exc)) from None

    def triple_count(self) -> int:
        return len(self.ox)

    def probe(self) -> str | None:
        return None


def _hash_store(store: ox.Store) -> str:
    text = ox.serialize(store, format=ox.RdfFormat.N_QUADS) or b""
    return hashlib.sha256(bytes(text)).hexdigest()[:16]
