"""Media types and serialisers: SPARQL results as JSON, XML, CSV/TSV; graphs as RDF."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef

from .namespaces import PREFIXES
from .store import Result, Term

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


# format name -> (media type, rdflib serializer, file extension)
RDF_FORMATS = {
    "turtle": ("text/turtle", "turtle", "ttl"),
    "jsonld": ("application/ld+json", "json-ld", "jsonld"),
    "ntriples": ("application/n-triples", "nt", "nt"),
    "rdfxml": ("application/rdf+xml", "xml", "rdf"),
}
# other names people give the RDF formats in `format=`
RDF_ALIASES = {
    "ttl": "turtle",
    "json-ld": "jsonld",
    "nt": "ntriples",
    "rdf": "rdfxml",
    "xml": "rdfxml",
}
CONTEXT = dict(PREFIXES)

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
    if result.kind == "CONSTRUCT":
        assert result.graph is not None
        return serialise(bind(result.graph), fmt).encode("utf-8")
    if fmt == "xml":
        return sparql_xml(result).encode("utf-8")
    if fmt in ("csv", "tsv"):
        return delimited(result, "," if fmt == "csv" else "\t").encode("utf-8")
    return json.dumps(sparql_json(result), ensure_ascii=False).encode("utf-8")


def bind(graph: Graph) -> Graph:
    """Bind the project's prefixes, so serialisations are readable."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def serialise(graph: Graph, fmt: str) -> str:
    """Serialise in one of RDF_FORMATS; JSON-LD compacted with the project's prefixes."""
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)
    return graph.serialize(format=RDF_FORMATS[fmt][1])
