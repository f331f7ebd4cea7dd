"""Graph-wide guarantees: bilingual labels, shapes, provenance, links, dataset description."""

import re

import pytest
from rdflib import Graph

from service.validation import load_graph, validate

from .conftest import ROOT, shared_path

KG = ROOT / "kg"
FILES = [str(KG / "ontology.ttl"), str(KG / "data.ttl")]
CJK = re.compile(r"[\u4e00-\u9fff]")
P = """PREFIX nkg: <https://w3id.org/newborn-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX void: <http://rdfs.org/ns/void#>
"""


def select(store, query):
    return store.query(P + query).rows


def test_every_labelled_resource_has_zh_and_en_labels(store):
    labelled = select(store, "SELECT DISTINCT ?s WHERE { ?s rdfs:label|skos:prefLabel ?l }")
    missing = select(
        store,
        """SELECT DISTINCT ?s WHERE { ?s rdfs:label|skos:prefLabel ?x
        FILTER(NOT EXISTS { ?s rdfs:label ?zh FILTER(lang(?zh) = "zh") }
            || NOT EXISTS { ?s rdfs:label ?en FILTER(lang(?en) = "en") }) }""",
    )
    assert len(labelled) > 100
    assert missing == ()


def test_language_tags_match_the_script(store):
    rows = select(store, "SELECT ?s ?l WHERE { ?s rdfs:label|skos:altLabel|skos:prefLabel ?l }")
    wrong = [
        (str(r["s"]), str(r["l"]))
        for r in rows
        if (r["l"].language == "zh") != bool(CJK.search(r["l"]))
        and not (r["l"].language == "zh" and str(r["l"]).startswith("newborn-kg"))
    ]
    assert wrong == []


def test_every_ontology_term_has_labels_and_definitions(store):
    terms = select(
        store,
        """SELECT DISTINCT ?t WHERE { ?t ?p ?o
        FILTER(STRSTARTS(STR(?t), "https://w3id.org/newborn-kg/ontology#")) }""",
    )
    undefined = select(
        store,
        """SELECT DISTINCT ?t WHERE { ?t ?p ?o
        FILTER(STRSTARTS(STR(?t), "https://w3id.org/newborn-kg/ontology#"))
        FILTER(NOT EXISTS { ?t skos:definition ?zh FILTER(lang(?zh) = "zh") }
            || NOT EXISTS { ?t skos:definition ?en FILTER(lang(?en) = "en") }) }""",
    )
    assert len(terms) > 30 and undefined == ()


def test_no_dangling_iris(store):
    dangling = select(
        store,
        """SELECT DISTINCT ?o WHERE { ?s ?p ?o
        FILTER(isIRI(?o) && (STRSTARTS(STR(?o), "https://w3id.org/newborn-kg/id/")
                          || STRSTARTS(STR(?o), "https://w3id.org/newborn-kg/ontology#")))
        FILTER NOT EXISTS { ?s void:vocabulary ?o }
        FILTER NOT EXISTS { ?o rdfs:label ?l } }""",
    )
    assert dangling == ()


def test_fact_bearing_resources_carry_provenance(store):
    unsourced = select(
        store,
        """SELECT ?s WHERE {
        VALUES ?class { nkg:Step nkg:Action nkg:DocumentRequirement nkg:ActivationChannel nkg:Checklist
                        nkg:Rule nkg:Document nkg:Output nkg:Office }
        ?s a ?class FILTER NOT EXISTS { ?s prov:wasDerivedFrom|dct:source ?src } }""",
    )
    assert unsourced == ()
    quoted = select(store, "SELECT ?s WHERE { ?s a nkg:SourceSection ; nkg:quote ?q }")
    seed = shared_path("seed", "henan-newborn-medical-insurance-card.txt").read_text(
        encoding="utf-8"
    )
    # REFERENCE.md wraps its lines; Chinese text has no spaces, so joining them restores it
    reference = "".join(
        line.strip()
        for line in shared_path("REFERENCE.md").read_text(encoding="utf-8").splitlines()
    )
    quotes = select(store, "SELECT ?q WHERE { ?s nkg:quote ?q }")
    assert len(quoted) == 13  # 12 passages of the English text, 1 of the Chinese original
    english = [str(r["q"]) for r in quotes if r["q"].language == "en"]
    chinese = [str(r["q"]) for r in quotes if r["q"].language == "zh"]
    assert len(english) + len(chinese) == len(quotes)
    assert [q for q in english if q not in seed] == [], "quotes are verbatim"
    assert [q for q in chinese if q not in reference] == [], "as REFERENCE.md §7 quotes them"


def test_wikidata_links_are_only_the_verified_ones(store):
    links = select(
        store,
        """SELECT DISTINCT ?o WHERE { ?s ?p ?o
        FILTER(STRSTARTS(STR(?o), "http://www.wikidata.org/")) }""",
    )
    assert {str(r["o"]) for r in links} == {
        "http://www.wikidata.org/entity/Q43684",
        "http://www.wikidata.org/entity/Q148",
    }


def test_void_triples_counts_the_graph(store):
    rows = select(store, "SELECT ?n WHERE { ?d void:triples ?n }")
    assert int(rows[0]["n"]) == store.triple_count(), (
        f"set void:triples in kg/data.ttl to {store.triple_count()}"
    )


def test_our_shapes_pass():
    report = validate(FILES, [str(KG / "shapes.ttl")])
    assert report.conforms, report.text


def _official_report(data: Graph):
    from pyshacl import validate as shacl

    shapes = Graph().parse(shared_path("conformance", "cpsv-ap-3.2.0-SHACL.ttl"))
    conforms, _, text = shacl(data, shacl_graph=shapes, inference="none")
    return conforms, text


def test_data_alone_conforms_to_the_official_cpsv_ap_shapes():
    # no ontology, no RDFS reasoning: what a harvester reading kg/data.ttl alone would see
    conforms, text = _official_report(load_graph([str(KG / "data.ttl")]))
    assert conforms, text


@pytest.mark.parametrize(
    "needle",
    [
        'dct:identifier "step-4/insurance-card" ;',  # a Requirement without its identifier
        "dct:spatial <region/410000> ;\n    prov:wasDerivedFrom src:step-2 .",  # an organisation without place
    ],
)
def test_official_shapes_do_bite(tmp_path, needle):
    data = (KG / "data.ttl").read_text(encoding="utf-8")
    assert needle in data
    broken = tmp_path / "data.ttl"
    broken.write_text(
        data.replace(needle, "prov:wasDerivedFrom src:step-2 ." if "spatial" in needle else ""),
        encoding="utf-8",
    )
    conforms, _ = _official_report(load_graph([str(broken)]))
    assert not conforms


def test_texts_must_exist_in_both_languages(tmp_path):
    data = (KG / "data.ttl").read_text(encoding="utf-8")
    needle = ', "opens the bank card function of the social security card"@en'
    assert needle in data
    broken = tmp_path / "data.ttl"
    broken.write_text(data.replace(needle, ""), encoding="utf-8")
    report = validate([FILES[0], str(broken)], [str(KG / "shapes.ttl")])
    assert not report.conforms and "nkg:effect needs an English (@en) text too" in report.text
