"""Bounds on free JSON (board settings and metadata, tag metadata, tenant settings): a size in encoded
bytes and a nesting depth, so no caller stores a megabyte blob or a structure too deep to read back."""

from __future__ import annotations

from typing import Any

import msgspec

from app.domain.errors import Invalid

MAX_JSON_FIELD_BYTES = 64 * 1024  # ATELIER_MAX_JSON_FIELD_BYTES
MAX_JSON_DEPTH = 32


def depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """Nesting depth, counting stops once past `limit` (no recursion: deep input cannot blow the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def check_json_field(value: Any, field: str, *, max_bytes: int = MAX_JSON_FIELD_BYTES) -> None:
    if value is None:
        return
    if depth(value) > MAX_JSON_DEPTH:
        raise Invalid(f"{field} is nested deeper than {MAX_JSON_DEPTH} levels", details={"field": field})
    size = len(msgspec.json.encode(value))
    if size > max_bytes:
        raise Invalid(f"{field} is {size} bytes; the limit is {max_bytes}", details={"field": field})


def check_json_fields(values: dict[str, Any], fields: tuple[str, ...], *, max_bytes: int) -> None:
    for field in fields:
        if field in values:
            check_json_field(values[field], field, max_bytes=max_bytes)
