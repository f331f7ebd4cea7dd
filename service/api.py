"""The JSON API of canned queries: /api/queries, /api/queries/<name>, /openapi.json."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from .answers import Page
from .canned import CannedQueries, Terms
from .catalog import RESERVED
from .cors import allow_cross_origin
from .errors import ApiError, status_of
from .formats import ANSWER_FORMATS
from .html import html_page
from .negotiation import pick_format, pick_lang
from .openapi import build_openapi
from .problems import Problem
from .query_page import page_context, problem_context
from .response_cache import mark_shareable

bp = Blueprint("api", __name__)
allow_cross_origin(bp, expose="ETag, Link, X-Total-Count, Content-Language")

FORMATS = ANSWER_FORMATS
# JSON first: a client that accepts anything gets data; a browser (text/html first) gets a page.
PAGE_FORMATS = {**ANSWER_FORMATS, "html": "text/html"}


def canned() -> CannedQueries:
    runner: CannedQueries = current_app.extensions["newborn_kg.canned"]
    return runner


def pages() -> Callable[[str, Terms, str, str, int, int], Page]:
    """CannedQueries.page behind the app's cache (see create_app)."""
    cached: Callable[[str, Terms, str, str, int, int], Page] = current_app.extensions[
        "newborn_kg.pages"
    ]
    return cached


def _count(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) > maximum:
        raise ApiError(
            400, f"parameter '{name}': {raw!r} must be an integer from 0 to {maximum}", param=name
        )
    return int(raw)


def query_params() -> dict[str, str]:
    """The canned query's own parameters; each may be given once."""
    out = {}
    for key in request.args:
        if key in RESERVED:
            continue
        values = request.args.getlist(key)
        if len(values) > 1:
            raise ApiError(
                400, f"parameter '{key}' is given {len(values)} times; give it once", param=key
            )
        out[key] = values[0]
    return out


@bp.get("/api/queries")
def catalog() -> Response:
    lang = pick_lang()
    runner = canned()
    response = jsonify(
        lang=lang, queries=[runner.describe(q, lang) for q in runner.catalog.values()]
    )
    response.headers["Content-Language"] = lang
    return response


@bp.get("/api/queries/<name>")
def run(name: str) -> Response:
    runner = canned()
    as_page = name.endswith(".html")
    name = name.removesuffix(".html")
    runner.get(name)
    lang = pick_lang()
    fmt = "html" if as_page else pick_format(PAGE_FORMATS, request.args.get("format"))
    if fmt == "html":
        return query_page(runner, name, lang)
    max_rows = current_app.config["MAX_ROWS"]
    limit, offset = _count("limit", max_rows, max_rows), _count("offset", 0, 10**9)
    page = pages()(name, runner.resolve(name, query_params(), lang), lang, fmt, offset, limit)
    bom = _count("bom", 0, 1) == 1 and fmt in ("csv", "tsv")
    etag = page.etag + ("-bom" if bom else "")
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(("\ufeff" if bom else "") + page.body, mimetype=FORMATS[fmt])
    if fmt in ("csv", "tsv"):
        response.headers["Content-Disposition"] = f'attachment; filename="{name}-{lang}.{fmt}"'
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Content-Language"] = lang
    response.headers["X-Total-Count"] = str(page.total)
    response.vary.update(("Accept", "Accept-Language"))
    links = page_links(name, page.total, offset, limit)
    if links:
        response.headers["Link"] = links
    # a function of the path, query, Accept, Accept-Language and If-None-Match alone
    mark_shareable(request.environ)
    return response


def query_page(runner: CannedQueries, name: str, lang: str) -> Response:
    """A canned query's answer as a page; a bad parameter gives the form and the message."""
    raw = query_params()
    try:
        # the page shows every row, but a malformed count is refused as in the data formats
        for key, most in (("limit", current_app.config["MAX_ROWS"]), ("offset", 10**9), ("bom", 1)):
            _count(key, 0, most)
        context, status = page_context(runner, name, raw, lang), 200
    except (ApiError, Problem) as exc:
        if (exc.status if isinstance(exc, ApiError) else status_of(exc)) != 400:
            raise
        context, status = problem_context(runner, name, raw, lang, exc.message), 400
    return html_page(render_template("query.html", **context), lang, status)


def page_links(name: str, total: int, offset: int, limit: int) -> str:
    """RFC 8288 next/prev links when the rows do not fit one page."""
    links = []
    args = {k: v for k, v in request.args.items() if k not in ("offset", "limit")}
    if offset + limit < total:
        links.append((offset + limit, "next"))
    if offset > 0:
        links.append((max(0, offset - limit), "prev"))
    return ", ".join(
        f'</api/queries/{name}?{urlencode({**args, "offset": o, "limit": limit})}>; rel="{rel}"'
        for o, rel in links
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    runner = canned()
    return jsonify(build_openapi(runner, pick_lang()))


@bp.get("/api/docs")
def docs() -> Response:
    """The catalog as a page for people: every query, its parameters and a link to try it."""
    lang = pick_lang()
    runner = canned()
    queries = []
    for query in runner.catalog.values():
        entry = runner.describe(query, lang)
        example = urlencode({**{p.name: p.example for p in query.params}, "lang": lang})
        entry["try"] = f"/api/queries/{query.name}?{example}"
        entry["page"] = f"/api/queries/{query.name}.html?{example}"
        queries.append(entry)
    title = "新生儿医保卡问答接口" if lang == "zh" else "newborn-kg API"
    page = render_template(
        "api_docs.html",
        queries=queries,
        lang=lang,
        title=title,
        subtitle="",
        formats={},
        path="/api/docs",
    )
    return html_page(page, lang)
