"""Lexical checks on SPARQL text before any engine sees it.

The query is read as the SPARQL grammar's tokens (comments, strings and IRIs are opaque), after
decoding the \\u and \\U codepoint escapes the way the spec allows, so that an escape cannot
smuggle a keyword past the check. Refused: updates (the endpoint is read-only), SERVICE to an
endpoint not on the allow-list, nesting deeper than MAX_DEPTH (deep nesting crashes parsers),
and, for a remote store, any dataset IRI it was not configured with.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

MAX_DEPTH = 64
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}
ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
TOKEN = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
       |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$]\w+)
    |(?P<word>[A-Za-z_][\w\-.]*(?::[^\s{}()<>,;'"\[\]]*)?|:[^\s{}()<>,;'"\[\]]*)
    |(?P<open>[{(\[])|(?P<close>[})\]])
    |(?P<space>\s+)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


class GuardError(Exception):
    """The query is refused before it runs; status says which 4xx."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Checked:
    """What the checks learnt about an accepted query."""

    form: str
    services: tuple[str, ...]
    datasets: tuple[str, ...]


def decode_escapes(text: str) -> str:
    """Replace \\uXXXX and \\UXXXXXXXX escapes by the characters they stand for."""

    def character(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code == 0:
            raise GuardError(400, f"invalid codepoint escape {match.group(0)}")
        return chr(code)

    return ESCAPE.sub(character, text)


def tokens(text: str) -> list[tuple[str, str]]:
    """The query's tokens as (kind, text), comments and spaces left out."""
    return [
        (m.lastgroup or "other", m.group())
        for m in TOKEN.finditer(text)
        if m.lastgroup not in ("comment", "space")
    ]


def check(
    query: str,
    allowed_services: Collection[str] = (),
    allowed_datasets: Collection[str] | None = None,
) -> Checked:
    """Refuse what must never run; return the query form and the IRIs it would reach."""
    items = tokens(decode_escapes(query))
    depth = deepest = 0
    for kind, _ in items:
        depth += kind == "open"
        depth -= kind == "close"
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise GuardError(400, f"the query nests {deepest} levels deep; at most {MAX_DEPTH}")
    words = [(i, text.upper()) for i, (kind, text) in enumerate(items) if kind == "word"]
    form = _form(items)
    services, datasets = [], []
    for i, word in words:
        following = items[i + 1] if i + 1 < len(items) else ("", "")
        if word == "SERVICE":
            after = (
                items[i + 2]
                if following[1].upper() == "SILENT" and i + 2 < len(items)
                else following
            )
            if after[0] != "iri":
                raise GuardError(400, "SERVICE needs a fixed endpoint IRI; variables are refused")
            services.append(after[1][1:-1])
        elif word in ("FROM", "NAMED") and following[0] == "iri":
            datasets.append(following[1][1:-1])
    refused = [s for s in services if s not in allowed_services]
    if refused:
        raise GuardError(
            403,
            f"SERVICE is refused: this endpoint makes no outbound calls "
            f"({', '.join(refused)} is not on the allow-list)",
        )
    if allowed_datasets is not None:
        foreign = [d for d in datasets if d not in allowed_datasets]
        if foreign:
            raise GuardError(403, f"FROM / FROM NAMED may only name {sorted(allowed_datasets)}")
    return Checked(form, tuple(services), tuple(datasets))


def _form(items: list[tuple[str, str]]) -> str:
    """The query form: the first keyword after the BASE/PREFIX prologue."""
    i = 0
    while i < len(items) and items[i][0] == "word" and items[i][1].upper() in ("BASE", "PREFIX"):
        i += 3 if items[i][1].upper() == "PREFIX" else 2
    word = items[i][1].upper() if i < len(items) and items[i][0] == "word" else ""
    if word in UPDATE_WORDS:
        raise GuardError(403, "this endpoint is read-only: updates are refused")
    if word not in QUERY_FORMS:
        raise GuardError(
            400,
            "a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE "
            "(after any BASE and PREFIX declarations)",
        )
    return word
