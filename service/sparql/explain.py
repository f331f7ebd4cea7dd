"""Turn a query engine's error message and the query text into a readable explanation.

Oxigraph reports `error at LINE:COLUMN: expected one of …` followed by the character classes of
its grammar, which says little to an analyst. The explanation keeps the position, names the
token there, lists only the expected keywords and punctuation, and adds a hint for the commonest
mistakes: an undeclared prefix (with the PREFIX line to add when the graph uses it), a misspelt
keyword, an unclosed brace or string.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..namespaces import PREFIXES
from .guards import TOKEN

POSITION = re.compile(r"error at (\d+):(\d+):\s*")
# Virtuoso (STORE=sparql): "... SP030: SPARQL compiler, line 2: syntax error at 'LIMT' before '5'"
VIRTUOSO = re.compile(
    r"SPARQL compiler, line (\d+): (.*?)(?: at '(.*?)'(?: before '.*')?)?\s*$", re.S
)
EXPECTED = re.compile(r"expected (?:one of )?(.*)", re.DOTALL)
# the engine folds a few semantic errors into its list of expectations
SEMANTIC = {
    "Prefix not found": "a prefix is not declared",
    "The SELECT contains a variable that is unbound": "a variable is both projected and unbound",
    "SELECT * is not authorized with GROUP BY": "SELECT * cannot be used with GROUP BY",
}
KEYWORDS = """SELECT ASK CONSTRUCT DESCRIBE WHERE PREFIX BASE FROM NAMED GRAPH OPTIONAL UNION MINUS
FILTER BIND VALUES LIMIT OFFSET ORDER BY GROUP HAVING DISTINCT REDUCED AS ASC DESC EXISTS NOT IN
UNDEF COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI
URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS
STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5
SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL
ISNUMERIC REGEX SUBSTR REPLACE TRUE FALSE A LATERAL""".split()
MAX_EXPECTED = 8


@dataclass(frozen=True)
class Explanation:
    """Where the query went wrong, what stands there, and what to do about it."""

    message: str
    line: int | None = None
    column: int | None = None
    token: str | None = None
    expected: tuple[str, ...] = ()
    hint: str | None = None

    def details(self) -> dict[str, Any]:
        """The fields that add to the message, for the error body."""
        fields = {
            "line": self.line,
            "column": self.column,
            "token": self.token,
            "expected": list(self.expected) or None,
            "hint": self.hint,
        }
        return {key: value for key, value in fields.items() if value is not None}


def explain(engine_message: str, query: str, prefixes: Mapping[str, str] = PREFIXES) -> Explanation:
    """Explain why the engine refused `query`, from its message and the text itself."""
    virtuoso = VIRTUOSO.search(engine_message)
    if virtuoso:  # no column; the endpoint's address stays out of the message
        number, reason, word = int(virtuoso.group(1)), virtuoso.group(2), virtuoso.group(3)
        where = f"line {number}" + (f", at `{word}`" if word else "")
        message = f"the query does not parse: {where}: {reason}"
        return Explanation(message, number, None, word, (), _hint(query, prefixes))
    position = POSITION.match(engine_message)
    rest = engine_message[position.end() :] if position else engine_message
    line = int(position.group(1)) if position else None
    column = int(position.group(2)) if position else None
    token, inside = token_at(query, line, column) if line and column else (None, False)
    expected, problems = _expectations(rest)
    hint = _hint(query, prefixes)
    if problems:
        summary = problems[0]
    elif expected:
        summary = "expected " + ", ".join(expected)
    elif token and position:
        summary = f"`{token}` is not expected here"
    else:
        summary = " ".join(rest.split())[:200] or "the engine gave no reason"
    where = f"line {line}, column {column}" if line else ""
    if token:
        where += f", {'at' if inside else 'after'} `{token}`"
    message = f"the query does not parse: {where}: {summary}" if where else summary
    return Explanation(message, line, column, token, expected, hint)


def _hint(query: str, prefixes: Mapping[str, str]) -> str | None:
    return (
        undeclared_prefix_hint(query, prefixes)
        or misspelt_keyword_hint(query)
        or unclosed_hint(query)
    )


def _expectations(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Readable expected tokens (keywords, punctuation) and the semantic errors in the list."""
    found = EXPECTED.match(text)
    if not found:
        return (), []
    problems = [reason for marker, reason in SEMANTIC.items() if marker in found.group(1)]
    items = []
    for item in re.split(r",\s*(?![^\[]*\])", found.group(1)):
        item = item.strip()
        if item.startswith('"') and item.endswith('"') and len(item) > 2:
            items.append(item[1:-1].replace('\\"', '"').replace("\\\\", "\\"))
        elif re.fullmatch(r"[A-Za-z_]+", item) and item.isupper():
            items.append(item)
    if len(items) > MAX_EXPECTED:
        items = [*items[:MAX_EXPECTED], f"… ({len(items) - MAX_EXPECTED} more)"]
    return tuple(items), problems


