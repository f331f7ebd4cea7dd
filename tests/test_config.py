import re

import pytest

from service.config import SETTINGS, ConfigError, load_config, parse_list

from .conftest import ROOT


def test_defaults_without_environment():
    config = load_config(environ={})
    assert config["STORE"] == "embedded"
    assert config["BASE_URI"] == "https://w3id.org/newborn-kg/"
    assert [p.rsplit("/", 1)[-1] for p in config["DATA_FILES"]] == [
        "ontology.ttl",
        "data.ttl",
    ]
    assert config["QUERY_TIMEOUT"] == 10.0 and config["MAX_ROWS"] == 10000


def test_environment_overrides_defaults_and_explicit_overrides_win():
    env = {
        "NEWBORN_KG_MAX_ROWS": "50",
        "NEWBORN_KG_QUERY_TIMEOUT": "2.5",
        "NEWBORN_KG_STORE": "sparql",
        "NEWBORN_KG_ENDPOINT": "http://127.0.0.1:1/sparql",
        "NEWBORN_KG_GRAPH": "https://w3id.org/newborn-kg/graph",
        "OTHER_MAX_ROWS": "7",
    }
    config = load_config(environ=env)
    assert (config["MAX_ROWS"], config["QUERY_TIMEOUT"], config["STORE"]) == (50, 2.5, "sparql")
    config = load_config({"MAX_ROWS": 3, "STORE": "embedded"}, environ=env)
    assert (config["MAX_ROWS"], config["STORE"]) == (3, "embedded")


def test_data_files_from_environment_as_list_or_commas():
    assert load_config(environ={"NEWBORN_KG_DATA_FILES": "a.ttl, b.ttl"})["DATA_FILES"] == [
        "a.ttl",
        "b.ttl",
    ]
    assert load_config(environ={"NEWBORN_KG_DATA_FILES": '["a.ttl","b.ttl"]'})["DATA_FILES"] == [
        "a.ttl",
        "b.ttl",
    ]


@pytest.mark.parametrize(
    "text, items",
    [
        ("a.ttl", ["a.ttl"]),
        (" a.ttl , b.ttl ,", ["a.ttl", "b.ttl"]),
        ("", []),
        ('["a,b.ttl", "c.ttl"]', ["a,b.ttl", "c.ttl"]),
        (' [ "数据.ttl" ]', ["数据.ttl"]),
        ("[]", []),
    ],
)
def test_parse_list_reads_json_lists_or_commas(text, items):
    assert parse_list(text) == items


@pytest.mark.parametrize("text", ['["a.ttl"', '["a.ttl", 3]', '[["a"]]'])
def test_parse_list_refuses_broken_json(text):
    with pytest.raises(ConfigError):
        parse_list(text)


def test_a_broken_data_files_list_names_the_key():
    with pytest.raises(ConfigError, match="DATA_FILES: not a JSON list"):
        load_config(environ={"NEWBORN_KG_DATA_FILES": '["a.ttl"'})


@pytest.mark.parametrize(
    "overrides, needle",
    [
        ({"STORE": "mysql"}, "STORE must be one of embedded, sparql"),
        ({"STORE": "sparql"}, "needs ENDPOINT"),
        ({"STORE": "sparql", "ENDPOINT": "http://127.0.0.1:1/sparql"}, "needs GRAPH"),
        ({"STORE_CONCURRENCY": 0}, "STORE_CONCURRENCY must be positive"),
        ({"MAX_ROWS": "many"}, "MAX_ROWS must be a number"),
        ({"QUERY_TIMEOUT": -1}, "QUERY_TIMEOUT must be positive"),
        ({"BASE_URI": "https://example.org/x"}, "BASE_URI must end"),
    ],
)
def test_bad_values_are_refused_with_a_message(overrides, needle):
    with pytest.raises(ConfigError, match=needle):
        load_config(overrides, environ={})


def test_every_setting_is_in_the_readme_config_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\|\s*`([A-Z_]+)`\s*\|", readme, flags=re.M))
    assert set(SETTINGS) - documented == set(), "add these keys to README.md's config table"
    assert documented - set(SETTINGS) == set(), "README.md documents keys the service does not have"


def test_access_log_is_a_boolean_from_the_environment():
    assert load_config(environ={})["ACCESS_LOG"] is False
    assert load_config(environ={"NEWBORN_KG_ACCESS_LOG": "true"})["ACCESS_LOG"] is True
    assert load_config(environ={"NEWBORN_KG_ACCESS_LOG": "0"})["ACCESS_LOG"] is False
    with pytest.raises(ConfigError, match="ACCESS_LOG"):
        load_config(environ={"NEWBORN_KG_ACCESS_LOG": "sometimes"})
