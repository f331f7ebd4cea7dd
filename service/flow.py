"""The process as an SVG: stages on the left, documents on the right, arrows for who makes what
and who needs it. Pure: a guide in, SVG text out (same guide, same bytes)."""

from __future__ import annotations

import unicodedata
from typing import Any
from xml.sax.saxutils import escape

WIDTH, BOX_W, DOC_X, DOC_W = 400, 176, 236, 160
PAD, LINE, GAP = 8, 15, 18
STYLE = (
    ".flow text{font-family:system-ui,'Noto Sans CJK SC','PingFang SC','WenQuanYi Micro Hei',"
    "sans-serif;fill:#1b1f24}"
    ".flow .st{font-size:14px;font-weight:700}.flow .pl,.flow .dl{font-size:12px}"
    ".flow .stage{fill:#ddf4ff;stroke:#0969da}.flow .home{fill:#f6f8fa;stroke:#57606a}"
    ".flow .doc{fill:#fff8c5;stroke:#9a6700}"
    ".flow .made,.flow .needs{fill:none;stroke-width:1.5}.flow .made{stroke:#1a7f37}"
    ".flow .needs{stroke:#0550ae;stroke-dasharray:5 3}"
)
TEXT = {
    "zh": {
        "home": "家长自备",
        "step": "第{n}步",
        "activate": "激活医保卡",
        "title": "办理流程图",
        "made": "{stage}产生{doc}",
        "needs": "{stage}需要{doc}",
    },
    "en": {
        "home": "Bring from home",
        "step": "Step {n}",
        "activate": "Activate the card",
        "title": "The process as a diagram",
        "made": "{stage} produces the {doc}",
        "needs": "{stage} needs the {doc}",
    },
}


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines that fit `width` at font `size` (wide characters count 1 em)."""
    lines, line, used = [], "", 0.0
    tokens = [t for t in _tokens(text)]
    for token in tokens:
        w = sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.56 for c in token)
        if line and used + w > width:
            lines.append(line.rstrip())
            line, used = token.lstrip(), w
        else:
            line, used = line + token, used + w
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Words for Latin text (with their space), single characters for CJK."""
    out: list[str] = []
    for char in text:
        wide = unicodedata.east_asian_width(char) in "WF"
        if wide or not out or char == " " or unicodedata.east_asian_width(out[-1][-1]) in "WF":
            out.append(char)
        else:
            out[-1] += char
    return out


