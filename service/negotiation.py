"""Content and language negotiation shared by every blueprint: format=, Accept, lang=."""

from __future__ import annotations

from collections.abc import Mapping

from flask import request
from werkzeug.datastructures import MIMEAccept

from .languages import DEFAULT_LANG, LANGS
from .problems import NotAcceptable, NotAvailable


def pick_format(
    offered: Mapping[str, str],
    requested: str | None,
    what: str = "",
    accept: MIMEAccept | None = None,
) -> str:
    """A format name: `format=` if given (400 when not offered), else the best match of the
    Accept header (this request's unless given) in the order offered (NotAcceptable when none
    fits), else the first offered."""
    accept = request.accept_mimetypes if accept is None else accept
    if requested:
        if requested not in offered:
            raise NotAvailable(
                f"parameter 'format': {requested!r} is not available{what}",
                param="format",
                allowed=list(offered),
            )
        return requested
    if not accept:
        return next(iter(offered))
    best = accept.best_match(list(offered.values()))
    if best is None:
        raise NotAcceptable(
            f"none of the accepted media types is available{what}",
            allowed=list(offered.values()),
        )
    return next(name for name, mime in offered.items() if mime == best)


def pick_lang() -> str:
    """`lang=` if given (NotAvailable unless zh or en), else Accept-Language's best, else zh."""
    raw = request.args.get("lang")
    if raw is None:
        if "Accept-Language" not in request.headers:  # parsing an absent header cost 13 us
            return DEFAULT_LANG
        return request.accept_languages.best_match(LANGS) or DEFAULT_LANG
    if raw not in LANGS:
        raise NotAvailable(
            f"parameter 'lang': {raw!r} is not supported", param="lang", allowed=list(LANGS)
        )
    return raw
