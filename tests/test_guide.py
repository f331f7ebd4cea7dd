"""The guide at / and the pages for people, without a browser: content from the graph, no-JS
forms, determinism, labelled resource pages, canned queries as pages and CSV downloads."""

import csv
import html
import io
import re

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from service.sources import DATE_TYPES

from .conftest import parsed_graph

NKG = "https://w3id.org/newborn-kg/ontology#"
BASE = "https://w3id.org/newborn-kg/"
ID = BASE + "id/"
CHROME_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def label(store, iri, lang):
    return next(
        str(o)
        for o in parsed_graph().objects(URIRef(iri), RDFS.label)
        if isinstance(o, Literal) and o.language == lang
    )


def members(store, cls):
    return sorted(str(s) for s in parsed_graph().subjects(RDF.type, URIRef(NKG + cls)))


def page(client, path, lang):
    path += ("&" if "?" in path else "?") + f"lang={lang}"
    response = client.get(path, headers={"Accept": CHROME_ACCEPT})
    assert response.status_code == 200 and response.mimetype == "text/html", path
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_guide_shows_what_the_graph_holds(client, store, lang):
    text = page(client, "/", lang)
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in text
    for cls in ("Step", "Office", "ActivationChannel", "Document"):
        found = members(store, cls)
        assert found, cls
        for iri in found:
            if cls == "Document" and iri.endswith("/medical-insurance-card"):
                continue  # the product, not something to bring
            assert label(store, iri, lang) in text, (cls, iri)
    for article in parsed_graph().subjects(
        URIRef("http://data.europa.eu/eli/ontology#number"), None
    ):
        assert label(store, article, lang) in text
        texts = [
            str(o)
            for o in parsed_graph().objects(article, URIRef("https://schema.org/text"))
            if o.language == lang
        ]
        assert texts and texts[0] in text
    # every caveat on step 1 and its requirements (the circular "birth certificate" among them)
    notes = store.query(
        "PREFIX nkg: <https://w3id.org/newborn-kg/ontology#> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?note WHERE { ?step a nkg:Step ; nkg:position 1 . "
        "{ ?step skos:editorialNote ?note } UNION "
        "{ ?step nkg:hasDocumentRequirement/skos:editorialNote ?note } }"
    ).rows
    notes = [str(r["note"]) for r in notes if r["note"].language == lang]
    assert len(notes) >= 2 and all(note in text for note in notes), "a step-1 caveat is missing"
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text and 'role="img"' in text


def test_developer_links_are_in_the_footer_not_the_main_part(client):
    text = page(client, "/", "en")
    main, footer = text.split("<main", 1)[1].split("</main>", 1)
    for href in ("/api/docs", "/sparql", "/dataset", "/openapi.json"):
        assert f'href="{href}"' not in main and f'href="{href}"' in footer


def test_the_guide_shows_the_source_and_what_it_records_about_dates(client, store):
    text = page(client, "/", "en")
    dataset = URIRef(ID + "dataset")
    source = parsed_graph().value(dataset, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    assert f'href="/{str(source)[len("https://w3id.org/newborn-kg/") :]}"' in text
    section = text.split('id="source"', 1)[1]
    dated = [
        o
        for o in parsed_graph().objects(source, None)
        if getattr(o, "datatype", None) in DATE_TYPES
    ]
    if dated:
        assert all(str(d) in section for d in dated)
    else:
        assert "records no date" in section


def test_the_calculator_works_without_javascript(client):
    text = page(client, "/?birth=2024-01-31", "zh")
    assert 'datetime="2024-02-29"' in text and "2024年2月29日" in text
    text = page(client, "/?birth=2023-12-15", "en")
    assert 'datetime="2024-01-15"' in text and "15 January 2024" in text
    bad = client.get("/?birth=2023-02-30&lang=en")
    assert bad.status_code == 400 and "not a real date" in bad.get_data(as_text=True)


def test_the_ask_box_works_without_javascript(client):
    text = page(client, "/?q=去邮政储蓄银行要带什么？", "zh")
    answer = text.split('id="answer"', 1)[1].split("</section>", 1)[0]
    assert 'class="answer-text"' in answer and answer.count("<li>") >= 1
    text = page(client, "/?q=xyzzy plugh", "en")
    answer = text.split('id="answer"', 1)[1].split("</section>", 1)[0]
    assert "not understood" in answer and answer.count("<li>") >= 1


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?lang=en",
        "/checklist",
        "/dataset",
        "/ontology",
        "/api/docs",
        "/id/region/410000/v1/service/newborn-medical-insurance-card/step/2",
        "/id/region/410000/v1/service/newborn-medical-insurance-card",
        "/api/queries/step-documents.html?step=3",
    ],
)
def test_pages_are_deterministic_and_revalidate(app, path):
    first, second = app.test_client(), app.test_client()
    a = first.get(path, headers={"Accept": "text/html"})
    b = second.get(path, headers={"Accept": "text/html"})
    assert a.status_code == 200 and a.data == b.data and a.headers["ETag"] == b.headers["ETag"]
    again = first.get(path, headers={"Accept": "text/html", "If-None-Match": a.headers["ETag"]})
    assert again.status_code == 304


def test_dataset_shows_blank_nodes_inline_never_as_links(client):
    text = page(client, "/dataset", "en")
    assert not re.search(r'href="[^"]*(_:|/id/N[0-9a-f]{8}|/id/class-|/id/distribution-)', text)
    assert '<dl class="inline">' in text
    for ext in ("ttl", "nt", "jsonld"):
        assert f'href="/dump.{ext}"' in text  # the distributions, shown inline


