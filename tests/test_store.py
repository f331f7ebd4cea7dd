import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from service.loader import DataLoadError, data_version, load_store
from service.remote import SparqlStore
from service.store import EmbeddedStore, QueryError, StoreUnavailable, values_block, with_values

from .conftest import LiveServer
from .iris import CARD
from .sparql_fixture import GRAPH, sparql_wsgi

ID = "https://w3id.org/newborn-kg/id/"
STEPS = """PREFIX nkg: <https://w3id.org/newborn-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?step ?position ?label WHERE {
  ?step a nkg:Step ; nkg:position ?position ; rdfs:label ?label FILTER(lang(?label) = "en")
} ORDER BY ?position"""


def test_embedded_select_is_normalised(store):
    result = store.query(STEPS)
    assert result.kind == "SELECT" and result.variables == ("step", "position", "label")
    assert [str(r["step"]) for r in result.rows] == [f"{CARD}step/{n}" for n in (1, 2, 3, 4)]
    assert result.rows[0]["position"] == Literal(1)
    assert result.rows[2]["label"].language == "en"


def test_embedded_ask_and_construct(store):
    assert store.query("ASK { ?s a <http://purl.org/vocab/cpsv#PublicService> }").boolean is True
    assert store.query("ASK { ?s a <http://example.org/Nothing> }").boolean is False
    graph = store.query(
        f"CONSTRUCT {{ <{CARD}step/1> ?p ?o }} WHERE {{ <{CARD}step/1> ?p ?o }}"
    ).graph
    assert (
        URIRef(f"{CARD}step/1"),
        URIRef("https://w3id.org/newborn-kg/ontology#nextStep"),
        URIRef(f"{CARD}step/2"),
    ) in graph


def test_unbound_optional_values_are_left_out_of_rows(store):
    result = store.query(
        "SELECT ?s ?missing WHERE { VALUES ?s { <urn:x> } OPTIONAL { ?s <urn:p> ?missing } }"
    )
    assert result.rows == ({"s": URIRef("urn:x")},)


def test_bad_query_raises_query_error(store):
    with pytest.raises(QueryError):
        store.query("SELEC nothing")


def test_values_block_renders_terms_not_text():
    block = values_block(
        {
            "step": URIRef(f"{CARD}step/1"),
            "q": Literal('a "quoted" } UNION {', lang="en"),
        }
    )
    assert block == f'VALUES (?step ?q) {{ (<{CARD}step/1> "a \\"quoted\\" }} UNION {{"@en) }}'


def test_with_values_binds_at_the_top_of_the_first_where():
    query = "CONSTRUCT { ?r ?p ?o } where  {\n  ?r ?p ?o }"
    bound = with_values(query, {"r": URIRef(f"{ID}step/1")})
    assert (
        bound
        == f"CONSTRUCT {{ ?r ?p ?o }} where  {{\n  VALUES (?r) {{ (<{ID}step/1>) }}\n  ?r ?p ?o }}"
    )
    assert with_values(query, {}) == query
    with pytest.raises(ValueError, match="no WHERE"):
        with_values("ASK { ?s ?p ?o }", {"s": URIRef(f"{ID}step/1")})


def test_data_version_follows_content(tmp_path):
    a = tmp_path / "a.ttl"
    a.write_text("<urn:a> <urn:b> <urn:c> .\n")
    first = data_version([a])
    assert first == data_version([a])
    a.write_text("<urn:a> <urn:b> <urn:d> .\n")
    assert data_version([a]) != first


def test_malformed_file_names_file_and_line(tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text("<urn:a> <urn:b> <urn:c> .\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text('<urn:a> <urn:b> <urn:c> .\n\n<urn:a> <urn:b> "unterminated .\n')
    with pytest.raises(DataLoadError, match=rf"^{bad}:3:\d+: "):
        load_store([good, bad])


BUNDLE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/prov#Bundle>"


def test_each_file_is_the_named_graph_it_describes(tmp_path):
    region = tmp_path / "region.ttl"
    region.write_text(f"<urn:g> {BUNDLE} .\n<urn:a> <urn:b> <urn:c> .\n")
    loose = tmp_path / "loose.ttl"
    loose.write_text("<urn:x> <urn:y> <urn:z> .\n")
    store = load_store([region, loose])
    graphs = {str(q.graph_name) for q in store}
    assert graphs == {"<urn:g>", "DEFAULT"}
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode("urn:g")))) == 2


