"""schema/api → app/graphql/_generated/types.py: a small Strawberry emitter of our own (STYLE §4.3).

It reads the same normalised JSON Schema as codegen/structs.py and emits, per ``x-graphql`` metadata:

* every enum → ``@strawberry.enum`` with the contract's UPPER_CASE members and lowercase values;
* ``kind: "type"`` → ``@strawberry.type(name=N) class NFields`` holding the data fields only, plus
  ``from_contract(view)``, a classmethod that builds ``cls``: hand-written types subclass ``NFields`` to add
  resolver fields, and ``Board.from_contract(view)`` then returns a ``Board``;
* ``kind: "input"`` → ``@strawberry.input(name=N) class N`` plus ``to_contract()``. A field with a default
  (or optional in a patch) is ``T | None = strawberry.UNSET``; ``to_contract`` leaves unsent fields out, so
  the Struct applies its own default (UNSET in a patch), while an explicit null stays None. A GraphQL-only
  input (``x-rest: {skip: true}``) converts to its ``x-rest-contract`` (its nearest REST base, e.g.
  UpdateBoardInput → BoardUpdate); the resolver reads its extra fields (``id``) from the input itself.
* ``declareDefaults: true`` (Boards' inputs) declares defaults in the SDL as Boards does: a literal default of
  a non-null field stays non-null with it (``isPublic: Boolean! = false``), any other optional field is
  ``T = null`` and ``to_contract`` treats null as not sent (the Struct's default; unchanged in a patch). Only a
  patch field that accepts null keeps UNSET, so null still clears it (omitted and null must differ there).

Models without ``x-graphql`` (or with ``skip``) are not emitted. Nested fields use the generated ``NFields``.
"""

from __future__ import annotations

import keyword
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from codegen._format import GENERATED_HEADER, ruff_format
from codegen.json_schema import SchemaError, build_schema, load_sources, ref_name

OUTPUT = Path("app/graphql/_generated/types.py")
CONTRACTS_MODULE = "app.contracts._generated"
_HEADER = GENERATED_HEADER + "# Source: schema/api (Pydantic contracts) via codegen/gql_types.py.\n"
_SCALARS = {"integer": "int", "number": "float", "boolean": "bool"}
_STRING_FORMATS = {
    "uuid": "uuid.UUID",
    "date-time": "datetime.datetime",
    "date": "datetime.date",
    "time": "datetime.time",
}
_PRELUDE = '''
"""Strawberry enums, object types and inputs generated from schema/api.

Subclass an ``*Fields`` type to add resolver fields; ``from_contract`` builds the class it is called on.
``to_contract`` turns an input into its contract Struct, so msgspec runs the same constraints as REST.
"""

import dataclasses
import datetime
import enum
import types
import uuid
from typing import Any, Self

import msgspec
import strawberry
from strawberry.scalars import JSON

import {module} as contracts


def _sent(value: Any, null_unsent: frozenset[str] = frozenset()) -> Any:
    """Input → attribute data for msgspec.convert(from_attributes=True), without the fields not sent (UNSET),
    nor the `null_unsent` ones that are null (their SDL default is null, so null means "not sent").

    Attributes, not a dict: the Structs rename keys to camelCase, and from_attributes reads Python names.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        sent = {{f.name: getattr(value, f.name) for f in dataclasses.fields(value)}}
        kept = {{k: v for k, v in sent.items() if not (v is None and k in null_unsent)}}
        return types.SimpleNamespace(**{{k: _sent(v) for k, v in kept.items() if v is not strawberry.UNSET}})
    if isinstance(value, list):
        return [_sent(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value
'''


