"""The birth-registration deadline: calendar months done right, from the graph's rule; bad dates 400."""

from datetime import date

import pytest
from openapi_spec_validator import validate

from service.deadline import add_duration, duration_words

from .conftest import parsed_graph

NKG = "https://w3id.org/newborn-kg/ontology#"


@pytest.mark.parametrize(
    "birth, duration, deadline",
    [
        ("2024-01-31", "P1M", "2024-02-29"),  # leap year: the last day of February
        ("2023-01-31", "P1M", "2023-02-28"),
        ("2000-01-31", "P1M", "2000-02-29"),  # divisible by 400: leap
        ("2100-01-31", "P1M", "2100-02-28"),  # divisible by 100 only: not leap
        ("2023-12-15", "P1M", "2024-01-15"),  # across the year
        ("2024-03-31", "P1M", "2024-04-30"),
        ("2024-02-29", "P1M", "2024-03-29"),
        ("2024-02-29", "P1Y", "2025-02-28"),
        ("2024-01-31", "P1M1D", "2024-03-01"),
        ("2024-12-31", "P10D", "2025-01-10"),
    ],
)
def test_add_duration_counts_calendar_months(birth, duration, deadline):
    assert add_duration(date.fromisoformat(birth), duration).isoformat() == deadline


@pytest.mark.parametrize("duration", ["P", "PT1H", "1M", "P1W", ""])
def test_add_duration_refuses_what_it_cannot_count(duration):
    with pytest.raises(ValueError):
        add_duration(date(2024, 1, 1), duration)


def test_the_api_reads_the_rule_from_the_graph(client, store):
    # read here with rdflib from the files: the rule's OWL-Time duration as ISO 8601
    graph, time = parsed_graph(), "http://www.w3.org/2006/time#"
    rule, node = next(
        (str(r), d) for r, d in graph.subject_objects(predicate=_iri(NKG + "deadlineDuration"))
    )
    amount = graph.value(node, _iri(time + "numericDuration"))
    unit = {"unitMonth": "M", "unitYear": "Y", "unitDay": "D"}[
        str(graph.value(node, _iri(time + "unitType"))).removeprefix(time)
    ]
    duration = f"P{amount}{unit}"
    response = client.get("/api/deadline?birth=2024-01-31&lang=en")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert set(body) >= {"birth", "deadline", "rule", "source"}
    assert body["birth"] == "2024-01-31"
    assert body["deadline"] == add_duration(date(2024, 1, 31), duration).isoformat()
    assert body["rule"]["iri"] == rule and body["rule"]["duration"] == duration
    article = parsed_graph().value(_iri(rule), _iri("http://data.europa.eu/m8g/hasLegalResource"))
    assert body["source"]["iri"] == str(article) and body["source"]["label"]


@pytest.mark.parametrize(
    "birth",
    [
        "",
        "2024-1-31",
        "31/01/2024",
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "9999-12-15",
        "２０２４-01-31",
        "2024-01-31\n",
    ],
)
def test_bad_or_impossible_dates_are_400_in_the_one_shape(client, birth):
    response = client.get("/api/deadline", query_string={"birth": birth})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["param"] == "birth" and repr(birth) in error["message"]


def test_a_missing_date_is_400(client):
    response = client.get("/api/deadline")
    assert response.status_code == 400 and response.get_json()["error"]["param"] == "birth"


def test_the_deadline_is_in_openapi(client):
    spec = client.get("/openapi.json").get_json()
    validate(spec)
    operation = spec["paths"]["/api/deadline"]["get"]
    assert [p["name"] for p in operation["parameters"]][0] == "birth"
    assert set(operation["responses"]) == {"200", "400"}


def _iri(text):
    from rdflib import URIRef

    return URIRef(text)


@pytest.mark.parametrize(
    "duration, zh, en",
    [
        ("P1M", "1个月", "1 month"),
        ("P2Y", "2年", "2 years"),
        ("P1M10D", "1个月10天", "1 month 10 days"),
        ("PT1H", "", ""),
    ],
)
def test_durations_in_words(duration, zh, en):
    assert duration_words(duration, "zh") == zh and duration_words(duration, "en") == en
