"""Domain errors: what pure code refuses and why, without HTTP (errors.py maps them)."""

from __future__ import annotations

from typing import Any


class Problem(Exception):
    """A request the service refuses; `details` name the parameter and what is allowed."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message, self.details = message, details


class ParamError(Problem):
    """A parameter is missing, unknown or invalid."""

    def __init__(self, name: str, message: str, allowed: list[str] | None = None) -> None:
        details: dict[str, Any] = {"param": name}
        if allowed is not None:
            details["allowed"] = allowed
        super().__init__(f"parameter '{name}': {message}", **details)


class UnknownQuery(Problem):
    """No canned query has this name."""


class NotAvailable(Problem):
    """An explicitly requested format or language is not offered."""


class NotAcceptable(Problem):
    """None of the media types the client accepts is offered."""


class Forbidden(Problem):
    """Refused on principle: the service is read-only and makes no outbound calls."""


class UnsupportedMedia(Problem):
    """The request body comes in a media type or charset the service does not read."""
