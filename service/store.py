"""The store interface and its two implementations: embedded Oxigraph and a remote endpoint."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from oxrdflib.store import OxigraphStore
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .loader import data_version, load_store

Term = URIRef | RDFLiteral | BNode


class QueryError(Exception):
    """The store rejected a query (syntax, unsupported feature, endpoint failure)."""


@dataclass(frozen=True)
class Result:
    """One normalised result shape for every store and query form."""

    kind: Literal["SELECT", "ASK", "CONSTRUCT"]
    variables: tuple[str, ...] = ()
    rows: tuple[dict[str, Term], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)


class Store(Protocol):
    """What the service needs from a store."""

    kind: str
    data_version: str
    modified: datetime

    def query(self, sparql: str) -> Result:
        """Run a SPARQL query and return its normalised result."""
        ...

    def triple_count(self) -> int:
        """Count the triples the service answers from."""
        ...


def values_block(bindings: Mapping[str, Node]) -> str:
    """Render validated RDF terms as a SPARQL VALUES block (terms serialise themselves)."""
    if not bindings:
        return ""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def _from_rdflib(result: Any) -> Result:
    if result.type == "ASK":
        return Result("ASK", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph()
        for triple in result.graph:
            graph.add(triple)
        return Result("CONSTRUCT", graph=graph)
    names = tuple(str(v) for v in result.vars)
    rows = tuple({n: row[i] for i, n in enumerate(names) if row[i] is not None} for row in result)
    return Result("SELECT", variables=names, rows=rows)


class EmbeddedStore:
    """The graph's files in an in-process Oxigraph store, queried through rdflib's Graph API."""

    kind = "embedded"

    def __init__(self, paths: Sequence[str]) -> None:
        self.graph = Graph(
            store=OxigraphStore(store=load_store(paths)), identifier=DATASET_DEFAULT_GRAPH_ID
        )
        self.data_version = data_version(paths)
        self.modified = datetime.fromtimestamp(max(Path(p).stat().st_mtime for p in paths), UTC)
        self._count = len(self.graph)

    def query(self, sparql: str) -> Result:
        try:
            return _from_rdflib(self.graph.query(sparql))
        except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
            raise QueryError(str(exc)) from None

    def triple_count(self) -> int:
        return self._count


def _term(binding: Mapping[str, str]) -> Term:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    datatype = binding.get("datatype")
    return RDFLiteral(
        value, lang=binding.get("xml:lang"), datatype=URIRef(datatype) if datatype else None
    )


class SparqlStore:
    """A remote SPARQL 1.1 endpoint, reached through SPARQLWrapper."""

    kind = "sparql"

    def __init__(self, endpoint: str, graph: str | None = None, timeout: float = 10.0) -> None:
        self.endpoint, self.graph_iri, self.timeout = endpoint, graph, timeout
        self.modified = datetime.now(UTC).replace(microsecond=0)
        self._count = self._count_triples()
        self.data_version = hashlib.sha256(
            f"{endpoint}\0{graph or ''}\0{self._count}".encode()
        ).hexdigest()[:16]

    def _wrapper(self, sparql: str) -> Any:
        from SPARQLWrapper import POST, SPARQLWrapper

        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setTimeout(max(1, round(self.timeout)))
        if self.graph_iri:
            client.addDefaultGraph(self.graph_iri)
        client.setQuery(sparql)
        return client

    def query(self, sparql: str) -> Result:
        from SPARQLWrapper import JSON, TURTLE
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = self._wrapper(sparql)
        try:
            if client.queryType in ("CONSTRUCT", "DESCRIBE"):
                client.setReturnFormat(TURTLE)
                data = client.query().convert()
                graph = Graph().parse(data=data, format="turtle")
                return Result("CONSTRUCT", graph=graph)
            client.setReturnFormat(JSON)
            data = client.query().convert()
        except (SPARQLWrapperException, OSError, ValueError) as exc:
            raise QueryError(f"{self.endpoint}: {exc}") from None
        if "boolean" in data:
            return Result("ASK", boolean=bool(data["boolean"]))
        names = tuple(data["head"].get("vars", []))
        rows = tuple({k: _term(v) for k, v in row.items()} for row in data["results"]["bindings"])
        return Result("SELECT", variables=names, rows=rows)

    def _count_triples(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0]["n"]) if result.rows else 0

    def triple_count(self) -> int:
        return self._count


def open_store(config: Mapping[str, Any]) -> Store:
    """Open the store the configuration names."""
    if config["STORE"] == "sparql":
        return SparqlStore(config["ENDPOINT"], config.get("GRAPH"), config["QUERY_TIMEOUT"])
    return EmbeddedStore(config["DATA_FILES"])
