"""Query cost before execution: what an operation may cost is known from its document and variables.

Depth and token limits do not bound work: `board { generations(limit: 80) { board { generations(limit: 80)
… } } }` is shallow and short, yet asks for 80³ rows. So every field costs 1, and a field that takes a page
size (`limit`, `first`) or returns a list multiplies the cost of what is selected under it by that size (the
argument's value, its default, or DEFAULT_LIST_SIZE for lists without one). An operation above the
caller's budget is refused with QUERY_TOO_COMPLEX before any resolver runs, on every transport: the
CostLimit schema extension calls `CostModel.check` (GET, POST and websockets all run through Strawberry's
Schema).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    VariableNode,
    build_schema,
)
from strawberry.extensions import SchemaExtension

from app.domain.actor import Actor

SIZE_ARGUMENTS = ("limit", "first")
DEFAULT_LIST_SIZE = 10  # lists without a page size (a board's members, a generation's tags)
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
_ENCODER = msgspec.json.Encoder()


@dataclass(frozen=True, slots=True)
class CostLimits:
    """The budgets: signed-in callers get more than anonymous ones."""

    authenticated: int = 20_000
    anonymous: int = 5_000

    def for_actor(self, actor: Actor | None) -> int:
        signed_in = actor is not None and actor.user_id is not None
        return self.authenticated if signed_in else self.anonymous


class _Walk:
    """One costing pass over an operation (fragments resolved, each spread costed where it is used)."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None
    ) -> None:
        self.schema = schema
        self.fragments = {
            node.name.value: node for node in document.definitions if isinstance(node, FragmentDefinitionNode)
        }
        self.variables: dict[str, Any] = dict(variables or {})

    def defaults(self, operation: OperationDefinitionNode) -> None:
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name not in self.variables and isinstance(definition.default_value, IntValueNode):
                self.variables[name] = int(definition.default_value.value)

    def selections(self, parent: Any, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
        if selection_set is None:
            return 0
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(parent, node, seen)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(target, node.selection_set, seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:  # invalid documents are validation's to refuse
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selections(target, fragment.selection_set, seen | {name})
        return total

    def field(self, parent: Any, node: FieldNode, seen: frozenset[str]) -> int:
        name = node.name.value
        if name.startswith("__"):  # __typename; introspection is bounded by the schema itself
            return 1
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1
        definition = parent.fields.get(name)
        if definition is None:
            return 1
        field_type = definition.type
        if isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        is_list = isinstance(field_type, GraphQLList)
        while isinstance(field_type, GraphQLList | GraphQLNonNull):
            field_type = field_type.of_type
        if node.selection_set is None:
            return 1
        size = self.size(definition, node, is_list=is_list)
        return 1 + size * self.selections(field_type, node.selection_set, seen)

    def size(self, definition: Any, node: FieldNode, *, is_list: bool) -> int:
        for argument_name in SIZE_ARGUMENTS:
            argument = definition.args.get(argument_name)
            if argument is None:
                continue
            value: Any = None
            for given in node.arguments or ():
                if given.name.value != argument_name:
                    continue
                if isinstance(given.value, VariableNode):
                    value = self.variables.get(given.value.name.value)
                elif isinstance(given.value, IntValueNode):
                    value = int(given.value.value)
            if value is None:
                value = _default(argument)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                return value
            return DEFAULT_LIST_SIZE
        return DEFAULT_LIST_SIZE if is_list else 1


def _default(argument: Any) -> Any:
    """An argument's default: graphql-core 3.3 keeps an SDL default as a literal (`default.literal`)."""
    if argument.default_value is not Undefined:
        return argument.default_value
    default = getattr(argument, "default", None)
    literal = getattr(default, "literal", None)
    return int(literal.value) if isinstance(literal, IntValueNode) else None


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of the operation that would run (0 when there is none: execution reports that)."""
    operations = [node for node in document.definitions if isinstance(node, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [node for node in operations if node.name and node.name.value == operation_name]
    if len(operations) != 1:
        return 0
    operation = operations[0]
    root = schema.get_root_type(operation.operation)
    walk = _Walk(schema, document, variables)
    walk.defaults(operation)
    return walk.selections(root, operation.selection_set, frozenset())


class CostModel:
    """The budgets and the schema to cost against: a type-only copy built from the served schema's SDL
    (fields, arguments and their defaults are all the costing needs)."""

    def __init__(self, limits: CostLimits) -> None:
        self.limits = limits
        self.schema: GraphQLSchema | None = None

    def bind(self, served: strawberry.Schema) -> None:
        self.schema = build_schema(served.as_str())

    def check(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        actor: Actor | None,
    ) -> GraphQLError | None:
        """The QUERY_TOO_COMPLEX error when the operation costs more than the caller's budget, else None."""
        if self.schema is None:
            raise RuntimeError("CostModel.bind(schema) was not called")
        budget = self.limits.for_actor(actor)
        cost = operation_cost(self.schema, document, operation_name, variables)
        if cost <= budget:
            return None
        return GraphQLError(
            f"Query too complex: it costs {cost}, the limit is {budget}. Ask for smaller pages or fewer "
            "nested lists.",
            extensions={"code": QUERY_TOO_COMPLEX, "cost": cost, "maximumCost": budget},
        )


class CostLimit(SchemaExtension):
    """The cost check and the response-size cap, on every transport."""

    def __init__(self, model: CostModel, max_response_bytes: int | None = None) -> None:
        self.model = model
        self.max_response_bytes = max_response_bytes

    async def on_operation(self) -> Any:
        yield
        result = self.execution_context.result
        if self.max_response_bytes is None or result is None or result.data is None:
            return
        size = len(_ENCODER.encode(result.data))
        if size > self.max_response_bytes:
            result.data = None
            result.errors = [
                GraphQLError(
                    f"The response would be {size} bytes, over the limit of {self.max_response_bytes}: ask "
                    "for fewer fields or smaller pages.",
                    extensions={"code": "RESPONSE_TOO_LARGE"},
                )
            ]

    def on_execute(self) -> Any:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            actor = getattr(context.context, "actor", None)
            refused = self.model.check(document, context.operation_name, context.variables, actor)
            if refused is not None:
                raise refused
        yield
