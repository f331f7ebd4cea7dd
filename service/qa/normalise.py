"""Step 1 of the question path: fold a question (or a name) into one comparable form.

Traditional characters become simplified (zhconv's tables), full-width becomes half-width and
case is folded (NFKC + casefold), colloquial Chinese becomes standard (啥 → 什么), and numerals
in ordinals and article numbers become digits (第七条 → 第7条, 第二十三条 → 第23条,
the seventh article → article 7), so that names, keywords and questions compare alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import zhconv
from zhconv import zhconv as tables

CJK = re.compile(r"[\u3400-\u9fff]")
SEPARATOR = "\x00"
SPLIT = re.compile(" ?\x00 ?")
# Colloquial and regional forms, folded in questions, names, keywords and examples alike.
COLLOQUIAL = {
    "啥时候": "什么时候",
    "多会儿": "什么时候",
    "哪儿": "哪里",
    "哪旮旯": "哪里",
    "啥": "什么",
    "咋": "怎么",
    "甚么": "什么",
    "娃": "孩子",
    "俺": "我",
}
COLLOQUIAL_FORMS = re.compile("|".join(sorted(COLLOQUIAL, key=len, reverse=True)))
ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
ZH_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
ZH_NUMBER = "[零〇一二两三四五六七八九十百]+"
# Only where a number is certainly meant: after 第 or 步骤, before 条; 一寸 and 一个月 stay.
ZH_NUMERALS = re.compile(rf"(?<=第)({ZH_NUMBER})|(?<=步骤)({ZH_NUMBER})|({ZH_NUMBER})(?=条)")
EN_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "twenty-third": 23,
    "twenty third": 23,
}
EN_CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
EN_CARDINALS |= {"eight": 8, "nine": 9, "ten": 10, "twenty-three": 23, "twenty three": 23}
ARTICLE = r"(?:article|art\.?)"
EN_ARTICLE_WORD = re.compile(rf"\b{ARTICLE}\s+({'|'.join(EN_CARDINALS)})\b")
EN_ORDINAL_ARTICLE = re.compile(rf"\b(?:the\s+)?({'|'.join(EN_ORDINALS)})\s+{ARTICLE}")
EN_ART = re.compile(r"\b(?:art\.?|arts\.?)\s*(?=\d)")  # "art 7", "art.23" are articles


def zh_number(text: str) -> int:
    """The value of a Chinese numeral up to 999 (二十三 → 23, 十 → 10)."""
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + ZH_DIGITS[char] if current else ZH_DIGITS[char]
    return total + current


def numerals(text: str) -> str:
    """Digits for the numbers of ordinals and articles, in both languages."""
    if ("第" in text or "条" in text or "步骤" in text) and CJK.search(text):
        text = ZH_NUMERALS.sub(lambda m: str(zh_number(m.group(0))), text)
    if "art" in text:
        text = EN_ARTICLE_WORD.sub(lambda m: f"article {EN_CARDINALS[m.group(1)]}", text)
        text = EN_ORDINAL_ARTICLE.sub(lambda m: f"article {EN_ORDINALS[m.group(1)]}", text)
        text = EN_ART.sub("article ", text)
    return text


@functools.cache
def traditional() -> frozenset[str]:
    """Characters only traditional script uses (zhconv's table, read on first use)."""
    tables.loaddict()
    return frozenset(tables.zhcdicts["TRADONLY"])


def fold(text: str) -> str:
    """Simplified characters, half width, folded case and spacing, standard words, digits."""
    return numerals(_words(text))


def _words(text: str) -> str:
    """`fold` but for the numerals."""
    if CJK.search(text):
        if not traditional().isdisjoint(text):
            text = zhconv.convert(text, "zh-cn")
        text = COLLOQUIAL_FORMS.sub(lambda m: COLLOQUIAL[m.group(0)], text)
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def fold_all(texts: list[str]) -> list[str]:
    """`fold` of many short texts at once: one pass over their joined text, not one per text
    (but for the numerals, which only a few texts have and which must not match across two)."""
    folded = SPLIT.split(_words(SEPARATOR.join(texts)).strip()) if texts else []
    if len(folded) != len(texts):  # a text held the separator: fold one by one
        return [fold(t) for t in texts]
    return [numerals(t) for t in folded]


def detect_lang(question: str) -> str:
    """Chinese when the question has any Chinese character, else English."""
    return "zh" if CJK.search(question) else "en"