def _tokens(query: str) -> list[tuple[str, str, int, int]]:
    return [
        (m.lastgroup or "other", m.group(), m.start(), m.end())
        for m in TOKEN.finditer(query)
        if m.lastgroup not in ("comment", "space")
    ]


def token_at(query: str, line: int, column: int) -> tuple[str | None, bool]:
    """The token at a 1-based line and column (in characters), else the one just before it;
    and whether the position is inside the token."""
    lines = query.splitlines(keepends=True)
    if line > len(lines):
        offset = len(query)
    else:
        offset = sum(len(text) for text in lines[: line - 1]) + column - 1
    before = None
    for _, text, start, end in _tokens(query):
        if start <= offset < end:
            return text[:60], True
        if end <= offset:
            before = text[:60]
    return before, False


def declared_prefixes(query: str) -> set[str]:
    """The prefixes the query declares with PREFIX."""
    items = _tokens(query)
    return {
        nxt[1].rstrip(":")
        for item, nxt in zip(items, items[1:], strict=False)
        if item[0] == "word" and item[1].upper() == "PREFIX" and nxt[1].endswith(":")
    }


def undeclared_prefix_hint(query: str, prefixes: Mapping[str, str]) -> str | None:
    """`add PREFIX rdfs: <…>` for the first prefix used but not declared."""
    declared = declared_prefixes(query)
    for kind, text, _, _ in _tokens(query):
        prefix, colon, _ = text.partition(":")
        if kind != "word" or not colon or prefix in declared or prefix == "_":
            continue
        if prefix in prefixes:
            return f"add `PREFIX {prefix}: <{prefixes[prefix]}>` before the query"
        return (
            f"the prefix `{prefix}:` is not declared: add `PREFIX {prefix}: <…>` before the query"
        )
    return None


def misspelt_keyword_hint(query: str) -> str | None:
    """`did you mean LIMIT?` for a bare word that is close to a keyword."""
    for kind, text, _, _ in _tokens(query):
        if kind != "word" or ":" in text or text.upper() in KEYWORDS:
            continue
        close = difflib.get_close_matches(text.upper(), KEYWORDS, n=1, cutoff=0.75)
        if close:
            return f"`{text}` is not a SPARQL keyword: did you mean `{close[0]}`?"
    return None


def unclosed_hint(query: str) -> str | None:
    """How many braces or brackets are left open, or an unclosed string."""
    items = _tokens(query)
    for opening, closing in (("{", "}"), ("(", ")"), ("[", "]")):
        balance = sum(t == opening for _, t, _, _ in items) - sum(
            t == closing for _, t, _, _ in items
        )
        if balance > 0:
            return f"{balance} `{opening}` not closed: add `{closing}`"
        if balance < 0:
            return f"{-balance} `{closing}` too many, or an `{opening}` missing"
    if any(kind == "other" and text in "\"'" for kind, text, _, _ in items):
        return "a string is not closed: add the closing quote"
    return None
