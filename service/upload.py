"""Push the graph's files into a SPARQL 1.1 store, replacing the old graph in one step.

The triples go into a fresh staging graph (Graph Store Protocol PUT/POST when a GSP URL is
given, else SPARQL Update INSERT DATA), in chunks (2,000 triples; 250 per INSERT DATA) so a
progress bar can follow; one `MOVE <staging> TO <graph>` then replaces the old graph, atomically
on a store that runs one update operation in one transaction. A refusal names the URL, the
status and the store's own first line, and the staging graph is dropped.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from rdflib import Graph

from .describe import valid_iri
from .loader import DataLoadError
from .remote import first_line

CHUNK = 2000  # triples per Graph Store Protocol request
UPDATE_CHUNK = 250  # per INSERT DATA: Virtuoso compiles each into SQL, capped at 10,000 lines
TIMEOUT = 120.0


class UploadError(Exception):
    """The store refused or failed part of the load; the old graph is untouched."""


@dataclass(frozen=True)
class Target:
    """Where and as whom to load."""

    endpoint: str  # SPARQL 1.1 Update (and query) endpoint
    graph: str
    gsp: str | None = None  # Graph Store Protocol endpoint, if the store has one
    user: str | None = None
    password: str | None = None


def ntriples(paths: Sequence[str]) -> list[str]:
    """The files' triples as sorted N-Triples lines (Turtle in, so blank nodes stay distinct)."""
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except (OSError, SyntaxError, ValueError) as exc:
            raise DataLoadError(f"{path}: {exc}") from None
    return sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())


def _opener(target: Target) -> urllib.request.OpenerDirector:
    if not target.user:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in filter(None, (target.endpoint, target.gsp)):
        passwords.add_password(None, url, target.user, target.password or "")
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passwords),
        urllib.request.HTTPDigestAuthHandler(passwords),
    )


def _send(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> bytes:
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as exc:
        raise UploadError(
            f"{request.full_url} refused ({exc.code}): {first_line(exc.read())}"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        raise UploadError(f"{request.full_url} cannot be reached: {exc}") from None


def _update(opener: urllib.request.OpenerDirector, target: Target, text: str) -> None:
    body = urlencode({"update": text}).encode()
    _send(opener, urllib.request.Request(target.endpoint, data=body, method="POST"))


def _put_chunk(
    opener: urllib.request.OpenerDirector,
    target: Target,
    staging: str,
    lines: list[str],
    first: bool,
) -> None:
    body = "\n".join(lines).encode() + b"\n"
    if target.gsp:
        url = f"{target.gsp}{'&' if '?' in target.gsp else '?'}{urlencode({'graph': staging})}"
        request = urllib.request.Request(
            url,
            data=body,
            method="PUT" if first else "POST",
            headers={"Content-Type": "text/turtle; charset=utf-8"},
        )
        _send(opener, request)
    else:
        data = "\n".join(lines)
        _update(opener, target, f"INSERT DATA {{ GRAPH <{staging}> {{\n{data}\n}} }}")


def upload(
    paths: Sequence[str],
    target: Target,
    progress: Callable[[int], None] | None = None,
    chunk: int | None = None,
) -> int:
    """Load `paths` into target.graph via a staging graph; return the number of triples."""
    return send(ntriples(paths), target, progress, chunk)


def send(
    lines: Sequence[str],
    target: Target,
    progress: Callable[[int], None] | None = None,
    chunk: int | None = None,
) -> int:
    """Send N-Triples lines into target.graph via a staging graph, then switch."""
    if not valid_iri(target.graph) or ":" not in target.graph:
        raise UploadError(f"{target.graph!r} is not a graph IRI")
    opener = _opener(target)
    chunk = chunk or (CHUNK if target.gsp else UPDATE_CHUNK)
    staging = f"urn:newborn-kg:staging:{uuid.uuid4().hex}"
    try:
        for start in range(0, len(lines), chunk):
            part = list(lines[start : start + chunk])
            _put_chunk(opener, target, staging, part, start == 0)
            if progress:
                progress(len(part))
        _update(opener, target, f"MOVE <{staging}> TO <{target.graph}>")
    except UploadError:
        try:
            _update(opener, target, f"DROP SILENT GRAPH <{staging}>")
        except UploadError:
            pass  # the first failure is the one to report
        raise
    return len(lines)
