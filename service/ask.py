"""GET and POST /api/ask: questions in Chinese or English, answered with evidence."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from .answering import MAX_QUESTION
from .cors import allow_cross_origin
from .errors import ApiError
from .languages import LANGS

bp = Blueprint("ask", __name__)
allow_cross_origin(bp, expose="Content-Language")
MAX_BODY = 16 * 1024


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
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("q"), str):
        raise ApiError(400, 'the body must be JSON like {"q": "...", "lang": "zh"}', param="q")
    lang = body.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise ApiError(400, "parameter 'lang' must be a string", param="lang", allowed=list(LANGS))
    return answer(body["q"], lang)


def answer(question: str, lang: str | None) -> Response:
    """Check the question and its language here, at the edge, then ask."""
    if not question.strip():
        raise ApiError(400, "parameter 'q': the question is empty", param="q")
    if len(question) > MAX_QUESTION:
        raise ApiError(400, f"parameter 'q': at most {MAX_QUESTION} characters", param="q")
    if lang is not None and lang not in LANGS:
        raise ApiError(
            400, f"parameter 'lang': {lang!r} is not supported", param="lang", allowed=list(LANGS)
        )
    answers = current_app.extensions["newborn_kg.answers"]  # Asker.ask behind create_app's cache
    return jsonify(answers(question, lang))
