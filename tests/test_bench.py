"""The question benchmark runs end to end on a tiny generated graph (figures, no timing asserts)."""

import importlib.util
import sys

import pyoxigraph as ox

from .conftest import ROOT
from .iris import CARD_PATH, ID


def load(name):
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_replicates_the_graph_under_renamed_iris(tmp_path):
    size = len(list(ox.parse(path=str(ROOT / "kg" / "data.ttl"), format=ox.RdfFormat.TURTLE)))
    ontology, data = load("generate").generate(3 * size + 10, tmp_path)
    triples = list(ox.parse(path=str(data), format=ox.RdfFormat.N_TRIPLES))
    assert 3 * size - 10 <= len(triples) <= 3 * size + 10 and ontology.name == "ontology.ttl"
    subjects = {t.subject.value for t in triples}
    assert f"{ID}copy-2/{CARD_PATH}/step/3" in subjects
    labels = {t.object.value for t in triples if t.predicate.value.endswith("#label")}
    assert {"户口簿", "户口簿 1", "户口簿 2"} <= labels


def test_the_question_bench_measures_a_generated_graph(tmp_path):
    bench = load("bench_questions")
    files = [str(p) for p in bench.generate(5000, tmp_path)]
    figures = bench.measure(files, ["第三步要带什么", "what do i bring for step 3"], rounds=1)
    assert figures["triples"] > 4000 and figures["questions"] == 2
    assert figures["match_p99_ms"] >= figures["match_p50_ms"] > 0
    assert "triples" in bench.line("5000", figures)
