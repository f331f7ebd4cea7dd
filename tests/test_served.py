"""The served version: what the guide and the question matcher read, whatever else the store holds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from service import create_app
from service.canned import open_canned
from service.config import load_config
from service.home import guide
from service.served import served

from .conftest import ROOT
from .variant import SYNTHETIC_IRI, write_variant

BASE = "https://w3id.org/newborn-kg/id/"
QUESTIONS = [
    ("第三步要带什么材料？", "zh"),
    ("办理新生儿医保卡有哪些步骤？", "zh"),
    ("激活医保卡有几种方式？", "zh"),
    ("What do I bring to step 2?", "en"),
    ("where is the ID card needed", "en"),
    ("where do i get the birth certifcate", "en"),
    ("落户期限的法律依据是什么", "zh"),
]


def triples(canned):
    return {quad.triple for quad in canned.store.ox}


@pytest.fixture(scope="module")
def real():
    return create_app({"TESTING": True}, None)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    """The real data and nine renamed copies of it in one file (the benchmark's generator)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import scale_graph

    files = load_config(environ={})["DATA_FILES"]
    big = tmp_path_factory.mktemp("scale") / "big.nt"
    real = open_canned(load_config(environ={}))
    scale_graph.write(10 * real.store.triple_count(), big)
    return create_app({"TESTING": True, "DATA_FILES": [files[0], str(big)]})


def test_on_the_real_graph_the_served_version_is_the_whole_store(real):
    canned = real.extensions["newborn_kg.canned"]
    assert served(canned, BASE) is canned
    assert real.extensions["newborn_kg.served"] is canned


def test_beside_another_region_the_served_version_is_henans_graph_alone(tmp_path: Path):
    variant = write_variant(ROOT / "kg" / "data.ttl", tmp_path / "v.ttl")
    files = load_config(environ={})["DATA_FILES"]
    both = open_canned(load_config({"DATA_FILES": [*files, str(variant)]}, environ={}))
    henan = open_canned(load_config(environ={}))
    view = served(both, BASE)
    # the national documents and laws the two regions share do not lead into the other one
    assert triples(view) == triples(henan) < triples(both)
    assert not any(SYNTHETIC_IRI in str(iri) for iri in view.index.labels)


def test_at_scale_the_served_version_holds_the_real_graph_and_little_else(scaled, real):
    view, canned = scaled.extensions["newborn_kg.served"], scaled.extensions["newborn_kg.canned"]
    assert view is not canned
    mine = triples(real.extensions["newborn_kg.canned"])
    assert mine <= triples(view) and len(triples(view)) < 2 * len(mine) < len(triples(canned))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_scale_the_guide_is_the_real_graphs(scaled, real, lang):
    with real.app_context():
        expected = guide(lang)
    with scaled.app_context():
        assert guide(lang) == expected


@pytest.mark.parametrize(("question", "lang"), QUESTIONS)
def test_at_scale_questions_get_the_real_graphs_answers(scaled, real, question, lang):
    expected = real.extensions["newborn_kg.asker"].ask(question, lang)
    assert expected.get("understood"), expected
    assert scaled.extensions["newborn_kg.asker"].ask(question, lang) == expected