def render_gql_types(
    contracts: Sequence[type[BaseModel]] | None = None,
    enums: Sequence[type[Enum]] | None = None,
    contracts_module: str = CONTRACTS_MODULE,
    filename: str = str(OUTPUT),
) -> str:
    """Full text of the Strawberry types module; `contracts_module` is where the Structs are imported from."""
    defs: dict[str, Any] = build_schema(*load_sources(contracts, enums))["$defs"]
    blocks = [_HEADER + _PRELUDE.format(module=contracts_module)]
    for name, node in defs.items():
        if "enum" in node:
            blocks.append(_enum_block(name, node))
        elif _gql(node).get("kind") == "type":
            blocks.append(_type_block(name, node, defs))
        elif _gql(node).get("kind") == "input":
            blocks.append(_input_block(name, node, defs))
    return ruff_format("\n\n".join(blocks), filename)


def write_outputs(root: Path) -> list[Path]:
    """Write the Strawberry types module under `root` (the repository root) and return the written path."""
    path = root / OUTPUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_gql_types(filename=str(OUTPUT)), encoding="utf-8")
    return [path]


def _gql(node: dict[str, Any]) -> dict[str, Any]:
    meta = node.get("x-graphql") or {}
    if meta.get("skip"):
        return {}
    return dict(meta)


def _decorator(kind: str, name: str, node: dict[str, Any]) -> str:
    description = node.get("description")
    extra = f", description={description!r}" if description else ""
    return f"@strawberry.{kind}(name={name!r}{extra})"


def _enum_block(name: str, node: dict[str, Any]) -> str:
    if not all(isinstance(value, str) and value.upper().isidentifier() for value in node["enum"]):
        raise SchemaError(f"enum {name}: only string values that make identifiers are supported")
    members = [f"    {value.upper()} = {value!r}" for value in node["enum"]]
    return "\n".join([_decorator("enum", name, node), f"class {name}(enum.Enum):", *members])


def _class_name(target: str, defs: dict[str, Any], wanted: str) -> str:
    """Python class of a referenced model in a `wanted` ("type" | "input") position."""
    node = defs[target]
    if "enum" in node:
        return target
    meta = _gql(node)
    if meta.get("kind") != wanted:
        raise SchemaError(f"{target} is in a GraphQL {wanted}; its x-graphql kind is {meta.get('kind')}")
    return f"{meta['name']}Fields" if wanted == "type" else str(meta["name"])