def test_resource_pages_show_property_labels_not_codes_nor_synonyms(client, store):
    for lang, word in (("zh", "说明"), ("en", "description")):
        text = page(
            client, "/id/region/410000/v1/service/newborn-medical-insurance-card/step/1", lang
        )
        headers = re.findall(r'<th scope="row"><span title="([^"]+)">([^<]+)</span>', text)
        assert headers and all(
            not re.fullmatch(r"[a-z]+:[A-Za-z_]+", shown) for _, shown in headers
        )
        assert str(SKOS.altLabel) not in [iri for iri, _ in headers]
        assert word in [shown for _, shown in headers]
    synonyms = [
        str(o)
        for o in parsed_graph().objects(
            URIRef(ID + "region/410000/v1/service/newborn-medical-insurance-card/step/1"),
            SKOS.altLabel,
        )
        if o.language == "en"
    ]
    text = page(client, "/id/region/410000/v1/service/newborn-medical-insurance-card/step/1", "en")
    assert synonyms and not any(f">{s}<" in text for s in synonyms)


def test_a_browser_gets_the_canned_query_as_a_page(client, app):
    response = client.get(
        "/api/queries/step-documents?step=3&lang=en", headers={"Accept": CHROME_ACCEPT}
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    text = html.unescape(response.get_data(as_text=True))
    answer = app.extensions["newborn_kg.canned"].answer("step-documents", {"step": "3"}, "en")
    body = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == len(answer.rows) > 0
    for row in answer.rows:
        assert (
            f'href="/id/{row["document"]["value"][len(ID) :]}"' in body
            and row["document"]["label"] in body
        )
    assert "SELECT ?document" in text
    assert 'href="/api/queries/step-documents?' in text and "format=csv" in text and "bom=1" in text
    same = client.get("/api/queries/step-documents.html?step=3&lang=en")
    assert same.status_code == 200 and body in html.unescape(same.get_data(as_text=True))


def test_csv_downloads_carry_a_name_and_optionally_a_bom(client):
    plain = client.get("/api/queries/checklist?format=csv&lang=zh")
    bommed = client.get("/api/queries/checklist?format=csv&lang=zh&bom=1")
    assert 'filename="checklist-zh.csv"' in plain.headers["Content-Disposition"]
    assert bommed.data == b"\xef\xbb\xbf" + plain.data and not plain.data.startswith(
        b"\xef\xbb\xbf"
    )
    assert bommed.headers["ETag"] != plain.headers["ETag"]
    rows = list(csv.reader(io.StringIO(bommed.data.decode("utf-8-sig"))))
    assert "document" in rows[0] and any("户口簿" in cell for row in rows for cell in row)
    assert client.get("/api/queries/checklist?format=csv&bom=yes").status_code == 400


def test_the_checklist_page_lists_each_item_once(client, app):
    text = page(client, "/checklist", "en")
    answer = app.extensions["newborn_kg.canned"].answer("checklist", {}, "en")
    assert text.count("☐") == len(answer.rows) > 0
    assert "@page { size: A4" in text


def test_bad_input_on_pages_is_a_4xx_page_with_the_message(client):
    too_long = client.get("/?q=" + "啊" * 600, headers={"Accept": CHROME_ACCEPT})
    assert too_long.status_code == 400 and too_long.mimetype == "text/html"
    assert 'role="alert"' in too_long.get_data(as_text=True)
    missing = client.get("/api/queries/step-documents.html?lang=en")
    text = html.unescape(missing.get_data(as_text=True))
    assert missing.status_code == 400 and "'step'" in text and 'name="step"' in text
    for count in ("limit=abc", "offset=-1", "bom=yes"):
        bad = client.get(f"/api/queries/steps.html?lang=en&{count}")
        name = count.split("=")[0]
        assert bad.status_code == 400 and f"'{name}'" in html.unescape(bad.get_data(as_text=True))
    unknown = client.get("/api/queries/no-such-query.html")
    assert unknown.status_code == 404 and unknown.get_json()["error"]["status"] == 404


def test_a_date_and_a_caveat_on_the_source_show_when_the_graph_records_them(store, tmp_path):
    from service import create_app
    from service.config import load_config
    from service.store import EmbeddedStore

    dataset = URIRef(ID + "dataset")
    source = parsed_graph().value(dataset, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    extra = tmp_path / "dated.ttl"
    extra.write_text(
        f"<{source}> <http://purl.org/dc/terms/date> "
        '"2018"^^<http://www.w3.org/2001/XMLSchema#gYear> ; '
        "<http://www.w3.org/2004/02/skos/core#scopeNote> "
        '"Undated; most likely before 2019."@en, "未注明日期；很可能早于2019年。"@zh .\n',
        encoding="utf-8",
    )
    files = [*load_config(environ={})["DATA_FILES"], str(extra)]
    client = create_app({"TESTING": True}, store=EmbeddedStore(files)).test_client()
    for lang, caveat, label in (
        ("en", "Undated; most likely before 2019.", "date"),
        ("zh", "未注明日期；很可能早于2019年。", "日期"),
    ):
        section = page(client, "/", lang).split('id="source"', 1)[1]
        assert caveat in section and 'datetime="2018"' in section and label in section
        # this source's own block (the page lists every source) no longer says it is undated
        block = section.split(f'href="/{str(source).removeprefix(BASE)}"', 1)[1]
        block = block.split("<p><a", 1)[0]
        assert "records no date" not in block and "图谱没有记录这份来源的日期" not in block
