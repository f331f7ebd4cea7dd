"""Every canned query answers its header examples correctly, in zh and en, on both stores."""

import json
import re

import pytest

from service.canned import open_canned
from service.config import load_config

from .conftest import LiveServer
from .sparql_fixture import GRAPH, sparql_wsgi

ID = "https://w3id.org/newborn-kg/id/"
CJK = re.compile(r"[\u4e00-\u9fff]")
STEPS = {
    "region/410000/v1/service/newborn-medical-insurance-card/step/1",
    "region/410000/v1/service/newborn-medical-insurance-card/step/2",
    "region/410000/v1/service/newborn-medical-insurance-card/step/3",
    "region/410000/v1/service/newborn-medical-insurance-card/step/4",
}

# What the source text says each query's example must return: column -> exact set of values
# (instance IRIs are written relative to id/).
EXPECTED = {
    "steps": {
        "step": STEPS,
        "office": {
            "region/410000/office/hospital",
            "region/410000/office/family-planning-office",
            "region/410000/office/police-station",
            "region/410000/office/postal-savings-bank",
            "region/410000/office/community-social-security-office",
        },
        "output": {
            "document/medical-birth-certificate",
            "document/family-planning-certificate",
            "document/childs-household-registration",
            "output/citizen-id-number",
            "output/bank-account",
            "document/insurance-card",
            "document/medical-insurance-card",
        },
    },
    "step-documents": {  # step 3
        "document": {
            "document/childs-household-registration",
            "document/medical-birth-certificate",
        },
        "office": {"region/410000/office/postal-savings-bank"},
    },
    "step-offices": {  # step 2
        "office": {
            "region/410000/office/family-planning-office",
            "region/410000/office/police-station",
        },
        "action": {
            "region/410000/v1/service/newborn-medical-insurance-card/step/2/action/1",
            "region/410000/v1/service/newborn-medical-insurance-card/step/2/action/2",
        },
    },
    "step-outputs": {"output": {"document/medical-birth-certificate"}},  # step 1
    "document-steps": {  # the household registration book
        "needed_for": {
            "region/410000/v1/service/newborn-medical-insurance-card/step/1",
            "region/410000/v1/service/newborn-medical-insurance-card/step/2",
            "region/410000/v1/service/newborn-medical-insurance-card/step/4",
            "region/410000/v1/service/newborn-medical-insurance-card/checklist/insurance-formalities",
        },
        "part": {"part/first-page", "part/childs-page"},
    },
    "document-source": {  # the family planning certificate
        "step": {"region/410000/v1/service/newborn-medical-insurance-card/step/2"},
        "action": {"region/410000/v1/service/newborn-medical-insurance-card/step/2/action/1"},
        "office": {"region/410000/office/family-planning-office"},
    },
    "step-prerequisites": {
        "prerequisite": {
            "region/410000/v1/service/newborn-medical-insurance-card/step/1",
            "region/410000/v1/service/newborn-medical-insurance-card/step/2",
            "region/410000/v1/service/newborn-medical-insurance-card/step/3",
        },  # step 4
        "provides": {
            "document/medical-birth-certificate",
            "document/childs-household-registration",
            "document/insurance-card",
        },
    },
    "next-step": {
        "next": {"region/410000/v1/service/newborn-medical-insurance-card/step/3"}
    },  # after step 2
    "previous-step": {
        "previous": {"region/410000/v1/service/newborn-medical-insurance-card/step/2"}
    },  # before step 3
    "checklist": {
        "document": {
            "document/marriage-certificate",
            "document/medical-birth-certificate",
            "document/household-registration-book",
            "document/family-planning-certificate",
            "document/childs-household-registration",
            "document/insurance-card",
            "document/resident-id-card",
            "document/one-inch-photo",
        },
        "form": {"form/copy"},
        "part": {"part/first-page", "part/childs-page", "part/both-sides"},
    },
    "activation-channels": {
        "channel": {
            "region/410000/v1/service/medical-insurance-card-activation/channel/associated-bank",
            "region/410000/v1/service/medical-insurance-card-activation/channel/social-security-centre",
            "region/410000/v1/service/medical-insurance-card-activation/channel/designated-hospital",
        },
        "office": {
            "region/410000/office/associated-bank",
            "region/410000/office/social-security-bureau",
            "region/410000/office/designated-hospital",
        },
        "document": {"document/medical-insurance-card", "document/resident-id-card"},
    },
    "channel-details": {  # the associated bank
        "password": {"password/bank-account", "password/medical-insurance-account"},
        "document": {"document/medical-insurance-card"},
        "office": {"region/410000/office/associated-bank"},
    },
    "legal-basis": {  # the one-month deadline
        "article": {"law/household-registration-regulations/article/7"},
        "rule": {"region/410000/v1/rule/birth-registration-deadline"},
    },
    "rules": {
        "rule": {
            "region/410000/v1/rule/birth-registration-deadline",
            "region/410000/v1/rule/abandoned-infant-registration",
            "region/410000/v1/rule/employee-medical-insurance",
            "region/410000/v1/rule/register-before-enrolment",
        },
        "article": {
            "law/household-registration-regulations/article/7",
            "law/social-insurance-law/article/23",
        },
    },
    "article-text": {
        "number": {"7"},
        "law": {"law/household-registration-regulations"},
        "adopted": {"1958-01-09"},
    },
    "birth-registration": {
        "deadline": {"P1M"},
        "declarant": {
            "role/head-of-household",
            "role/relative",
            "role/person-raising-the-child",
            "role/neighbour",
            "role/adopter",
            "role/infant-care-institution",
        },
        "declare_to": {"region/410000/office/police-station"},
        "article": {"law/household-registration-regulations/article/7"},
    },
    "insurance-office": {
        "office": {"region/410000/office/community-social-security-office"},
        "handles": {
            "region/410000/v1/service/newborn-medical-insurance-card/checklist/insurance-formalities",
            "region/410000/v1/service/newborn-medical-insurance-card/step/4",
        },
    },
    "service-overview": {
        "steps": {"4"},
        "channels": {"3"},
        "area": {"region/410000"},
        "output": {"document/medical-insurance-card"},
        "life_event": {"life-event/birth-of-a-child"},
    },
    "office-documents": {
        "document": {
            "document/childs-household-registration",
            "document/medical-birth-certificate",
        },
        "for": {"region/410000/v1/service/newborn-medical-insurance-card/step/3"},
    },
    "offices": {
        "office": {
            "region/410000/office/hospital",
            "region/410000/office/family-planning-office",
            "region/410000/office/police-station",
            "region/410000/office/postal-savings-bank",
            "region/410000/office/community-social-security-office",
            "region/410000/office/social-security-bureau",
            "region/410000/office/designated-hospital",
            "region/410000/office/associated-bank",
        }
    },
    "documents": {
        "produced_by": {
            "region/410000/v1/service/newborn-medical-insurance-card/step/1",
            "region/410000/v1/service/newborn-medical-insurance-card/step/2",
            "region/410000/v1/service/newborn-medical-insurance-card/step/3",
            "region/410000/v1/service/newborn-medical-insurance-card/step/4",
        }
    },
    "laws": {
        "number": {"7", "23"},
        "law": {
            "law/social-insurance-law",
            "law/household-registration-regulations",
            "law/maternal-and-infant-health-care-law",  # cited by issuing the birth certificate
        },
        "adopted": {"2010-10-28", "1958-01-09", "1994-10-27"},
    },
    "ambiguities": {},
    "sources": {"source": {"source/henan-newborn-medical-insurance-card/step-4"}},  # step 4
    "service-guide": {  # every service, with what the source leaves unsaid said so
        "service": {
            "region/410000/v1/service/newborn-medical-insurance-card",
            "region/410000/v1/service/medical-insurance-card-activation",
            "region/410000/v1/service/medical-birth-certificate",
            "region/410000/v1/service/birth-registration",
        },
    },
    "source-date": {  # REFERENCE.md §7: undated, most likely before 2019
        "source": {
            "source/henan-newborn-medical-insurance-card",
            "source/laweer-henan-newborn-insurance",
        },
        "url": {
            "http://isslerlaw.com/socialsecurityinquiry/tuorokqqrj.html",
            "https://laweer.com/question/bf390ddd0e7c4.html",
        },
        "likely_before": {"2019"},
    },
}

