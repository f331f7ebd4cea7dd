"""The evaluation format: both case shapes, alternatives, parts and abstention."""

import pytest
import yaml

from service.qa.cases import alternatives, load_cases
from service.qa.evaluation import evaluate


def test_the_first_shape_is_one_right_answer_or_none():
    assert alternatives({"q": "x", "query": "steps"}) == [[{"query": "steps", "params": None}]]
    assert alternatives({"q": "x", "query": None}) is None


def test_the_second_shape_accepts_any_alternative_and_lists_of_parts():
    case = {
        "id": "a",
        "q": "x",
        "lang": "zh",
        "scope": "in",
        "expect": "…",
        "accept": [{"query": "rules"}, [{"query": "step-documents"}, {"query": "step-offices"}]],
    }
    assert alternatives(case) == [
        [{"query": "rules"}],
        [{"query": "step-documents"}, {"query": "step-offices"}],
    ]
    assert alternatives({"q": "x", "scope": "out"}) is None
    assert alternatives({"q": "x", "accept": [{"query": None}]}) is None


def test_load_cases_refuses_a_bad_set(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump([{"q": "x", "scope": "maybe"}]), encoding="utf-8")
    with pytest.raises(ValueError, match="scope"):
        load_cases(bad)
    bad.write_text(yaml.safe_dump({"q": "x"}), encoding="utf-8")
    with pytest.raises(ValueError):
        load_cases(bad)


def test_evaluate_counts_alternatives_parts_and_abstention(asker):
    cases = [
        {
            "q": "第三步要带什么",
            "accept": [{"query": "steps"}, {"query": "step-documents", "params": {"step": "3"}}],
        },
        {
            "q": "第三步要带什么？在哪办？",
            "accept": [
                [
                    {"query": "step-documents", "params": {"step": "3"}},
                    {"query": "step-offices", "params": {"step": "3"}},
                ]
            ],
        },
        {  # right in its second part: correct, but not in the first part
            "q": "第三步要带什么？在哪办？",
            "accept": [{"query": "step-offices", "params": {"step": "3"}}],
        },
        {"q": "what do i bring for step 3", "lang": "en", "accept": [{"query": "steps"}]},
        {"q": "办医保卡需要几天？", "scope": "out"},
        {"q": "how do i renew my passport", "query": None},
    ]
    report = evaluate(asker, cases)
    assert report.correct["zh"] == 3 and report.total["zh"] == 3
    assert report.first["zh"] == 2
    assert "zh: 3/3 = 100.0% (in the first part: 2 = 66.7%)" in report.lines()
    assert report.correct["en"] == 0 and report.total["en"] == 1
    assert report.out_of_scope == 2 and report.answered_out_of_scope == []
    assert "out of scope answered: 0 of 2" in report.lines()
    assert report.misses[0][0] == "what do i bring for step 3"
