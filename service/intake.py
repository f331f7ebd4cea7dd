"""What every request must be before a view sees it: UTF-8 text and a readable, bounded body.

Werkzeug decodes invalid UTF-8 in the path, the query string and form bodies with replacement
characters and leaves a body unread until a view asks for it, so a malformed request would
otherwise surface deep inside a view (an IRI the engine rejects, a chunked body that breaks
mid-read) as a 500. Here it is refused at the door with a 400 that says what was wrong.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, current_app, request
from werkzeug.exceptions import ClientDisconnected

from .problems import Malformed, TooLarge, TooSlow

# what a server raises from the body stream when the client's framing is broken: werkzeug's
# dechunker and gunicorn's NoMoreData raise OSError; gunicorn's chunk parser ParseException
BROKEN_BODY: tuple[type[Exception], ...] = (OSError,)
try:  # gunicorn is optional (the soak's baseline server)
    from gunicorn.http.errors import ParseException

    BROKEN_BODY += (ParseException,)
except ImportError:
    pass

TEXT_BODIES = ("application/x-www-form-urlencoded", "application/sparql-query", "application/json")


def not_utf8(raw: bytes) -> str | None:
    """Why `raw` is not UTF-8 text (lone surrogates count as not), or None when it is."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not valid UTF-8"
    return None


def check_target(environ: dict[str, Any], query_string: bytes) -> None:
    """Refuse a path or query string whose percent-escapes are not UTF-8 (400)."""
    # the request line as sent (gunicorn, werkzeug); else WSGI's latin-1 decoded path bytes
    raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw_uri:
        path = unquote_to_bytes(raw_uri.partition("?")[0].encode("latin-1", "replace"))
    else:
        path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    reason = not_utf8(path)
    if reason:
        raise Malformed(f"the path is not UTF-8: {reason}")
    reason = not_utf8(unquote_to_bytes(query_string.replace(b"+", b" ")))
    if reason:
        raise Malformed(f"the query string is not UTF-8: {reason}")


def read_body() -> None:
    """Read a text body now, within MAX_CONTENT_LENGTH, and refuse it unless it is UTF-8."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    # a client that announces more than it sends would hold a worker until the server's own
    # timeout (gunicorn: a 500 after 30 s); the socket gets a deadline for each read instead
    sock = request.environ.get("gunicorn.socket")
    previous = sock.gettimeout() if sock is not None else None
    pause = float(current_app.config["BODY_TIMEOUT"])
    try:
        if sock is not None:
            sock.settimeout(pause)
        raw = request.get_data(cache=True)  # werkzeug enforces MAX_CONTENT_LENGTH (413)
    except (TimeoutError, ClientDisconnected) as exc:  # werkzeug wraps what the stream raised
        if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
            raise TooSlow(f"the client sent no part of the body for {pause:g} s") from None
        raise Malformed("the connection ended before the body was complete") from None
    except BROKEN_BODY as exc:  # a broken chunked encoding, a connection cut mid-body
        raise Malformed(f"the request body could not be read: {exc}") from None
    finally:
        if sock is not None:
            sock.settimeout(previous)  # sending the answer may take longer
    announced, limit = request.content_length, current_app.config.get("MAX_CONTENT_LENGTH")
    if announced is None and limit and len(raw) >= limit:  # werkzeug stops a chunked body there
        raise TooLarge(f"the request body is larger than {limit - 1} bytes")
    if announced is not None and len(raw) < announced:  # servers that hand over a short body
        raise Malformed(
            f"the body ended after {len(raw)} of the {announced} bytes of its Content-Length"
        )
    if request.mimetype not in TEXT_BODIES:
        return
    if request.mimetype == "application/x-www-form-urlencoded":
        raw = unquote_to_bytes(raw.replace(b"+", b" "))
    reason = not_utf8(raw)
    if reason:
        raise Malformed(f"the body must be UTF-8 text: {reason}")


def json_body() -> Any:
    """The JSON body, refused (400) unless it parses and every string in it is valid Unicode."""
    try:
        body = json.loads(request.get_data(cache=True))
        valid = _valid_unicode(body)
    except ValueError:
        return None
    except RecursionError:
        raise Malformed("the JSON body nests too deeply") from None
    if not valid:
        raise Malformed("the body has a lone surrogate (\\ud800-\\udfff): not valid Unicode")
    return body


def _valid_unicode(value: Any) -> bool:
    if isinstance(value, str):
        return not_utf8(value.encode("utf-8", "surrogatepass")) is None
    if isinstance(value, dict):
        return all(_valid_unicode(k) and _valid_unicode(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_valid_unicode(v) for v in value)
    return True


def register_intake(app: Flask) -> None:
    """Check the target and read the body before any view runs."""

    @app.before_request
    def _intake() -> None:
        check_target(request.environ, request.query_string)
        read_body()
