"""Format and language negotiation on bare requests."""

import pytest
from flask import Flask

from service.negotiation import pick_format, pick_lang
from service.problems import NotAcceptable, NotAvailable

OFFERED = {"json": "application/json", "csv": "text/csv"}


def request(query: str = "", **headers: str):
    return Flask(__name__).test_request_context(f"/?{query}", headers=headers)


def test_format_parameter_wins_over_accept():
    with request(Accept="text/csv"):
        assert pick_format(OFFERED, "json") == "json"


def test_accept_picks_the_best_offered_type_and_wildcards_get_the_first():
    with request(Accept="text/html;q=0.9, text/csv"):
        assert pick_format(OFFERED, None) == "csv"
    with request(Accept="*/*"):
        assert pick_format(OFFERED, None) == "json"
    with request():
        assert pick_format(OFFERED, None) == "json"


def test_unoffered_formats_are_refused_with_what_is_offered():
    with request(), pytest.raises(NotAvailable) as info:
        pick_format(OFFERED, "xml", " for this query")
    assert info.value.details == {"param": "format", "allowed": ["json", "csv"]}
    assert "for this query" in info.value.message
    with request(Accept="image/png"), pytest.raises(NotAcceptable) as info:
        pick_format(OFFERED, None)
    assert info.value.details["allowed"] == ["application/json", "text/csv"]


def test_language_from_parameter_then_accept_language_then_chinese():
    with request("lang=en", **{"Accept-Language": "zh"}):
        assert pick_lang() == "en"
    with request(**{"Accept-Language": "fr, en;q=0.8"}):
        assert pick_lang() == "en"
    with request(**{"Accept-Language": "fr"}):
        assert pick_lang() == "zh"
    with request("lang=fr"), pytest.raises(NotAvailable) as info:
        pick_lang()
    assert info.value.details == {"param": "lang", "allowed": ["zh", "en"]}
