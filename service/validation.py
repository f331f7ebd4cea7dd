"""SHACL validation of the graph's files with pyshacl."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH


@dataclass(frozen=True)
class Report:
    """The outcome of one validation run."""

    conforms: bool
    violations: int
    text: str


def load_graph(paths: Sequence[str]) -> Graph:
    """Parse Turtle files into one rdflib graph."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def validate(data_files: Sequence[str], shapes_files: Sequence[str]) -> Report:
    """Validate the data against the shapes; the ontology's subclass axioms count."""
    conforms, report, text = shacl_validate(
        load_graph(data_files), shacl_graph=load_graph(shapes_files), inference="none"
    )
    violations = len(set(report.subjects(SH.resultSeverity, SH.Violation)))
    return Report(bool(conforms), violations, str(text))
