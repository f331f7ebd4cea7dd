"""GET and POST /api/ask: questions in Chinese or English, answered with evidence."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from .cors import allow_cross_origin
from .errors import ApiError
from .intake import json_body
from .qa.asker import Asker, QuestionError

bp = Blueprint("ask", __name__)
allow_cross_origin(bp, expose="Content-Language")
MAX_BODY = 16 * 1024


def answer(question: str, lang: str | None) -> Response:
    """The answer document, or the question's fault as a 400 in the one error shape."""
    found: Asker = current_app.extensions["newborn_kg.asker"]
    try:
        return jsonify(with_caveat(found.ask(question, lang)))
    except QuestionError as exc:
        raise ApiError(400, exc.message, param=exc.param, **exc.details) from None


def with_caveat(answer: dict[str, Any]) -> dict[str, Any]:
    """Say with every answer how current the source is (an undated, most likely old text)."""
    caveat = current_app.extensions["newborn_kg.caveats"].get(answer.get("lang"))
    return {**answer, "caveat": caveat} if caveat else answer


@bp.get("/api/ask")
def ask_get() -> Response:
    question = request.args.get("q")
    if question is None:
        raise ApiError(
            400, "parameter 'q' is required: the question, in Chinese or English", param="q"
        )
    return answer(question, request.args.get("lang"))


@bp.post("/api/ask")
def ask_post() -> Response:
    if (request.content_length or 0) > MAX_BODY:
        raise ApiError(413, f"the request body is larger than {MAX_BODY} bytes")
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("q"), str):
        raise ApiError(400, 'the body must be JSON like {"q": "...", "lang": "zh"}', param="q")
    lang = body.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise ApiError(400, "parameter 'lang' must be a string", param="lang", allowed=["zh", "en"])
    return answer(body["q"], lang)
