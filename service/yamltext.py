"""YAML text read with libyaml's loader where PyYAML has it (several times faster), else the
pure-Python one; safe loading either way."""

from __future__ import annotations

from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """The data of a YAML text (safe: plain data only)."""
    return yaml.load(text, Loader=LOADER)  # noqa: S506 - a safe loader
