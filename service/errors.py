"""ApiError, store failures, and the one JSON error shape: {"error": {"status": N, ...}}."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from .store import StoreError, StoreUnavailable

RETRY_AFTER = "2"


class ApiError(Exception):
    """An error to report to the client with a status code and a readable message."""

    def __init__(self, status: int, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.details = status, message, details
        self.headers: dict[str, str] = {}


def error_body(status: int, message: str, **details: Any) -> dict[str, Any]:
    """Build the one error shape."""
    return {"error": {"status": status, "message": message, **details}}


def error_response(status: int, message: str, **details: Any) -> Response:
    """Render the error shape as a JSON response."""
    response = jsonify(error_body(status, message, **details))
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    """Render ApiError and every HTTP error in the one shape."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        response = error_response(exc.status, exc.message, **exc.details)
        response.headers.update(exc.headers)
        return response

    @app.errorhandler(StoreError)
    def _store_error(exc: StoreError) -> Response:
        # 502 bad answer, 503 unreachable (with Retry-After), 504 no answer by the deadline
        response = error_response(exc.status, f"the graph store failed: {exc}")
        if isinstance(exc, StoreUnavailable):
            response.headers["Retry-After"] = RETRY_AFTER
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        response = error_response(exc.code or 500, exc.description or exc.name)
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
