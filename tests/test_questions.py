"""Question answering: the evaluation set, the header examples, ordinals, typos, abstention."""

from collections import Counter

import pytest

from service.qa.cases import alternatives, load_cases
from service.qa.evaluation import evaluate
from service.qa.normalise import detect_lang

from .conftest import ROOT
from .iris import CARD

ID = "https://w3id.org/newborn-kg/id/"


def test_the_evaluation_set_is_large_balanced_and_covers_every_query(asker):
    cases = load_cases(ROOT / "tests" / "qa_eval.yaml")
    accepted = {c["q"]: alternatives(c) for c in cases}
    in_scope = [c for c in cases if accepted[c["q"]]]
    langs = Counter(detect_lang(c["q"]) for c in in_scope)
    assert len(in_scope) >= 150 and min(langs.values()) >= 70
    assert sum(accepted[c["q"]] is None for c in cases) >= 20
    per_query = Counter(accepted[c["q"]][0][0]["query"] for c in in_scope)
    assert set(per_query) == set(asker.canned.catalog), "every canned query is in the set"


def test_accuracy_is_at_least_98_percent_and_nothing_out_of_scope_is_answered(asker):
    report = evaluate(asker, load_cases(ROOT / "tests" / "qa_eval.yaml"))
    print("\n".join(report.lines()))
    assert report.answered_out_of_scope == []
    assert sum(report.correct.values()) >= 0.98 * sum(report.total.values())
    assert report.accuracy("zh") >= 0.95 and report.accuracy("en") >= 0.95


@pytest.mark.parametrize(
    "name, floor",
    [
        # All development sets since issue #12 (tuned on); the floors only catch regressions.
        # First untouched measurements and the figures after the changes: docs/decisions.md.
        ("qa_heldout.yaml", 0.90),
        ("qa_heldout2.yaml", 0.90),
        ("qa_heldout3.yaml", 0.90),
        ("qa_fresh.yaml", 0.85),
        ("qa_fresh2.yaml", 0.75),
        ("qa_fresh3.yaml", 0.75),
    ],
)
def test_development_sets_stay_above_their_floors_and_refuse_everything_out_of_scope(
    asker, name, floor
):
    report = evaluate(asker, load_cases(ROOT / "tests" / name))
    print("\n".join(report.lines()))
    assert report.accuracy("zh") >= floor and report.accuracy("en") >= floor
    assert report.answered_out_of_scope == []


def test_every_header_example_finds_its_own_query(asker):
    wrong = [
        (name, example, asker.understanding.understand(example).query)
        for name, query in asker.canned.catalog.items()
        for lang in ("zh", "en")
        for example in query.examples[lang]
        if asker.understanding.understand(example).query != name
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "question, position",
    [
        ("第三步要带什么", 3),
        ("第3步要带什么", 3),
        ("步骤三要带什么", 3),
        ("第 ３ 步要带什么", 3),
        ("what do i need for step three", 3),
        ("what do i need for the third step", 3),
        ("what do I need for step 3", 3),
        ("documents for step #2", 2),
        ("最后一步要带什么", 4),
        ("what do i need for the final step", 4),
        ("what do i bring for the bank step", 3),
    ],
)
def test_step_numerals_in_both_languages(asker, question, position):
    meaning = asker.understanding.understand(question)
    assert meaning.query == "step-documents" and meaning.params == {
        "step": f"{CARD}step/{position}"
    }


@pytest.mark.parametrize(
    "question, document",
    [
        ("where do i get the birth certifcate", "medical-birth-certificate"),
        ("where do i get the brith certificate", "medical-birth-certificate"),
        ("出生证名在哪里办", "medical-birth-certificate"),
        ("户口薄哪些步骤要用", "household-registration-book"),
        ("which steps need the hukou", "household-registration-book"),
    ],
)
def test_typos_and_synonyms(asker, question, document):
    meaning = asker.understanding.understand(question)
    assert meaning.understood and f"{ID}document/{document}" in meaning.params.values()