def _split_null(prop: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(the schema without null, whether null is allowed)."""
    types_ = prop.get("type")
    if isinstance(types_, list) and "null" in types_:
        rest = [t for t in types_ if t != "null"]
        return {**prop, "type": rest[0] if len(rest) == 1 else rest}, True
    branches = prop.get("anyOf")
    if branches and {"type": "null"} in branches:
        rest = [branch for branch in branches if branch != {"type": "null"}]
        if len(rest) == 1:
            return rest[0], True
    return prop, False


def _annotation(prop: dict[str, Any], defs: dict[str, Any], wanted: str) -> str:
    inner, nullable = _split_null(prop)
    text = _base_annotation(inner, defs, wanted)
    return f"{text} | None" if nullable else text


def _base_annotation(prop: dict[str, Any], defs: dict[str, Any], wanted: str) -> str:
    target = ref_name(prop)
    kind = prop.get("type")
    if target is not None:
        return _class_name(target, defs, wanted)
    if kind == "string":
        return _STRING_FORMATS.get(prop.get("format", ""), "str")
    if kind in _SCALARS:
        return _SCALARS[kind]
    if kind == "array":
        return f"list[{_annotation(prop.get('items', {}), defs, wanted)}]"
    if kind == "object" and "properties" not in prop:
        return "JSON"
    raise SchemaError(f"no GraphQL type for {prop!r} (unions and inline objects are not supported yet)")


def _field_line(name: str, annotation: str, prop: dict[str, Any], *, default: str | None) -> str:
    """`default` is the Python expression of the field's default (None: required)."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise SchemaError(f"field name {name!r} is not a Python identifier")
    args = [f"default={default}"] if default is not None else []
    if prop.get("description"):
        args.append(f"description={prop['description']!r}")
    if not args:
        return f"    {name}: {annotation}"
    if not prop.get("description"):
        return f"    {name}: {annotation} = {default}"
    return f"    {name}: {annotation} = strawberry.field({', '.join(args)})"


def _type_block(struct: str, node: dict[str, Any], defs: dict[str, Any]) -> str:
    meta = _gql(node)
    lines = [_decorator("type", meta["name"], node), f"class {meta['name']}Fields:"]
    properties: dict[str, Any] = node.get("properties", {})
    for prop_name, prop in properties.items():
        lines.append(_field_line(prop_name, _annotation(prop, defs, "type"), prop, default=None))
    args = [f"{name}={_from_expr(prop, f'view.{name}', defs)}," for name, prop in properties.items()]
    lines += [
        "",
        "    @classmethod",
        f"    def from_contract(cls, view: contracts.{struct}) -> Self:",
        '        """Build this type, or the subclass it is called on, from the contract view."""',
        "        return cls(",
        *(f"            {arg}" for arg in args),
        "        )",
    ]
    return "\n".join(lines)


def _from_expr(prop: dict[str, Any], expr: str, defs: dict[str, Any], depth: int = 0) -> str:
    """Expression turning the contract value `expr` into the GraphQL value (enums, JSON, nested types)."""
    inner, nullable = _split_null(prop)
    target = ref_name(inner)
    converted = expr
    if target is not None:
        cls = _class_name(target, defs, "type")
        converted = f"{cls}({expr})" if "enum" in defs[target] else f"{cls}.from_contract({expr})"
    elif _base_annotation(inner, defs, "type") == "JSON":
        converted = f"JSON({expr})"
    elif inner.get("type") == "array":
        item = f"item{depth or ''}"
        item_expr = _from_expr(inner.get("items", {}), item, defs, depth + 1)
        converted = expr if item_expr == item else f"[{item_expr} for {item} in {expr}]"
    if nullable and converted != expr:
        return f"None if {expr} is None else {converted}"
    return converted


def _input_block(name: str, node: dict[str, Any], defs: dict[str, Any]) -> str:
    meta = _gql(node)
    lines = [_decorator("input", meta["name"], node), f"class {meta['name']}:"]
    required = set(node.get("required", []))
    null_unsent: list[str] = []
    for prop_name, prop in node.get("properties", {}).items():
        annotation = _annotation(prop, defs, "input")
        default = None
        if prop_name not in required or "default" in prop:
            annotation, default = _optional(
                annotation, prop, defs, node, declared=bool(meta.get("declareDefaults"))
            )
            if default == "None":
                null_unsent.append(prop_name)
        lines.append(_field_line(prop_name, annotation, prop, default=default))
    target = node.get("x-rest-contract", name) if node.get("x-rest", {}).get("skip") else name
    if target in defs and not defs[target].get("x-rest", {}).get("skip"):
        sent = f"_sent(self, frozenset({sorted(null_unsent)!r}))" if null_unsent else "_sent(self)"
        lines += [
            "",
            f"    def to_contract(self) -> contracts.{target}:",
            f'        """The {target} Struct, checked by msgspec; unsent fields take its default."""',
            f"        return msgspec.convert({sent}, contracts.{target}, from_attributes=True)",
        ]
    return "\n".join(lines)


def _optional(
    annotation: str, prop: dict[str, Any], defs: dict[str, Any], node: dict[str, Any], *, declared: bool
) -> tuple[str, str]:
    """(annotation, default expression) of an optional input field; see the module docstring."""
    nullable = annotation.endswith("| None")
    literal = _literal_default(prop, defs) if declared and node.get("x-kind") != "patch" else None
    if literal is not None and not nullable:
        return annotation, literal
    if not nullable:
        annotation += " | None"
    if declared and not (nullable and node.get("x-kind") == "patch"):
        return annotation, "None"
    return annotation, "strawberry.UNSET"


def _literal_default(prop: dict[str, Any], defs: dict[str, Any]) -> str | None:
    """The Python expression of a scalar or enum default the SDL can show, or None."""
    value = prop.get("default")
    target = ref_name(prop)
    if target is not None and "enum" in defs[target] and isinstance(value, str):
        return f"{target}.{value.upper()}"
    if isinstance(value, bool | int | float | str) and target is None:
        return repr(value)
    return None
