"""Plans for *plain* object subtrees: selections that graphql-core would complete by reading attributes only.

A page of 50 generations is about 1,000 fields, every one a default-resolved attribute. graphql-core completes
each item through complete_value → complete_object_value → collect_subfields → execute_fields, with a Path per
field; profiling GetBoard put most of its GraphQL CPU there. When a selection set on an object type only asks
for fields that

  * are basic Strawberry fields (an attribute read: no resolver, no extensions; app.graphql.execution),
  * take no arguments, and
  * are leaves, lists of them, or other plain objects (or `__typename`),

then completing an object is a loop of `getattr` and `coerce_output_value`. This module runs such a plan (app.graphql.execution
builds it once per field node). Anything it does not answer exactly as graphql-core would (a null in a
non-null position, a value that fails to serialise, a non-list where a list is due, a missing attribute)
raises `NotPlain`; the executor then completes that value through graphql-core, which produces the same
result or the proper located error. Reads are plain attribute reads, so doing them twice is harmless.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    Undefined,
)
from graphql.type.definition import is_leaf_type

TYPENAME = "__typename"


class NotPlain(Exception):
    """This value needs graphql-core's general completion."""


# A value's shape: ("leaf", serialise) | ("list", item nullable, item shape) | ("object", ObjectPlan)
Shape = tuple[Any, ...]
# A field of an object plan: (response name, attribute, nullable, leaf serialiser or None, shape or constant)
FieldEntry = tuple[str, str | None, bool, Callable[[Any], Any] | None, Any]
ObjectPlan = list[FieldEntry]


def unwrap(field_type: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
    """The type inside NonNull, and whether null is allowed."""
    if isinstance(field_type, GraphQLNonNull):
        return field_type.of_type, False
    return field_type, True


def value_shape(
    field_type: GraphQLOutputType,
    field_nodes: Any,
    object_plan: Callable[[GraphQLObjectType, Any], ObjectPlan | None],
) -> Shape | None:
    """How to complete a value of this (nullable-unwrapped) type, or None if it is not plain."""
    if is_leaf_type(field_type):
        return ("leaf", serialiser(field_type))
    if isinstance(field_type, GraphQLList):
        item_type, item_nullable = unwrap(field_type.of_type)
        item_shape = value_shape(item_type, field_nodes, object_plan)
        return None if item_shape is None else ("list", item_nullable, item_shape)
    if isinstance(field_type, GraphQLObjectType):
        plan = object_plan(field_type, field_nodes)
        return None if plan is None else ("object", plan)
    return None  # interfaces and unions need graphql-core's type resolution


def serialiser(leaf: Any) -> Callable[[Any], Any]:
    """The leaf type's coerce_output_value, with the two commonest answers short-cut: a str for String is
    itself (graphql-core checks it and returns it), and an enum member's name is remembered per member
    (Strawberry's enum type searches its values on every call). Anything else goes to the type."""
    coerce: Callable[[Any], Any] = leaf.coerce_output_value
    if leaf is GraphQLString:
        return lambda value: value if type(value) is str else coerce(value)
    if isinstance(leaf, GraphQLEnumType):
        names: dict[enum.Enum, Any] = {}

        def enum_name(value: Any) -> Any:
            found = names.get(value) if isinstance(value, enum.Enum) else None
            if found is None:
                found = coerce(value)
                if isinstance(value, enum.Enum):  # members are few: the memo stays small
                    names[value] = found
            return found

        return enum_name
    return coerce


def complete_object(source: Any, plan: ObjectPlan) -> dict[str, Any]:
    """The response object for `source`, or NotPlain."""
    results: dict[str, Any] = {}
    for response_name, attribute, nullable, serialise, shape in plan:
        if attribute is None:  # __typename: the constant stored as the shape
            results[response_name] = shape
            continue
        value = getattr(source, attribute, Undefined)
        if value is None:
            if not nullable:
                raise NotPlain
            results[response_name] = None
        elif value is Undefined:
            raise NotPlain
        elif serialise is not None:
            try:
                out = serialise(value)
            except Exception:
                raise NotPlain from None
            if out is None or out is Undefined:
                raise NotPlain
            results[response_name] = out
        else:
            results[response_name] = complete_value(value, shape)
    return results


def complete_value(value: Any, shape: Shape) -> Any:
    """A non-null value of the given shape, completed; or NotPlain."""
    kind = shape[0]
    if kind == "object":
        return complete_object(value, shape[1])
    if kind == "list":
        if type(value) is not list:  # other iterables (and async ones) are graphql-core's
            raise NotPlain
        _, item_nullable, item_shape = shape
        return [_complete_item(item, item_nullable, item_shape) for item in value]
    try:
        out = shape[1](value)
    except Exception:
        raise NotPlain from None
    if out is None or out is Undefined:
        raise NotPlain
    return out


def _complete_item(item: Any, nullable: bool, shape: Shape) -> Any:
    if item is None:
        if nullable:
            return None
        raise NotPlain
    return complete_value(item, shape)
