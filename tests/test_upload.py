"""`newborn-kg load` fails clearly before touching a store it cannot use (the loading itself
runs against a real Virtuoso in test_virtuoso.py and test_cluster.py)."""

from click.testing import CliRunner

from service.cli import main
from service.upload import ntriples

from .conftest import free_port

GRAPH = "https://w3id.org/newborn-kg/graph"


def load(*args, env=None):
    return CliRunner().invoke(main, ["load", *args], env=env or {})


def test_an_unset_password_variable_is_named():
    result = load("--endpoint", "http://127.0.0.1:1/u", "--graph", GRAPH, "--user", "u",
                  "--password-env", "NEWBORN_KG_TEST_UNSET")  # fmt: skip
    assert result.exit_code == 1 and "NEWBORN_KG_TEST_UNSET" in result.output


def test_an_unreachable_store_is_one_clear_line():
    url = f"http://127.0.0.1:{free_port()}/update"
    result = load("--endpoint", url, "--graph", GRAPH)
    assert result.exit_code == 1
    assert f"newborn-kg: {url} cannot be reached" in result.output.splitlines()[-1]


def test_a_graph_that_is_not_an_iri_is_refused_before_sending():
    result = load("--endpoint", f"http://127.0.0.1:{free_port()}/u", "--graph", "not an iri")
    assert result.exit_code == 1 and "is not a graph IRI" in result.output


def test_the_triples_sent_are_the_files_triples(store):
    from service.config import load_config

    lines = ntriples(load_config(environ={})["DATA_FILES"])
    assert len(lines) == store.triple_count() and lines == sorted(lines)
