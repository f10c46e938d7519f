"""Pydantic contracts → one normalised JSON Schema, the one input of both emitters (msgspec, Strawberry).

The result is ``{"$defs": {name: schema}}`` in emission order: enums, then contracts, each nested model just
before the first model that uses it. Keys are never sorted: Struct field order is property order (STYLE D4).

Normalisation passes, each small and for a reason:

* empty ``list``/``dict`` default factories become ``default: []``/``{}`` (Pydantic omits factory defaults);
* property titles go (Pydantic invents them; they would become ``Meta(title=...)`` noise);
* ``anyOf[{type: T, ...}, {type: null}]`` becomes ``type: [T, "null"]`` so the constraints stay on the field
  instead of becoming a shared type alias;
* optional discriminated unions are hoisted into ``$defs`` (STYLE D2), so msgspec can tag them;
* every object gets ``x-kind`` ("view" | "input" | "patch", see `contract_kind`) and GraphQL-only inputs get
  ``x-rest-contract``, the REST contract their ``to_contract`` converts to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

REF_PREFIX = "#/$defs/"
Kind = Literal["view", "input", "patch"]
_PATCH_WORDS = {"Update", "Patch"}
_INPUT_WORDS = {"Create", "Input", "Query", "Filter", "Command"}


class SchemaError(ValueError):
    """The contracts use a shape codegen does not support; fix the contract or extend codegen."""


class _FactoryDefaults(GenerateJsonSchema):
    """Write ``default_factory=list/dict`` as an empty default: the field is optional with a known default."""

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        factory = schema.get("default_factory")
        if factory in (list, dict) and not schema.get("default_factory_takes_data"):
            return factory()
        return super().get_default_value(schema)


def load_sources(
    contracts: Sequence[type[BaseModel]] | None, enums: Sequence[type[Enum]] | None
) -> tuple[Sequence[type[BaseModel]], Sequence[type[Enum]]]:
    """The given contracts/enums, or the real ones from schema.api (imported late: tests pass their own)."""
    if contracts is None or enums is None:
        import schema.api

        real: tuple[Any, Any] = (schema.api.CONTRACTS, schema.api.ENUMS)  # unannotated lists in schema/
        return (real[0] if contracts is None else contracts), (real[1] if enums is None else enums)
    return contracts, enums


def build_schema(contracts: Sequence[type[BaseModel]], enums: Sequence[type[Enum]]) -> dict[str, Any]:
    """The normalised ``{"$defs": ...}`` schema of `enums` and `contracts`, in that order."""
    defs: dict[str, Any] = {}
    for source in [*enums, *contracts]:
        raw = TypeAdapter(source).json_schema(
            ref_template=REF_PREFIX + "{model}", schema_generator=_FactoryDefaults
        )
        for name, node in raw.pop("$defs", {}).items():
            defs.setdefault(name, node)
        defs[source.__name__] = raw
    for name, node in list(defs.items()):
        if node.get("type") == "object":
            _normalise_object(name, node, defs)
    _link_graphql_only_inputs(contracts, defs)
    return {"$defs": defs}


def _normalise_object(name: str, node: dict[str, Any], defs: dict[str, Any]) -> None:
    for prop_name, prop in node.get("properties", {}).items():
        prop.pop("title", None)
        _flatten_nullable(prop)
        _hoist_optional_union(name, prop_name, prop, defs)
    node["x-kind"] = contract_kind(name, node)


def _flatten_nullable(prop: dict[str, Any]) -> None:
    """``anyOf[{type: T, ...}, {type: null}]`` → ``{type: [T, "null"], ...}`` when T is a plain type."""
    branches = prop.get("anyOf")
    if not branches or len(branches) != 2 or {"type": "null"} not in branches:
        return
    (other,) = [branch for branch in branches if branch != {"type": "null"}]
    if not isinstance(other.get("type"), str) or set(other) & set(prop) - {"anyOf"}:
        return
    del prop["anyOf"]
    prop.update({**other, "type": [other["type"], "null"]})


def _hoist_optional_union(model: str, prop_name: str, prop: dict[str, Any], defs: dict[str, Any]) -> None:
    """STYLE D2: move the union of ``anyOf[{oneOf, discriminator}, null]`` to ``$defs/<Model><Prop>``."""
    branches = prop.get("anyOf") or []
    unions = [branch for branch in branches if "discriminator" in branch and "oneOf" in branch]
    if len(unions) != 1:
        return
    hoisted = model + "".join(part.capitalize() for part in prop_name.split("_"))
    if hoisted in defs:
        raise SchemaError(f"cannot hoist {model}.{prop_name}: $defs/{hoisted} already exists")
    defs[hoisted] = unions[0]
    prop["anyOf"] = [{"$ref": REF_PREFIX + hoisted} if branch is unions[0] else branch for branch in branches]


def contract_kind(name: str, node: dict[str, Any]) -> Kind:
    """How a contract is used on the wire: "patch" (fields left out stay UNSET), "input" or "view".

    An explicit ``x-rest: {kind: ...}`` wins. Otherwise the STYLE naming decides: a CamelCase word
    Update/Patch makes a patch; Create/Input/Query/Filter/Command, or ``x-graphql.kind == "input"``, an
    input; the rest are views.
    """
    explicit = node.get("x-rest", {}).get("kind")
    if explicit is not None:
        if explicit not in ("view", "input", "patch"):
            raise SchemaError(f"{name}: x-rest.kind must be view, input or patch, not {explicit!r}")
        return explicit  # type: ignore[no-any-return]
    words = set(re.findall(r"[A-Z][a-z0-9]*", name))
    if words & _PATCH_WORDS:
        return "patch"
    if words & _INPUT_WORDS or node.get("x-graphql", {}).get("kind") == "input":
        return "input"
    return "view"


def rest_skipped(node: dict[str, Any]) -> bool:
    """True for GraphQL-only models (``x-rest: {skip: true}``): no msgspec Struct is emitted for them."""
    return bool(node.get("x-rest", {}).get("skip"))


def _link_graphql_only_inputs(contracts: Sequence[type[BaseModel]], defs: dict[str, Any]) -> None:
    """Give each GraphQL-only model its REST contract: ``x-rest.contract``, else its nearest emitted base."""
    emitted = {model.__name__ for model in contracts if not rest_skipped(defs[model.__name__])}
    for model in contracts:
        node = defs[model.__name__]
        if not rest_skipped(node):
            continue
        target = node["x-rest"].get("contract") or next(
            (base.__name__ for base in model.__mro__[1:] if base.__name__ in emitted), None
        )
        if target is not None and target not in emitted:
            raise SchemaError(f"{model.__name__}: x-rest.contract {target!r} is not an emitted REST contract")
        if target is not None:
            node["x-rest-contract"] = target


def ref_name(node: dict[str, Any]) -> str | None:
    """The ``$defs`` name a ``$ref`` node points at, or None."""
    ref = node.get("$ref")
    if ref is None:
        return None
    if not ref.startswith(REF_PREFIX):
        raise SchemaError(f"only local refs are supported, got {ref!r}")
    return str(ref[len(REF_PREFIX) :])
