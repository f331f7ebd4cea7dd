"""SELECT and ASK results written by Oxigraph's own serialisers, without rdflib terms.

MAX_ROWS still holds: the answer is written into a capped buffer and its rows are counted from
the bytes by a cheap upper bound (a separator that a literal might also contain); above the cap
or the bound, None sends the caller to the row-by-row path, which truncates exactly.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from ..store import QueryError

FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    # not TSV: Oxigraph writes "1"^^xsd:integer where other stores write 1 (both are valid
    # SPARQL TSV), and answers must read the same on every store
}
BYTES_PER_ROW = 2048  # the buffer's cap per allowed row, so a huge answer stops early


class _TooLarge(Exception):
    """The answer outgrew the buffer's cap."""


class CappedBuffer:
    """A binary writer that refuses to grow past `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size, self.parts = limit, 0, []  # type: tuple[int, int, list[bytes]]

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the parts stay in memory."""

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def most_rows(body: bytes, fmt: str) -> int:
    """An upper bound on the rows in a serialised SELECT result (exact unless a literal holds
    the separator)."""
    if fmt == "json":
        return body.count(b"},{") + 1
    if fmt == "xml":
        return body.count(b"<result>")
    return body.count(b"\n")  # the header line makes up for a missing final newline


def serialise(result: Any, fmt: str, max_rows: int) -> bytes | None:
    """The SELECT or ASK result in `fmt`, or None when it may hold more than max_rows rows."""
    if isinstance(result, ox.QueryBoolean):
        return bytes(result.serialize(format=FORMATS[fmt]) or b"")
    out = CappedBuffer(max(max_rows, 1) * BYTES_PER_ROW)
    try:
        result.serialize(out, format=FORMATS[fmt])
    except _TooLarge:
        return None
    except (SyntaxError, ValueError, RuntimeError, OSError) as exc:  # evaluation is lazy
        raise QueryError(str(exc)) from None
    body = out.getvalue()
    return body if most_rows(body, fmt) <= max_rows else None
