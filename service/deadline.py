"""The birth-registration deadline: a birth date plus the graph's duration, in calendar months."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .problems import NotInGraph, ParamError

if TYPE_CHECKING:
    from .canned import CannedQueries

DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
# Years, months and days only: a registration deadline counted in hours would be a new rule.
DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?", re.ASCII)


@dataclass(frozen=True)
class DeadlineRule:
    """The rule that sets the deadline, as the graph records it."""

    iri: str
    label: str
    duration: str
    starts: str
    article: str
    article_label: str


def parse_date(raw: str | None) -> date:
    """An ISO calendar date YYYY-MM-DD, or 400 saying what is wrong with it."""
    if raw is None:
        raise ParamError("birth", "required: the birth date as YYYY-MM-DD")
    match = DATE.fullmatch(raw)
    if not match:
        raise ParamError("birth", f"{raw!r} is not a date like 2024-01-31")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise ParamError("birth", f"{raw!r} is not a real date ({exc})") from exc


def add_duration(start: date, duration: str) -> date:
    """Add an ISO 8601 duration of years, months and days; a day the month lacks becomes its last
    day (31 January plus one month is 28 or 29 February), as calendar months are counted."""
    match = DURATION.fullmatch(duration)
    if not match or duration == "P":
        raise ValueError(f"unsupported duration {duration!r}")
    years, months, days = (int(part or 0) for part in match.groups())
    month_index = start.month - 1 + months + 12 * years
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if not 1 <= year <= 9999:
        raise OverflowError(f"{start.isoformat()!r} plus {duration} is past the year 9999")
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date.fromordinal(date(year, month, day).toordinal() + days)


def duration_words(duration: str, lang: str) -> str:
    """'P1M' as 1个月 or 1 month; '' for what add_duration cannot count either."""
    match = DURATION.fullmatch(duration)
    if not match or duration == "P":
        return ""
    units = ("年", "个月", "天") if lang == "zh" else ("year", "month", "day")
    parts = []
    for amount, unit in zip(match.groups(), units, strict=True):
        if amount:
            n = int(amount)
            parts.append(f"{n}{unit}" if lang == "zh" else f"{n} {unit}{'s' if n != 1 else ''}")
    return ("" if lang == "zh" else " ").join(parts)


def find_rule(canned: CannedQueries, lang: str) -> DeadlineRule | None:
    """The rule with a deadline, read through the birth-registration canned query."""
    answer = canned.answer("birth-registration", {}, lang)
    for row in answer.rows:
        deadline, rule, article = row.get("deadline"), row.get("rule"), row.get("article")
        if not (deadline and rule and article):
            continue
        duration = deadline["value"]
        if not DURATION.fullmatch(duration):
            continue  # e.g. Virtuoso 7.2 writes xsd:duration as a bare number
        starts = row.get("starts")
        return DeadlineRule(
            iri=rule["value"],
            label=rule["label"],
            duration=duration,
            starts=starts["label"] if starts else "",
            article=article["value"],
            article_label=article["label"],
        )
    return None


def compute(canned: CannedQueries, raw: str | None, lang: str) -> dict[str, Any]:
    """The deadline for a birth date, with the rule and the article it comes from."""
    birth = parse_date(raw)
    rule = find_rule(canned, lang)
    if rule is None:
        raise NotInGraph("the graph records no birth-registration deadline this service can read")
    try:
        deadline = add_duration(birth, rule.duration)
    except OverflowError as exc:
        raise ParamError("birth", str(exc)) from exc
    return {
        "birth": birth.isoformat(),
        "deadline": deadline.isoformat(),
        "lang": lang,
        "rule": {
            "iri": rule.iri,
            "label": rule.label,
            "duration": rule.duration,
            "starts": rule.starts,
        },
        "source": {"iri": rule.article, "label": rule.article_label},
    }
