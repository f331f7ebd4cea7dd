"""A remote SPARQL 1.1 store over HTTP: confined, bounded, and failures told apart.

Plain http.client rather than SPARQLWrapper, because the service must know what went wrong:
refused or reset (503), no answer before the deadline (504), an answer that is not SPARQL
results or a 5xx (502), or the store rejecting the query itself (400). At most `concurrency`
queries per process wait on the store, and for HUNG_PAUSE seconds after one timed out none
does (503 at once; /health's probe ends the pause early), so a hung store cannot hold every
worker, threaded or not.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral

from .sparql.confine import check_text, dataset, query_tokens
from .store import (
    BadGateway,
    QueryError,
    Result,
    StoreError,
    StoreTimeout,
    StoreUnavailable,
    Term,
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
RESULTS_TYPES = ("application/sparql-results+json", "application/json")
CONNECT_TIMEOUT = 2.0
PROBE_TIMEOUT = 2.0
HUNG_PAUSE = 5.0  # seconds without asking a store that just let a query time out
HASH_LIMIT = 1_000_000


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after BASE and PREFIX."""
    items = query_tokens(sparql)
    i = 0
    while i < len(items) and items[i][0] == "word" and items[i][1].upper() in ("BASE", "PREFIX"):
        i += 3 if items[i][1].upper() == "PREFIX" else 2
    word = items[i][1].upper() if i < len(items) and items[i][0] == "word" else ""
    if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        return word
    raise QueryError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query")


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


def first_line(body: bytes) -> str:
    """The store's own first line of explanation, short enough for an error message."""
    text = body.decode("utf-8", "replace").strip()
    return (text.splitlines() or [""])[0][:200]


