"""GET /: where to go next, as a page for people and as JSON for programs."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from .negotiation import pick_lang

bp = Blueprint("home", __name__)

LINKS = [
    {
        "href": "/api/docs",
        "zh": "常见问题的查询接口（说明页）",
        "en": "the canned questions (docs page)",
    },
    {
        "href": "/api/ask?q=第三步要带什么",
        "zh": "用中文或英文提问",
        "en": "ask in Chinese or English",
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


@bp.get("/")
def index() -> Response:
    lang = pick_lang()
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json":
        return jsonify(links=[{"href": link["href"], "title": link[lang]} for link in LINKS])
    title = "新生儿医保卡知识图谱" if lang == "zh" else "newborn-kg"
    page = render_template(
        "index.html", links=LINKS, lang=lang, title=title, subtitle="", formats={}, path="/"
    )
    return Response(page, mimetype="text/html")
