"""Whole answers to GET requests the app marks as shareable, replayed on the event loop.

The graph does not change while the server runs, so a canned answer (or a /sparql answer on the
embedded store) is a function of the request's path, query string, Accept, Accept-Language and
If-None-Match (the 304). The view says so (`mark_shareable`); the server (bridge.py) then keeps
the status, headers and body it sent, and answers the next such request from here without a
thread or Flask. Bounded in bytes, least recently used first out; only the event loop's thread
touches it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

SHAREABLE = "newborn_kg.shareable"
KEYED_HEADERS = ("accept", "accept-language", "if-none-match")
ENTRY_OVERHEAD = 512  # bytes counted for an entry's key and headers
Key = tuple[str, ...]
Entry = tuple[int, list[tuple[str, str]], bytes]


def mark_shareable(environ: dict[str, Any]) -> None:
    """Let the server replay this request's response to GETs with the same path, query and
    keyed headers."""
    environ[SHAREABLE] = True


def key_of(scope: Any) -> Key | None:
    """The cache key of an RSGI request; None when it may not be answered from the cache."""
    if scope.method != "GET":
        return None
    headers = scope.headers
    if "content-length" in headers or "transfer-encoding" in headers:
        return None
    return (
        scope.path,
        scope.query_string,
        *(",".join(headers.get_all(name)) for name in KEYED_HEADERS),
    )


class ResponseCache:
    """A least-recently-used map of keys to whole responses, at most `max_bytes` in all."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self.entries: OrderedDict[Key, Entry] = OrderedDict()

    def get(self, key: Key) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: Key, entry: Entry, environ: dict[str, Any]) -> None:
        """Keep a 200 or 304 the app marked shareable; one answer takes at most 1/16 of the room."""
        cost = len(entry[2]) + ENTRY_OVERHEAD
        if not environ.get(SHAREABLE) or entry[0] not in (200, 304) or cost > self.max_bytes // 16:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old[2]) + ENTRY_OVERHEAD
        self.entries[key] = entry
        self.size += cost
        while self.size > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.size -= len(evicted[2]) + ENTRY_OVERHEAD
