"""Write docs/queries.md from the canned-query registry (queries/*.rq)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.catalog import CannedQuery, load_catalog  # noqa: E402


def markdown(catalog: dict[str, CannedQuery]) -> str:
    """One section per query: summaries, parameters, example questions and a curl line."""
    out = [
        "# Canned queries",
        "",
        "Generated from `queries/*.rq` by `.venv/bin/python docs/queries.py`; do not edit by hand.",
        "Every query is served at `GET /api/queries/<name>` (JSON, CSV, TSV or SPARQL JSON),",
        "documented in `/openapi.json`, and run from the shell with `newborn-kg run <name>`.",
        "",
        "| name | 中文 | English | parameters |",
        "|---|---|---|---|",
    ]
    for q in catalog.values():
        params = ", ".join(f"`{p.name}`" for p in q.params) or "—"
        out.append(
            f"| [`{q.name}`](#{q.name}) | {q.summary['zh']} | {q.summary['en']} | {params} |"
        )
    for q in catalog.values():
        args = "&".join(f"{p.name}={p.example}" for p in q.params)
        out += ["", f"## {q.name}", "", f"{q.description['en']}", "", f"{q.description['zh']}", ""]
        for p in q.params:
            classes = ", ".join(f"`{c}`" for c in p.classes) or p.type
            out.append(f"- `{p.name}` ({classes}): {p.description['en']}; example `{p.example}`")
        out.append("- asks: " + " · ".join(q.examples["zh"] + q.examples["en"]))
        out += ["", "```sh", f"curl -s 'http://127.0.0.1:8000/api/queries/{q.name}?{args}'", "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    (ROOT / "docs" / "queries.md").write_text(
        markdown(load_catalog(ROOT / "queries")), encoding="utf-8"
    )
