"""A graphql-core executor with a fast path for the commonest field: a scalar read straight off an object.

Profiling GetBoard (about 1,000 fields, nearly all scalars on generations) showed most of the GraphQL
CPU in graphql-core's generic per-field machinery: a Path and a ResolveInfo per field, argument checks,
awaitable checks and complete_value's type dispatch. For a field that has Strawberry's default resolver,
no arguments and a leaf type, all of that amounts to `coerce_output_value(getattr(source, name))`.

This executor plans each selection set once per operation (graphql-core already memoises the collected
fields, so every item of a list shares one plan) and reads such fields directly. Everything else
(resolvers, arguments, objects, lists, a null in a non-null position, a value that fails to serialise,
resolve hooks from extensions) goes through graphql-core unchanged, so results and errors are the same.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import GraphQLField, GraphQLLeafType, GraphQLList, GraphQLNonNull, GraphQLObjectType, Undefined
from graphql.pyutils import Path, gather_with_cancel
from graphql.type.definition import is_leaf_type
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

LeafPlan = tuple[str, GraphQLLeafType | None, bool]  # python attribute, leaf type (None: a list), nullable
FieldPlan = tuple[str, Any, LeafPlan | None]  # response name, field details, leaf plan (None: general)


def leaf_plan(field_def: GraphQLField | None, field_details_list: Any) -> LeafPlan | None:
    """How to read this field directly, or None when it needs graphql-core's general path.

    Leaves are read and serialised; a list field is read only to answer an empty list with `[]` (a page
    of generations with no extra files, no tags): anything in it takes the general path."""
    if field_def is None or field_def.args or field_details_list[0].node.arguments:
        return None
    definition = (field_def.extensions or {}).get("strawberry-definition")
    resolver = field_def.resolve
    if definition is None or resolver is None or not getattr(resolver, "_is_default", False):
        return None
    nullable = not isinstance(field_def.type, GraphQLNonNull)
    inner = field_def.type if nullable else field_def.type.of_type  # type: ignore[union-attr]
    if isinstance(inner, GraphQLList):
        return (definition.python_name, None, nullable)
    return (definition.python_name, inner, nullable) if is_leaf_type(inner) else None


_GENERAL = object()  # read_leaf's answer when graphql-core must handle the field


def read_leaf(source: Any, plan: LeafPlan) -> Any:
    """The serialised value, or _GENERAL (graphql-core then produces the value or the proper error)."""
    name, leaf, nullable = plan
    value = getattr(source, name, Undefined)
    if value is None:
        return None if nullable else _GENERAL
    if value is Undefined:
        return _GENERAL
    if leaf is None:  # a list field: only the empty list is answered here
        return [] if type(value) is list and not value else _GENERAL
    try:
        coerced = leaf.coerce_output_value(value)
    except Exception:
        return _GENERAL
    return _GENERAL if coerced is None or coerced is Undefined else coerced


class FastLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with scalar fields of plain attributes read without ceremony."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._fast = manager is None or not getattr(manager, "_middleware_resolvers", None)
        self._plans: dict[int, tuple[Any, list[FieldPlan]]] = {}

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[FieldPlan]:
        # Keyed by identity, like graphql-core's own memo; the set is kept alive so its id is not reused.
        key = id(grouped_field_set)
        cached = self._plans.get(key)
        if cached is not None and cached[0] is grouped_field_set:
            return cached[1]
        plan = [
            (
                response_name,
                details,
                leaf_plan(self.schema.get_field(parent_type, details[0].node.name.value), details),
            )
            for response_name, details in grouped_field_set.items()
        ]
        self._plans[key] = (grouped_field_set, plan)
        return plan

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        if not self._fast:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for response_name, details, leaf in self._plan(parent_type, grouped_field_set):
                if leaf is not None:
                    value = read_leaf(source_value, leaf)
                    if value is not _GENERAL:
                        results[response_name] = value
                        continue
                field_path = Path(path, response_name, parent_type.name)
                result = self.execute_field(parent_type, source_value, details, field_path, position_context)
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:  # as graphql-core does: let already-started fields settle
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return _gathered(results, awaitable_fields)


async def _gathered(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
    """The results with every awaitable field awaited (concurrently, cancelling the rest on failure)."""
    if len(awaitable_fields) == 1:
        name = awaitable_fields[0]
        results[name] = await results[name]
        return results
    pending: list[Awaitable[Any]] = [results[name] for name in awaitable_fields]
    awaited = await gather_with_cancel(*pending)
    results.update(zip(awaitable_fields, awaited, strict=True))
    return results
