"""Folding questions and names: script, width, colloquial words and numerals."""

import pytest

from service.qa.normalise import detect_lang, fold, fold_all, zh_number


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("總共要準備哪些材料", "总共要准备哪些材料"),
        ("出生證明在哪裡開", "出生证明在哪里开"),
        ("第３步要帶啥", "第3步要带什么"),
        ("Step  THREE ", "step three"),
        ("户口登记条例第七条", "户口登记条例第7条"),
        ("社会保险法第二十三条写了什么", "社会保险法第23条写了什么"),
        ("步骤四要准备哪些证件", "步骤4要准备哪些证件"),
        ("第十步", "第10步"),
        ("what does article seven say", "what does article 7 say"),
        ("the twenty-third article", "article 23"),
        ("娃的户口本在哪儿办", "孩子的户口本在哪里办"),
        ("一寸照片和一个月", "一寸照片和一个月"),  # not ordinals: left alone
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize("text, value", [("七", 7), ("十", 10), ("二十三", 23), ("一百零五", 105)])
def test_chinese_numbers(text, value):
    assert zh_number(text) == value


def test_folding_many_texts_at_once_is_folding_each():
    texts = ["戶口簿", "Step Three", "第二十三条", "啥时候", "plain"]
    assert fold_all(texts) == [fold(t) for t in texts]
    assert fold_all([]) == []


def test_language_is_the_script():
    assert detect_lang("第3步") == "zh" and detect_lang("step 3") == "en"
