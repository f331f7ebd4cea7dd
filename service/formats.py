"""Render normalised results as SPARQL JSON, CSV/TSV, a text table or an RDF serialisation."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef

from .store import Result, Term

if TYPE_CHECKING:
    from .canned import Answer

ANSWER_FORMATS = {
    "json": "application/json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "sparql-json": "application/sparql-results+json",
}


def term_json(term: Term) -> dict[str, str]:
    """Encode one term as in application/sparql-results+json."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def sparql_json(result: Result) -> dict[str, Any]:
    """Encode a SELECT or ASK result as application/sparql-results+json."""
    if result.kind == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    return {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [{k: term_json(v) for k, v in row.items()} for row in result.rows]},
    }


def delimited(result: Result, delimiter: str = ",") -> str:
    """Encode a SELECT result as CSV (plain values) or TSV (terms in N-Triples syntax)."""
    out = io.StringIO()
    if delimiter == "\t":
        out.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for row in result.rows:
            out.write("\t".join(row[v].n3() if v in row else "" for v in result.variables) + "\n")
        return out.getvalue()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([str(row.get(v, "")) for v in result.variables])
    return out.getvalue()


def table(result: Result) -> str:
    """Render a result as a plain text table for the terminal."""
    if result.kind == "ASK":
        return "true" if result.boolean else "false"
    if result.kind == "CONSTRUCT":
        return render_result(result, "turtle").decode("utf-8")
    header = list(result.variables)
    return text_table(header, [[str(row.get(v, "")) for v in header] for row in result.rows])


def text_table(header: list[str], cells: list[list[str]]) -> str:
    """Align columns for the terminal, counting wide (CJK) characters as two."""
    widths = [max(_width(c[i]) for c in [header, *cells]) for i in range(len(header))]
    lines = [_line(header, widths), "  ".join("-" * w for w in widths)]
    lines += [_line(row, widths) for row in cells]
    lines.append(f"({len(cells)} rows)")
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()


def render(result: Result, fmt: str) -> str:
    """Render for the command line: table, json, csv, or turtle for graphs."""
    if result.kind == "CONSTRUCT":
        return render_result(result, "jsonld" if fmt == "json" else "turtle").decode("utf-8")
    if fmt == "turtle":
        raise ValueError("turtle renders CONSTRUCT and DESCRIBE results; use table, json or csv")
    if fmt == "csv":
        return delimited(result)
    if fmt == "json":
        return json.dumps(sparql_json(result), ensure_ascii=False, indent=2)
    return table(result)


def render_answer(answer: Answer, fmt: str, offset: int, limit: int) -> str:
    """Render one page of an answer in the requested format."""
    rows = answer.rows[offset : offset + limit]
    if fmt == "sparql-json":
        page = replace(answer.result, rows=answer.result.rows[offset : offset + limit])
        return json.dumps(sparql_json(page), ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
        writer.writerow([h for c in answer.columns for h in (c, f"{c}_label")])
        for row in rows:
            writer.writerow([v for c in answer.columns for v in _pair(row[c])])
        return out.getvalue()
    body: dict[str, Any] = {
        "query": answer.query,
        "params": dict(answer.params),
        "lang": answer.lang,
        "columns": list(answer.columns),
        "rows": list(rows),
        "total": len(answer.rows),
        "offset": offset,
        "limit": limit,
        "data_version": answer.data_version,
        "sparql": answer.sparql,
    }
    if answer.caveat:
        body["caveat"] = answer.caveat
    return json.dumps(body, ensure_ascii=False)


def _pair(value: dict[str, str] | None) -> tuple[str, str]:
    return ("", "") if value is None else (value["value"], value["label"])


RESULT_FORMATS = {  # SELECT and ASK
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def sparql_xml(result: Result) -> str:
    """Encode a SELECT or ASK result as application/sparql-results+xml."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "<head>",
    ]
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("</head>")
    if result.kind == "ASK":
        out += [f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out)
    out.append("<results>")
    for row in result.rows:
        out.append("<result>")
        for name, term in row.items():
            out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out)


def _xml_term(term: Term) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attrs = ""
    if isinstance(term, Literal) and term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif isinstance(term, Literal) and term.datatype:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def render_result(result: Result, fmt: str) -> bytes:
    """Serialise a query result: result formats for SELECT/ASK, RDF formats for graphs."""
    from .describe import bind, serialise

    if result.kind == "CONSTRUCT":
        assert result.graph is not None
        return serialise(bind(result.graph), fmt).encode("utf-8")
    if fmt == "xml":
        return sparql_xml(result).encode("utf-8")
    if fmt in ("csv", "tsv"):
        return delimited(result, "," if fmt == "csv" else "\t").encode("utf-8")
    return json.dumps(sparql_json(result), ensure_ascii=False).encode("utf-8")
