"""Rows to contracts by column name: the hot list reads (a page of 50 generations) without msgspec.convert.

`msgspec.convert(row, Contract, from_attributes=True)` looks every field up on the SQLAlchemy Row by name and
re-checks its type; profiling GetBoard put a tenth of its CPU there. A statement that selects the contract's
columns (`columns_for`) already has every value typed by the database, so the contract can be built from the
row directly: its columns are found by name once per result shape, then read by index. Only three kinds of
field need converting, decided once per contract from its annotations: enums (the models' enum classes are not
the contracts'), nested Structs and lists of them (JSONB arrives as dicts). Any other annotation must be a
type the driver already returns as is; anything else is refused when the mapper is built, so a schema change
cannot make it silently wrong.
"""

from __future__ import annotations

import datetime
import enum
import types
import typing
import uuid
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, Generic, TypeVar

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
    raise TypeError(f"no row mapping for {annotation!r}")


class RowMapper(Generic[T]):
    """Rows to one contract, by column NAME: the contract's fields are looked up among the result's columns
    (with `prefix`: `_owner_id` … for a joined table's columns), once per result shape, then read by index.
    Build it with `mapper_for` (one per contract and prefix)."""

    def __init__(self, contract: type[T], prefix: str = "") -> None:
        hints = typing.get_type_hints(contract)
        self.contract = contract
        self.prefix = prefix
        self._fields: tuple[str, ...] = contract.__struct_fields__
        self._columns = tuple(prefix + name for name in self._fields)
        self._converters = [
            (index, convert)
            for index, name in enumerate(self._fields)
            if (convert := _converter(hints[name])) is not None
        ]
        self._plans: dict[tuple[str, ...], Callable[[Any], T]] = {}

    def over(self, keys: Sequence[str]) -> Callable[[Any], T]:
        """A function from a row of a result with these column names to the contract."""
        keys = tuple(keys)
        plan = self._plans.get(keys)
        if plan is not None:
            return plan
        missing = [column for column in self._columns if column not in keys]
        if missing:
            raise KeyError(f"{self.contract.__name__}: the result has no column {missing}")
        indexes = [keys.index(column) for column in self._columns]
        contract, fields, converters = self.contract, self._fields, self._converters
        pick = itemgetter(*indexes) if len(indexes) > 1 else lambda row: (row[indexes[0]],)

        def to_contract(row: Any) -> T:
            values = list(pick(row))  # one C call per row, not a Python loop over the columns
            for index, convert in converters:
                value = values[index]
                if value is not None:
                    values[index] = convert(value)
            return contract(**dict(zip(fields, values, strict=True)))  # contracts are keyword-only

        self._plans[keys] = to_contract
        return to_contract


_MAPPERS: dict[tuple[type[msgspec.Struct], str], Any] = {}


def mapper_for(contract: type[T], prefix: str = "") -> RowMapper[T]:
    """The one mapper of a contract (and column prefix)."""
    mapper: RowMapper[T] | None = _MAPPERS.get((contract, prefix))
    if mapper is None:
        mapper = _MAPPERS[(contract, prefix)] = RowMapper(contract, prefix)
    return mapper
