"""Contract codegen (Pydantic → msgspec Structs and Strawberry types): golden files plus behaviour.

Golden files follow datamodel-code-generator's style: each case under data/<case>/ holds a small Pydantic
module (models.py) and the expected outputs. Refresh them with ``ATELIER_UPDATE_GOLDEN=1``; review the diff.
The behaviour tests import the golden modules, so what is pinned is also proved to work.
"""

import dataclasses
import datetime
import importlib
import importlib.util
import os
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pydantic
import pytest
import strawberry
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from codegen import gql_types, structs
from codegen.json_schema import SchemaError, build_schema, contract_kind

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parent / "data"
CASES = sorted(path.name for path in DATA.iterdir() if (path / "models.py").exists())
UPDATE = os.environ.get("ATELIER_UPDATE_GOLDEN") == "1"
PACKAGE = "tests.unit.codegen.data"

if str(ROOT) not in sys.path:  # the golden gql modules import their Structs as tests.unit.codegen.data.<case>
    sys.path.insert(0, str(ROOT))


def _case(case: str, module: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{case}.{module}")


def _render(case: str, kind: str) -> str:
    models = _case(case, "models")
    if kind == "structs":
        return structs.render_structs(models.CONTRACTS, models.ENUMS)
    return gql_types.render_gql_types(
        models.CONTRACTS, models.ENUMS, contracts_module=f"{PACKAGE}.{case}.expected_structs"
    )


@pytest.mark.parametrize("kind", ["structs", "gql"])
@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, kind: str) -> None:
    path = DATA / case / f"expected_{kind}.py"
    rendered = _render(case, kind)
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8"), (
        f"{path} is stale: rerun with ATELIER_UPDATE_GOLDEN=1"
    )


def test_real_schema_renders_deterministically() -> None:
    first, second = structs.render_structs(), structs.render_structs()
    assert first == second and first.endswith("\n") and not first.endswith("\n\n")
    assert gql_types.render_gql_types() == gql_types.render_gql_types()


# --- msgspec Structs ---------------------------------------------------------------------------------------


def test_structs_decode_camel_case_json_into_snake_case_attributes() -> None:
    mod = _case("enums_constraints", "expected_structs")
    raw = b'{"name": "Sky", "code": "ABC", "colour": "dark_blue", "isPublic": true, "note": null}'
    got = msgspec.json.decode(raw, type=mod.SwatchCreate)
    assert (got.is_public, got.colour, got.note, got.weight, got.settings) == (
        True,
        mod.Colour.DARK_BLUE,
        None,
        1.0,
        {},
    )
    assert b'"isPublic":true' in msgspec.json.encode(got)


def test_nested_lists_decode_and_keep_camel_case_inside() -> None:
    mod = _case("nested_list", "expected_structs")
    raw = b'{"title": "t", "tags": [{"displayName": "a", "kind": "photo"}], "kinds": ["drawing"]}'
    got = msgspec.json.decode(raw, type=mod.GalleryCreate)
    assert got.tags == [mod.TagCreate(display_name="a", kind=mod.Kind.PHOTO)] and got.kinds == [
        mod.Kind.DRAWING
    ]
    with pytest.raises(msgspec.ValidationError, match="length <= 3"):
        msgspec.json.decode(
            b'{"title": "t", "tags": [{"displayName": "a"}, {"displayName": "b"}, '
            b'{"displayName": "c"}, {"displayName": "d"}]}',
            type=mod.GalleryCreate,
        )


def test_inputs_reject_unknown_fields_and_views_accept_them() -> None:
    mod = _case("enums_constraints", "expected_structs")
    with pytest.raises(msgspec.ValidationError, match="unknown field `is_public`"):
        msgspec.json.decode(b'{"name": "a", "code": "ABC", "is_public": true}', type=mod.SwatchCreate)
    view = (
        b'{"id": "%s", "name": "n", "colour": "red", "weight": 1, "note": null, '
        b'"createdAt": "2026-01-01T00:00:00Z", "addedLater": 1}' % str(uuid.uuid4()).encode()
    )
    assert msgspec.json.decode(view, type=mod.Swatch).created_at.year == 2026


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        (b'{"name": "%s", "code": "ABC"}' % (b"x" * 21), "length <= 20"),
        (b'{"name": "", "code": "ABC"}', "length >= 1"),
        (b'{"name": "a", "code": "abc"}', "matching regex"),
        (b'{"name": "a", "code": "ABC", "weight": 0}', "> 0.0"),
        (b'{"name": "a", "code": "ABC", "count": 10}', "<= 9"),
        (b'{"name": "a", "code": "ABC", "note": "%s"}' % (b"n" * 51), "length <= 50"),
        (b'{"name": "a", "code": "ABC", "colour": "green"}', "Invalid enum value"),
    ],
)
def test_constraints_are_enforced(payload: bytes, error: str) -> None:
    mod = _case("enums_constraints", "expected_structs")
    with pytest.raises(msgspec.ValidationError, match=error):
        msgspec.json.decode(payload, type=mod.SwatchCreate)