def _text(x: float, y: float, lines: list[str], cls: str) -> str:
    spans = "".join(
        f'<tspan x="{x:g}" y="{y + i * LINE:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="{cls}">{spans}</text>'


def stages(guide: dict[str, Any]) -> list[dict[str, Any]]:
    """Home, the steps, activation: each with its title lines and the places it names."""
    words = TEXT[guide["lang"]]
    out = [{"key": 0, "title": words["home"], "places": []}]
    for step in guide["steps"]:
        places = [o["label"] for o in step["offices"]]
        out.append(
            {
                "key": step["position"],
                "title": words["step"].format(n=step["position"]),
                "places": places,
            }
        )
    if guide["channels"]:
        places = [c["office"]["label"] for c in guide["channels"]]
        out.append({"key": len(out), "title": words["activate"], "places": places})
    return out


def flows(guide: dict[str, Any]) -> list[dict[str, Any]]:
    """Each document once: the stage that makes it (0: parents bring it), the stages using it."""
    docs: dict[str, dict[str, Any]] = {}
    for step in guide["steps"]:
        for req in step["documents"]:
            doc = docs.setdefault(
                req["document"]["iri"], {"label": req["document"]["label"], "from": 0, "to": []}
            )
            if step["position"] not in doc["to"]:
                doc["to"].append(step["position"])
        for out in step["outputs"]:
            if out.get("iri"):
                docs.setdefault(out["iri"], {"label": out["label"], "from": 0, "to": []})
                docs[out["iri"]]["from"] = step["position"]
    activation = len(guide["steps"]) + 1
    for channel in guide["channels"]:
        for doc in channel["documents"]:
            entry = docs.setdefault(doc["iri"], {"label": doc["label"], "from": 0, "to": []})
            if activation not in entry["to"]:
                entry["to"].append(activation)
    used = [d for d in docs.values() if d["to"]]
    return sorted(used, key=lambda d: (d["from"], min(d["to"]), d["label"]))


def render_flow(guide: dict[str, Any]) -> str:
    """The SVG diagram, with a title and a description that says the same in words."""
    words, all_stages, docs = TEXT[guide["lang"]], stages(guide), flows(guide)
    box: dict[int, tuple[float, float]] = {}
    doc_at: list[tuple[float, float]] = []
    parts: list[str] = []
    y = 4.0
    for stage in all_stages:
        title = wrap(stage["title"], BOX_W - 2 * PAD, 14)
        places = [line for p in stage["places"] for line in wrap(p, BOX_W - 2 * PAD, 12)]
        height = PAD * 2 + LINE * (len(title) + len(places)) + 2
        mine = [d for d in docs if d["from"] == stage["key"]]
        doc_y = y
        for doc in mine:
            lines = wrap(doc["label"], DOC_W - 2 * PAD, 12)
            h = PAD * 2 + LINE * len(lines)
            parts.append(
                f'<rect class="doc" x="{DOC_X}" y="{doc_y:g}" width="{DOC_W}" '
                f'height="{h:g}" rx="12"/>'
            )
            parts.append(_text(DOC_X + PAD, doc_y + PAD + 11, lines, "dl"))
            doc_at.append((doc_y, h))
            doc_y += h + 6
        box[stage["key"]] = (y, height)
        parts.append(
            f'<rect class="{"home" if stage["key"] == 0 else "stage"}" x="2" y="{y:g}" '
            f'width="{BOX_W}" height="{height:g}" rx="6"/>'
        )
        parts.append(_text(2 + PAD, y + PAD + 12, title, "st"))
        parts.append(_text(2 + PAD, y + PAD + 12 + LINE * len(title), places, "pl"))
        y = max(y + height, doc_y) + GAP
    edges = [(i, doc["from"], "made") for i, doc in enumerate(docs) if doc["from"]]
    edges += [(i, target, "needs") for i, doc in enumerate(docs) for target in doc["to"]]
    arrows = [_edge(edges, box, doc_at, edge) for edge in edges]
    desc = _describe(words, all_stages, docs)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y:g}" role="img" '
        f'aria-labelledby="flow-title flow-desc" class="flow">'
        f'<title id="flow-title">{escape(words["title"])}</title>'
        f'<desc id="flow-desc">{escape(desc)}</desc>'
        f"<style>{STYLE}</style>"
        f"<defs>{_marker('made', '#1a7f37')}{_marker('needs', '#0550ae')}</defs>"
        + "".join(arrows)
        + "".join(parts)
        + "</svg>"
    )


def _edge(
    edges: list[tuple[int, int, str]],
    box: dict[int, tuple[float, float]],
    doc_at: list[tuple[float, float]],
    edge: tuple[int, int, str],
) -> str:
    """One arrow; the ends meeting one box are spread along its edge, in the documents' order."""
    doc, stage, cls = edge
    at_box = [e for e in edges if e[1] == stage]
    at_doc = [e for e in edges if e[0] == doc]
    sy, sh = box[stage]
    dy, dh = doc_at[doc]
    by = sy + sh * (at_box.index(edge) + 1) / (len(at_box) + 1)
    ey = dy + dh * (at_doc.index(edge) + 1) / (len(at_doc) + 1)
    if cls == "made":
        return _curve(BOX_W + 2, by, DOC_X, ey, cls)
    return _curve(DOC_X, ey, BOX_W + 2, by, cls)


def _curve(x1: float, y1: float, x2: float, y2: float, cls: str) -> str:
    mid = (x1 + x2) / 2
    return (
        f'<path class="{cls}" d="M{x1:g},{y1:g} C{mid:g},{y1:g} {mid:g},{y2:g} {x2:g},{y2:g}" '
        f'marker-end="url(#arrow-{cls})"/>'
    )


def _marker(cls: str, colour: str) -> str:
    return (
        f'<marker id="arrow-{cls}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="{colour}"/></marker>'
    )


def _describe(
    words: dict[str, str], all_stages: list[dict[str, Any]], docs: list[dict[str, Any]]
) -> str:
    name = {s["key"]: s["title"] for s in all_stages}
    sentences = []
    for doc in docs:
        if doc["from"]:
            sentences.append(words["made"].format(stage=name[doc["from"]], doc=doc["label"]))
        sentences.extend(words["needs"].format(stage=name[t], doc=doc["label"]) for t in doc["to"])
    return ("；" if words is TEXT["zh"] else "; ").join(sentences)
