"""Step 4 of the question path: fill a canned query's parameters from the entities named.

A parameter takes the named entities of its class. A parameter not named itself may be filled
by the one member of its class linked to a named entity (社保局 → the channel at 社保局),
except from the service's final output to anything but the service that produces it: "what do
I bring for the card" asks about the whole service, not about the step that produces the card
nor about the activation service that takes the card in. Of several members
linked to a thing, the service that produces it. A required parameter that cannot be filled
rules the query out.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..catalog import CannedQuery
from .link import Mention

DIRECT, SHARED, LINKED = 0.8, 0.4, 0.1


def fill(
    query: CannedQuery,
    mentions: list[Mention],
    classes: Mapping[str, set[str]],
    links: Mapping[str, set[str]],
    finals: frozenset[str] = frozenset(),
    producers: frozenset[str] = frozenset(),
    makers: Mapping[str, set[str]] | None = None,
) -> tuple[dict[str, list[str]], float] | None:
    """Candidate IRIs for each parameter and how directly they were named, or None."""
    filled: dict[str, list[str]] = {}
    directness = 0.0
    for param in query.params:
        wanted = set(param.classes)
        options: list[str] = []
        weight = DIRECT
        for m in mentions:
            fits = sorted(i for i in m.iris if classes.get(i, set()) & wanted)
            options += fits
            if fits and len(fits) < len(m.iris):
                weight = SHARED  # the name also means something of another kind
        options = list(dict.fromkeys(options))
        if options:
            filled[param.name], directness = options, directness + weight
            continue
        # the one member linked to a named thing; where several things are named, the ones that
        # point at exactly one member decide (社保法 → its one article, whatever 医保 links to)
        per_mention = [
            {
                n
                for i in m.iris
                for n in links.get(i, ())
                if classes.get(n, set()) & wanted and (i not in finals or n in producers)
            }
            for m in mentions
        ]
        # of several, the service that produces the thing named (the birth certificate's
        # legal basis is that of the service issuing it)
        per_mention = [
            (c & {s for i in m.iris for s in (makers or {}).get(i, ())}) or c
            for m, c in zip(mentions, per_mention, strict=True)
        ]
        linked = {next(iter(c)) for c in per_mention if len(c) == 1}
        if len(linked) == 1:
            filled[param.name], directness = [linked.pop()], directness + LINKED
        elif param.required:
            return None
    return filled, directness
