"""Lexical checks on SPARQL text before any engine sees it.

The query is read as the SPARQL grammar's tokens (comments, strings and IRIs are opaque) in the
two ways an engine may read it: as written (Oxigraph decodes \\u and \\U escapes only inside
strings and IRIs) and after decoding every escape first (as the SPARQL spec says). Both readings
must pass, so an escape cannot turn a string into code or code into a string for one reader and
not the other; escapes outside strings and IRIs are refused outright. Refused: updates (the
endpoint is read-only), SERVICE (the endpoint makes no outbound call), nesting deeper than
MAX_DEPTH (deep nesting crashes parsers), and, for a remote store, any dataset IRI it was not
configured with.
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
    |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    |(?P<var>[?$]\w+)
    |(?P<word>[A-Za-z_][\w\-.]*(?::[^\s{}()<>,;'"\[\]]*)?|:[^\s{}()<>,;'"\[\]]*)
    |(?P<open>[{(\[])|(?P<close>[})\]])
    |(?P<space>\s+)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
OPAQUE = ("string", "iri")


class GuardError(Exception):
    """The query is refused before it runs; status says which 4xx."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Checked:
    """What the checks learnt about an accepted query."""

    form: str
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


def check(query: str, allowed_datasets: Collection[str] | None = None) -> Checked:
    """Refuse what must never run, in either reading; return the form and dataset IRIs."""
    code = "".join(" " if m.lastgroup in OPAQUE else m.group() for m in TOKEN.finditer(query))
    stray = ESCAPE.search(code)
    if stray is not None:
        raise GuardError(
            400,
            f"codepoint escapes such as {stray.group()} are accepted only inside strings and "
            "IRIs: write the character itself",
        )
    as_written = tokens(query)
    readings = [_check_reading(as_written), _check_reading(tokens(decode_escapes(query)))]
    forms = {form for form, _ in readings}
    if len(forms) > 1:
        raise GuardError(400, "the query reads differently once its escapes are decoded")
    datasets = tuple(dict.fromkeys(d for _, found in readings for d in found))
    if allowed_datasets is not None:
        foreign = [d for d in datasets if d not in allowed_datasets]
        if foreign:
            raise GuardError(403, f"FROM / FROM NAMED may only name {sorted(allowed_datasets)}")
    return Checked(forms.pop(), datasets)


def _check_reading(items: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """Depth, SERVICE and the form in one reading; the FROM / FROM NAMED IRIs it names."""
    depth = deepest = 0
    for kind, _ in items:
        depth += kind == "open"
        depth -= kind == "close"
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise GuardError(400, f"the query nests {deepest} levels deep; at most {MAX_DEPTH}")
    form = _form(items)
    datasets = []
    for i, (kind, text) in enumerate(items):
        word = text.upper() if kind == "word" else ""
        following = items[i + 1] if i + 1 < len(items) else ("", "")
        if word == "SERVICE":
            raise GuardError(
                403, "SERVICE is refused: this endpoint makes no outbound calls (federation)"
            )
        if word in ("FROM", "NAMED") and following[0] == "iri":
            datasets.append(decode_escapes(following[1][1:-1]))
    return form, datasets


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
