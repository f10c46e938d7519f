"""Patch helpers: which fields of a patch contract the caller actually sent (UNSET = not sent)."""

from __future__ import annotations

from typing import Any

import msgspec


def sent_fields(patch: msgspec.Struct) -> dict[str, Any]:
    return {
        name: value
        for name in patch.__struct_fields__
        if (value := getattr(patch, name)) is not msgspec.UNSET
    }
