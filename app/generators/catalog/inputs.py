"""A catalog entry's input JSON Schema as a Pydantic model: the same validation path (and the same served
schema shape) as hand-written generators. Only the keywords below are understood; any other keyword is an
error, so nothing a catalog declares is silently left unenforced."""

from __future__ import annotations

import json
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, create_model

ARTIFACT = "x-atelier-artifact"  # the artifact type a reference field accepts (a generation id)
ROLE = "x-atelier-role"  # its lineage role (default: the field name)
TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": bool}
CONSTRAINTS = {
    "minimum": "ge", "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt",
    "minLength": "min_length", "maxLength": "max_length", "minItems": "min_length", "maxItems": "max_length",
    "pattern": "pattern", "multipleOf": "multiple_of",
}  # fmt: skip
KNOWN = {*CONSTRAINTS, "type", "enum", "default", "description", "title", "items", "format", ARTIFACT, ROLE,
         "examples", "x-atelier-ui"}  # fmt: skip
ARTIFACT_TYPES = {"image", "video", "audio", "text"}


class CatalogInputError(ValueError):
    """A catalog input schema this module cannot enforce."""


def _annotation(field: str, node: dict[str, Any]) -> Any:
    unknown = set(node) - KNOWN
    if unknown:
        raise CatalogInputError(f"{field}: unsupported keyword(s) {sorted(unknown)}")
    if ARTIFACT in node:
        if node[ARTIFACT] not in ARTIFACT_TYPES:
            raise CatalogInputError(f"{field}: {ARTIFACT} must be one of {sorted(ARTIFACT_TYPES)}")
        return UUID
    if "enum" in node:
        values = node["enum"]
        if not values or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            raise CatalogInputError(f"{field}: enum values must be strings or integers")
        return Literal[tuple(values)]
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        if not isinstance(items, dict):
            raise CatalogInputError(f"{field}: an array declares its items")
        return list[_annotation(f"{field}[]", items)]  # type: ignore[misc]
    if kind == "object":
        return dict[str, Any]
    if kind not in TYPES:
        raise CatalogInputError(f"{field}: type must be one of {[*TYPES, 'array', 'object']}, not {kind!r}")
    return TYPES[kind]


def _field(name: str, node: dict[str, Any], required: bool) -> tuple[Any, Any]:
    annotation = _annotation(name, node)
    kwargs: dict[str, Any] = {CONSTRAINTS[k]: v for k, v in node.items() if k in CONSTRAINTS}
    extra = {k: v for k, v in node.items() if k.startswith("x-atelier")}
    if node.get("type") == "array" and ARTIFACT in node.get("items", {}):
        extra[ARTIFACT] = node["items"][ARTIFACT]
        extra.setdefault(ROLE, node["items"].get(ROLE, name))
    elif ARTIFACT in node:
        extra.setdefault(ROLE, name)
    info = Field(
        ... if required else node.get("default"), description=node.get("description"),
        json_schema_extra=extra or None, **kwargs,
    )  # fmt: skip
    if not required and "default" not in node:
        annotation = annotation | None
    return annotation, info


def input_model(model_name: str, schema: dict[str, Any], *, title: str | None = None) -> type[BaseModel]:
    """The Pydantic model for a JSON Schema of type object (unknown inputs are refused, defaults checked).

    Built once per (name, title, schema): validating a catalog and registering it need the same models."""
    key = (model_name, title, json.dumps(schema, sort_keys=True, default=str))
    if key not in _BUILT:
        _BUILT[key] = _build(model_name, schema, title)
    return _BUILT[key]


_BUILT: dict[tuple[str, str | None, str], type[BaseModel]] = {}


def _build(model_name: str, schema: dict[str, Any], title: str | None) -> type[BaseModel]:
    properties: dict[str, Any] = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    missing = required - set(properties)
    if missing:
        raise CatalogInputError(f"required names no property: {sorted(missing)}")
    fields: dict[str, Any] = {name: _field(name, node, name in required) for name, node in properties.items()}
    config = ConfigDict(extra="forbid", validate_default=True, title=title or model_name)
    return create_model(model_name, __config__=config, **fields)