# Literal columns whose text must be in the requested language.
TEXT_COLUMNS = {
    "fee",
    "processing_time",
    "time_limit",
    "who",
    "how",
    "what",
    "text",
    "note",
    "basis",
    "condition",
    "specification",
    "effect",
    "starts",
    "summary",
    "about",
}


@pytest.fixture(scope="module")
def canned(store):
    return open_canned(load_config(environ={}), store)


def in_language(text, lang):
    """Chinese text has Chinese characters; either may quote a term in the other language."""
    cjk = len(CJK.findall(text))
    return cjk >= min(2, len(text)) if lang == "zh" else cjk < 0.05 * len(text)


def values(answer, column):
    return {cell["value"].removeprefix(ID) for row in answer.rows if (cell := row[column])}


def test_every_query_has_expectations(canned):
    assert set(EXPECTED) == set(canned.catalog), "add the new query's expected answer here"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_answer_as_the_source_says(canned, name, lang):
    query = canned.catalog[name]
    answer = canned.answer(name, {p.name: p.example for p in query.params}, lang)
    assert answer.rows, f"{name} returned nothing for its example"
    for column, expected in EXPECTED[name].items():
        assert values(answer, column) == expected, column
    for row in answer.rows:
        for column, cell in row.items():
            if cell is None or (cell["type"] == "literal" and column not in TEXT_COLUMNS):
                continue
            if cell["type"] == "uri" or column in TEXT_COLUMNS:
                assert in_language(cell["label"], lang), (column, cell)


