"""Inputs that point at earlier generations (an image to edit, a mask, reference images).

Annotate a field `GenerationRef` (or `GenerationRef | None`, or `list[GenerationRef]`): the registry finds
them in the JSON Schema (`x-atelier-artifact`), the API checks the caller may read them, and each becomes a
lineage edge whose role is the field name.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

GenerationRef = Annotated[UUID, Field(json_schema_extra={"x-atelier-artifact": True})]


def _is_ref(node: dict[str, Any]) -> bool:
    if node.get("x-atelier-artifact"):
        return True
    return any(_is_ref(option) for option in node.get("anyOf", []) if isinstance(option, dict))


def _is_ref_list(node: dict[str, Any]) -> bool:
    options = [node, *[o for o in node.get("anyOf", []) if isinstance(o, dict)]]
    return any(o.get("type") == "array" and _is_ref(o.get("items", {})) for o in options)


def artifact_fields(schema: dict[str, Any]) -> dict[str, bool]:
    """{field name: is a list} for every field that references generations."""
    found: dict[str, bool] = {}
    for name, node in schema.get("properties", {}).items():
        if _is_ref_list(node):
            found[name] = True
        elif _is_ref(node):
            found[name] = False
    return found


def references(params: dict[str, Any], fields: dict[str, bool]) -> list[tuple[str, UUID, int]]:
    """(role, generation id, position) for every reference in validated params."""
    refs: list[tuple[str, UUID, int]] = []
    for name, is_list in fields.items():
        value = params.get(name)
        if value is None:
            continue
        values = value if is_list else [value]
        refs.extend((name, UUID(str(v)), position) for position, v in enumerate(values))
    return refs
