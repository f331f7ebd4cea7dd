"""The languages the graph, the answers and the pages speak: Chinese first, then English."""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = LANGS[0]
