"""The store interface and its two implementations: embedded Oxigraph and a remote endpoint."""

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
    """The store rejected a query (syntax, unsupported feature, endpoint failure)."""


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
    """The graph's files in an in-process Oxigraph store.

    Queries go to Oxigraph directly (no rdflib algebra), which also gives protocol datasets
    (default-graph-uri, named-graph-uri) over the store's graphs; nothing is ever fetched.
    """

    kind = "embedded"

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


def _hash_store(store: ox.Store) -> str:
    text = ox.serialize(store, format=ox.RdfFormat.N_QUADS) or b""
    return hashlib.sha256(bytes(text)).hexdigest()[:16]


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


GRAPH_PARSERS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
GRAPH_ACCEPT = (
    "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
)


HASH_LIMIT = 1_000_000


class SparqlStore:
    """A remote SPARQL 1.1 endpoint, reached through SPARQLWrapper."""

    kind = "sparql"

    def __init__(self, endpoint: str, graph: str | None = None, timeout: float = 10.0) -> None:
        self.endpoint, self.graph_iri, self.timeout = endpoint, graph, timeout
        self.modified = datetime.now(UTC).replace(microsecond=0)
        self._count = self._count_triples()
        self.data_version = self._content_hash()

    def _wrapper(self, sparql: str) -> Any:
        from SPARQLWrapper import POST, SPARQLWrapper

        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setTimeout(max(1, round(self.timeout)))
        client.setQuery(sparql)
        return client

    def query(
        self,
        sparql: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> Result:
        # base_iri is not sent: a remote endpoint resolves relative IRIs against its own base
        from SPARQLWrapper import JSON
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = self._wrapper(sparql)
        for iri in default_graphs or ([self.graph_iri] if self.graph_iri else []):
            client.addDefaultGraph(iri)
        for iri in named_graphs:
            client.addNamedGraph(iri)
        try:
            if client.queryType in ("CONSTRUCT", "DESCRIBE"):
                # ask for N-Triples first, then parse whatever the store says it sent
                client.addCustomHttpHeader("Accept", GRAPH_ACCEPT)
                response = client.query().response
                mime = (response.headers.get("Content-Type") or "text/turtle").split(";")[0]
                graph = Graph().parse(
                    data=response.read(), format=GRAPH_PARSERS.get(mime, "turtle")
                )
                if max_rows is not None and len(graph) > max_rows:
                    kept = Graph()
                    for triple in list(graph)[:max_rows]:
                        kept.add(triple)
                    return Result("CONSTRUCT", graph=kept, truncated=True)
                return Result("CONSTRUCT", graph=graph)
            client.setReturnFormat(JSON)
            data = client.query().convert()
        except (SPARQLWrapperException, OSError, ValueError) as exc:
            raise QueryError(f"{self.endpoint}: {exc}") from None
        if "boolean" in data:
            return Result("ASK", boolean=bool(data["boolean"]))
        if client.queryType == "ASK":  # Virtuoso 7.2 answers a POSTed ASK as a one-row SELECT
            values = [v["value"] for row in data["results"]["bindings"] for v in row.values()]
            return Result("ASK", boolean=bool(values) and values[0] not in ("0", "false"))
        names = tuple(data["head"].get("vars", []))
        rows = tuple({k: _term(v) for k, v in row.items()} for row in data["results"]["bindings"])
        return Result("SELECT", variables=names, rows=rows)

    def _content_hash(self) -> str:
        """Hash the graph's sorted N-Triples, like the embedded store hashes its files; above
        HASH_LIMIT triples, hash the endpoint, graph and count instead (fetching is too dear)."""
        digest = hashlib.sha256()
        if self._count > HASH_LIMIT:
            digest.update(f"{self.endpoint}\0{self.graph_iri or ''}\0{self._count}".encode())
        else:
            graph = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph or Graph()
            for line in sorted(graph.serialize(format="nt").splitlines()):
                digest.update(line.encode() + b"\n")
        return digest.hexdigest()[:16]

    def _count_triples(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0]["n"]) if result.rows else 0

    def triple_count(self) -> int:
        return self._count_triples()


def open_store(config: Mapping[str, Any]) -> Store:
    """Open the store the configuration names."""
    if config["STORE"] == "sparql":
        return SparqlStore(config["ENDPOINT"], config.get("GRAPH"), config["QUERY_TIMEOUT"])
    return EmbeddedStore(config["DATA_FILES"])
