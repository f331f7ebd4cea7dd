"""The SPARQL 1.1 Protocol endpoint as one mountable unit: plan, guards, isolated execution."""

from __future__ import annotations

from .endpoint import bp
from .execution import make_runner

__all__ = ["bp", "make_runner"]
