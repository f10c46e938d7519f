"""Inputs that point at earlier generations (an image to edit, a mask, reference images).

Annotate a field `GenerationRef` (or `GenerationRef | None`, or `list[GenerationRef]`), or in a catalog
entry give the property `x-atelier-artifact: <type>`: the registry finds them in the JSON Schema, the API
checks the caller may read them, and each becomes a lineage edge whose role is `x-atelier-role` (default:
the field name).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

ARTIFACT_KEY = "x-atelier-artifact"
GenerationRef = Annotated[UUID, Field(json_schema_extra={ARTIFACT_KEY: True})]


def _is_ref(node: dict[str, Any]) -> bool:
    if node.get("x-atelier-artifact"):
        return True
    return any(_is_ref(option) for option in node.get("anyOf", []) if isinstance(option, dict))


def _is_ref_list(node: dict[str, Any]) -> bool:
    options = [node, *[o for o in node.get("anyOf", []) if isinstance(o, dict)]]
    return any(o.get("type") == "array" and (_is_ref(o.get("items", {})) or _is_ref(node)) for o in options)


def _role(node: dict[str, Any], name: str) -> str:
    found = node.get("x-atelier-role") or node.get("items", {}).get("x-atelier-role")
    return str(found) if found else name


def artifact_fields(schema: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    """{field name: (is a list, lineage role)} for every field that references generations."""
    found: dict[str, tuple[bool, str]] = {}
    for name, node in schema.get("properties", {}).items():
        if _is_ref_list(node):
            found[name] = (True, _role(node, name))
        elif _is_ref(node):
            found[name] = (False, _role(node, name))
    return found


def references(params: dict[str, Any], fields: dict[str, tuple[bool, str]]) -> list[tuple[str, UUID, int]]:
    """(role, generation id, position) for every reference in validated params."""
    refs: list[tuple[str, UUID, int]] = []
    for name, (is_list, role) in fields.items():
        value = params.get(name)
        if value is None:
            continue
        values = value if is_list else [value]
        refs.extend((role, UUID(str(v)), position) for position, v in enumerate(values))
    return refs


def accepted_types(schema: dict[str, Any]) -> dict[str, str]:
    """{lineage role: artifact type} for references that name the type they take (`x-atelier-artifact: image`;
    hand-written `GenerationRef` fields say `true`: any type)."""
    found: dict[str, str] = {}
    for name, node in schema.get("properties", {}).items():
        kind = node.get(ARTIFACT_KEY) or (node.get("items") or {}).get(ARTIFACT_KEY)
        if isinstance(kind, str):
            found[_role(node, name)] = kind
    return found
