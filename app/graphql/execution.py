"""A graphql-core execution context with a fast path for *plain* object subtrees, plugged into Strawberry
through its public `execution_context_class` (the one execution path: Strawberry's view and Schema.execute).

Profiling GetBoard (about 1,000 fields, nearly all scalars on 50 generations) put most of the GraphQL CPU in
graphql-core's generic per-field machinery: a Path and a ResolveInfo per field, awaitable checks and
complete_value's type dispatch. For a selection whose every field is a basic Strawberry field (an attribute
read), that amounts to `coerce_output_value(getattr(source, name))` per field (app.graphql.plain).

Seams: it overrides only `complete_object_value` and `complete_list_value` (which take the field's public
`GraphQLResolveInfo`) and `execute_field` (a basic scalar of a mixed object; it reads the field node from
`FieldDetails.node`, public in graphql.execution.collect_fields' `__all__`); plans are built from the operation's AST
(`info.field_nodes`, `info.fragments`) and from Strawberry's public field definitions, and kept per field
node (app.graphql.extensions.CachedDocuments returns the same nodes for the same document text). Anything the plan does not
cover exactly goes to graphql-core unchanged, so results and errors are the same (tests/unit/graphql).

Preconditions, checked when the schema is built (`fast_schema`): the graphql-core and Strawberry versions it
was tested with, getattr as the default resolver, no exception handlers; and per type: no `is_type_of`, no
interfaces (graphql-core would check the class). When they do not hold, the stock executor runs everything.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any, ClassVar, TypeVar
from weakref import ref

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLObjectType,
    GraphQLResolveInfoHelpers,
    InlineFragmentNode,
    NamedTypeNode,
    SelectionSetNode,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from graphql.type.definition import is_leaf_type
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.base import StrawberryObjectDefinition

from app.graphql.plain import TYPENAME, NotPlain, ObjectPlan, complete_object, unwrap, value_shape
from app.platform.logging import get_logger

log = get_logger("atelier.graphql")
TESTED_WITH = {"graphql-core": "3.3.2", "strawberry-graphql": "0.341.2"}
S = TypeVar("S", bound=strawberry.Schema)
MAX_PLANS = 4096  # plans kept per executor class (each for one field node of a cached document)


LeafPlan = tuple[str, Any, bool]  # python attribute, leaf type (None: a list), nullable
GENERAL = object()  # read_leaf's answer when graphql-core must produce the value (or the proper error)


def leaf_plan(attribute: str, field_type: Any) -> LeafPlan | None:
    """How to read a basic field directly: a leaf, or a list (answered here only when empty: a generation
    with no extra files); None for objects, which complete_object_value plans."""
    inner, nullable = unwrap(field_type)
    if isinstance(inner, GraphQLList):
        return (attribute, None, nullable)
    return (attribute, inner, nullable) if is_leaf_type(inner) else None


def read_leaf(source: Any, plan: LeafPlan) -> Any:
    """The serialised value, or GENERAL."""
    name, leaf, nullable = plan
    value = getattr(source, name, Undefined)
    if value is None:
        return None if nullable else GENERAL
    if value is Undefined:
        return GENERAL
    if leaf is None:
        return [] if type(value) is list and not value else GENERAL
    try:
        coerced = leaf.coerce_output_value(value)
    except Exception:
        return GENERAL
    return GENERAL if coerced is None or coerced is Undefined else coerced


def _alive(executor: ref[FastLeafExecutor]) -> FastLeafExecutor:
    found = executor()
    if found is None:  # a resolver kept its info past the operation
        raise RuntimeError("the GraphQL operation has finished")
    return found


class FastLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain subtrees completed without ceremony. Use `fast_schema`,
    which gives each schema its own subclass with the schema's basic fields."""

    # (GraphQL type name, field name) → Python attribute, for basic fields of types without is_type_of or
    # interfaces; empty (the stock path everywhere) until fast_schema fills it.
    plain_fields: ClassVar[dict[tuple[str, str], str]] = {}
    # (type name, ids of the field nodes) → (the nodes, kept so their ids stay theirs; the plan or None)
    plans: ClassVar[dict[tuple[Any, ...], tuple[tuple[FieldNode, ...], ObjectPlan | None]]] = {}
    # (parent type name, id of the field node) → (the node, its leaf plan or None)
    leaves: ClassVar[dict[tuple[str, int], tuple[FieldNode, LeafPlan | None]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # any middleware (a schema extension's resolve hook) must see every field: graphql-core's path
        self._fast = bool(self.plain_fields) and (manager is None or not manager.middlewares)
        # graphql-core's helpers are bound methods of the executor, stored on it: a reference cycle that keeps
        # the executor, the context and everything they hold alive until the cyclic GC runs. Through a weak
        # reference they are the same calls, and a finished request is freed at once.
        executor = ref(self)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=lambda values: _alive(executor).gather_async_work(values),
            track=lambda values: _alive(executor).track_async_work(values),
        )

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        """A basic scalar field of an object that is not plain as a whole (a Generation whose `board` is a
        resolver): read and serialised here; anything else, or a value it cannot answer, is graphql-core's."""
        if self._fast:
            leaf = self.leaf_plan(parent_type, field_details_list[0].node)
            if leaf is not None:
                value = read_leaf(source, leaf)
                if value is not GENERAL:
                    return value
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def leaf_plan(self, parent_type: GraphQLObjectType, node: FieldNode) -> LeafPlan | None:
        key = (parent_type.name, id(node))
        leaves = self.leaves
        cached = leaves.get(key)
        if cached is not None and cached[0] is node:
            return cached[1]
        plan = None
        attribute = self.plain_fields.get((parent_type.name, node.name.value))
        field_def = parent_type.fields.get(node.name.value)
        if attribute is not None and field_def is not None and not field_def.args and not node.arguments:
            plan = leaf_plan(attribute, field_def.type)
        if len(leaves) >= MAX_PLANS:
            leaves.clear()
        leaves[key] = (node, plan)
        return plan

    def object_plan(self, object_type: GraphQLObjectType, info: Any) -> ObjectPlan | None:
        """The plain plan for this field's selection on this type, or None; built once per field node."""
        nodes = tuple(info.field_nodes)
        key = (object_type.name, *map(id, nodes))
        plans = self.plans
        cached = plans.get(key)
        if cached is not None and all(a is b for a, b in zip(cached[0], nodes, strict=True)):
            return cached[1]
        plan = self.build_plan(object_type, nodes, info.fragments)
        if len(plans) >= MAX_PLANS:
            plans.clear()
        plans[key] = (nodes, plan)
        return plan

    def build_plan(
        self, object_type: GraphQLObjectType, nodes: tuple[FieldNode, ...], fragments: Any
    ) -> ObjectPlan | None:
        grouped = selected_fields(object_type.name, nodes, fragments)
        if grouped is None:
            return None
        plan: ObjectPlan = []
        for response_name, field_nodes in grouped.items():
            field_name = field_nodes[0].name.value
            if field_name == TYPENAME:
                plan.append((response_name, None, False, None, object_type.name))
                continue
            attribute = self.plain_fields.get((object_type.name, field_name))
            field_def = object_type.fields.get(field_name)
            if attribute is None or field_def is None or field_def.args or field_nodes[0].arguments:
                return None
            inner, nullable = unwrap(field_def.type)
            shape = value_shape(inner, field_nodes, lambda t, n: self.build_plan(t, tuple(n), fragments))
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
            plan = self.object_plan(return_type, info)
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
                plan = self.object_plan(item_type, info)
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


def selected_fields(
    type_name: str, nodes: tuple[FieldNode, ...], fragments: dict[str, FragmentDefinitionNode]
) -> dict[str, list[FieldNode]] | None:
    """The sub-fields the nodes select on `type_name`, by response name; None when collecting them needs
    graphql-core (a directive, a fragment on another type, one response name with sub-selections twice)."""
    grouped: dict[str, list[FieldNode]] = {}

    def visit(selection_set: SelectionSetNode | None) -> bool:
        condition: NamedTypeNode | None
        for selection in selection_set.selections if selection_set else ():
            if selection.directives:
                return False
            if isinstance(selection, FieldNode):
                name = (selection.alias or selection.name).value
                grouped.setdefault(name, []).append(selection)
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is None or fragment.directives:
                    return False
                condition, inner = fragment.type_condition, fragment.selection_set
            elif isinstance(selection, InlineFragmentNode):
                condition, inner = selection.type_condition, selection.selection_set
            else:
                return False
            if (condition is not None and condition.name.value != type_name) or not visit(inner):
                return False
        return True

    if not all(visit(node.selection_set) for node in nodes):
        return None
    if any(len(found) > 1 and any(n.selection_set for n in found) for found in grouped.values()):
        return None  # sub-selections to merge: graphql-core's
    return grouped


def plain_fields_of(schema: strawberry.Schema) -> dict[tuple[str, str], str]:
    """Basic fields (no resolver, no extensions: Strawberry resolves them with the default resolver) of the
    object types the fast path may complete; empty when a precondition does not hold."""
    found = {name: version(name) for name in TESTED_WITH}
    if found != TESTED_WITH:
        log.warning("GraphQL fast path off: untested library versions", found=found, tested=TESTED_WITH)
        return {}
    if schema.config.default_resolver is not getattr or schema.exception_handlers:
        log.warning("GraphQL fast path off: another default resolver or exception handlers")
        return {}
    fields: dict[tuple[str, str], str] = {}
    names = schema.config.name_converter
    for type_name, concrete in schema.schema_converter.type_map.items():
        definition, implementation = concrete.definition, concrete.implementation
        if not isinstance(definition, StrawberryObjectDefinition) or definition.is_input:
            continue
        if not isinstance(implementation, GraphQLObjectType):
            continue
        if implementation.is_type_of is not None or implementation.interfaces:
            continue
        for field in definition.fields:
            if field.is_basic_field:
                fields[type_name, names.get_graphql_name(field)] = field.python_name
    return fields


def fast_schema(schema_class: type[S], **kwargs: Any) -> S:
    """`schema_class(**kwargs)` with its own FastLeafExecutor subclass, filled with the schema's plain
    fields once the preconditions are checked."""
    executor: type[FastLeafExecutor] = type(
        "AtelierExecutionContext", (FastLeafExecutor,), {"plain_fields": {}, "plans": {}, "leaves": {}}
    )
    built = schema_class(**kwargs, execution_context_class=executor)
    executor.plain_fields.update(plain_fields_of(built))
    return built