def test_a_file_describing_two_graphs_is_refused(tmp_path):
    two = tmp_path / "two.ttl"
    two.write_text(f"<urn:g1> {BUNDLE} .\n<urn:g2> {BUNDLE} .\n")
    with pytest.raises(DataLoadError, match="one graph a file"):
        load_store([two])


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# only a comment\n", "@prefix ex: <http://ex/> .\n", "\ufeff"]
)
def test_a_file_without_triples_is_refused(tmp_path, text):
    good = tmp_path / "good.ttl"
    good.write_text("<urn:a> <urn:b> <urn:c> .\n")
    empty = tmp_path / "empty.ttl"
    empty.write_text(text, encoding="utf-8")
    with pytest.raises(DataLoadError, match=rf"^{empty}: the file holds no triples$"):
        load_store([good, empty])


def test_a_byte_order_mark_is_accepted(tmp_path):
    marked = tmp_path / "bom.ttl"
    marked.write_bytes(b"\xef\xbb\xbf@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\n")
    assert len(load_store([marked])) == 1
    # line numbers still count from the file's first line
    marked.write_bytes(b"\xef\xbb\xbf@prefix ex: <http://ex/> .\nex:a ex:b .\n")
    with pytest.raises(DataLoadError, match=rf"^{marked}:2:"):
        load_store([marked])


def test_a_file_named_nt_is_read_as_n_triples(tmp_path):
    plain = tmp_path / "plain.nt"
    plain.write_text(f'<urn:g> {BUNDLE} .\n<urn:a> <urn:b> "c"@zh .\n')
    store = load_store([plain])
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode("urn:g")))) == 2
    # Turtle's abbreviations are not N-Triples: refused, by file and line, not read as Turtle
    plain.write_text("<urn:a> <urn:b> <urn:c> .\n@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\n")
    with pytest.raises(DataLoadError, match=rf"^{plain}:2:"):
        load_store([plain])
    turtle = tmp_path / "same.ttl"
    turtle.write_text(plain.read_text())
    assert len(load_store([turtle])) == 2


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataLoadError, match="no such data file"):
        EmbeddedStore([str(tmp_path / "absent.ttl")])


@pytest.fixture(scope="module")
def remote(store):
    from service.config import load_config

    wsgi = sparql_wsgi(load_config(environ={})["DATA_FILES"])
    with LiveServer(wsgi) as server:
        yield SparqlStore(f"{server.url}/sparql", [GRAPH]), wsgi


def test_remote_store_returns_the_same_shape_and_rows(remote, store):
    remote_store, wsgi = remote
    assert remote_store.kind == "sparql"
    assert remote_store.triple_count() == store.triple_count()
    assert remote_store.query(STEPS) == store.query(STEPS)
    assert remote_store.query("ASK { ?s ?p ?o }") == store.query("ASK { ?s ?p ?o }")
    construct = f"CONSTRUCT {{ <{CARD}step/1> ?p ?o }} WHERE {{ <{CARD}step/1> ?p ?o }}"
    assert set(remote_store.query(construct).graph) == set(store.query(construct).graph)
    assert wsgi.seen, "the remote store did go over HTTP"


def test_remote_errors_become_query_errors(remote):
    with pytest.raises(QueryError):
        remote[0].query("SELEC nothing")


def test_unreachable_endpoint_is_unavailable_not_a_query_error():
    from .conftest import free_port

    with pytest.raises(StoreUnavailable):
        SparqlStore(f"http://127.0.0.1:{free_port()}/sparql", [GRAPH], timeout=2)


def test_remote_data_version_hashes_the_content(tmp_path):
    from service.config import load_config

    files = load_config(environ={})["DATA_FILES"]
    changed = tmp_path / "data.ttl"
    changed.write_text(
        open(files[1], encoding="utf-8").read().replace("第1步：", "第一步：", 1), encoding="utf-8"
    )
    versions = []
    for paths in (files, files, [files[0], str(changed)]):
        with LiveServer(sparql_wsgi(paths)) as server:
            versions.append(SparqlStore(f"{server.url}/sparql", [GRAPH]).data_version)
    assert versions[0] == versions[1] != versions[2]
