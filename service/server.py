"""Production serving: granian's event loop holds the connections, a few threads run Flask.

The graph is loaded once, in the master, before granian forks its workers (with the fork start
method, so the loader below returns the already-built app). Each worker serves it over RSGI
(bridge.py): the body is read whole on the event loop, then one of a few threads runs Flask;
idle keep-alive connections and slow bodies cost a Rust task or a coroutine, never a thread.
On SIGTERM or SIGINT each worker drains its accept queue (drain.py), finishes what is in flight
and exits.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import drain
from .bridge import WSGIBridge

MAX_HEADER_BYTES = 64 * 1024


def worker_app(app: Flask, config: Mapping[str, Any]) -> WSGIBridge:
    """The RSGI app one worker serves: whole bodies first, then Flask in a small thread pool."""
    # granian sets its stop handlers just after this loader returns, before the loop runs
    loop = asyncio.get_event_loop()
    loop.call_soon(drain.install, loop)
    return WSGIBridge(
        app,
        threads=int(config["SERVER_THREADS"]),
        max_bytes=int(config["MAX_REQUEST_BYTES"]),
        timeout=float(config["BODY_TIMEOUT"]),
        cache_bytes=int(config["RESPONSE_CACHE_BYTES"]),
    )


def serve(app: Flask, host: str, port: int, workers: int) -> None:
    """Run granian until SIGTERM or SIGINT, which end it gracefully."""
    from granian.constants import Interfaces, Loops
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    # the workers must inherit the loaded app (Python 3.14 defaults to forkserver on Linux),
    # with the question matcher's model loaded: they share its memory
    asker = app.extensions.get("newborn_kg.asker")  # a bare app (the bench's constant) has none
    if asker is not None:
        asker.warm()
    multiprocessing.set_start_method("fork", force=True)
    config = app.config
    server = Server(
        "newborn-kg",
        address=host,
        port=port,
        interface=Interfaces.RSGI,
        loop=Loops.asyncio,
        workers=workers,
        http1_settings=HTTP1Settings(
            header_read_timeout=int(float(config["BODY_TIMEOUT"]) * 1000),
            max_buffer_size=MAX_HEADER_BYTES,
        ),
        log_level=LogLevels.info,
        log_access=bool(config["ACCESS_LOG"]),
        log_access_format='%(addr)s - "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1f ms',
        workers_kill_timeout=int(float(config["QUERY_TIMEOUT"])) + 10,
    )
    server.serve(target_loader=lambda: worker_app(app, config), wrap_loader=False)