def test_patch_tells_unsent_from_null_and_create_does_not_use_unset() -> None:
    mod = _case("update_patch", "expected_structs")
    patch = msgspec.json.decode(b'{"body": null}', type=mod.NoteUpdate)
    assert (patch.title, patch.body, patch.pinned) == (msgspec.UNSET, None, msgspec.UNSET)
    assert msgspec.json.encode(patch) == b'{"body":null}'
    create = msgspec.json.decode(b'{"title": "t"}', type=mod.NoteCreate)
    assert msgspec.structs.asdict(create) == {"title": "t", "body": None, "pinned": False, "labels": []}


def test_graphql_only_models_are_not_structs_and_x_rest_kind_overrides_the_name() -> None:
    mod = _case("graphql_only_input", "expected_structs")
    assert not hasattr(mod, "UpdateItemInput")
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.json.decode(b'{"text": "a", "extra": 1}', type=mod.ItemSearch)


# --- Strawberry types --------------------------------------------------------------------------------------


def _mutation_schema(mod: ModuleType, inp: type, seen: list[Any]) -> strawberry.Schema:
    @strawberry.type
    class Query:
        ok: bool = True

    @strawberry.type
    class Mutation:
        @strawberry.mutation
        def run(self, data: inp) -> bool:  # type: ignore[valid-type]
            seen.append(data)
            return True

    return strawberry.Schema(query=Query, mutation=Mutation)


def _run(schema: strawberry.Schema, data: str) -> None:
    result = schema.execute_sync(f"mutation {{ run(data: {data}) }}")
    assert result.errors is None, result.errors


def test_to_contract_keeps_unset_apart_from_null() -> None:
    mod = _case("update_patch", "expected_gql")
    seen: list[Any] = []
    schema = _mutation_schema(mod, mod.UpdateNoteInput, seen)
    _run(schema, '{body: null, labels: ["a"]}')
    _run(schema, "{}")
    sent, empty = (item.to_contract() for item in seen)
    assert (sent.title, sent.body, sent.pinned, sent.labels) == (msgspec.UNSET, None, msgspec.UNSET, ["a"])
    assert msgspec.json.encode(sent) == b'{"body":null,"labels":["a"]}'
    assert msgspec.json.encode(empty) == b"{}"


def test_to_contract_applies_contract_defaults_and_constraints() -> None:
    mod = _case("update_patch", "expected_gql")
    created = mod.CreateNoteInput(title="t").to_contract()
    assert (created.body, created.pinned, created.labels) == (None, False, [])
    with pytest.raises(msgspec.ValidationError, match="length >= 1"):
        mod.CreateNoteInput(title="").to_contract()
    with pytest.raises(msgspec.ValidationError, match="Expected `bool`, got `null`"):
        mod.CreateNoteInput(title="t", pinned=None).to_contract()


def test_nested_inputs_convert_with_enums_and_camel_case_structs() -> None:
    mod = _case("nested_list", "expected_gql")
    inp = mod.CreateGalleryInput(title="g", tags=[mod.TagInput(display_name="a", kind=mod.Kind.PHOTO)])
    got = inp.to_contract()
    assert got.tags[0].display_name == "a" and got.tags[0].kind.value == "photo" and got.kinds == []


def test_graphql_only_input_converts_to_its_rest_base() -> None:
    mod = _case("graphql_only_input", "expected_gql")
    item_id = uuid.uuid4()
    got = mod.UpdateItemInput(item_id=item_id, label="new").to_contract()
    assert type(got).__name__ == "ItemUpdate" and (got.label, got.quantity) == ("new", msgspec.UNSET)
    with pytest.raises(msgspec.ValidationError, match=">= 0"):
        mod.UpdateItemInput(item_id=item_id, quantity=-1).to_contract()


