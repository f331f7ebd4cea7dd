"""ApiError, the one JSON error shape {"error": {"status": N, "message": "..."}}, and the one
place where domain errors (service/problems.py) become HTTP statuses."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from .problems import (
    Forbidden,
    NotAcceptable,
    NotAvailable,
    ParamError,
    Problem,
    UnknownQuery,
    UnsupportedMedia,
)

# Domain error -> HTTP status; a subclass takes its nearest listed ancestor's status.
STATUS: dict[type[Problem], int] = {
    Problem: 400,
    ParamError: 400,
    NotAvailable: 400,
    Forbidden: 403,
    UnknownQuery: 404,
    NotAcceptable: 406,
    UnsupportedMedia: 415,
}


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


def status_of(problem: Problem) -> int:
    """The HTTP status of a domain error."""
    return next(STATUS[cls] for cls in type(problem).__mro__ if cls in STATUS)


def register_error_handlers(app: Flask) -> None:
    """Render ApiError, every domain error and every HTTP error in the one shape."""

    @app.errorhandler(Problem)
    def _problem(exc: Problem) -> Response:
        return error_response(status_of(exc), exc.message, **exc.details)

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        response = error_response(exc.status, exc.message, **exc.details)
        response.headers.update(exc.headers)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        response = error_response(exc.code or 500, exc.description or exc.name)
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