class SparqlStore:
    """A remote SPARQL 1.1 endpoint holding our graph(s), perhaps among many others."""

    kind = "sparql"

    def __init__(
        self,
        endpoint: str,
        graphs: Sequence[str],
        timeout: float = 10.0,
        concurrency: int = 4,
    ) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadGateway(f"{endpoint} is not an http(s) URL")
        self.endpoint, self.graphs, self.timeout = endpoint, tuple(graphs), timeout
        self.graph_iri = self.graphs[0] if self.graphs else None
        self._parts = parts
        self._slots = threading.BoundedSemaphore(concurrency)
        self.failure: str | None = None
        self._hung_until = 0.0
        self.hung_pause = HUNG_PAUSE
        self.modified = datetime.now(UTC).replace(microsecond=0)
        self._count = self._count_triples()
        self.data_version = self._content_hash()

    def _post(self, form: list[tuple[str, str]], accept: str, timeout: float) -> tuple[str, bytes]:
        """POST a protocol request; return (media type, body) or raise a classified failure."""
        parts = self._parts
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(
            parts.hostname or "", parts.port, timeout=min(CONNECT_TIMEOUT, timeout)
        )
        path = parts.path or "/"
        try:
            try:
                connection.connect()
            except OSError as exc:
                raise StoreUnavailable(f"{self.endpoint} cannot be reached: {exc}") from None
            connection.sock.settimeout(timeout)
            try:
                connection.request(
                    "POST",
                    path + (f"?{parts.query}" if parts.query else ""),
                    body=urlencode(form).encode(),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": accept,
                    },
                )
                response = connection.getresponse()
                body = response.read()
            except TimeoutError:
                raise StoreTimeout(f"{self.endpoint} did not answer within {timeout:g} s") from None
            except ConnectionError as exc:
                raise StoreUnavailable(f"{self.endpoint} dropped the connection: {exc}") from None
            except (OSError, http.client.HTTPException) as exc:
                raise BadGateway(f"{self.endpoint} broke the protocol: {exc!r}") from None
        finally:
            connection.close()
        status = response.status
        if status == 200:
            return (response.getheader("Content-Type") or "").split(";")[0].strip().lower(), body
        reason = f"{self.endpoint} answered {status}: {first_line(body)}"
        if status in (400, 413, 414):
            raise QueryError(reason)
        if status == 503:
            raise StoreUnavailable(reason)
        if status == 504:
            raise StoreTimeout(reason)
        raise BadGateway(reason)

    def _call(self, form: list[tuple[str, str]], accept: str, timeout: float) -> tuple[str, bytes]:
        """One bounded call: at most `concurrency` at once, and none for a while after the
        store last hung, so a hung store holds one worker per pause, not every worker."""
        paused = self._hung_until - time.monotonic()
        if paused > 0:
            raise StoreUnavailable(
                f"{self.endpoint} {self.failure or 'hung'}; not asked again for {paused:.0f} s"
            )
        if not self._slots.acquire(blocking=False):
            raise StoreUnavailable(f"{self.endpoint} is busy: too many queries are waiting on it")
        try:
            answer = self._post(form, accept, timeout)
        except StoreError as exc:
            self.failure = str(exc).removeprefix(f"{self.endpoint} ")
            if isinstance(exc, StoreTimeout):
                self._hung_until = time.monotonic() + self.hung_pause
            raise
        finally:
            self._slots.release()
        self.failure = None
        return answer

    def query(
        self,
        sparql: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> Result:
        # base_iri is not sent: a remote endpoint resolves relative IRIs against its own base
        check_text(sparql)
        default, named = dataset(self.graphs, default_graphs, named_graphs)
        form = [("query", sparql)]
        form += [("default-graph-uri", g) for g in default]
        form += [("named-graph-uri", g) for g in named]
        kind = query_form(sparql)
        if kind in ("CONSTRUCT", "DESCRIBE"):
            mime, body = self._call(form, GRAPH_ACCEPT, self.timeout)
            return self._graph(mime, body, max_rows)
        mime, body = self._call(form, RESULTS_TYPES[0], self.timeout)
        return self._read_results(kind, mime, body, max_rows)

    def _read_results(self, kind: str, mime: str, body: bytes, max_rows: int | None) -> Result:
        if mime not in RESULTS_TYPES:
            raise BadGateway(f"{self.endpoint} answered {mime or 'no media type'}, not results")
        try:
            return self._results(kind, json.loads(body), max_rows)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BadGateway(f"{self.endpoint} sent unreadable results: {exc}") from None

    def _graph(self, mime: str, body: bytes, max_rows: int | None) -> Result:
        if mime not in GRAPH_PARSERS:
            raise BadGateway(f"{self.endpoint} answered {mime or 'no media type'}, not RDF")
        try:
            graph = Graph().parse(data=body, format=GRAPH_PARSERS[mime])
        except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many unrelated types
            raise BadGateway(f"{self.endpoint} sent unreadable {mime}: {exc}") from None
        if max_rows is not None and len(graph) > max_rows:
            kept = Graph()
            for triple in list(graph)[:max_rows]:
                kept.add(triple)
            return Result("CONSTRUCT", graph=kept, truncated=True)
        return Result("CONSTRUCT", graph=graph)

    def _results(self, kind: str, data: dict[str, Any], max_rows: int | None) -> Result:
        if "boolean" in data:
            return Result("ASK", boolean=bool(data["boolean"]))
        bindings = data["results"]["bindings"]
        if kind == "ASK":  # Virtuoso 7.2 answers a POSTed ASK as a one-row SELECT
            values = [v["value"] for row in bindings for v in row.values()]
            return Result("ASK", boolean=bool(values) and values[0] not in ("0", "false"))
        names = tuple(data["head"].get("vars", []))
        truncated = max_rows is not None and len(bindings) > max_rows
        kept = bindings[:max_rows] if max_rows is not None else bindings
        rows = tuple({k: _term(v) for k, v in row.items()} for row in kept)
        return Result("SELECT", variables=names, rows=rows, truncated=truncated)

    def probe(self) -> str | None:
        """Ask the store a trivial question now (short deadline, outside the slots)."""
        default, named = dataset(self.graphs)
        form = [("query", "ASK {}"), ("default-graph-uri", default[0])]
        form += [("named-graph-uri", g) for g in named]
        try:
            mime, body = self._post(form, RESULTS_TYPES[0], min(PROBE_TIMEOUT, self.timeout))
            self._read_results("ASK", mime, body, None)
        except (StoreError, QueryError) as exc:
            self.failure = str(exc)
            return self.failure
        self.failure, self._hung_until = None, 0.0
        return None

    def _content_hash(self) -> str:
        """Hash the graph's sorted N-Triples, like the embedded store hashes its files; above
        HASH_LIMIT triples, hash the endpoint, graph and count instead (fetching is too dear)."""
        digest = hashlib.sha256()
        if self._count > HASH_LIMIT:
            digest.update(f"{self.endpoint}\0{','.join(self.graphs)}\0{self._count}".encode())
        else:
            graph = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph or Graph()
            for line in sorted(graph.serialize(format="nt").splitlines()):
                digest.update(line.encode() + b"\n")
        return digest.hexdigest()[:16]

    def _count_triples(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(result.rows[0]["n"]) if result.rows else 0
        except (KeyError, ValueError):
            raise BadGateway(f"{self.endpoint} did not count triples like a SPARQL store") from None

    def triple_count(self) -> int:
        """Counted now; the last count while the store fails (/health reports the failure)."""
        try:
            self._count = self._count_triples()
        except StoreError:
            pass
        return self._count
