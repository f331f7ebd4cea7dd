"""GET /: the guide for parents; /checklist to print; /api/deadline; JSON links for programs."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from .canned import CannedQueries
from .cors import allow_cross_origin
from .deadline import compute, duration_words
from .errors import status_of
from .flow import render_flow
from .guide import build_guide
from .html import html_page
from .languages import LANGS
from .negotiation import pick_lang
from .problems import Problem
from .qa.asker import QuestionError

bp = Blueprint("home", __name__)
allow_cross_origin(bp, expose="ETag, Content-Language")  # /api/deadline is public, like /api/*

LINKS = [
    {
        "href": "/api/docs",
        "zh": "常见问题的查询接口（说明页）",
        "en": "the canned questions (docs page)",
    },
    {
        "href": "/api/ask?q=第三步要带什么",
        "zh": "问答接口（JSON）",
        "en": "the question API (JSON)",
    },
    {"href": "/sparql", "zh": "SPARQL 查询端点", "en": "the SPARQL endpoint"},
    {"href": "/ontology", "zh": "本体：类和属性", "en": "the ontology: classes and properties"},
    {
        "href": "/dataset",
        "zh": "数据集说明（VoID/DCAT）",
        "en": "the dataset description (VoID/DCAT)",
    },
    {
        "href": "/id/region/410000/v1/service/newborn-medical-insurance-card",
        "zh": "服务本身",
        "en": "the service itself",
    },
    {"href": "/openapi.json", "zh": "OpenAPI 3.1 文档", "en": "the OpenAPI 3.1 document"},
    {"href": "/health", "zh": "运行状态", "en": "health"},
]


@bp.app_context_processor
def page_helpers() -> dict[str, Any]:
    """What every page's layout uses: the language switch and the developers' links."""

    def lang_url(code: str) -> str:
        args = {k: v for k, v in request.args.items() if k != "lang"}
        return f"{request.path}?{urlencode({**args, 'lang': code})}"

    return {"lang_url": lang_url, "dev_links": LINKS}


@bp.app_template_filter("long_date")
def long_date(iso: str, lang: str) -> str:
    """'2024-02-29' as 2024年2月29日 or 29 February 2024."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


@bp.app_template_filter("duration_words")
def duration_words_filter(duration: str, lang: str) -> str:
    return duration_words(duration, lang) or duration


@bp.app_template_filter("local_href")
def local_href(iri: str) -> str:
    """A link to this server's page for an IRI under the base, else the IRI itself."""
    base = str(current_app.config["BASE_URI"])
    return "/" + iri[len(base) :] if iri.startswith(base) else iri


def build_guides() -> None:
    """Read the guide from the graph in every language."""
    for lang in LANGS:
        guide(lang)


def guide(lang: str) -> dict[str, Any]:
    """The guide in `lang`, read from the graph once and kept for the server's lifetime."""
    cache: dict[str, dict[str, Any]] = current_app.extensions.setdefault("newborn_kg.guides", {})
    if lang not in cache:
        served: CannedQueries = current_app.extensions["newborn_kg.served"]
        model = build_guide(served, current_app.config["BASE_URI"], lang)
        cache[lang] = {**model, "flow": render_flow(model)}
    return cache[lang]


@bp.get("/")
def index() -> Response:
    lang = pick_lang()
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json":
        return jsonify(links=[{"href": link["href"], "title": link[lang]} for link in LINKS])
    model = guide(lang)
    canned: CannedQueries = current_app.extensions["newborn_kg.canned"]
    birth, status, result, problem = request.args.get("birth"), 200, None, None
    if birth is not None:
        try:
            result = compute(canned, birth, lang)
        except Problem as exc:
            status, problem = status_of(exc), exc.message
    question, answer = (request.args.get("q") or "").strip(), None
    if question:
        try:
            answer = current_app.extensions["newborn_kg.asker"].ask(question, lang)
        except QuestionError as exc:
            status, answer = 400, {"understood": False, "problem": exc.message}
    page = render_template(
        "guide.html",
        g=model,
        lang=lang,
        title=model["service"].get("label", "newborn-kg"),
        subtitle="",
        formats={},
        path="/",
        birth=birth or "",
        result=result,
        problem=problem,
        question=question,
        answer=answer,
        example=next(
            (q.examples[lang][0] for q in canned.catalog.values() if q.examples[lang]), ""
        ),
    )
    return html_page(page, lang, status)


@bp.get("/checklist")
def checklist() -> Response:
    lang = pick_lang()
    model = guide(lang)
    title = (
        "办理新生儿医保卡材料清单" if lang == "zh" else "Checklist: newborn medical insurance card"
    )
    page = render_template(
        "checklist.html",
        g=model,
        lang=lang,
        title=title,
        subtitle="",
        formats={},
        path="/checklist",
    )
    return html_page(page, lang)


@bp.get("/api/deadline")
def deadline() -> Response:
    lang = pick_lang()
    canned: CannedQueries = current_app.extensions["newborn_kg.canned"]
    response = jsonify(compute(canned, request.args.get("birth"), lang))
    response.headers["Content-Language"] = lang
    return response
