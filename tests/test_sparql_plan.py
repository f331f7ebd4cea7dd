"""plan(): the /sparql request decided without HTTP: form, format, dataset, refusals."""

import pytest
from werkzeug.datastructures import MIMEAccept, MultiDict

from service.errors import status_of
from service.problems import Problem
from service.sparql.plan import Incoming, plan

ASK = "ASK {}"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def incoming(method="GET", mimetype="", args=None, form=None, body=b"", accept=(), charset=None):
    return Incoming(
        method,
        mimetype,
        charset,
        MultiDict(args or {}),
        MultiDict(form or {}),
        body,
        MIMEAccept(list(accept)),
    )


def test_a_get_without_query_asks_for_the_description():
    assert plan(incoming(), 100, None) is None


def test_form_and_format_follow_the_query_and_accept():
    select = plan(incoming(args={"query": "SELECT * WHERE { ?s ?p ?o }"}), 100, None)
    assert (select.form, select.fmt, select.mime) == (
        "SELECT",
        "json",
        "application/sparql-results+json",
    )
    graph = plan(
        incoming(args={"query": CONSTRUCT}, accept=[("application/n-triples", 1)]), 100, None
    )
    assert (graph.form, graph.fmt) == ("CONSTRUCT", "ntriples")
    xml = plan(incoming(args={"query": CONSTRUCT, "format": "xml"}), 100, None)
    assert xml.fmt == "rdfxml"


def test_the_three_protocol_forms_and_the_dataset():
    direct = plan(incoming("POST", "application/sparql-query", body=ASK.encode()), 100, None)
    posted = plan(
        incoming(
            "POST",
            "application/x-www-form-urlencoded",
            form={"query": ASK, "default-graph-uri": "urn:g"},
        ),
        100,
        None,
    )
    assert direct.query == posted.query == ASK and posted.default == ["urn:g"]


@pytest.mark.parametrize(
    ("asked", "status"),
    [
        (incoming("POST", "application/sparql-update", body=b"CLEAR ALL"), 403),
        (incoming("POST", "text/plain", body=ASK.encode()), 415),
        (incoming("POST", "application/sparql-query", body=b"ASK {}", charset="latin1"), 415),
        (incoming(args={"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"}), 403),
        (incoming(args={"query": ASK + " " * 200}), 400),
        (incoming(args={"query": [ASK, ASK]}), 400),
        (incoming(args={"query": ASK}, accept=[("image/png", 1)]), 406),
        (incoming("POST", "application/x-www-form-urlencoded"), 400),
    ],
)
def test_refusals_are_4xx(asked, status):
    with pytest.raises(Problem) as caught:
        plan(asked, 100, None)
    assert status_of(caught.value) == status


def test_a_remote_store_allows_only_its_graph():
    asked = incoming(args={"query": ASK, "named-graph-uri": "urn:other"})
    with pytest.raises(Problem) as caught:
        plan(asked, 100, {"urn:mine"})
    assert status_of(caught.value) == 403