def test_from_contract_builds_the_subclass_with_nested_types() -> None:
    mod = _case("nested_list", "expected_gql")
    structs_mod = _case("nested_list", "expected_structs")
    tag = structs_mod.Tag(display_name="t", kind=structs_mod.Kind.DRAWING)
    view = structs_mod.Gallery(
        id=uuid.uuid4(),
        tags=[tag],
        cover_tag=None,
        kinds=[structs_mod.Kind.PHOTO],
        scores=[1],
        extra={"k": [1]},
    )

    @strawberry.type(name="Gallery")
    class Gallery(mod.GalleryFields):  # type: ignore[misc, name-defined]
        @strawberry.field
        def tag_count(self) -> int:
            return len(self.tags)

    @strawberry.type
    class Query:
        @strawberry.field
        def gallery(self) -> Gallery:
            return Gallery.from_contract(view)

    built = Gallery.from_contract(view)
    assert type(built) is Gallery and built.tags[0] == mod.TagFields(display_name="t", kind=mod.Kind.DRAWING)
    result = strawberry.Schema(query=Query).execute_sync(
        "{ gallery { tagCount coverTag { displayName } tags { displayName kind } kinds extra } }"
    )
    assert result.errors is None
    assert result.data == {
        "gallery": {
            "tagCount": 1,
            "coverTag": None,
            "tags": [{"displayName": "t", "kind": "DRAWING"}],
            "kinds": ["PHOTO"],
            "extra": {"k": [1]},
        }
    }


def test_real_board_type_builds_a_schema() -> None:
    from app.contracts import _generated as contracts
    from app.graphql._generated import types

    now = datetime.datetime.now(datetime.UTC)
    view = contracts.Board(
        id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        owner_id=uuid.uuid4(),
        title="b",
        description=None,
        is_public=True,
        settings={},
        metadata={"a": 1},
        created_at=now,
        updated_at=now,
    )

    @strawberry.type(name="Board")
    class Board(types.BoardFields):
        pass

    @strawberry.type
    class Query:
        @strawberry.field
        def board(self) -> Board:
            return Board.from_contract(view)

    schema = strawberry.Schema(query=Query)
    assert "isPublic: Boolean!" in str(schema)
    result = schema.execute_sync("{ board { isPublic metadata createdAt } }")
    assert result.errors is None and result.data is not None
    assert result.data["board"]["isPublic"] is True and result.data["board"]["metadata"] == {"a": 1}


# --- normalisation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "meta", "kind"),
    [
        ("BoardUpdate", {}, "patch"),
        ("UpdateBoardInput", {"x-graphql": {"kind": "input"}}, "patch"),
        ("BoardCreate", {}, "input"),
        ("BoardListQuery", {}, "input"),
        ("Board", {"x-graphql": {"kind": "type"}}, "view"),
        ("Updater", {}, "view"),
        ("Search", {"x-rest": {"kind": "input"}}, "input"),
    ],
)
def test_contract_kind(name: str, meta: dict[str, Any], kind: str) -> None:
    assert contract_kind(name, meta) == kind


def _load(source: str, name: str, tmp_path: Path) -> ModuleType:
    """Import generated text as a real module: msgspec resolves annotations from sys.modules (STYLE §3.4)."""
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_optional_discriminated_union_is_hoisted_and_tagged(tmp_path: Path) -> None:
    from typing import Annotated, Literal

    class Cat(pydantic.BaseModel):
        kind: Literal["cat"]
        lives: int

    class Dog(pydantic.BaseModel):
        kind: Literal["dog"]
        good: bool

    class Owner(pydantic.BaseModel):
        pet: Annotated[Cat | Dog, pydantic.Field(discriminator="kind")] | None = None

    defs = build_schema([Cat, Dog, Owner], [])["$defs"]
    assert defs["Owner"]["properties"]["pet"]["anyOf"][0] == {"$ref": "#/$defs/OwnerPet"}
    module = _load(structs.render_structs([Cat, Dog, Owner], []), "_codegen_union_case", tmp_path)
    got = msgspec.json.decode(b'{"pet": {"kind": "dog", "good": true}}', type=module.Owner)
    assert type(got.pet).__name__ == "Dog"
    assert msgspec.json.decode(b'{"pet": null}', type=module.Owner).pet is None


def test_gql_rejects_a_type_that_nests_a_skipped_model() -> None:
    models = _case("nested_list", "models")

    class Shelf(models.Contract):  # type: ignore[name-defined, misc]
        model_config = {"json_schema_extra": {"x-graphql": {"name": "Shelf", "kind": "type"}}}
        page: models.GalleryPage

    with pytest.raises(SchemaError, match="GalleryPage"):
        gql_types.render_gql_types([*models.CONTRACTS, Shelf], models.ENUMS)


