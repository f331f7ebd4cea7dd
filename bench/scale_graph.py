"""A project-shaped graph of about N triples: the real data repeated under renamed IRIs.

Copy k of data.ttl moves every instance IRI (under BASE_URI + "id/") to BASE_URI + "id/scale<k>/"
and tags every language-tagged literal " <k>", so labels stay distinct the way a real large graph's
would; the ontology is kept once. `python bench/scale_graph.py N OUT.nt` writes N-Triples (which
the Turtle loader reads).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pyoxigraph as ox

from service.config import load_config

BUNDLE = ox.NamedNode("http://www.w3.org/ns/prov#Bundle")
MARK = "KCOPYK"  # written unescaped in IRIs and literals alike


def parse_file(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))


def templates(data: Path, instance_base: str) -> list[str]:
    """Each data triple as an N-Triples line with MARK where a copy puts its number."""
    lines = []
    for quad in parse_file(data):
        if quad.object == BUNDLE:
            continue  # one named graph a file: the copies live in the original's graph
        obj = quad.object
        if isinstance(obj, ox.Literal) and obj.language:
            obj = ox.Literal(obj.value + " " + MARK, language=obj.language)
        line = f"{quad.subject} {quad.predicate} {obj} .\n"
        lines.append(line.replace("<" + instance_base, "<" + instance_base + "scale" + MARK + "/"))
    return lines


def write(triples: int, out: Path) -> int:
    """Write about `triples` triples; return how many lines were written."""
    config = load_config(environ={})
    ontology, data = (Path(p) for p in config["DATA_FILES"])
    instance_base = config["BASE_URI"] + "id/"
    fixed = [f"{q.subject} {q.predicate} {q.object} .\n" for q in parse_file(ontology)]
    fixed += [f"{q.subject} {q.predicate} {q.object} .\n" for q in parse_file(data)]
    copies = max(0, math.ceil((triples - len(fixed)) / len(templates(data, instance_base))))
    body = "".join(templates(data, instance_base))
    written = len(fixed)
    with out.open("w", encoding="utf-8") as handle:
        handle.writelines(fixed)
        for k in range(1, copies + 1):
            chunk = body.replace(MARK, str(k))
            handle.write(chunk)
            written += chunk.count("\n")
    return written


if __name__ == "__main__":
    print(write(int(sys.argv[1]), Path(sys.argv[2])))
