"""Constraints the server decodes with but Litestar's document leaves out, restored from the Structs.

Litestar drops a bound that is zero (`ge=0` reads as "no minimum") and every constraint on list items (a
`where` entry's pattern), so generated clients and fuzzers send what msgspec then refuses. The Structs are
the truth: their constraints (msgspec.inspect, public) are copied onto the document where it says less.
A query string decoded into a contract (the search's) gets that contract's property schemas.
"""

from __future__ import annotations

import dataclasses

import msgspec
import msgspec.inspect as mi
from litestar.openapi.spec import OpenAPI, OpenAPIType, Parameter, Reference, Schema

from app.api.openapi.document import operations

# (msgspec constraint, Schema attribute) per kind of value.
_BOUNDS = (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusive_minimum"), ("lt", "exclusive_maximum"))
_LENGTHS = (("min_length", "min_length"), ("max_length", "max_length"), ("pattern", "pattern"))
_ITEMS = (("min_length", "min_items"), ("max_length", "max_items"))
# operationId → the contract its query string is decoded into (the same checks as the JSON body's).
QUERY_CONTRACTS = {"SearchGenerations": "GenerationSearchQuery"}


def _value_type(info: mi.Type) -> mi.Type:
    """The non-null member of `X | None`, without its Metadata wrapper."""
    if isinstance(info, mi.UnionType):
        members = [t for t in info.types if not isinstance(t, mi.NoneType)]
        if len(members) == 1:
            info = members[0]
    return info.type if isinstance(info, mi.Metadata) else info


def _fill(schema: Schema, info: mi.Type, pairs: tuple[tuple[str, str], ...]) -> None:
    for source, target in pairs:
        value = getattr(info, source, None)
        if value is not None and getattr(schema, target) is None:
            setattr(schema, target, value)


def _branch(schema: Schema) -> Schema:
    """Where the value's own keywords live: the non-null branch of a nullable `oneOf`, else the schema."""
    branches = [s for s in schema.one_of or () if isinstance(s, Schema) and s.type != OpenAPIType.NULL]
    return branches[0] if len(branches) == 1 and len(schema.one_of or ()) == 2 else schema


def restore(schema: Schema, info: mi.Type) -> None:
    """Copy the constraints of `info` (a field's msgspec type) onto `schema` where it has none."""
    info = _value_type(info)
    if isinstance(info, mi.IntType | mi.FloatType):
        _fill(schema, info, _BOUNDS)
    elif isinstance(info, mi.StrType):
        _fill(schema, info, _LENGTHS)
    elif isinstance(info, mi.ListType):
        _fill(schema, info, _ITEMS)
        items = _branch(schema).items
        if isinstance(items, Schema):
            restore(items, info.item_type)


def restore_constraints(document: OpenAPI, structs: dict[str, type[msgspec.Struct]]) -> None:
    schemas = document.components.schemas if document.components else {}
    for name, struct in structs.items():
        schema = schemas.get(name)
        info = mi.type_info(struct)
        if schema is None or schema.properties is None or not isinstance(info, mi.StructType):
            continue
        for field in info.fields:
            prop = schema.properties.get(field.encode_name)
            if isinstance(prop, Schema):
                restore(prop, field.type)


def _as_parameter(prop: Schema | Reference, nullable: bool) -> Schema | Reference:
    """A contract property as a query parameter's schema; `null` stays accepted where the handler takes it."""
    value = prop if isinstance(prop, Reference) else dataclasses.replace(prop, default=None)
    already = isinstance(value, Schema) and _branch(value) is not value
    return Schema(one_of=[value, Schema(type=OpenAPIType.NULL)]) if nullable and not already else value


def _nullable(schema: Schema | Reference | None) -> bool:
    return isinstance(schema, Schema) and any(
        isinstance(s, Schema) and s.type == OpenAPIType.NULL for s in schema.one_of or ()
    )


def mirror_query_contracts(document: OpenAPI) -> None:
    schemas = document.components.schemas if document.components else {}
    for _, _, operation in operations(document):
        contract = schemas.get(QUERY_CONTRACTS.get(operation.operation_id or "", ""))
        if contract is None or contract.properties is None:
            continue
        for parameter in operation.parameters or []:
            if not isinstance(parameter, Parameter) or parameter.param_in != "query":
                continue
            prop = contract.properties.get(parameter.name)
            if prop is not None:
                parameter.schema = _as_parameter(prop, _nullable(parameter.schema))


def type_saved_view_queries(document: OpenAPI) -> None:
    """A saved view's query is a search query (the server converts it, refusing anything else)."""
    schemas = document.components.schemas if document.components else {}
    create = schemas.get("SavedViewCreate")
    if create is not None and create.properties is not None and "GenerationSearchQuery" in schemas:
        create.properties["query"] = Reference(ref="#/components/schemas/GenerationSearchQuery")
