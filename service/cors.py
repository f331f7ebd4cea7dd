"""CORS on the public surfaces (JSON API, questions, SPARQL, linked data), preflight included."""

from __future__ import annotations

from flask import Blueprint, Response, request

ALLOW_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match"


def allow_cross_origin(bp: Blueprint, expose: str) -> None:
    """Let any origin read the blueprint's responses and the headers named in `expose`."""

    @bp.after_request
    def cors(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = expose
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response.headers["Access-Control-Max-Age"] = "86400"
        return response