def test_a_step_that_does_not_exist_asks_to_clarify(asker):
    answer = asker.ask("第五步要带什么")
    assert answer["understood"] is False and len(answer["clarify"]) == 4
    assert answer["clarify"][0]["iri"] == f"{CARD}step/1"


def test_an_ambiguous_name_asks_to_clarify(asker):
    understanding = asker.understanding
    twin = ("孪生名称", frozenset({f"{CARD}step/1", f"{CARD}step/2"}))
    understanding.linker.add(*twin)
    try:
        meaning = understanding.understand("孪生名称要带什么材料")
    finally:
        understanding.linker.remove(twin[0])
    assert not meaning.understood and {iri for iri, _ in meaning.clarify} == {
        f"{CARD}step/1",
        f"{CARD}step/2",
    }


def test_answers_carry_query_params_sparql_sources_and_text_in_the_question_language(asker):
    zh = asker.ask("去邮政储蓄银行要带什么？")
    assert zh["understood"] and zh["lang"] == "zh" and zh["query"] == "office-documents"
    assert zh["params"] == {"office": f"{ID}region/410000/office/postal-savings-bank"}
    assert zh["text"].startswith("去中国邮政储蓄银行要带：") and "出生医学证明" in zh["text"]
    assert {a["iri"] for a in zh["answers"]} == {
        f"{ID}document/childs-household-registration",
        f"{ID}document/medical-birth-certificate",
    }
    assert "VALUES (?office ?lang)" in zh["sparql"]
    assert f"{ID}source/henan-newborn-medical-insurance-card/step-3" in {
        s["iri"] for s in zh["sources"]
    }
    assert zh["try"] == "/api/queries/office-documents?office=postal-savings-bank&lang=zh"
    en = asker.ask("which law backs the one-month deadline?")
    assert en["lang"] == "en" and "Article 7" in en["text"]
    assert f"{ID}law/household-registration-regulations/article/7" in {
        s["iri"] for s in en["sources"]
    }


def test_not_understood_offers_three_suggestions_in_the_question_language(asker):
    answer = asker.ask("how do i renew my passport")
    assert answer["understood"] is False and len(answer["suggestions"]) == 3
    assert all(s.isascii() for s in answer["suggestions"])
    assert all(not s.isascii() for s in asker.ask("护照怎么办")["suggestions"])


@pytest.mark.parametrize(
    "question, topic",
    [
        ("办医保卡需要几天？", "processing-time"),
        ("how long does the card take to arrive", "processing-time"),
        ("医保一年交多少钱", "fees"),
        ("派出所周末上班吗", "hours"),
        ("外地户口能在河南给孩子上医保吗", "elsewhere"),
        ("can i do this in another province", "elsewhere"),
        ("how do i get a birth certificate for an adult", "adults"),
        ("户口本丢了怎么办", "lost-or-changed"),
        ("新生儿可以办护照吗", "other-matters"),
        ("结婚证在哪里办", "not-issued"),
        ("how do i get a marriage certificate", "not-issued"),
        # how-to questions about the card that the source does not cover
        ("给老人办医保卡怎么办", "adults"),
        ("宝宝在美国出生的，回国怎么办医保卡", "elsewhere"),
        # a sure cue does not answer a situation told in the story
        ("我户口在广东，娃在河南生的，医保卡该在哪边办", "elsewhere"),
    ],
)
def test_out_of_scope_questions_get_an_honest_reply_not_an_answer(asker, question, topic):
    answer = asker.ask(question)
    assert answer["understood"] is False and answer["reason"] == f"out of scope: {topic}"
    zh = answer["lang"] == "zh"
    assert (
        ("来源" in answer["text"] or "本流程" in answer["text"])
        if zh
        else "source" in answer["text"] or "process" in answer["text"]
    )
    assert "query" not in answer


def test_a_document_the_process_issues_is_still_answered(asker):
    answer = asker.ask("出生证明在哪里开")
    assert answer["understood"] and answer["query"] == "document-source"


