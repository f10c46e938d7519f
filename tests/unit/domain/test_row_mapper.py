"""The row mapper reads columns by name, converts only what the driver cannot type, and refuses what it
cannot map."""

from __future__ import annotations

import decimal
import enum

import msgspec
import pytest

from app.db.stores._rows import RowMapper, mapper_for


class Colour(enum.StrEnum):
    RED = "red"


class ModelColour(str, enum.Enum):  # noqa: UP042 - the models' own enum class is (str, Enum), as the ORM returns it
    RED = "red"


class Part(msgspec.Struct):
    name: str


class Thing(msgspec.Struct, kw_only=True):
    id: int
    colour: Colour
    parts: list[Part]
    main: Part | None
    data: dict[str, object]
    note: str | None = None


KEYS = ("id", "colour", "parts", "main", "data", "note")


def test_columns_are_found_by_name_whatever_their_order_and_extra_columns() -> None:
    to_thing = mapper_for(Thing).over(("extra", *reversed(KEYS)))
    row = ("x", None, {"k": [1]}, {"name": "m"}, [{"name": "a"}], ModelColour.RED, 1)
    assert to_thing(row) == Thing(id=1, colour=Colour.RED, parts=[Part("a")], main=Part("m"), data={"k": [1]})
    assert type(to_thing(row).colour) is Colour
    to_thing = mapper_for(Thing).over(KEYS)
    assert to_thing((2, "red", [], None, {}, "n")) == Thing(
        id=2, colour=Colour.RED, parts=[], main=None, data={}, note="n"
    )


def test_a_prefix_reads_a_joined_tables_columns() -> None:
    keys = ("id", *(f"_t_{k}" for k in KEYS))
    thing = mapper_for(Thing, "_t_").over(keys)((99, 3, "red", [], None, {}, None))
    assert thing.id == 3


def test_one_mapper_per_contract_and_a_missing_column_is_refused() -> None:
    assert mapper_for(Thing) is mapper_for(Thing) and mapper_for(Thing) is not mapper_for(Thing, "_t_")
    with pytest.raises(KeyError, match="note"):
        mapper_for(Thing).over(KEYS[:-1])


def test_unknown_enum_values_are_refused() -> None:
    with pytest.raises(KeyError):
        mapper_for(Thing).over(KEYS)((1, "blue", [], None, {}, None))


def test_types_it_cannot_map_are_refused() -> None:
    class Priced(msgspec.Struct):
        price: decimal.Decimal

    with pytest.raises(TypeError, match="no row mapping"):
        RowMapper(Priced)
