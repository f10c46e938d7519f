"""The positional row mapper converts only what the driver cannot type, and refuses what it cannot map."""

from __future__ import annotations

import decimal
import enum

import msgspec
import pytest

from app.db.stores._rows import positional


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


def test_positional_converts_enums_and_nested_structs_and_ignores_extra_columns() -> None:
    to_thing = positional(Thing)
    row = (1, ModelColour.RED, [{"name": "a"}], {"name": "m"}, {"k": [1]}, None, "extra column")
    assert to_thing(row) == Thing(id=1, colour=Colour.RED, parts=[Part("a")], main=Part("m"), data={"k": [1]})
    assert type(to_thing(row).colour) is Colour
    assert to_thing((2, "red", [], None, {}, "n")) == Thing(
        id=2, colour=Colour.RED, parts=[], main=None, data={}, note="n"
    )


def test_positional_refuses_unknown_enum_values() -> None:
    with pytest.raises(KeyError):
        positional(Thing)((1, "blue", [], None, {}, None))


def test_positional_refuses_types_it_cannot_map() -> None:
    class Priced(msgspec.Struct):
        price: decimal.Decimal

    with pytest.raises(TypeError, match="no positional mapping"):
        positional(Priced)
