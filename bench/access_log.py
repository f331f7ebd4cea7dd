"""Serve with granian's access log on, off or buffered, to measure what the log costs.

service/server.py decides the log; this wraps granian's Server so the benchmark can compare the
settings under the same server without editing it. `buffered` keeps granian's per-request
formatting but writes through a MemoryHandler (512 records a write).
"""

from __future__ import annotations

import copy
from typing import Any

MODES = ("on", "off", "buffered")


def apply(mode: str) -> None:
    """Make every granian Server built from now on log access as `mode` says."""
    if mode not in MODES:
        raise ValueError(f"access log mode must be one of {MODES}, not {mode!r}")
    if mode == "on":
        return
    import granian.log
    import granian.server

    original = granian.server.Server

    def server(*args: Any, **kwargs: Any) -> Any:
        if mode == "off":
            kwargs["log_access"] = False
        else:
            config = copy.deepcopy(granian.log.LOGGING_CONFIG)
            config["handlers"]["access_out"] = config["handlers"]["access"]
            config["handlers"]["access"] = {
                "class": "logging.handlers.MemoryHandler",
                "capacity": 512,
                "flushLevel": "ERROR",
                "target": "access_out",
            }
            kwargs["log_dictconfig"] = config
        return original(*args, **kwargs)

    granian.server.Server = server  # type: ignore[misc]
