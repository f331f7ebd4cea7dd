"""HTML responses for people: the ETag is the content's hash, so one ETag is always one body."""

from __future__ import annotations

import hashlib

from flask import Response, request


def html_page(body: str, lang: str, status: int = 200) -> Response:
    """An HTML response with Content-Language, Vary and (when 200) a content-hash ETag."""
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Content-Language"] = lang
    response.vary.update(("Accept", "Accept-Language"))
    if status == 200:
        response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
        response.make_conditional(request)
    return response
