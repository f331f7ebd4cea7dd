import pytest
from rdflib import Literal, URIRef

from service.catalog import CatalogError, load_catalog, parse_query_file

from .conftest import ROOT

GOOD = """#+ summary: {zh: 步骤, en: Steps}
#+ description: {zh: 步骤, en: Steps}
#+ params:
#+   step: {type: iri, class: nkg:Step, example: "1"}
#+ examples: {zh: [第几步], en: [which step]}
#+ answer: {zh: {text: "{step}在{office}"}, en: {text: "{step} is at {office}"}}
PREFIX nkg: <https://w3id.org/newborn-kg/ontology#>
SELECT ?office WHERE { ?step nkg:atOffice ?office }
"""


def write(tmp_path, text, name="q.rq"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_registry_has_at_least_fifteen_queries():
    catalog = load_catalog(ROOT / "queries")
    assert len(catalog) >= 15
    for query in catalog.values():
        assert query.summary["zh"] and query.summary["en"] and query.examples["zh"]


def test_a_good_file_parses(tmp_path):
    query = parse_query_file(write(tmp_path, GOOD))
    assert query.name == "q" and query.params[0].classes == (
        "https://w3id.org/newborn-kg/ontology#Step",
    )
    assert "#+" not in query.sparql


@pytest.mark.parametrize(
    "change, message",
    [
        (("#+ examples:", "#+ colour: red\n#+ examples:"), "unknown header key(s) ['colour']"),
        (("#+ description: {zh: 步骤, en: Steps}\n", ""), "missing header key(s) ['description']"),
        (("#+ summary: {zh: 步骤, en: Steps}", "#+ summary: {zh: [unclosed"), "not valid YAML"),
        (("?step nkg:atOffice", "?other nkg:atOffice"), "?step does not occur in the query"),
        (("class: nkg:Step", "class: nope:Step"), "needs class"),
        (("type: iri", "type: colour"), "type must be one of"),
        ((', example: "1"', ""), "needs an example"),
        (("step: {", "limit: {"), "names are lower-case identifiers"),
        (("SELECT ?office WHERE", "SELEC ?office WHERE"), "does not parse"),
        (
            (
                "SELECT ?office WHERE { ?step nkg:atOffice ?office }",
                "ASK WHERE { ?step nkg:atOffice ?office }",
            ),
            "SELECT queries",
        ),
        (
            (
                "SELECT ?office WHERE { ?step nkg:atOffice ?office }",
                "SELECT * { ?step nkg:atOffice ?office }",
            ),
            "needs a WHERE",
        ),
        (("{zh: 步骤, en: Steps}", "{zh: 步骤}"), "needs zh and en"),
        (("en: [which step]", "en: []"), "examples.en needs at least one"),
        (
            ('en: {text: "{step} is at {office}"}', 'en: {text: "{step} at {colour}"}'),
            "{colour} is neither",
        ),
        (('en: {text: "{step} is at {office}"}}', "fr: {text: x}}"), "answer needs zh and en"),
        (('en: {text: "{step} is at {office}"}', 'en: {txt: "x"}'), "answer.en needs text"),
    ],
)
def test_bad_files_fail_naming_the_file(tmp_path, change, message):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(CatalogError) as info:
        parse_query_file(path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)


def test_bad_names_and_empty_folders_fail(tmp_path):
    with pytest.raises(CatalogError, match="no .rq files"):
        load_catalog(tmp_path)
    write(tmp_path, GOOD, "Bad_Name.rq")
    with pytest.raises(CatalogError, match="Bad_Name.rq: file names"):
        load_catalog(tmp_path)


def test_start_up_fails_on_a_bad_query_file(tmp_path):
    from service import create_app

    write(tmp_path, GOOD.replace("#+ examples:", "#+ colour: red\n#+ examples:"))
    with pytest.raises(CatalogError, match="q.rq: unknown header key"):
        create_app({"QUERIES_DIR": str(tmp_path)})


def test_bind_puts_terms_in_a_values_block_at_the_top_of_where(tmp_path):
    query = parse_query_file(write(tmp_path, GOOD))
    text = query.bind(
        {
            "step": URIRef(
                "https://w3id.org/newborn-kg/id/region/410000/v1/service/newborn-medical-insurance-card/step/1"
            ),
            "lang": Literal("en"),
        }
    )
    assert (
        'WHERE {\n  VALUES (?step ?lang) { (<https://w3id.org/newborn-kg/id/region/410000/v1/service/newborn-medical-insurance-card/step/1> "en") }'
        in text
    )
