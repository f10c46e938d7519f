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
from weakref import ref

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfoHelpers,
    OperationDefinitionNode,
    Undefined,
)
from graphql.pyutils import Path, gather_with_cancel
from graphql.type.definition import is_leaf_type
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from app.graphql.plain import TYPENAME, NotPlain, ObjectPlan, complete_object, is_basic, unwrap, value_shape

LeafPlan = tuple[str, GraphQLLeafType | None, bool]  # python attribute, leaf type (None: a list), nullable
FieldPlan = tuple[str, Any, LeafPlan | None]  # response name, field details, leaf plan (None: general)


def leaf_plan(field_def: GraphQLField | None, field_details_list: Any) -> LeafPlan | None:
    """How to read this field directly, or None when it needs graphql-core's general path.

    Leaves are read and serialised; a list field is read only to answer an empty list with `[]` (a page
    of generations with no extra files, no tags): anything in it takes the general path."""
    attribute = is_basic(field_def, field_details_list)
    if field_def is None or attribute is None:
        return None
    nullable = not isinstance(field_def.type, GraphQLNonNull)
    inner = field_def.type if nullable else field_def.type.of_type  # type: ignore[union-attr]
    if isinstance(inner, GraphQLList):
        return (attribute, None, nullable)
    return (attribute, inner, nullable) if is_leaf_type(inner) else None


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


class _Memo:
    """What executing one operation of a cached document learns about its selections, kept for the next
    execution: the collected fields and the plans. Only for documents without directives, whose selections
    therefore cannot depend on the variables (no @skip/@include/@defer)."""

    __slots__ = ("__weakref__", "object_plans", "plans", "root", "sub_fields")

    def __init__(self) -> None:
        self.root: Any = None
        self.sub_fields: dict[Any, Any] = {}
        self.plans: dict[int, tuple[Any, list[FieldPlan]]] = {}
        self.object_plans: dict[tuple[GraphQLObjectType, int], tuple[Any, ObjectPlan | None]] = {}


# By the identity of the operation node of a parsed document (a node's own hash walks its whole tree): the
# POST pipeline keeps documents in an LRU, and a memo is dropped when its node is collected.
_MEMOS: dict[int, tuple[ref[OperationDefinitionNode], _Memo]] = {}


def _memo_for(operation: OperationDefinitionNode) -> _Memo | None:
    key = id(operation)
    found = _MEMOS.get(key)
    if found is not None and found[0]() is operation:
        return found[1]
    source = operation.loc.source.body if operation.loc is not None else "@"
    if "@" in source:  # a directive somewhere (or an @ in a string): collect per execution
        return None
    memo = _Memo()
    _MEMOS[key] = (ref(operation, lambda _: _MEMOS.pop(key, None)), memo)
    return memo


def _alive(executor: ref[FastLeafExecutor]) -> FastLeafExecutor:
    found = executor()
    if found is None:  # a resolver kept its info past the operation
        raise RuntimeError("the GraphQL operation has finished")
    return found


class FastLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with scalar fields of plain attributes read without ceremony."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._fast = manager is None or not manager.middlewares  # any middleware: graphql-core's own path
        # graphql-core's helpers are bound methods of the executor, stored on it: a reference cycle that keeps
        # the executor, the context and everything they hold alive until the cyclic GC runs. Through a weak
        # reference they are the same calls, and a finished request is freed at once.
        executor = ref(self)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=lambda values: _alive(executor).gather_async_work(values),
            track=lambda values: _alive(executor).track_async_work(values),
        )
        memo = _memo_for(self.operation) if self._fast else None
        if memo is None:
            memo = _Memo()
        else:  # graphql-core memoises sub-field collection by the identity of the parent's field list
            self._relevant_sub_fields = memo.sub_fields
        self._memo = memo
        self._plans = memo.plans
        self._object_plans = memo.object_plans

    def execute_collected_root_fields(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: Any,
        serially: bool,
        new_defer_usages: Any,
    ) -> Any:
        """The first execution's root fields stand in for every later one's, so the sub-field and plan
        memos (keyed by the identity of field lists) carry over between executions."""
        memo = self._memo
        if memo.root is None:
            memo.root = grouped_field_set
        elif self._relevant_sub_fields is memo.sub_fields:
            grouped_field_set = memo.root
        return super().execute_collected_root_fields(
            root_type, root_value, grouped_field_set, serially, new_defer_usages
        )

    def object_plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> ObjectPlan | None:
        """The plain plan for this selection on this type (see app.graphql.plain), built once per operation."""
        key = (object_type, id(field_details_list))
        cached = self._object_plans.get(key)
        if cached is not None and cached[0] is field_details_list:
            return cached[1]
        self._object_plans[key] = (field_details_list, None)  # a recursive selection is not plain
        plan = self._build_object_plan(object_type, field_details_list)
        self._object_plans[key] = (field_details_list, plan)
        return plan

    def _build_object_plan(
        self, object_type: GraphQLObjectType, field_details_list: Any
    ) -> ObjectPlan | None:
        if object_type.is_type_of is not None:
            return None
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return None
        plan: ObjectPlan = []
        for response_name, details in grouped_field_set.items():
            field_name = details[0].node.name.value
            if field_name == TYPENAME:
                plan.append((response_name, None, False, None, object_type.name))
                continue
            field_def = self.schema.get_field(object_type, field_name)
            attribute = is_basic(field_def, details)
            if field_def is None or attribute is None:
                return None
            inner, nullable = unwrap(field_def.type)
            shape = value_shape(inner, details, self.object_plan)
            if shape is None:
                return None
            serialise = shape[1] if shape[0] == "leaf" else None
            plan.append((response_name, attribute, nullable, serialise, shape))
        return plan

    def complete_object_value(  # noqa: PLR0917 - graphql-core's signature
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if self._fast:
            plan = self.object_plan(return_type, field_details_list)
            if plan is not None:
                try:
                    return complete_object(result, plan)
                except NotPlain:
                    pass  # graphql-core completes it, with the proper error if there is one
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def complete_list_value(  # noqa: PLR0917 - graphql-core's signature
        self,
        return_type: GraphQLList[Any],
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if self._fast and type(result) is list:
            item_type, item_nullable = unwrap(return_type.of_type)
            if isinstance(item_type, GraphQLObjectType):
                plan = self.object_plan(item_type, field_details_list)
                if plan is not None:
                    try:
                        return [
                            None if item is None and item_nullable else complete_object(item, plan)
                            for item in result
                        ]
                    except NotPlain:
                        pass  # item by item through graphql-core (each item still tries the plain path)
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

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
