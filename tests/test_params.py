import pytest
from rdflib import Literal, URIRef

from service.catalog import Param
from service.errors import status_of
from service.index import EntityIndex
from service.params import ParamError, resolve, resolve_all

ID = "https://w3id.org/newborn-kg/id/"
STEP = "https://w3id.org/newborn-kg/ontology#Step"
DOC = "https://w3id.org/newborn-kg/ontology#Document"


def param(name="step", classes=(STEP,), type="iri"):
    return Param(name, type, classes, {"zh": "", "en": ""}, "1")


@pytest.fixture(scope="module")
def index(store):
    return EntityIndex.build(store, ID)


@pytest.mark.parametrize(
    "raw",
    [
        f"{ID}step/3",
        f"<{ID}step/3>",
        "id:step/3",
        "step/3",
        "3",
        "第三步",
        "步骤三",
        "Step three",
        "第3步：到中国邮政储蓄银行开户并申领参保卡",
        "  bank step  ",
        "ＳＴＥＰ ＴＨＲＥＥ",
    ],
)
def test_a_step_is_found_by_iri_curie_local_name_or_label(index, raw):
    assert resolve(param(), raw, index, "en") == URIRef(f"{ID}step/3")


@pytest.mark.parametrize(
    "raw",
    ["户口本", "户口簿", "hukou booklet", "Household Register", "household-registration-book"],
)
def test_documents_by_synonym(index, raw):
    assert resolve(param("document", (DOC,)), raw, index, "zh") == URIRef(
        f"{ID}document/household-registration-book"
    )


def test_the_wrong_class_is_refused_with_the_allowed_values(index):
    with pytest.raises(ParamError) as info:
        resolve(param(), "户口本", index, "en")
    assert status_of(info.value) == 400 and info.value.details["param"] == "step"
    assert info.value.details["allowed"][0].startswith("1 (Step 1:")
    assert len(info.value.details["allowed"]) == 4


def test_ambiguous_labels_list_the_candidates():
    index = EntityIndex(base=ID)
    for n in ("a", "b"):
        index.names["twin"].add(f"{ID}x/{n}")
        index.members["urn:C"].add(f"{ID}x/{n}")
        index.labels[f"{ID}x/{n}"] = {"en": f"twin {n}"}
    with pytest.raises(ParamError, match="ambiguous") as info:
        resolve(param("thing", ("urn:C",)), "twin", index, "en")
    assert info.value.details["allowed"] == ["a (twin a)", "b (twin b)"]


def test_labels_fall_back_to_the_other_language():
    index = EntityIndex(
        base=ID, labels={"urn:x": {"en": "only English"}, "urn:y": {"zh": "只有中文"}}
    )
    assert index.label("urn:x", "zh") == "only English"
    assert index.label("urn:y", "en") == "只有中文"
    assert index.label("urn:z", "en") is None


def test_other_types():
    assert resolve(param("l", (), "lang"), "en", None, "en") == Literal("en")
    assert resolve(param("n", (), "integer"), "42", None, "en") == Literal(42)
    assert str(resolve(param("d", (), "date"), "2026-11-03", None, "en")) == "2026-11-03"
    for type_, raw in [("lang", "fr"), ("integer", "4x"), ("integer", "٤"), ("date", "2026-02-30")]:
        with pytest.raises(ParamError):
            resolve(param("p", (), type_), raw, None, "en")


def test_unknown_and_missing_params(store, index):
    from service.catalog import load_catalog

    from .conftest import ROOT

    query = load_catalog(ROOT / "queries")["step-documents"]
    with pytest.raises(ParamError, match="takes no such parameter") as info:
        resolve_all(query, {"step": "1", "colour": "red"}, index, "en")
    assert info.value.details["allowed"] == ["step"]
    with pytest.raises(ParamError, match="is required"):
        resolve_all(query, {}, index, "en")
