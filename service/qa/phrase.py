"""Render an answer's natural text from the `answer` templates of its .rq header.

Templates: `{name}` is a parameter's label or, in `text`, the distinct labels of a column;
`{#name}` counts a column's distinct values; `{rows}` is the rows rendered with `row`
(grouped by `group` when given); `[ … ]` is kept only when every placeholder in it has a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

PLACEHOLDER = re.compile(r"\{(#?)([a-z_]+)\}")
OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
JOIN = {"zh": ("、", "；"), "en": (", ", "; ")}
# Slips that filling templates with labels can make: a label's own full stop before the
# template's punctuation, or an article before a label that has one.
SLIPS = [
    (re.compile(r"。(?=[；，。）])"), ""),
    (re.compile(r"\.(?=[;,.)])"), ""),
    (re.compile(r"\b([Tt])he the\b"), r"\1he"),
    (re.compile(r"\bsteps (\d+)(?=\))"), r"step \1"),
]


def tidy(text: str) -> str:
    """Remove doubled punctuation and doubled articles."""
    for pattern, replacement in SLIPS:
        text = pattern.sub(replacement, text)
    return text


Row = Mapping[str, Mapping[str, str] | None]


def fill(template: str, value: Callable[[str, bool], str]) -> str:
    """Fill placeholders; drop optional segments with an empty placeholder."""

    def segment(match: re.Match[str]) -> str:
        inner = match.group(1)
        names = PLACEHOLDER.findall(inner)
        if any(not value(name, bool(count)) for count, name in names):
            return ""
        return PLACEHOLDER.sub(lambda m: value(m.group(2), bool(m.group(1))), inner)

    return PLACEHOLDER.sub(
        lambda m: value(m.group(2), bool(m.group(1))), OPTIONAL.sub(segment, template)
    )


def distinct(rows: Sequence[Row], column: str) -> list[str]:
    """The column's labels in row order, each once."""
    seen: dict[str, None] = {}
    for row in rows:
        cell = row.get(column)
        if cell:
            seen.setdefault(cell["label"], None)
    return list(seen)


def phrase(
    template: Mapping[str, str], rows: Sequence[Row], params: Mapping[str, str], lang: str
) -> str:
    """The answer text for rows (or the `empty` template when there are none)."""
    values_join, rows_join = JOIN[lang]
    if not rows and "empty" in template:
        return tidy(fill(template["empty"], lambda name, count: params.get(name, "")))

    def in_group(group: Sequence[Row]) -> Callable[[str, bool], str]:
        return lambda name, count: (
            str(len(distinct(group, name))) if count else joined(distinct(group, name))
        )

    def joined(values: list[str]) -> str:
        # labels with commas in them ("Social Insurance Law, Article 23") are listed with "; "
        return (rows_join if any("," in v for v in values) else values_join).join(values)

    rendered: dict[str, None] = {}
    if "row" in template:
        key = template.get("group")
        groups: dict[str, list[Row]] = {}
        for i, row in enumerate(rows):
            cell = row.get(key) if key else None
            groups.setdefault(cell["value"] if cell else str(i), []).append(row)
        for group in groups.values():
            rendered.setdefault(fill(template["row"], in_group(group)), None)
    whole = in_group(rows)

    def text_value(name: str, count: bool) -> str:
        if name == "rows":
            return rows_join.join(r for r in rendered if r)
        if name in params and not count:
            return params[name]
        return whole(name, count)

    return tidy(fill(template["text"], text_value))
