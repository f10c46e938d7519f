"""Rows to contracts by position: the hot list reads (a page of 50 generations) without msgspec.convert.

`msgspec.convert(row, Contract, from_attributes=True)` looks every field up on the SQLAlchemy Row by name and
re-checks its type; profiling GetBoard put a tenth of its CPU there. A statement that selects the contract's
columns first and in field order (`columns_for`) already has every value in place and typed by the database,
so the contract can be built positionally. Only three kinds of field need converting, decided once per contract
from its annotations: enums (the models' enum classes are not the contracts'), nested Structs and lists of
them (JSONB arrives as dicts). Any other annotation must be a type the driver already returns as is; anything
else is refused when the mapper is built, so a schema change cannot make it silently wrong.
"""

from __future__ import annotations

import datetime
import enum
import types
import typing
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

T = TypeVar("T", bound=msgspec.Struct)

_AS_IS: tuple[Any, ...] = (str, int, float, bool, uuid.UUID, datetime.datetime, datetime.date, Any)


def _without_none(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return annotation


def _converter(annotation: Any) -> Callable[[Any], Any] | None:
    """How to turn the driver's value into the field's, or None when it is already right."""
    annotation = _without_none(annotation)
    origin = typing.get_origin(annotation)
    if origin is dict:
        return None  # JSONB objects arrive decoded
    if origin is list:
        (item,) = typing.get_args(annotation)
        item = _without_none(item)
        if isinstance(item, type) and issubclass(item, msgspec.Struct):
            return lambda value: msgspec.convert(value, annotation) if value else []
        if item in _AS_IS:
            return None
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        members = annotation._value2member_map_
        return lambda value: members[getattr(value, "value", value)]
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return lambda value: msgspec.convert(value, annotation)
    if annotation in _AS_IS:
        return None
    raise TypeError(f"no positional mapping for {annotation!r}")


def positional(contract: type[T], *, offset: int = 0) -> Callable[[Any], T]:
    """A function from a row whose columns from `offset` on are the contract's fields, in order, to the
    contract. Rows are SQLAlchemy Rows or asyncpg Records (app/db/raw.py): both slice by position."""
    hints = typing.get_type_hints(contract)
    fields = contract.__struct_fields__
    converters = [
        (index, convert)
        for index, name in enumerate(fields)
        if (convert := _converter(hints[name])) is not None
    ]
    width = len(fields)

    def to_contract(row: Any) -> T:
        values = list(row[offset : offset + width])
        for index, convert in converters:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        return contract(**dict(zip(fields, values, strict=True)))  # contracts are keyword-only

    return to_contract