@pytest.mark.parametrize(
    "question",
    ["第三步要帶什麼", "總共要準備哪些材料", "戶口簿哪些步驟要用", "社會保險法第二十三條寫了什麼"],
)
def test_traditional_characters_are_understood(asker, question):
    assert asker.understanding.understand(question).understood


def test_a_two_part_question_is_answered_part_by_part(asker):
    answer = asker.ask("第三步要带什么？在哪办？")
    assert [p["query"] for p in answer["parts"]] == ["step-documents", "step-offices"]
    assert answer["query"] == "step-documents"  # the first part, as before
    assert all(p["params"] == {"step": f"{CARD}step/3"} for p in answer["parts"])
    assert answer["parts"][1]["text"] in answer["text"]


@pytest.mark.parametrize(
    "question, words",
    [
        ("第一步要带什么", ["循环"]),  # step 1's circular "birth certificate"
        ("what do i bring for step 1", ["circular", "specified time"]),
        ("在社保局激活要带什么", ["谁的身份证"]),  # whose ID card
        ("where will i need the photo", ["blue or red background", "needed in some places"]),
    ],
)
def test_caveats_recorded_on_the_things_in_the_answer_are_part_of_it(asker, question, words):
    answer = asker.ask(question)
    assert answer["understood"]
    for word in words:
        assert word in answer["text"]


def test_answers_have_no_doubled_articles_or_stops(asker):
    for query in asker.canned.catalog.values():
        for lang in ("zh", "en"):
            for example in query.examples[lang]:
                text = asker.ask(example).get("text", "")
                assert "the the " not in text.lower() and "。；" not in text and ".;" not in text
                assert "legal basis of Declare" not in text


def test_where_an_output_comes_from_and_the_rules_without_legal_basis(asker):
    account = asker.ask("where does the child's bank account come from")
    assert account["query"] == "document-source" and "Postal Savings Bank" in account["text"]
    rules = asker.ask("哪些规则没有法律依据")
    assert rules["query"] == "rules" and "来源未给出法律依据" in rules["text"]


@pytest.mark.parametrize(
    "question",
    [
        "what do i get at the police station and where do i use it next?",
        "第二步能拿到什么？这些在哪一步要用？",
    ],
)
def test_a_part_about_the_previous_answer_is_asked_about_each_thing_in_it(asker, question):
    answer = asker.ask(question)
    queries = [(p["query"], p["params"]) for p in answer["parts"]]
    assert queries[0] == ("step-outputs", {"step": f"{CARD}step/2"})
    assert ("document-steps", {"document": f"{ID}document/childs-household-registration"}) in (
        queries[1:]
    )
    assert answer["text"].count("open a certificate") == 1  # each note said once


@pytest.mark.parametrize(
    "question, article",
    [
        ("户口登记条例规定了什么", "household-registration-regulations/article/7"),
        (
            "what does the household registration regulation say",
            "household-registration-regulations/article/7",
        ),
        ("社保法里关于医保是怎么写的", "social-insurance-law/article/23"),
    ],
)
def test_what_a_law_says_reaches_its_article_without_naming_it(asker, question, article):
    meaning = asker.understanding.understand(question)
    assert meaning.query == "article-text" and meaning.params == {"article": f"{ID}law/{article}"}


def parts(asker, question):
    answer = asker.ask(question)
    assert answer["understood"], answer
    return [(p["query"], p["params"]) for p in answer.get("parts") or [answer]]


@pytest.mark.parametrize(
    "question, param, values",
    [
        ("第1步和第2步分别在哪办", "step", [f"{CARD}step/1", f"{CARD}step/2"]),
        (
            "结婚证跟户口本分别哪步要用",
            "document",
            [f"{ID}document/marriage-certificate", f"{ID}document/household-registration-book"],
        ),
    ],
)
def test_several_things_named_for_one_parameter_are_answered_one_part_each(
    asker, question, param, values
):
    assert [params[param] for _, params in parts(asker, question)] == values


