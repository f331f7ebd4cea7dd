"""The page view models, built from small graphs without HTTP."""

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from service.index import EntityIndex
from service.pages import Labels, curie, ontology_page, resource_page

BASE = "https://w3id.org/newborn-kg/"
NKG = "https://w3id.org/newborn-kg/ontology#"
STEP = URIRef(BASE + "id/step/3")


def labels(lang="en"):
    index = EntityIndex(base=BASE + "id/", labels={NKG + "atOffice": {"en": "at office"}})
    return Labels(index, BASE, lang)


def test_curie_uses_the_project_prefixes_but_not_for_instances():
    assert curie(NKG + "Step") == "nkg:Step"
    assert curie(str(SKOS.definition)) == "skos:definition"
    assert curie(str(STEP)) == str(STEP)
    assert curie("urn:x") == "urn:x"


def test_links_are_local_for_our_iris_and_absolute_for_others():
    assert labels().link(STEP)["href"] == "/id/step/3"
    assert labels().link(URIRef("https://www.wikidata.org/wiki/Q1"))["href"].startswith("https:")
    assert labels().link(Literal("第三步", lang="zh")) == {"label": "第三步", "lang": "zh"}
    assert labels().link(URIRef(NKG + "Step"))["label"] == "nkg:Step"


def test_resource_page_keeps_the_page_language_and_incoming_links():
    graph = Graph()
    office = URIRef(BASE + "id/office/bank")
    graph.add((STEP, RDFS.label, Literal("Step 3", lang="en")))
    graph.add((STEP, RDFS.label, Literal("第三步", lang="zh")))
    graph.add((STEP, RDFS.comment, Literal("在银行", lang="zh")))
    graph.add((STEP, RDFS.comment, Literal("at the bank", lang="en")))
    graph.add((STEP, URIRef(NKG + "atOffice"), office))
    graph.add((STEP, RDF.type, URIRef(NKG + "Step")))
    graph.add((URIRef(BASE + "id/step/4"), URIRef(NKG + "after"), STEP))
    page = resource_page(graph, STEP, labels("en"))
    assert (page["title"], page["subtitle"]) == ("Step 3", "第三步")
    assert page["rows"]["rdfs:comment"] == [{"label": "at the bank", "lang": "en"}]
    assert page["rows"]["at office"][0]["href"] == "/id/office/bank"
    assert [p for _, p in page["incoming"]] == ["nkg:after"]
    assert page["types"][0]["label"] == "nkg:Step"
    assert resource_page(graph, STEP, labels("zh"))["title"] == "第三步"


def test_ontology_page_lists_our_terms_by_kind_with_both_languages():
    graph = Graph()
    step = URIRef(NKG + "Step")
    graph.add((step, RDF.type, OWL.Class))
    graph.add((step, RDFS.label, Literal("步骤", lang="zh")))
    graph.add((step, RDFS.label, Literal("Step", lang="en")))
    graph.add((step, SKOS.definition, Literal("One step.", lang="en")))
    graph.add((URIRef("https://schema.org/Thing"), RDF.type, OWL.Class))
    page = ontology_page(graph, labels("zh"))
    (entry,) = page["terms_by_kind"]["classes"]
    assert (entry["curie"], entry["zh"], entry["en"]) == ("nkg:Step", "步骤", "Step")
    assert (entry["definition_en"], entry["definition_zh"]) == ("One step.", "")
    assert page["title"] == "newborn-kg 本体" and page["terms_by_kind"]["datatypes"] == []
