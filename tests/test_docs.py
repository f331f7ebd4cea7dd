"""The generated docs are up to date with kg/."""

import importlib.util

from rdflib import Graph

from .conftest import ROOT


def _diagram():
    spec = importlib.util.spec_from_file_location("diagram", ROOT / "docs" / "diagram.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_model_diagram_is_generated_from_the_current_graph():
    diagram = _diagram()
    graph = Graph()
    for name in ("ontology.ttl", "data.ttl"):
        graph.parse(ROOT / "kg" / name)
    committed = (ROOT / "docs" / "model.dot").read_text(encoding="utf-8")
    assert diagram.dot(graph) == committed, "run: .venv/bin/python docs/diagram.py"
    svg = (ROOT / "docs" / "model.svg").read_text(encoding="utf-8")
    for name in ("nkg:Step", "nkg:DocumentRequirement", "nkg:ActivationChannel", "cv:Evidence"):
        assert name in committed and name in svg


def test_model_doc_covers_every_ambiguity_note(store):
    notes = store.query(
        "SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#editorialNote> ?n }"
    ).rows
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    base = "https://w3id.org/newborn-kg/id/"
    missing = [str(r["s"]) for r in notes if f"<{str(r['s']).removeprefix(base)}>" not in doc]
    assert missing == [], "list these in docs/model.md's table of recorded ambiguities"


def test_query_docs_are_generated_from_the_registry():
    spec = importlib.util.spec_from_file_location("queries_doc", ROOT / "docs" / "queries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from service.catalog import load_catalog

    committed = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert module.markdown(load_catalog(ROOT / "queries")) == committed, (
        "run: .venv/bin/python docs/queries.py"
    )