def test_ambiguities_list_every_editorial_note(canned, store):
    notes = store.query(
        "SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#editorialNote> ?n }"
    )
    answer = canned.answer("ambiguities", {}, "en")
    assert values(answer, "about") == {str(r["s"]).removeprefix(ID) for r in notes.rows}
    assert (
        "region/410000/v1/service/newborn-medical-insurance-card/step/1/requirement/medical-birth-certificate"
        in values(answer, "about")
    )


def test_article_text_follows_the_language(canned):
    zh = canned.answer("article-text", {"article": "7"}, "zh").rows[0]["text"]["value"]
    en = canned.answer("article-text", {"article": "7"}, "en").rows[0]["text"]["value"]
    assert zh.startswith("婴儿出生后一个月以内") and en.startswith("Within one month")


def test_steps_come_in_order(canned):
    positions = [int(r["position"]["value"]) for r in canned.answer("steps", {}, "en").rows]
    assert positions == sorted(positions) and positions[0] == 1 and positions[-1] == 4


def test_checklist_is_de_duplicated_with_the_photo_condition(canned):
    rows = canned.answer("checklist", {}, "zh").rows
    keys = [
        (r["document"]["value"], (r["form"] or {}).get("value"), (r["part"] or {}).get("value"))
        for r in rows
    ]
    assert len(keys) == len(set(keys))
    photo = [r for r in rows if r["document"]["value"].endswith("one-inch-photo")]
    assert [r["condition"]["value"] for r in photo] == ["部分地区需要"]
    book = [
        r
        for r in rows
        if r["document"]["value"].endswith("household-registration-book") and not r["form"]
    ]
    assert book[0]["steps"]["value"] == "1, 2, 4"


def test_a_document_nobody_produces_has_no_source(canned):
    assert canned.answer("document-source", {"document": "结婚证"}, "zh").rows == ()


def test_both_stores_answer_every_query_the_same(canned):
    wsgi = sparql_wsgi(load_config(environ={})["DATA_FILES"])
    with LiveServer(wsgi) as server:
        remote = open_canned(
            load_config(
                {"STORE": "sparql", "ENDPOINT": f"{server.url}/sparql", "GRAPH": GRAPH},
                environ={},
            )
        )
        for name, query in canned.catalog.items():
            params = {p.name: p.example for p in query.params}
            for lang in ("zh", "en"):
                local, far = canned.answer(name, params, lang), remote.answer(name, params, lang)
                assert far.columns == local.columns, name
                assert sorted(map(json.dumps, far.rows)) == sorted(map(json.dumps, local.rows)), (
                    name
                )
    assert len(wsgi.seen) >= 2 * len(canned.catalog)


@pytest.mark.parametrize(
    "step, offices, actions",
    [
        ("1", {"region/410000/office/hospital"}, set()),
        (
            "2",
            {"region/410000/office/family-planning-office", "region/410000/office/police-station"},
            {
                "region/410000/v1/service/newborn-medical-insurance-card/step/2/action/1",
                "region/410000/v1/service/newborn-medical-insurance-card/step/2/action/2",
            },
        ),
        (
            "3",
            {"region/410000/office/postal-savings-bank"},
            {
                "region/410000/v1/service/newborn-medical-insurance-card/step/3/action/1",
                "region/410000/v1/service/newborn-medical-insurance-card/step/3/action/2",
                "region/410000/v1/service/newborn-medical-insurance-card/step/3/action/3",
            },
        ),
        ("4", {"region/410000/office/community-social-security-office"}, set()),
    ],
)
def test_step_offices_for_every_step(canned, step, offices, actions):
    answer = canned.answer("step-offices", {"step": step}, "en")
    assert values(answer, "office") == offices and values(answer, "action") == actions
    assert len(answer.rows) == max(1, len(actions))
    assert all(row["what"] for row in answer.rows)
