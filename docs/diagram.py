"""Write docs/model.dot (and docs/model.svg when graphviz is installed) from kg/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
NKG = "https://w3id.org/newborn-kg/ontology#"
PREFIXES = {
    "http://purl.org/vocab/cpsv#": "cpsv:",
    "http://data.europa.eu/m8g/": "cv:",
    "http://data.europa.eu/eli/ontology#": "eli:",
    "https://schema.org/": "schema:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/org#": "org:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    NKG: "nkg:",
    "http://purl.org/dc/terms/": "dct:",
}
OURS = 'style=filled, fillcolor="#e8f0fe"'
SUBCLASS = "style=dashed, arrowhead=empty, color=gray50"


def curie(iri: URIRef) -> str:
    for ns, prefix in PREFIXES.items():
        if str(iri).startswith(ns):
            return prefix + str(iri)[len(ns) :]
    return str(iri)


def label(graph: Graph, node: URIRef, lang: str) -> str:
    for value in graph.objects(node, RDFS.label):
        if getattr(value, "language", None) == lang:
            return str(value)
    return ""


def dot(graph: Graph) -> str:
    """Classes of ours with their aligned classes, and the properties used between them."""
    ours = sorted(
        {
            c
            for c in graph.subjects(RDF.type, None)
            if str(c).startswith(NKG)
            and (c, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph
        }
    )
    lines = [
        "digraph model {",
        '  rankdir=LR; node [shape=box, fontname="Noto Sans CJK SC, sans-serif", fontsize=10];',
        '  edge [fontname="sans-serif", fontsize=9];',
    ]
    aligned: set[URIRef] = set()
    for cls in ours:
        lines.append(
            f'  "{curie(cls)}" [label="{curie(cls)}\\n{label(graph, cls, "zh")}", {OURS}];'
        )
        for parent in sorted(graph.objects(cls, RDFS.subClassOf)):
            aligned.add(parent)
            lines.append(f'  "{curie(cls)}" -> "{curie(parent)}" [{SUBCLASS}];')
    for parent in sorted(aligned):
        lines.append(f'  "{curie(parent)}" [fontcolor=gray30, color=gray60, fontsize=9];')
    used = graph.query(f"""SELECT DISTINCT ?p ?a ?b WHERE {{
        ?s ?p ?o . ?s a ?a . ?o a ?b
        FILTER(STRSTARTS(STR(?p), "{NKG}") && STRSTARTS(STR(?a), "{NKG}"))
        FILTER(STRSTARTS(STR(?b), "{NKG}"))
    }} ORDER BY ?p ?a ?b""")
    for prop, a, b in used:  # type: ignore[misc]
        lines.append(f'  "{curie(a)}" -> "{curie(b)}" [label="{curie(prop)}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    graph = Graph()
    for name in ("ontology.ttl", "data.ttl"):
        graph.parse(ROOT / "kg" / name)
    text = dot(graph)
    (ROOT / "docs" / "model.dot").write_text(text, encoding="utf-8")
    if shutil.which("dot"):
        svg = subprocess.run(
            ["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=True
        )
        (ROOT / "docs" / "model.svg").write_text(svg.stdout, encoding="utf-8")
    else:
        print("graphviz is not installed: wrote docs/model.dot only", file=sys.stderr)


if __name__ == "__main__":
    main()