def test_either_or_still_asks_which(asker):
    both = asker.understanding.understand("医院和派出所要带什么")
    assert [p.query for p in both.parts] == ["office-documents", "office-documents"]
    for question in ("去医院还是去派出所要带什么", "hospital or police station, what to bring"):
        meaning = asker.understanding.understand(question)
        assert not meaning.understood and meaning.reason == "ambiguous"


@pytest.mark.parametrize(
    "question, query, office",
    [
        (
            "what to bring to bank for baby account",
            "office-documents",
            "office/postal-savings-bank",
        ),
        (
            "postal saving bank what bring for newborn",
            "office-documents",
            "office/postal-savings-bank",
        ),
        # the bank where the card is activated, not step 3's: what that activation way needs
        ("去bank激活要带啥", "channel-details", "channel/associated-bank"),
        (
            "I go to social security bureau for open the card, what I must bring?",
            "channel-details",
            "channel/social-security-centre",
        ),
        (
            "I am at the hospital now for the certificate. What will the police station want?",
            "office-documents",
            "office/police-station",
        ),
    ],
)
def test_which_office_a_question_means(asker, question, query, office):
    answered = parts(asker, question)
    assert len(answered) == 1 and answered[0][0] == query
    assert list(answered[0][1].values())[0].endswith(office)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("社保所 在哪 带啥", ["step-offices", "office-documents"]),  # where: step 4's office
        ("第二步去哪办要带什么", ["step-offices", "step-documents"]),
        ("step 4 location and documents", ["step-offices", "step-documents"]),
        ("计生证明哪开？开完拿去干啥？", ["document-source", "document-steps"]),
        ("出生证明在哪开，开完下一步去哪", ["document-source", "next-step"]),
    ],
)
def test_parts_without_punctuation_and_what_follows_where_a_document_comes_from(
    asker, question, expected
):
    assert [query for query, _ in parts(asker, question)] == expected


def test_a_hop_asks_about_the_things_themselves(asker):
    answered = parts(asker, "what i get at postal bank and where i take it after")
    assert answered == [
        ("step-outputs", {"step": f"{CARD}step/3"}),
        ("document-steps", {"document": f"{ID}document/insurance-card"}),
    ]


def test_whether_the_process_gives_a_document_is_answered_where_to_get_it_is_not(asker):
    given = asker.ask("户口本是流程里办出来的还是要自己备着")
    assert given["understood"] and given["query"] == "document-source"
    assert "自己准备" in given["text"]
    assert (
        asker.ask("where do I get a marriage certificate")["reason"] == "out of scope: not-issued"
    )


def test_the_legal_basis_of_a_document_is_that_of_the_service_issuing_it(asker):
    answered = parts(asker, "出生医学证明是根据哪部法开的")
    assert answered[0] == (
        "legal-basis",
        {"subject": f"{ID}region/410000/v1/service/medical-birth-certificate"},
    )


@pytest.mark.parametrize("question", ["step3 output", "what i get at step3"])
def test_a_step_written_as_one_word_is_not_spelled_into_another(asker, question):
    assert parts(asker, question)[0] == ("step-outputs", {"step": f"{CARD}step/3"})


@pytest.mark.parametrize(
    "question",
    [
        "先上户口还是先办医保？",
        "小孩还没有身份证号可以先办医保吗",
        "register baby first or insurance first",
        "can i apply medical insurance before hukou registration",
    ],
)
def test_the_order_of_registering_and_enrolling_is_the_rule_without_legal_basis(asker, question):
    assert parts(asker, question) == [("rules", {})]


@pytest.mark.parametrize(
    "question, query",
    [
        # the classifier alone would refuse these; a cue that settles them keeps them in scope
        ("户口在老家人在郑州打工孩儿参保得回户口那儿办不", "insurance-office"),
        ("宝宝明天就满月了户口还没上 还来得及吗", "birth-registration"),
        ("我是孩子舅舅，他爸妈都在外地打工，我能帮忙去申报出生登记吗", "birth-registration"),
    ],
)
def test_a_sure_cue_keeps_a_question_in_scope(asker, question, query):
    assert parts(asker, question)[0][0] == query