# --- property: generated constraints match the Pydantic source ---------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
_JSON_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), _TEXT)


def _sized(low: int, high: int) -> st.SearchStrategy[str]:
    """Strings whose lengths cluster around a limit (plain text rarely reaches 200 or 5000 characters)."""
    return st.one_of(st.integers(low, high).map(lambda n: "é" * n), _TEXT)


def _board_create_like() -> st.SearchStrategy[dict[str, Any]]:
    """Mostly valid BoardCreate dicts near the length limits, some with one wrong value or an unknown key."""
    valid = st.fixed_dictionaries(
        {"title": _sized(0, 202)},
        optional={
            "description": st.one_of(st.none(), _sized(4998, 5002)),
            "is_public": st.booleans(),
            "settings": st.dictionaries(_TEXT, _JSON_VALUE, max_size=3),
            "metadata": st.dictionaries(_TEXT, _JSON_VALUE, max_size=3),
        },
    )
    wrong = st.sampled_from(
        [{}, {"title": None}, {"title": 5}, {"is_public": None}, {"settings": None}, {"unexpected": 1}]
    )
    return st.tuples(valid, wrong).map(lambda pair: {**pair[0], **pair[1]})


def _camel(struct_type: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name: f.encode_name for f in msgspec.structs.fields(struct_type)}
    return {names.get(key, key): value for key, value in data.items()}


def _agree(model: type[pydantic.BaseModel], struct_type: type, data: dict[str, Any]) -> None:
    try:
        model.model_validate_json(msgspec.json.encode(data))
        pydantic_ok = True
    except pydantic.ValidationError:
        pydantic_ok = False
    try:
        msgspec.json.decode(msgspec.json.encode(_camel(struct_type, data)), type=struct_type)
        msgspec_ok = True
    except msgspec.ValidationError:
        msgspec_ok = False
    assert pydantic_ok == msgspec_ok, (data, pydantic_ok, msgspec_ok)


@pytest.fixture(scope="module")
def fresh_contracts(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The real Structs rendered now (not the committed file), so the property checks the generator itself."""
    return _load(structs.render_structs(), "_codegen_fresh_contracts", tmp_path_factory.mktemp("fresh"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_board_create_like())
@example(data={"title": "\x1f"})  # Python's \s matches U+001C-U+001F, Rust's does not (found by CI)
@example(data={"title": "\u2003x"})
def test_board_create_struct_agrees_with_pydantic(fresh_contracts: ModuleType, data: dict[str, Any]) -> None:
    from schema.api.boards import BoardCreate

    _agree(BoardCreate, fresh_contracts.BoardCreate, data)


def _swatch_create_like() -> st.SearchStrategy[dict[str, Any]]:
    """Mostly valid SwatchCreate dicts around every bound, some with one wrong value."""
    valid = st.fixed_dictionaries(
        {"name": _sized(0, 21), "code": st.from_regex(r"[A-Z]{3}[a-z]?", fullmatch=True)},
        optional={
            "colour": st.sampled_from(["red", "dark_blue"]),
            "weight": st.one_of(st.floats(-0.5, 100.5, allow_nan=False), st.integers(-1, 101)),
            "count": st.integers(-1, 10),
            "note": st.one_of(st.none(), _sized(48, 51)),
            "is_public": st.booleans(),
        },
    )
    wrong = st.sampled_from([{}, {"code": "ab"}, {"colour": "blue"}, {"weight": None}, {"count": 1.5}])
    return st.tuples(valid, wrong).map(lambda pair: {**pair[0], **pair[1]})


@settings(max_examples=300, deadline=None)
@given(data=_swatch_create_like())
def test_swatch_create_struct_agrees_with_pydantic(data: dict[str, Any]) -> None:
    models = _case("enums_constraints", "models")
    _agree(models.SwatchCreate, _case("enums_constraints", "expected_structs").SwatchCreate, data)


def test_to_contract_is_needed_where_plain_asdict_convert_fails() -> None:
    """STYLE §3.3's msgspec.convert(asdict(inp), Struct) fails: wire keys are camelCase and UNSET differs."""
    mod = _case("enums_constraints", "expected_gql")
    inp = mod.CreateSwatchInput(name="a", code="ABC", is_public=True)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(dataclasses.asdict(inp), mod.contracts.SwatchCreate)
    assert inp.to_contract().is_public is True
