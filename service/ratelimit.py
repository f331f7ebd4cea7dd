"""Per-client token buckets for the expensive routes (/sparql, /api/ask), per server process."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, current_app, request

from .errors import ApiError

LIMITED_BLUEPRINTS = frozenset({"sparql", "ask"})
MAX_CLIENTS = 10000  # least recently seen clients are forgotten past this


class TokenBuckets:
    """`rate` requests a minute per client with bursts of `burst`; thread-safe, bounded memory."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_second, self.burst, self.clock = rate / 60.0, float(burst), clock
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one token: 0 when allowed, else the seconds until the next token."""
        now = self.clock()
        with self.lock:
            tokens, stamp = self.buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - stamp) * self.per_second)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.per_second
            self.buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
            if len(self.buckets) > MAX_CLIENTS:
                self.buckets.popitem(last=False)
        return wait


def install(app: Flask) -> None:
    """Refuse with 429 and Retry-After once a client exceeds RATE_LIMIT (0: no limit)."""
    if not app.config["RATE_LIMIT"]:
        return
    app.extensions["newborn_kg.rate_limit"] = TokenBuckets(
        app.config["RATE_LIMIT"], app.config["RATE_BURST"]
    )

    @app.before_request
    def limit() -> None:
        if request.blueprint not in LIMITED_BLUEPRINTS or request.method == "OPTIONS":
            return
        buckets: TokenBuckets = current_app.extensions["newborn_kg.rate_limit"]
        wait = buckets.take(request.remote_addr or "")
        if wait:
            seconds = math.ceil(wait)
            error = ApiError(
                429,
                f"too many requests from this client: at most {app.config['RATE_LIMIT']:g} a "
                f"minute to /sparql and /api/ask; retry in {seconds} s",
                retry_after=seconds,
            )
            error.headers["Retry-After"] = str(seconds)
            raise error