@pytest.mark.parametrize(
    "question, expected",
    [
        # the part that names nothing asks about the step of the part before it
        (
            "where to apply newborn insurance card and what documents",
            [("insurance-office", {}), ("step-documents", {"step": f"{CARD}step/4"})],
        ),
        # "where next" after a part about a step: the step after it
        (
            "what i get at police station and where go next",
            [("step-outputs", {"step": f"{CARD}step/2"}), ("next-step", {"step": f"{CARD}step/2"})],
        ),
        # a part that only names something is what the next part asks about
        ("the second step, what do i recieve", [("step-outputs", {"step": f"{CARD}step/2"})]),
    ],
)
def test_a_part_that_names_nothing_asks_about_the_step_before_it(asker, question, expected):
    assert parts(asker, question)[: len(expected)] == expected


def test_a_chinese_compound_is_its_head(asker):
    # 宝宝出生证明: the certificate, not the birth
    answered = parts(asker, "宝宝出生证明是在哪开的")
    assert answered == [
        ("document-source", {"document": f"{ID}document/medical-birth-certificate"})
    ]


def test_the_legal_basis_of_activating_is_the_activation_service(asker):
    assert parts(asker, "激活医保卡有法律依据吗") == [
        (
            "legal-basis",
            {"subject": f"{ID}region/410000/v1/service/medical-insurance-card-activation"},
        )
    ]


def test_where_to_get_the_birth_permit_is_refused_what_it_is_is_answered(asker):
    refused = asker.ask("准生证去哪里办")
    assert refused["understood"] is False and refused["reason"] == "out of scope: not-issued"
    assert parts(asker, "第一步要的出生证明是不是就是准生证") == [("ambiguities", {})]


@pytest.mark.parametrize(
    "question, query",
    [
        # the issue's own examples: the question the whole service answers, and its documents
        ("新生儿医保卡怎么办？", "steps"),
        ("How do I get a medical insurance card for my baby?", "steps"),
        ("怎么给宝宝办医保卡", "steps"),
        ("办医保卡要带哪些材料？", "checklist"),
    ],
)
def test_the_basic_questions_are_answered_not_refused(asker, question, query):
    assert parts(asker, question)[0][0] == query


BANK_ACTIVATION = (
    f"{ID}region/410000/v1/service/medical-insurance-card-activation/channel/associated-bank"
)


@pytest.mark.parametrize(
    "question, expected",
    [
        # the two passwords are set at the bank
        ("激活要设两个密码？哪两个", ("channel-details", {"channel": BANK_ACTIVATION})),
        ("'Municipality on Household Registration' wrong name?", ("ambiguities", {})),
        ("医保卡activate是带大人的身份证还是小孩的", ("ambiguities", {})),
    ],
)
def test_passwords_and_recorded_doubts_in_everyday_words(asker, question, expected):
    assert parts(asker, question)[0] == expected


@pytest.mark.parametrize(
    "question, expected",
    [
        # an office where the card is activated, beside an activation way, is that way
        (
            "bank activation vs social security center activation difference",
            ["associated-bank", "social-security-centre"],
        ),
        ("银行激活和社保局激活有什么区别", ["associated-bank", "social-security-centre"]),
    ],
)
def test_two_activation_ways_compared_are_answered_each(asker, question, expected):
    answered = parts(asker, question)
    assert [q for q, _ in answered] == ["channel-details", "channel-details"]
    assert [p["channel"].rsplit("/", 1)[-1] for _, p in answered] == expected


def test_where_to_register_the_baby_is_the_police_step(asker):
    assert parts(asker, "where register baby hukou and what to bring") == [
        ("step-offices", {"step": f"{CARD}step/2"}),
        ("step-documents", {"step": f"{CARD}step/2"}),
    ]
