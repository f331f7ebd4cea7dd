"""Generate a project-shaped graph of about N triples, for benchmarks only (never shipped as data).

kg/data.ttl is copied as they are, then replicated under renamed instance
IRIs (id/… → id/copy-K/…) until the graph holds about N triples; in copy K every name
(rdfs:label, skos:prefLabel, skos:altLabel, skos:hiddenLabel) gets the suffix " K", so the
matcher sees N/1,500 times as many distinct names, as a larger real graph would have. The
copies do not declare their own named graph (the loader takes one graph a file), so they load
into the graph of the original.
kg/ontology.ttl is written unchanged beside it.

    .venv/bin/python bench/generate.py 1000000 /tmp/nkg-1m    # writes ontology.ttl, data.nt
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/newborn-kg/id/"
NAMES = {
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel",
}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
GRAPH_CLASSES = {"http://www.w3.org/ns/prov#Bundle", "http://www.w3.org/2002/07/owl#Ontology"}


def read(paths: list[Path]) -> list[ox.Triple]:
    """The triples of the project's data files."""
    triples: list[ox.Triple] = []
    for path in paths:
        triples += [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    return triples


def renamed(term: ox.NamedNode | ox.BlankNode | ox.Literal, copy: int) -> ox.NamedNode:
    """The IRI of a term in copy K (instances only; vocabulary terms stay)."""
    value = term.value
    if isinstance(term, ox.NamedNode) and value.startswith(BASE):
        return ox.NamedNode(f"{BASE}copy-{copy}/{value[len(BASE) :]}")
    return term  # type: ignore[return-value]


def replicate(triples: list[ox.Triple], copy: int) -> list[ox.Triple]:
    """Copy K of the triples: instance IRIs renamed, names suffixed with K, no graph of its own."""
    out = []
    for t in triples:
        if t.object.value == "http://www.w3.org/ns/prov#Bundle":
            continue  # one named graph a file: the copies live in the original's graph
        obj = t.object
        if t.predicate.value == RDF_TYPE and obj.value in GRAPH_CLASSES:
            continue
        if isinstance(obj, ox.Literal) and t.predicate.value in NAMES:
            obj = ox.Literal(f"{obj.value} {copy}", language=obj.language)
        else:
            obj = renamed(obj, copy)
        out.append(ox.Triple(renamed(t.subject, copy), t.predicate, obj))
    return out


def generate(target: int, folder: Path) -> list[Path]:
    """Write ontology.ttl and data.nt (about `target` triples) into folder; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    ontology = folder / "ontology.ttl"
    shutil.copyfile(ROOT / "kg" / "ontology.ttl", ontology)
    base = read([ROOT / "kg" / "data.ttl"])
    data = folder / "data.nt"
    with data.open("wb") as out:
        ox.serialize(base, out, format=ox.RdfFormat.N_TRIPLES)
        written, copy = len(base), 1
        while written + len(base) <= target:
            ox.serialize(replicate(base, copy), out, format=ox.RdfFormat.N_TRIPLES)
            written, copy = written + len(base), copy + 1
    return [ontology, data]


if __name__ == "__main__":
    paths = generate(int(sys.argv[1]), Path(sys.argv[2]))
    print(" ".join(str(p) for p in paths))
